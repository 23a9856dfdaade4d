"""Fixtures for the TUI tests: TalentSync on a tmp data dir with a frozen clock."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tui_helpers import FrozenClock, open_talentsync

from talentsync_tui.services import TalentSync


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
