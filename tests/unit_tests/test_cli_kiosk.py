"""`talentsync kiosk` and `talentsync kiosk set-passphrase` as a coach runs them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from talentsync_tui.cli import app
from talentsync_tui.config import load_settings
from talentsync_tui.services import KIOSK_PASSPHRASE, TalentSync

runner = CliRunner()
PASSPHRASE = "correct horse battery"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "home"


@pytest.fixture
def tui_runs(monkeypatch) -> list[dict]:
    """Record the app instead of running it (the CLI's decision is under test, not the TUI)."""
    calls: list[dict] = []

    def fake_run_app(settings, demo=False, kiosk=False):
        calls.append({"home": settings.home, "kiosk": kiosk})
        return 0

    monkeypatch.setattr("talentsync_tui.tui.app.run_app", fake_run_app)
    return calls


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, catch_exceptions=False)


def unlocks(home, passphrase: str) -> bool:
    with TalentSync.open(load_settings(home), start_workers=False, ai=False) as ts:
        return ts.kiosk_unlock(passphrase).ok


def stored_hash(home) -> str | None:
    with TalentSync.open(load_settings(home), start_workers=False, ai=False) as ts:
        return ts.store.get_meta(KIOSK_PASSPHRASE)


def test_the_kiosk_refuses_to_start_without_a_passphrase(home, tui_runs):
    result = run("kiosk")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: No coach passphrase is set for this data dir: run "
                                     "`talentsync kiosk set-passphrase` first.")
    assert tui_runs == [] and not home.exists()  # nothing painted, nothing created


def test_set_passphrase_prompts_twice_hidden_then_the_kiosk_starts(home, tui_runs):
    result = run("kiosk", "set-passphrase", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output  # hidden input is not echoed
    assert "Coach passphrase set" in result.output
    assert unlocks(home, PASSPHRASE) and not unlocks(home, "wrong passphrase")
    started = run("kiosk")
    assert started.exit_code == 0, started.output
    assert tui_runs == [{"home": home, "kiosk": True}]


def test_two_different_answers_change_nothing(home):
    result = run("kiosk", "set-passphrase", stdin=f"{PASSPHRASE}\nsomething else\n")
    assert result.exit_code == 2
    assert "The two passphrases differ; nothing was changed." in result.output
    assert stored_hash(home) is None


@pytest.mark.parametrize("typed, problem", [("", "The passphrase is empty."),
                                            ("short", "too short: use at least 8 characters")])
def test_an_empty_or_short_passphrase_is_refused(home, typed, problem):
    result = run("kiosk", "set-passphrase", stdin=f"{typed}\n{typed}\n")
    assert result.exit_code == 2
    assert problem in result.output and "Traceback" not in result.output
    assert stored_hash(home) is None


def test_scripts_give_the_passphrase_in_a_file_or_on_stdin(home, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\nsecond line ignored\n")
    result = run("kiosk", "set-passphrase", "--passphrase-file", str(secret))
    assert result.exit_code == 0, result.output
    assert unlocks(home, PASSPHRASE)
    first = stored_hash(home)

    replaced = run("kiosk", "set-passphrase", "--passphrase-file", "-", stdin="new coach phrase\n")
    assert replaced.exit_code == 0 and "Replaced the coach passphrase." in replaced.output
    assert stored_hash(home) != first
    assert unlocks(home, "new coach phrase") and not unlocks(home, PASSPHRASE)

    short = run("kiosk", "set-passphrase", "--passphrase-file", "-", stdin="abc\n")
    assert short.exit_code == 2 and "too short" in short.output
    missing = run("kiosk", "set-passphrase", "--passphrase-file", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "Cannot read" in missing.output
    assert unlocks(home, "new coach phrase")  # neither failure changed anything


def test_kiosk_help_has_an_example(home):
    for args in (["kiosk", "--help"], ["kiosk", "set-passphrase", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Example" in result.output
