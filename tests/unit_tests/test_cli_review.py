"""`talentsync review list|start` and `session retry` as a candidate or coach uses them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentsync_tui.ai.testing import covering_scorer
from talentsync_tui.cli import app
from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync, default_config

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A data dir where Ada answered 2 python questions covering only point 1 of each."""
    home = tmp_path / "home"
    monkeypatch.setenv("TALENTSYNC_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    ts = TalentSync.open(load_settings(home), start_workers=False)
    try:
        ts.workers.scorer = covering_scorer
        ada = ts.create_profile("Ada")
        ts.create_profile("Bob")
        session = ts.start_session(ada.id, default_config(["python"], count=2, seed=5, follow_ups=False))
        for _ in range(2):
            item = ts.current_question(session.id)
            ts.submit_answer(session.id, item.id, "#1")
        ts.run_pending_jobs()
        home_state = {"due": ts.due_reviews(ada.id), "session": session.id}
    finally:
        ts.close()
    return home_state


def test_review_list_shows_what_is_due_as_a_table_and_as_json(home):
    due = home["due"]
    table = run("review", "list", "--profile", "Ada")
    assert table.exit_code == 0, table.output
    assert f"{len(due)} reviews due for Ada" in table.stdout
    assert due[0].point_text[:30] in table.stdout and "the whole question" in table.stdout
    data = json.loads(run("review", "list", "--profile", "Ada", "--json").stdout)
    assert [(d["question_key"], d["point"]) for d in data] == [(r.question_key, r.point or None) for r in due]
    assert json.loads(run("review", "list", "-p", "Bob", "--json").stdout) == []
    everyone = run("review", "list")
    assert "Profile" in everyone.stdout and f"{len(due)} reviews due" in everyone.stdout


def test_review_start_plans_the_due_questions_first(home):
    keys = list(dict.fromkeys(r.question_key for r in home["due"]))
    result = run("review", "start", "--profile", "Ada", "--seed", "3")
    assert result.exit_code == 0, result.output
    ts = TalentSync.open(load_settings(), start_workers=False)
    try:
        practice = ts.sessions()[0]
        assert [i.question_key for i in ts.items(practice.id)][:len(keys)] == keys
    finally:
        ts.close()


def test_review_errors_are_one_line_with_exit_code_2(home):
    for args, message in [
        (("review", "start", "--profile", "Bob"), "Nothing to review yet"),
        (("review", "start", "--profile", "Nobody"), "There is no profile 'Nobody'"),
        (("review", "start", "--profile", "Ada", "--count", "0"), "the question count must be more than 0"),
        (("session", "retry", str(home["session"]), "7"), "has questions 1 to 2, not 7"),
    ]:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_session_retry_queues_the_question_again(home):
    result = run("session", "retry", str(home["session"]), "1")
    assert result.exit_code == 0, result.output
    assert "queued again as question 3" in result.stdout
    again = run("session", "retry", str(home["session"]), "1")
    assert again.exit_code == 2 and "already waiting (question 3)" in again.output


@pytest.mark.parametrize("command", [["review", "list"], ["review", "start"], ["session", "retry"]])
def test_the_new_commands_have_help_with_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output and "Example" in result.output
