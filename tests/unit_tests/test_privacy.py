"""Private data stays private: modes whatever the umask, and a candidate can be deleted for good."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentsync_tui.cli import app
from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync, default_config

RESUME = """Ada Lovelace — ada.lovelace@example.com
Senior engineer at Analytical Engines Ltd, 2015-2024. Python, PostgreSQL, Kubernetes.
"""
ANSWER = "The secret answer mentions my cat Babbage and a PostgreSQL index."


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def use_everything(home: Path, tmp_path: Path) -> tuple[TalentSync, int]:
    resume = tmp_path / "cv.txt"
    resume.write_text(RESUME, encoding="utf-8")
    ts = TalentSync.open(load_settings(home, feedback_workers=1), start_workers=False, ai=False)
    profile = ts.create_profile("Ada", resume)
    session = ts.start_session(profile.id, default_config(["python"], count=2, seed=1))
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, ANSWER)
    ts.run_pending_jobs()
    ts.export_report(session.id, "md")
    ts.export_report(session.id, "json", tmp_path / "elsewhere.json")
    logging.getLogger("talentsync_tui.test").warning("a line in the log")
    return ts, session.id


@pytest.mark.parametrize("umask", [0o022, 0o002], indirect=True)
def test_data_dir_database_exports_and_logs_are_private_whatever_the_umask(tmp_path, umask):
    home = tmp_path / "home"
    ts, session_id = use_everything(home, tmp_path)
    try:
        for folder in (home, home / "logs", home / "exports"):
            assert mode(folder) == 0o700, folder
        files = [home / "talentsync.db", home / "talentsync.db-wal", home / "talentsync.db-shm",
                 home / "logs" / "talentsync.log", home / "exports" / f"session-{session_id}.md",
                 tmp_path / "elsewhere.json"]
        for path in files:
            assert path.exists() and mode(path) == 0o600, (path, oct(mode(path)))
    finally:
        ts.close()


def test_an_existing_world_readable_data_dir_is_made_private(tmp_path):
    home = tmp_path / "home"
    ts, _ = use_everything(home, tmp_path)
    ts.close()
    os.chmod(home, 0o755)
    os.chmod(home / "talentsync.db", 0o644)
    os.chmod(home / "logs" / "talentsync.log", 0o664)
    logging.getLogger("talentsync_tui").handlers.clear()  # a new process opens the log again
    TalentSync.open(load_settings(home), start_workers=False, ai=False).close()
    assert mode(home) == 0o700 and mode(home / "talentsync.db") == 0o600
    assert mode(home / "logs" / "talentsync.log") == 0o600


def test_profile_delete_removes_every_trace_and_vacuums(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TALENTSYNC_HOME", str(home))
    ts, session_id = use_everything(home, tmp_path)
    other = ts.create_profile("Grace")
    ts.close()
    export = home / "exports" / f"session-{session_id}.md"
    assert export.exists()

    result = CliRunner().invoke(app, ["profile", "delete", "Ada", "--yes"])
    assert result.exit_code == 0, result.output
    assert "1 session(s), 1 exported report(s)" in result.output
    assert not export.exists()

    ts = TalentSync.open(load_settings(home), start_workers=False, ai=False)
    try:
        assert [p.name for p in ts.profiles()] == [other.name]
        counts = ts.store.table_counts()
        for table in ("sessions", "session_items", "responses", "feedback", "jobs", "drafts"):
            assert counts[table] == 0, table
    finally:
        ts.close()
    on_disk = b"".join(p.read_bytes() for p in home.glob("talentsync.db*"))
    assert b"ada.lovelace@example.com" not in on_disk
    assert b"Babbage" not in on_disk


def test_unknown_profile_delete_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTSYNC_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["profile", "delete", "Nobody", "--yes"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no profile 'Nobody'" in result.output


def test_keep_resume_text_false_keeps_only_the_extracted_profile(tmp_path):
    resume = tmp_path / "cv.txt"
    resume.write_text(RESUME, encoding="utf-8")
    settings = load_settings(tmp_path / "home", keep_resume_text=False)
    with TalentSync.open(settings, start_workers=False, ai=False) as ts:
        profile = ts.create_profile("Ada", resume)
        assert profile.resume_text is None
        assert "postgresql" in [s.lower() for s in profile.skills]
    on_disk = b"".join(p.read_bytes() for p in (tmp_path / "home").glob("talentsync.db*"))
    assert b"ada.lovelace@example.com" not in on_disk
