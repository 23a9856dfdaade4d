"""A whole practice session with the real AI runtime while every network call is blocked.

Import a small bank, seed a session, answer, let the feedback worker grade the answer
(the coach model's verdicts and sentence embeddings) and queue a follow-up (real model +
real index), and
assert that nothing tried to open a connection or resolve a host name.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from talentsync_tui.ai.testing import sample_modules

ANSWER = ("I put a Redis cache with a 5 minute TTL in front of Postgres, so entries expire on their "
          "own, and we invalidate keys explicitly on writes through a Kafka topic. That cut p99 "
          "latency from 800 ms to 120 ms.")

SESSION_SCRIPT = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    from talentsync_tui.config import load_settings
    from talentsync_tui.models import ItemKind
    from talentsync_tui.services import TalentSync, default_config

    def run(home, bank, answer):
        # The real thing, as the app builds it: one factory, the real model and index.
        settings = load_settings(home, load_bundled_banks=False, feedback_workers=1)
        ts = TalentSync.open(settings, start_workers=False, ai=True)
        ts.import_banks([Path(bank)])
        ready = ts.ai.wait_ready(300)
        profile = ts.create_profile("Offline Candidate")
        session = ts.start_session(profile.id, default_config(["sysdesign"], count=2, seed=7))
        item = ts.current_question(session.id)
        ts.submit_answer(session.id, item.id, answer)
        ts.workers.run_pending()
        follow = [i for i in ts.items(session.id) if i.kind is ItemKind.followup]
        feedback = list(ts.feedback_for_session(session.id).values())
        ts.import_banks([Path(bank)])  # a re-import: the index sync finds nothing to do
        ts.ai.wait_ready(60)
        result = {
            "ready": ready, "status": ts.ai_status(), "question": item.text,
            "follow_up": follow[0].model_dump(mode="json") if follow else None,
            "feedback": [f.model_dump(mode="json") for f in feedback],
        }
        ts.close()
        return result

    if __name__ == "__main__":
        print(json.dumps(run(sys.argv[1], sys.argv[2], sys.argv[3]), default=str))
''')


def write_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "sysdesign.yaml"
    module = sample_modules(extra_question=True)[0]
    bank.write_text(yaml.safe_dump(module.model_dump(mode="json"), sort_keys=False))
    return bank


@pytest.fixture
def blocked_network(monkeypatch):
    attempts: list[tuple[str, object]] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append((name, args[1:] if name.startswith("socket.") else args))
            raise OSError(f"network blocked by test: {name}")
        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def _run_session(tmp_path):
    namespace: dict = {"__name__": "offline_session"}
    exec(compile(SESSION_SCRIPT, "offline_session", "exec"), namespace)
    return namespace["run"](str(tmp_path / "home"), str(write_bank(tmp_path)), ANSWER)


def check_result(result: dict) -> None:
    assert result["ready"], result["status"]
    status = result["status"]
    assert status["model"]["loaded"] and status["embeddings"]["loaded"]
    assert status["index"]["ready"] and not status["index"]["stale"]
    follow = result["follow_up"]
    assert follow is not None, "no follow-up was queued"
    assert follow["text"].endswith("?") and follow["source"] in ("model", "template")
    assert follow["latency_ms"] is not None
    (feedback,) = result["feedback"]
    assert feedback["details"]["scorer"] == "coach-1" and feedback["details"]["model"], feedback
    assert all(p["model"] is not None and p["similarity"] is not None for p in feedback["details"]["points"])
    assert feedback["covered_points"], feedback


def test_full_session_opens_no_connection(tmp_path, blocked_network):
    result = _run_session(tmp_path)
    check_result(result)
    assert blocked_network == [], f"network access was attempted: {blocked_network}"


def _can_unshare() -> bool:
    tool = shutil.which("unshare")
    if tool is None:
        return False
    try:
        return subprocess.run([tool, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _can_unshare(), reason="unshare -rn (a network namespace) is not permitted here")
def test_full_session_in_a_process_without_any_network(tmp_path):
    """The same session under `unshare -rn`: no interface but loopback exists at all."""
    script = tmp_path / "session.py"
    script.write_text(SESSION_SCRIPT)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        ["unshare", "-rn", sys.executable, str(script), str(tmp_path / "home"),
         str(write_bank(tmp_path)), ANSWER],
        capture_output=True, text=True, timeout=600, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    check_result(json.loads(result.stdout.strip().splitlines()[-1]))
