"""Careless or hostile CLI input: one clear line, exit code 2, no traceback, bounded time,
and the database exactly as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentsync_tui.cli import app

runner = CliRunner()
TIME_BOUND_S = 15.0  # generous; each case takes well under a second or two here


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "80")  # errors must not wrap into several lines
    result = runner.invoke(app, ["session", "new", "python", "--count", "2", "--seed", "1"])
    assert result.exit_code == 0, result.output
    return tmp_path / "home"


def db_digest(home: Path) -> str:
    conn = sqlite3.connect(home / "talentsync.db")
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def assert_one_clean_line(result, *needles: str) -> None:
    output = result.output.strip()
    assert result.exit_code == 2, output
    assert "Traceback" not in output and "pydantic" not in output and "errors.pydantic" not in output
    assert len(output.splitlines()) == 1, output
    assert output.startswith("Error:"), output
    for needle in needles:
        assert needle.lower() in output.lower(), output


def run_case(home: Path, args: list[str], *needles: str, env: dict | None = None) -> None:
    before = db_digest(home)
    started = time.monotonic()
    result = runner.invoke(app, args, env=env)
    assert time.monotonic() - started < TIME_BOUND_S
    assert_one_clean_line(result, *needles)
    assert db_digest(home) == before


@pytest.mark.parametrize(("args", "needles"), [
    (["session", "show", "99999999999999999999999"], ["SESSION_ID", "99999999999999999999999"]),
    (["session", "export", "99999999999999999999999"], ["SESSION_ID"]),
    (["session", "show", "-1"], ["-1", "session show --help"]),
    (["session", "show", "abc"], ["session_id", "integer"]),
    (["session", "show", "0"], ["SESSION_ID"]),
    (["session", "new", "python", "--minutes", "0"], ["--minutes", "more than 0"]),
    (["session", "new", "python", "--minutes", "-5"], ["--minutes"]),
    (["session", "new", "python", "--minutes", "1000000000"], ["--minutes", "at most 600"]),
    (["session", "new", "python", "--count", "0"], ["--count", "more than 0"]),
    (["session", "new", "python", "--seed", "99999999999999999999"], ["--seed"]),
    (["session", "new", "python", "--min", "impossible"], ["impossible"]),
    (["session", "list", "--profile", "99999999999999999999"], ["no profile"]),
    (["profile", "delete", "99999999999999999999", "--yes"], ["no profile"]),
    (["bank", "import", "/dev/zero"], ["/dev/zero", "not a regular file"]),
    (["bank", "show", "../../etc/passwd"], ["no module"]),
    (["nosuch"], ["no such command"]),
    (["session", "show", "1", "--bogus"], ["--bogus"]),
])
def test_bad_arguments_get_one_line(home, args, needles):
    run_case(home, args, *needles)


def test_a_million_tiny_yaml_entries_are_refused_quickly(home, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("id: big\nname: Big\ncategory: X\ndescription: y\nquestions:\n"
                   + "- a\n" * 1_000_000, encoding="utf-8")
    assert big.stat().st_size > 3_000_000
    run_case(home, ["bank", "import", str(big)], "big.yaml", "50,000 entries")


def test_a_million_csv_rows_are_refused_quickly(home, tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("question\n" + "Why?\n" * 1_000_000, encoding="utf-8")
    run_case(home, ["bank", "import", str(big), "--module", "big"], "big.csv", "50,000 rows")


def test_a_huge_json_list_is_refused(home, tmp_path):
    big = tmp_path / "big.json"
    big.write_text("[" + ",".join(["1"] * 200_000) + "]", encoding="utf-8")
    run_case(home, ["bank", "import", str(big)], "big.json", "50,000 entries")


def test_a_program_named_resume_txt_is_not_a_resume(home, tmp_path):
    fake = tmp_path / "resume.txt"
    fake.write_bytes(Path(sys.executable).resolve().read_bytes()[:200_000])
    run_case(home, ["profile", "create", "Eve", "--resume", str(fake)], "resume.txt", "not text")


def test_a_pdf_named_txt_is_named_as_such(home, tmp_path):
    fake = tmp_path / "cv.txt"
    fake.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    run_case(home, ["profile", "create", "Eve", "--resume", str(fake)], "is a PDF", ".pdf")


def test_a_bad_setting_is_one_line(home):
    run_case(home, ["bank", "list"], "feedback_workers", "TALENTSYNC_FEEDBACK_WORKERS",
             env={"TALENTSYNC_FEEDBACK_WORKERS": "abc"})


def test_a_data_dir_inside_a_file_is_one_line(home, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(app, ["--data-dir", str(blocker / "home"), "bank", "list"])
    assert_one_clean_line(result, "data dir", "--data-dir")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.parametrize("sub", ["", "new"])
def test_a_read_only_data_dir_is_one_line(home, tmp_path, sub):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        result = runner.invoke(app, ["--data-dir", str(ro / sub if sub else ro), "bank", "list"])
        assert_one_clean_line(result, "data dir")
    finally:
        ro.chmod(0o700)


def test_model_status_on_an_unusable_data_dir_is_one_line(home, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(app, ["--data-dir", str(blocker / "home"), "model", "status"])
    assert_one_clean_line(result, "log")
