"""The coach's commands: HTML reports, bundles between laptops, the overview, study decks."""

from __future__ import annotations

import gzip
import json

import pytest
from report_data import HOSTILE, take_session
from typer.testing import CliRunner

from talentsync_tui.cli import app
from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync

runner = CliRunner()


def run(*args: str, home=None):
    env = {"TALENTSYNC_HOME": str(home)} if home is not None else None
    return runner.invoke(app, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def kiosk(tmp_path, clock, monkeypatch):
    """A kiosk laptop's data dir with two candidates' sessions taken in the app."""
    monkeypatch.setenv("COLUMNS", "200")
    home = tmp_path / "kiosk"
    ts = TalentSync.open(load_settings(home, feedback_workers=1), start_workers=False, clock=clock)
    take_session(ts, clock, count=4)
    take_session(ts, clock, name="Bob", modules=("sql-databases",), count=3, stop_after=2)
    ts.close()
    return home


def counts(home) -> dict[str, int]:
    ts = TalentSync.open(load_settings(home), start_workers=False)
    try:
        return ts.store.table_counts()
    finally:
        ts.close()


def test_session_export_html_to_a_file_and_to_stdout(kiosk, tmp_path):
    out = tmp_path / "report.html"
    result = run("session", "export", "1", "--format", "html", "-o", str(out), home=kiosk)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "&lt;script&gt;alert(" in page and "<script" not in page
    printed = run("session", "export", "1", "--format", "html", home=kiosk)
    assert printed.exit_code == 0 and printed.stdout.startswith("<!DOCTYPE html>")
    bad = run("session", "export", "1", "--format", "pdf", home=kiosk)
    assert bad.exit_code == 2 and "use md, json or html" in bad.output


def test_bundle_from_a_kiosk_into_the_coachs_laptop_twice(kiosk, tmp_path):
    bundle = tmp_path / "kiosk-1.jsonl.gz"
    result = run("session", "export", "--all", "--bundle", str(bundle), "--origin", "kiosk-1", home=kiosk)
    assert result.exit_code == 0, result.output
    assert "Wrote 2 sessions" in result.stdout and bundle.exists()

    coach = tmp_path / "coach"
    first = run("session", "import", str(bundle), home=coach)
    assert first.exit_code == 0, first.output
    assert "2 added, 0 updated, 0 already here" in first.stdout
    assert "New candidates: Ada Lovelace, Bob" in first.stdout
    before = counts(coach)
    again = run("session", "import", str(bundle), home=coach)
    assert again.exit_code == 0 and "0 added, 0 updated, 2 already here" in again.stdout
    assert counts(coach) == before

    listing = run("session", "list", "--all", home=coach)
    assert listing.exit_code == 0
    for text in ("Ada Lovelace", "Bob", "python", "sql-databases", "kiosk-1"):
        assert text in listing.stdout
    data = json.loads(run("session", "list", "--all", "--json", home=coach).stdout)
    assert [c["name"] for c in data] == ["Ada Lovelace", "Bob"]
    assert data[0]["sessions"][0]["origin"] == "kiosk-1" and data[0]["by_module"][0]["module"] == "python"
    assert "Sessions" in run("session", "list", home=coach).stdout  # the plain list is unchanged


def test_a_hostile_bundle_is_one_line_exit_2_and_changes_nothing(kiosk, tmp_path):
    coach = tmp_path / "coach"
    run("session", "import", str(_bundle(kiosk, tmp_path)), home=coach)
    before = counts(coach)
    evil = tmp_path / "evil.jsonl.gz"
    rows = [json.loads(line) for line in gzip.decompress(_bundle(kiosk, tmp_path).read_bytes()).splitlines()]
    rows[2]["items"][0]["response"]["elapsed_seconds"] = "a while"
    rows[2]["uid"] = "00000000-0000-4000-8000-000000000000"  # a session the coach has not seen
    evil.write_bytes(gzip.compress(b"\n".join(json.dumps(r).encode() for r in rows) + b"\n"))

    result = run("session", "import", str(evil), home=coach)

    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "items.0.response.elapsed_seconds" in lines[0] and "Traceback" not in result.output
    assert counts(coach) == before


def _bundle(home, tmp_path):
    path = tmp_path / "b.jsonl.gz"
    if not path.exists():
        assert run("session", "export", "--all", "--bundle", str(path), home=home).exit_code == 0
    return path


@pytest.mark.parametrize("args, message", [
    (["session", "export", "--all"], "needs both --all and --bundle FILE"),
    (["session", "export", "--bundle", "x.gz"], "needs both --all and --bundle FILE"),
    (["session", "export", "1", "--all", "--bundle", "x.gz"], "SESSION_ID or --all, not both"),
    (["session", "export"], "Missing SESSION_ID"),
    (["session", "export", "1", "--origin", "x"], "go with --all --bundle"),
    (["session", "list", "--json"], "--json goes with --all"),
    (["session", "import", "missing.jsonl.gz"], "file not found"),
    (["review", "export", "--format", "csv"], "use anki"),
    (["review", "export"], "2 candidates have sessions"),
    (["review", "export", "--threshold", "500"], "--threshold': Input should be less than or equal to 100"),
])
def test_usage_mistakes_are_one_line_and_exit_2(kiosk, args, message):
    result = run(*args, home=kiosk)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_review_export_writes_a_deck(kiosk, tmp_path):
    out = tmp_path / "ada.apkg"
    result = run("review", "export", "--format", "anki", "--profile", "Ada Lovelace", "-o", str(out), home=kiosk)
    assert result.exit_code == 0, result.output
    assert "for Ada Lovelace to" in result.stdout and out.stat().st_size > 0
    from talentsync_tui.banks.apkg import parse_apkg

    assert parse_apkg(out)[0].questions


def test_profile_delete_removes_html_exports(kiosk):
    assert run("session", "export", "1", "--format", "html", home=kiosk).exit_code == 0
    path = kiosk / "exports" / "session-1.html"
    ts = TalentSync.open(load_settings(kiosk), start_workers=False)
    ts.export_report(1, "html")
    ts.close()
    assert path.exists()
    result = run("profile", "delete", "Ada Lovelace", "--yes", home=kiosk)
    assert result.exit_code == 0 and "1 exported report(s)" in result.stdout
    assert not path.exists()


@pytest.mark.parametrize("command", [["session", "export"], ["session", "import"], ["session", "list"],
                                     ["review", "export"]])
def test_new_commands_have_help_with_an_example(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output and "Example" in result.output
    assert "--help" in runner.invoke(app, ["review", "--help"]).output


def test_hostile_answer_survives_the_cli_round_trip(kiosk, tmp_path):
    bundle = _bundle(kiosk, tmp_path)
    coach = tmp_path / "coach2"
    run("session", "import", str(bundle), home=coach)
    result = run("session", "export", "1", "--format", "md", home=coach)
    assert HOSTILE in result.stdout
