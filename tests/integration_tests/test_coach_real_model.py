"""The coach end to end on the real model and real embeddings: a few dev-set answers, the CLI, the app path.

Slow on 2 cores (about 5-15 s per answer), so it grades a handful of answers of
clearly different quality; the full dev-set figures come from bench/bench_feedback.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from talentsync_tui.ai.coach import CoachJudge
from talentsync_tui.banks import load_bank_files
from talentsync_tui.feedback.scoring import grade_answer

ROOT = Path(__file__).resolve().parents[2]
DEV = [json.loads(line) for line in (ROOT / "bench" / "data" / "graded_answers.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def questions():
    return {f"{m.id}/{q.id}": q for _, ms in load_bank_files([ROOT / "question_banks"]) for m in ms
            for q in m.questions}


def case(kind: str, module: str) -> dict:
    return next(c for c in DEV if c["kind"] == kind and c["question_key"].startswith(module + "/"))


@pytest.fixture(scope="module")
def judge(real_llm):
    return CoachJudge(real_llm)


def rivals(key: str, questions) -> list[str]:
    """The module's other questions, as the app's grader passes them (the on-topic check)."""
    from talentsync_tui.feedback.evidence import question_document

    return [question_document(q.text, q.expected_points) for k, q in questions.items()
            if k.split("/")[0] == key.split("/")[0] and k != key]


def test_real_verdicts_separate_a_strong_answer_from_an_off_topic_one(judge, real_embedder, questions):
    strong = case("strong", "python")
    off = case("off_topic", "python")
    q_strong, q_off = questions[strong["question_key"]], questions[off["question_key"]]
    good = grade_answer(q_strong, strong["answer"], strong["seconds"], judge=judge, embedder=real_embedder,
                        model_name="coach", rivals=rivals(strong["question_key"], questions))
    bad = grade_answer(q_off, off["answer"], off["seconds"], judge=judge, embedder=real_embedder,
                       model_name="coach", rivals=rivals(off["question_key"], questions))
    assert good.details["scorer"] == "coach-1" and good.details["model"] == "coach"
    assert good.details["on_topic"] is True
    assert good.score > bad.score + 30
    assert bad.score <= 20  # an answer to another question gets nothing for this one
    assert bad.details["on_topic_probability"] < good.details["on_topic_probability"]
    # every covered point quotes a sentence that is really in the answer
    for covered in good.details["covered"]:
        assert covered["evidence"] and covered["evidence"].rstrip("\u2026")[:40] in " ".join(strong["answer"].split())
    raw = [p["model"] for p in good.details["points"]]
    assert all(0.0 <= p <= 1.0 for p in raw)


def test_real_behavioral_story_gets_star_and_points(judge, real_embedder, questions):
    story = case("strong_paraphrased", "behavioral")
    q = questions[story["question_key"]]
    fb = grade_answer(q, story["answer"], story["seconds"], judge=judge, embedder=real_embedder,
                      rivals=rivals(story["question_key"], questions))
    assert fb.star is not None and sum(fb.star.values()) >= 3
    assert len(fb.covered_points) >= 2
    assert fb.score >= 60, fb.summary


def test_grade_cli_runs_the_real_model_in_a_separate_process(tmp_path, model_path):
    """`talentsync grade --json` as a coach runs it, with no network at all."""
    env = {**os.environ, "TALENTSYNC_HOME": str(tmp_path / "home"), "TALENTSYNC_AI_ENABLED": "true",
           "TALENTSYNC_MODEL_PATH": str(model_path), "TALENTSYNC_MODEL_PROBE": "false"}
    non_answer = case("non_answer", "sql-databases")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"question_key": non_answer["question_key"], "answer": non_answer["answer"]}) + "\n")
    result = subprocess.run([sys.executable, "-m", "talentsync_tui", "grade", "--batch", str(batch), "--json"],
                            capture_output=True, text=True, env=env, timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    (line,) = [l for l in result.stdout.splitlines() if l.startswith("{")]
    data = json.loads(line)
    assert data["scorer"] == "coach-1" and data["model"]
    assert data["score"] <= 20 and data["on_topic"] is False
    assert data["latency_ms"] > 0


def test_probes_share_their_common_words_and_keep_their_verdicts(judge, real_llm, questions):
    """Point probes all start "Does the answer cover this point: ...": after the first, only
    the words that differ are evaluated (as llama-cpp-python's prompt cache would), and each
    verdict stays what the probe gives when evaluated on its own from an empty cache."""
    short = case("short", "python")
    q = questions[short["question_key"]]
    probes = [("point", p) for p in q.expected_points[:3]]
    before = judge.stats.tail_tokens
    together = judge(q.text, short["answer"], probes)
    shared_tail_work = judge.stats.tail_tokens - before
    alone = []
    tail_lengths = 0
    for probe in probes:
        with real_llm.use() as raw:
            raw.n_tokens = 0  # nothing cached: the whole prompt is evaluated for this probe
        before = judge.stats.tail_tokens
        alone += judge(q.text, short["answer"], [probe])
        tail_lengths += judge.stats.tail_tokens - before
    assert shared_tail_work < tail_lengths  # the later tails reused the shared opening words
    assert together == pytest.approx(alone, abs=0.05)
