"""Problems become notifications or a dialog, never a traceback on screen."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, SelectionList, Static
from tui_helpers import async_test, notifications, open_setup, rendered, running, settle, wait_for

from talentsync_tui.config import load_settings
from talentsync_tui.tui import app as app_module


@async_test
async def test_a_missing_resume_file_shows_a_notification(make_app, talent, tmp_path):
    talent.create_profile("Ada")
    app = make_app(resume_dir=tmp_path)
    async with running(app) as pilot:
        setup = await open_setup(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert type(app.screen).__name__ == "FilePickerScreen"
        app.screen.query_one("#picker-path", Input).focus()
        missing = tmp_path / "no-such-cv.pdf"
        await pilot.press(*str(missing), "enter")
        await settle(pilot)
        assert app.screen is setup  # still running, back on the form
        errors = [m for sev, m in notifications(app) if sev == "error"]
        assert errors, notifications(app)
        assert "no-such-cv.pdf" in errors[0] or "not" in errors[0].lower()
        assert rendered(setup.query_one("#resume-file", Static)) == "none"


@async_test
async def test_a_resume_picked_in_the_tree_is_read(make_app, talent, tmp_path):
    talent.create_profile("Ada")
    folder = tmp_path / "cvs"
    folder.mkdir()
    (folder / "cv.txt").write_text(
        "Ada Lovelace\nSenior Software Engineer at Analytical Engines Ltd (2019-2024)\n"
        "Skills: Python, SQL, PostgreSQL, Docker, Kubernetes\n"
        "Projects: Built a payments service in Python with PostgreSQL.\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"not a resume")
    app = make_app(resume_dir=folder)
    async with running(app) as pilot:
        setup = await open_setup(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        tree = app.screen.query_one("#picker-tree")
        names = [node.data.path.name for node in tree.root.children]
        assert names == ["cv.txt"]  # filtered to resume-like files
        tree.focus()
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is setup
        label = rendered(setup.query_one("#resume-file", Static))
        assert label.startswith("cv.txt ·") and "skills" in label
        assert talent.profile("Ada").skills


@async_test
async def test_a_failed_export_shows_a_notification(make_app, talent, history):
    exports = talent.settings.exports_dir
    shutil.rmtree(exports)
    exports.write_text("a file where the exports folder should be")
    app = make_app()
    async with running(app) as pilot:
        app.open_session(history["done"], finished=True)
        await settle(pilot, talent)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "SummaryScreen"
        errors = [m for sev, m in notifications(app) if sev == "error"]
        assert errors and "Could not write the report" in errors[0]


@async_test
async def test_an_invalid_setup_is_explained_not_started(make_app, talent):
    talent.create_profile("Ada")
    app = make_app()
    async with running(app) as pilot:
        setup = await open_setup(pilot)
        await pilot.press("ctrl+s")  # no module chosen
        await settle(pilot)
        assert app.screen is setup
        assert any("module" in m for _, m in notifications(app))
        setup.query_one("#setup-modules", SelectionList).select("python")
        setup.query_one("#min-difficulty").value = "hard"
        setup.query_one("#max-difficulty").value = "easy"
        await settle(pilot)
        estimate = setup.query_one("#estimate", Static)
        assert estimate.has_class("-error")
        assert talent.sessions() == []


def run_headless(monkeypatch, autopilot) -> None:
    """Make `run_app`'s `app.run()` headless, driven by `autopilot(pilot)`."""
    real_run = app_module.TalentSyncApp.run

    def headless_run(self, **kwargs):
        return real_run(self, headless=True, size=(80, 24), auto_pilot=autopilot)

    monkeypatch.setattr(app_module.TalentSyncApp, "run", headless_run)


