"""`talentsync grade` as a coach uses it (no model here: AI is off, so these are quick checks)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentsync_tui.cli import app

runner = CliRunner()
KEY = "python/list-vs-tuple"
ANSWER = ("Lists are mutable and tuples are not, so a tuple of hashable items can be a dict key. "
          "I use tuples for fixed records like coordinates and lists for collections that grow.")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "120")
    return tmp_path / "home"


def run(*args: str):
    return runner.invoke(app, ["grade", *args], catch_exceptions=False)


def test_one_answer_as_json_has_the_documented_fields(home):
    result = run(KEY, "--answer", ANSWER, "--seconds", "75", "--json")
    assert result.exit_code == 0, result.output
    line = [l for l in result.stdout.splitlines() if l.startswith("{")]
    data = json.loads(line[0])
    for field in ("score", "covered", "missed", "on_topic", "star", "summary", "improvements", "model",
                  "latency_ms"):
        assert field in data
    assert 0 <= data["score"] <= 100
    assert all({"index", "point", "evidence", "confidence"} <= set(c) for c in data["covered"])
    assert all({"index", "point"} <= set(m) for m in data["missed"])
    assert data["model"] is None and data["scorer"] == "quick-1"  # no coach model in this test
    assert "No coach model" in result.stderr


def test_human_output_shows_score_summary_and_points(home, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    result = run(KEY, "--answer-file", str(answer))
    assert result.exit_code == 0, result.output
    assert f"{KEY}" in result.stdout and "/100" in result.stdout
    assert "Missed" in result.stdout or "Covered" in result.stdout


def test_batch_keeps_input_order_and_reports_bad_rows_on_their_line(home, tmp_path):
    batch = tmp_path / "answers.jsonl"
    rows = [
        {"question_key": KEY, "answer": ANSWER, "seconds": 60},
        {"question_key": "python/no-such-question", "answer": "x"},
        "not json",
        {"question_key": "sql-databases/inner-vs-left-join", "answer": "An inner join keeps matching rows only."},
        {"question_key": KEY, "answer": ANSWER, "seconds": "soon"},
    ]
    batch.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    result = run("--batch", str(batch), "--json")
    assert result.exit_code == 2
    out = [json.loads(l) for l in result.stdout.splitlines() if l.startswith("{")]
    assert len(out) == 5
    assert "score" in out[0] and out[0]["question_key"] == KEY
    assert out[1]["row"] == 2 and "no question" in out[1]["error"]
    assert out[2]["row"] == 3 and "not valid JSON" in out[2]["error"]
    assert "score" in out[3] or "error" in out[3]
    assert out[4]["row"] == 5 and "seconds must be a number" in out[4]["error"]
    assert "Traceback" not in result.output


def test_batch_csv(home, tmp_path):
    batch = tmp_path / "answers.csv"
    batch.write_text("question_key,answer,seconds\n"
                     f'{KEY},"{ANSWER}",80\n'
                     f"{KEY},Tuples are immutable.,\n")
    result = run("--batch", str(batch), "--json")
    assert result.exit_code == 0, result.output
    assert len([l for l in result.stdout.splitlines() if l.startswith("{")]) == 2


@pytest.mark.parametrize(("args", "message"), [
    ((), "Usage"),
    ((KEY,), "exactly one of --answer"),
    ((KEY, "--answer", "a", "--answer-file", "x"), "exactly one of --answer"),
    (("nope", "--answer", "a"), "not a question key"),
    (("nomodule/q", "--answer", "a"), "no module"),
    ((KEY, "--answer-file", "/definitely/missing.txt"), "No such file"),
    (("--batch", "/definitely/missing.jsonl"), "No such file"),
])
def test_usage_errors_are_one_line_and_exit_2(home, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message.lower() in result.output.lower()
    assert "Traceback" not in result.output


def test_binary_and_headerless_batches_are_refused(home, tmp_path):
    binary = tmp_path / "b.jsonl"
    binary.write_bytes(b"\x7fELF\x00\x00\x01")
    assert "binary" in run("--batch", str(binary)).output
    csv = tmp_path / "b.csv"
    csv.write_text("q,a\n1,2\n")
    result = run("--batch", str(csv))
    assert result.exit_code == 2 and "question_key and answer" in result.output
