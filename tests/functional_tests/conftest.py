"""Fixtures for the TUI tests: TalentSync on a tmp data dir with a frozen clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tui_helpers import FrozenClock, open_talentsync, seed_history

from talentsync_tui.services import TalentSync, default_config


@pytest.fixture
def frozen_clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def data_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def talent(data_home: Path, frozen_clock: FrozenClock):
    """An opened TalentSync with running feedback workers; closed after the test."""
    ts = open_talentsync(data_home, frozen_clock)
    yield ts
    try:
        ts.close()
    except sqlite3.ProgrammingError:
        pass  # the test already closed it (quit and reopen)


@pytest.fixture
def make_app(talent: TalentSync):
    """Build the app for a test: blinking off so screenshots are stable."""
    from talentsync_tui.tui.app import TalentSyncApp

    def make(ts: TalentSync | None = None, **kwargs) -> TalentSyncApp:
        kwargs.setdefault("cursor_blink", False)
        return TalentSyncApp(ts or talent, **kwargs)

    return make


@pytest.fixture
def new_session(talent: TalentSync):
    """Start a session for a new profile: `new_session(modules, count=, seed=, name=)`."""

    def start(modules=("python",), *, count: int = 2, seed: int = 3, name: str = "Ada"):
        profile = talent.create_profile(name)
        return talent.start_session(profile.id, default_config(list(modules), count=count, seed=seed))

    return start


@pytest.fixture
def history(talent: TalentSync, frozen_clock: FrozenClock) -> dict:
    """`seed_history`: a profile with one finished and one paused session; their ids."""
    return seed_history(talent, frozen_clock)


@pytest.fixture
def quick_drafts(monkeypatch) -> None:
    """Drafts are saved 0.3 s after typing stops instead of 1.5 s."""
    from talentsync_tui.tui.screens.interview import InterviewScreen

    monkeypatch.setattr(InterviewScreen, "DRAFT_SAVE_DELAY", 0.3)