def test_a_corrupt_database_shows_a_dialog_and_exits_2(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "talentsync.db").write_bytes(b"this is not a database" * 100)
    shown = {}

    async def user(pilot):
        # The first screen paints, opening fails in the worker, the dialog comes up over it.
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "StartupErrorScreen",
                       what="the start-up error dialog")
        shown["message"] = rendered(pilot.app.screen.query_one("#startup-message", Static))
        shown["screens"] = [type(s).__name__ for s in pilot.app.screen_stack]
        await pilot.press("enter")

    run_headless(monkeypatch, user)
    code = app_module.run_app(load_settings(home))
    assert code == 2
    assert "database" in shown["message"].lower()
    assert "talentsync.log" in shown["message"]
    assert shown["screens"][-2:] == ["HomeScreen", "StartupErrorScreen"]


def test_quitting_the_start_up_error_any_way_still_exits_2(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "talentsync.db").write_bytes(b"this is not a database" * 100)

    async def user(pilot):
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "StartupErrorScreen",
                       what="the start-up error dialog")
        await pilot.press("ctrl+q")

    run_headless(monkeypatch, user)
    assert app_module.run_app(load_settings(home)) == 2


@async_test
async def test_the_startup_error_dialog_explains_and_quits(tmp_path):
    from talentsync_tui.tui.screens.startup_error import StartupErrorApp

    app = StartupErrorApp("Cannot open the database [x]: file is not a database.",
                          Path("/data/logs/talentsync.log"))
    async with app.run_test(size=(80, 24)) as pilot:
        text = rendered(app.screen.query_one(Static))
        assert "Cannot open the database [x]" in text and "talentsync.log" in text
        await pilot.press("enter")
    assert app.return_value == 2


def test_run_app_closes_talentsync_so_quitting_pauses(tmp_path, monkeypatch):
    from talentsync_tui.models import SessionStatus
    from talentsync_tui.services import TalentSync, default_config

    settings = load_settings(tmp_path / "home", feedback_workers=1)
    with TalentSync.open(settings) as ts:
        profile = ts.create_profile("Ada")
        session = ts.start_session(profile.id, default_config(["python"], count=2, seed=1))

    async def user(pilot):  # opens the session and quits without pausing
        app = pilot.app
        await wait_for(pilot, lambda: app.core_ready and app.profile_id is not None,
                       what="the home screen's data")
        app.open_session(session.id, finished=False)
        await wait_for(pilot, lambda: getattr(app.screen, "item", None) is not None,
                       what="the question")
        assert app.ts.session(session.id).status is SessionStatus.active
        app.exit()

    run_headless(monkeypatch, user)
    assert app_module.run_app(settings) == 0
    with TalentSync.open(settings) as ts:
        assert ts.session(session.id).status is SessionStatus.paused


def test_quitting_while_it_opens_returns_at_once_and_the_opening_is_closed(tmp_path, monkeypatch):
    """ctrl+q on the loading screen: run_app returns without waiting for the slow open,
    and what the opening thread opens afterwards is closed (its workers stopped)."""
    import threading
    import time

    from talentsync_tui.services import TalentSync

    settings = load_settings(tmp_path / "home", feedback_workers=1)
    release = threading.Event()
    opened = []
    real_open = TalentSync.open

    def slow_open(*args, **kwargs):
        release.wait(30)
        ts = real_open(*args, **kwargs)
        opened.append(ts)
        return ts

    monkeypatch.setattr(TalentSync, "open", slow_open)

    async def user(pilot):
        await wait_for(pilot, lambda: pilot.app.opening, what="the opening thread")
        assert not pilot.app.core_ready
        await pilot.press("n")  # disabled while loading: nothing happens
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        await pilot.press("ctrl+q")

    run_headless(monkeypatch, user)
    started = time.monotonic()
    assert app_module.run_app(settings) == 0
    assert time.monotonic() - started < 5.0  # the open is still blocked: nobody waited for it
    assert opened == []
    release.set()
    deadline = time.monotonic() + 30
    while not (opened and opened[0].store.closed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened and opened[0].store.closed and not opened[0].workers.running


def test_an_opening_that_never_ran_is_abandoned():
    """opened() after an app that never got to open: None, and the factory is never called."""
    calls = []
    app = app_module.TalentSyncApp(lambda: calls.append(1))
    assert app.opened() is None
    assert calls == []
