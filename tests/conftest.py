"""Fixtures shared by every test folder: a controllable clock and an opened TalentSync."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync


class Clock:
    """A clock the test moves by hand, so timings are exact."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _no_model_unless_asked(request, monkeypatch):
    """Core and TUI tests run without the local model; the AI tests load it on purpose."""
    path = Path(request.node.path)
    if "integration_tests" in path.parts or path.name.startswith("test_ai_"):
        return
    monkeypatch.setenv("TALENTSYNC_AI_ENABLED", "false")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(tmp_path / "home", feedback_workers=1)


@pytest.fixture
def ts(settings, clock):
    """TalentSync on a fresh data dir with the bundled banks; workers are driven by the test."""
    app = TalentSync.open(settings, start_workers=False, clock=clock)
    yield app
    app.close()
