"""The `talentsync` CLI as a coach uses it: clear tables, clear errors, exit code 2, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentsync_tui.cli import app

BANKS = Path(__file__).resolve().parents[2] / "question_banks"

runner = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "home"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_bank_list_shows_bundled_modules(home):
    result = run("bank", "list")
    assert result.exit_code == 0
    for module in ("behavioral", "python", "system-design", "sql-databases", "dsa",
                   "web-frontend", "devops-cloud", "data-science-ml"):
        assert module in result.stdout


def test_import_export_show_delete(home, tmp_path):
    csv_file = tmp_path / "coach.csv"
    csv_file.write_text(
        "Question,Level,Tags,Answer\n"
        "What is a race condition?,medium,concurrency;threads,Two threads touch shared state. Use locks.\n"
        "Explain the GIL.,hard,python,It serialises bytecode execution.\n",
        encoding="utf-8",
    )
    result = run("bank", "import", str(csv_file), "--module", "coach")
    assert result.exit_code == 0, result.output
    assert "coach" in result.stdout
    again = run("bank", "import", str(csv_file), "--module", "coach")
    assert again.exit_code == 0
    shown = run("bank", "show", "coach")
    assert "race condition" in shown.stdout and shown.stdout.count("GIL") == 1

    out = tmp_path / "coach.yaml"
    assert run("bank", "export", "coach", "--format", "yaml", "-o", str(out)).exit_code == 0
    assert "What is a race condition?" in out.read_text()
    md = run("bank", "export", "coach", "--format", "md")
    assert "## What is a race condition?" in md.stdout

    assert run("bank", "delete", "coach", "--yes").exit_code == 0
    assert "coach" not in run("bank", "list").stdout


def test_dry_run_writes_nothing(home):
    result = run("bank", "import", str(BANKS / "dsa.yaml"), "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.stdout


def test_a_grillkit_checkout_imports_in_one_command_listing_what_it_skipped(home, tmp_path):
    from test_bank_grillkit_tree import make_grillkit_checkout

    folder = make_grillkit_checkout(tmp_path)
    dry = run("bank", "import", str(folder), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Skipped 6 files that are not a bank:" in dry.stdout
    assert f"{folder / 'questions_map.yaml'}: GrillKit's index" in dry.stdout
    assert f"{folder / 'python' / 'logo.png'}: an image (.png), not a bank" in dry.stdout
    assert "Dry run" in dry.stdout and "grillkit-python" in dry.stdout
    assert "8 bank files, 3 modules, 17 questions; 6 skipped" in dry.stdout
    assert "grillkit" not in run("bank", "list").stdout

    assert run("bank", "import", str(folder)).exit_code == 0
    listed = run("bank", "list").stdout
    assert "grillkit-python" in listed and "grillkit-system-design" in listed

    broken = folder / "python" / "senior" / "performance.yaml"
    broken.write_text("category: x\ntrack: python\nquestions: []\n", encoding="utf-8")
    failed = runner.invoke(app, ["bank", "import", str(folder)])
    assert failed.exit_code == 2 and "Traceback" not in failed.output
    assert "performance.yaml:3: questions: expected a non-empty list" in " ".join(failed.output.split())


@pytest.mark.parametrize("kind", ["escaping-path", "not-sqlite", "notes-view"])
def test_a_hostile_anki_package_in_a_folder_fails_the_import_with_one_line(home, tmp_path, kind):
    from test_bank_apkg import build_apkg, hostile

    folder = tmp_path / "decks"
    folder.mkdir()
    build_apkg(folder / "good.apkg")
    bad = hostile(tmp_path, kind).rename(folder / "bad.apkg")
    before = run("bank", "list").stdout
    result = runner.invoke(app, ["bank", "import", str(folder)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {bad}: ") and result.output.count("\n") == 1
    assert run("bank", "list").stdout == before
    assert run("bank", "import", str(folder / "good.apkg")).exit_code == 0
    assert "interview-python" in run("bank", "list").stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"question,difficulty\nQ?,impossible\n", ":2"),
        (b"prompt_text,level\nQ?,easy\n", "question"),
    ],
)
def test_bad_files_get_one_clear_error_and_exit_code_2(home, tmp_path, content, expected):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    result = runner.invoke(app, ["bank", "import", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "bad.csv" in result.output and expected in result.output.lower()


def test_validate_reports_ok_files(home):
    result = run("bank", "validate", str(BANKS))
    assert result.exit_code == 0
    assert result.stdout.count("ok") >= 8


def test_unknown_module_and_session_are_explained(home):
    assert runner.invoke(app, ["bank", "show", "nope"]).exit_code == 2
    result = runner.invoke(app, ["session", "show", "999"])
    assert result.exit_code == 2 and "no session 999" in result.output


def test_session_new_list_show_export(home, tmp_path):
    result = run("session", "new", "python", "--count", "4", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "Session 1" in result.stdout
    assert "Session 1: active" in run("session", "show", "1").stdout
    assert "python" in run("session", "list").stdout
    out = tmp_path / "r.json"
    assert run("session", "export", "1", "--format", "json", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())["items"]) == 4


def test_doctor_is_green_on_a_fresh_install(home):
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "Database integrity" in result.stdout


@pytest.mark.parametrize(
    "command",
    [[], ["bank"], ["bank", "import"], ["bank", "export"], ["bank", "list"], ["bank", "show"],
     ["bank", "validate"], ["bank", "delete"], ["session", "list"], ["session", "show"],
     ["session", "export"], ["session", "new"], ["profile", "create"], ["doctor"], ["demo"]],
)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    if command and command not in (["bank"], ["session"]):
        assert "Example" in result.output
