"""`talentsync follow-up` end to end with the real coach model (a subprocess, as a user runs it).

Slow on 2 cores (tens of seconds per follow-up under load): two answers from
bench/followup_eval.yaml; the quality figures come from bench/bench_ai.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES = {c["question_key"]: c for c in yaml.safe_load((ROOT / "bench" / "followup_eval.yaml").read_text())["cases"]}


def test_follow_up_cli_asks_one_short_question_about_each_answer(model_path, tmp_path):
    env = {**os.environ, "TALENTSYNC_HOME": str(tmp_path / "home"), "TALENTSYNC_AI_ENABLED": "true",
           "TALENTSYNC_MODEL_PATH": str(model_path), "TALENTSYNC_MODEL_PROBE": "false",
           "TALENTSYNC_FOLLOWUP_DEADLINE": "120"}
    for key in ("behavioral/helped-stuck-teammate", "python/list-vs-tuple"):
        result = subprocess.run(
            [sys.executable, "-m", "talentsync_tui", "follow-up", key, "--answer", CASES[key]["answer"], "--json"],
            capture_output=True, text=True, env=env, timeout=600, stdin=subprocess.DEVNULL, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout.strip().splitlines()[-1])
        assert {"text", "source", "targets", "latency_ms", "model"} <= set(data)
        assert data["source"] in ("model", "template")
        assert data["text"].endswith("?") and data["text"].count("?") == 1
        assert len(data["text"].split()) <= 30
        assert len(data["targets"]) == 1 and data["targets"][0]["kind"] in ("missed", "claim")
        if data["source"] == "model":
            assert data["model"] and data["model"].endswith(".gguf")
        else:
            assert data["fallback_reason"], "a template must say why the model's question was not used"
        assert data["latency_ms"] > 0
