"""`talentsync follow-up` without the real model: AI off gives templates; a scripted FakeLLM
stands in for the coach model through the facade's one loading step (`_load_coach`)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentsync_tui.ai.testing import FakeEmbedder, FakeLLM
from talentsync_tui.cli import app
from talentsync_tui.services import TalentSync

runner = CliRunner()
KEY = "behavioral/helped-stuck-teammate"
ANSWER = ("A new hire spent three days fighting flaky Cypress tests. I paired with him for an afternoon, "
          "we found the tests depended on seed data order, and I showed him how to use fixtures instead.")
TEMPLATE = "How do you decide between fixing something yourself and coaching someone through it?"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TALENTSYNC_AI_ENABLED", "false")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "home"


@pytest.fixture
def fake_model(home, monkeypatch):
    """AI on, with a scripted coach model and the bag-of-words embedder."""
    monkeypatch.setenv("TALENTSYNC_AI_ENABLED", "true")
    llm = FakeLLM("You paired with him for an afternoon: how did you notice he was stuck in the first place?")
    monkeypatch.setattr(TalentSync, "_load_coach", lambda self, on_progress=None: (llm, None, FakeEmbedder()))
    return llm


def bank_follow_ups(key: str) -> list[str]:
    from pathlib import Path

    from talentsync_tui.banks import load_bank_files

    module_id, question_id = key.split("/")
    root = Path(__file__).resolve().parents[2] / "question_banks"
    return [f for _, modules in load_bank_files([root]) for m in modules if m.id == module_id
            for q in m.questions if q.id == question_id for f in q.follow_ups]


def run(*args: str):
    return runner.invoke(app, ["follow-up", *args], catch_exceptions=False)


def json_line(result) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, result.output
    return json.loads(lines[0])


def test_ai_off_gives_the_template_for_the_missed_point_and_says_why(home):
    result = run(KEY, "--answer", ANSWER, "--json")
    assert result.exit_code == 0, result.output
    data = json_line(result)
    assert data["source"] == "template" and data["model"] is None
    assert data["text"] == TEMPLATE  # the bank's own (only) template
    # the quick check judged a point missed: the target is that point, by index, with its text
    assert len(data["targets"]) == 1 and data["targets"][0]["kind"] == "missed"
    target = data["targets"][0]
    assert isinstance(target["index"], int) and target["text"]
    assert data["question_key"] == KEY and data["latency_ms"] >= 0
    assert "AI is disabled" in result.stderr and "template" in result.stderr


def test_human_output_is_the_question_and_a_dim_line_with_source_target_and_latency(home, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER)
    result = run(KEY, "--answer-file", str(answer))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[0] == TEMPLATE
    assert lines[1].startswith("template \u00b7 missed point: ") and lines[1].endswith(" ms")


def test_model_question_goes_through_the_interviewer_with_the_quick_check_gap(fake_model):
    result = run(KEY, "--answer", ANSWER, "--json")
    assert result.exit_code == 0, result.output
    data = json_line(result)
    assert data["source"] == "model" and data["model"] == "fake"
    assert data["text"] == ("You paired with him for an afternoon: how did you notice he was stuck "
                            "in the first place?")
    assert data["targets"][0]["kind"] == "missed" and data["fallback_reason"] is None
    # the interviewer's prompt: the question, the answer, and the gap it aims at
    prompt = fake_model.prompts[0]
    assert "Tell me about a time you helped a teammate" in prompt and "seed data order" in prompt
    assert data["targets"][0]["text"] in prompt
    assert result.stderr == ""


def test_a_rejected_draft_falls_back_to_the_template_and_stderr_says_why(fake_model):
    fake_model.respond = "Tell me more."
    result = run(KEY, "--answer", ANSWER, "--json")
    assert result.exit_code == 0, result.output
    data = json_line(result)
    # the template for the gap the quick check found: one of the question's own follow-ups
    # (which one depends on the calibrated quick check; the no-model test above pins one)
    assert data["source"] == "template" and data["text"] in bank_follow_ups(KEY)
    assert data["targets"][0]["kind"] == "missed"
    assert len(fake_model.prompts) == 2  # one retry (sampled) before the template
    assert "Template used: the model's draft was rejected (not a question" in result.stderr


def test_free_text_question_aims_at_the_most_specific_claim(fake_model):
    fake_model.respond = "Why did the Cypress tests depend on the seed data order?"
    result = run("--question", "How do you help a struggling colleague?", "--answer", ANSWER, "--json")
    assert result.exit_code == 0, result.output
    data = json_line(result)
    assert data["question_key"] is None and data["source"] == "model"
    assert data["targets"][0]["kind"] == "claim" and data["targets"][0]["index"] is None
    assert data["targets"][0]["text"].lower() in ANSWER.lower()


def test_free_text_question_without_model_or_templates_is_one_line_error(home):
    result = run("--question", "How do you help a struggling colleague?", "--answer", ANSWER)
    assert result.exit_code == 2
    assert "No follow-up" in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["python/no-such-question", "--answer", "x y z"], "There is no question"),
    (["nomodule/q", "--answer", "x y z"], "There is no module"),
    ([KEY], "exactly one of --answer"),
    ([KEY, "--answer", "a", "--answer-file", "f"], "exactly one of --answer"),
    (["--answer", "hello there"], "exactly one of MODULE/QUESTION_ID or --question"),
    ([KEY, "--question", "Why?", "--answer", "x"], "exactly one of MODULE/QUESTION_ID or --question"),
    ([KEY, "--answer", "   "], "the answer is empty"),
    (["--question", "  ", "--answer", "x"], "the question is empty"),
])
def test_usage_errors_are_one_line_with_exit_2(home, args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_answer_file_problems_are_one_line_with_exit_2(home, tmp_path):
    binary = tmp_path / "answer.bin"
    binary.write_bytes(b"\x00\x01\x02 not text")
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 30_000)
    for path, message in ((tmp_path / "missing.txt", "No such file"), (binary, "binary file"),
                          (huge, "too large")):
        result = run(KEY, "--answer-file", str(path))
        assert result.exit_code == 2, result.output
        assert message in result.stderr


def test_help_has_an_example(home):
    result = runner.invoke(app, ["follow-up", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "talentsync follow-up behavioral/helped-stuck-teammate" in result.stdout


def test_on_a_terminal_the_model_words_stream_before_the_question(fake_model, monkeypatch):
    import io

    from rich.console import Console

    from talentsync_tui.cli import followup

    screen = io.StringIO()
    monkeypatch.setattr(followup, "console", Console(file=screen, force_terminal=True, width=200))
    result = run(KEY, "--answer", ANSWER)
    assert result.exit_code == 0, result.output
    import re

    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    # word-by-word partial texts were drawn (then cleared), and the final question printed after
    assert shown.count("You paired") >= 5
    lines = [line for line in shown.replace("\r", "\n").splitlines() if line.strip()]
    assert lines[-2] == ("You paired with him for an afternoon: how did you notice he was stuck "
                         "in the first place?")
    assert lines[-1].startswith("fake \u00b7 missed point: ")


def test_a_model_too_slow_for_the_deadline_is_named_as_the_reason(fake_model, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_FOLLOWUP_DEADLINE", "0.4")
    fake_model.delay = 2.0  # the scripted question would take 2 s to "write": cut off at the deadline
    result = run(KEY, "--answer", ANSWER, "--json")
    assert result.exit_code == 0, result.output
    data = json_line(result)
    assert data["source"] == "template"
    assert "did not finish within the follow-up deadline (0.4 s" in data["fallback_reason"]
    assert "deadline" in result.stderr
