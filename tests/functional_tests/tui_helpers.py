"""Helpers for the TUI tests: a frozen clock, waiting for work, reading widgets."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, SelectionList, TextArea

from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync

START = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)
SIZE = (100, 32)  # the terminal most tests run in


class FrozenClock:
    """A clock that only moves when the test says so (thread-safe: workers read it too)."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)


def async_test(fn):
    """Run an async test in its own event loop (no pytest async plugin is required)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def open_talentsync(home: Path, clock: FrozenClock, **overrides) -> TalentSync:
    """TalentSync on `home` with one feedback thread and the frozen clock."""
    return TalentSync.open(load_settings(home, feedback_workers=1, **overrides), clock=clock)


async def settle(pilot: Pilot, ts: TalentSync | None = None, rounds: int = 3) -> None:
    """Let UI workers finish, the feedback pool go idle and the UI handle its events."""
    for _ in range(rounds):
        await pilot.pause()
        await wait_for_workers(pilot)
        if ts is not None:
            # Never block the event loop: the pool posts its events back through it.
            assert await asyncio.to_thread(ts.workers.wait_idle, 20), "feedback jobs did not finish"
        await pilot.pause()
    await wait_for_workers(pilot)
    await pilot.pause()


async def wait_for_workers(pilot: Pilot) -> None:
    """app.workers.wait_for_complete(), minus Textual's own never-ending loaders.

    DirectoryTree keeps a `_loader` worker alive for as long as it is mounted.
    """
    workers = [w for w in pilot.app.workers if not w.group.startswith("_")]
    if workers:  # an empty list would mean "all of them" to wait_for_complete
        await pilot.app.workers.wait_for_complete(workers)


async def wait_for(pilot: Pilot, predicate, timeout: float = 10.0, what: str = "condition") -> None:
    """Pause until `predicate()` is true (UI state set by messages from threads)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


@contextlib.asynccontextmanager
async def running(app, size: tuple[int, int] = SIZE, ts: TalentSync | None = None):
    """`app.run_test(size=size)`, settled (waiting for `ts`'s feedback pool too, if given)."""
    async with app.run_test(size=size) as pilot:
        await settle(pilot, ts)
        yield pilot


async def editor(pilot: Pilot) -> TextArea:
    """The interview's answer box, once it has the focus and takes typing."""
    area = pilot.app.screen.query_one("#answer", TextArea)
    await wait_for(pilot, lambda: area.has_focus and not area.read_only, what="the editor")
    return area


async def open_interview(pilot: Pilot, ts: TalentSync, session_id: int):
    """Open an unfinished session the way home does; (screen, answer box)."""
    pilot.app.open_session(session_id, finished=False)
    await settle(pilot, ts)
    screen = pilot.app.screen
    assert type(screen).__name__ == "InterviewScreen"
    return screen, await editor(pilot)


async def resume_interview(pilot: Pilot, ts: TalentSync):
    """Press `r` on home to resume the paused session; (screen, answer box)."""
    await pilot.press("r")
    await settle(pilot, ts)
    return pilot.app.screen, await editor(pilot)


async def open_setup(pilot: Pilot):
    """Press `n` on home; the new-session form."""
    await pilot.press("n")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "SetupScreen"
    return pilot.app.screen


async def fill_in_setup(pilot: Pilot, module: str, count: int, seed: int):
    """Fill in the new-session form on screen: one module, `count` questions, `seed`."""
    screen = pilot.app.screen
    screen.query_one("#setup-modules", SelectionList).select(module)
    screen.query_one("#length-unit").value = "questions"
    screen.query_one("#length", Input).value = str(count)
    screen.query_one("#seed", Input).value = str(seed)
    await settle(pilot)
    return screen


def rendered(widget: Widget) -> str:
    """The plain text a Static-like widget currently shows."""
    visual = widget.render()
    return getattr(visual, "plain", str(visual))


def screen_text(app) -> str:
    """What the top screen shows, as plain text (what a screenshot would show)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def notifications(app) -> list[tuple[str, str]]:
    """(severity, message) of the toasts currently raised."""
    return [(n.severity, n.message) for n in app._notifications]


def finish_session(ts: TalentSync, clock: FrozenClock, session_id: int, answers: list[str]) -> None:
    """Answer (or skip, for an empty string) every question of a session through the facade.

    Each answer's follow-up is asked right away (the default timing): waiting for the pool
    after each answer lets it be queued, and keeps the feedback and the queue the same on
    every run.
    """
    from talentsync_tui.models import SessionStatus

    position = 0
    while ts.session(session_id).status is not SessionStatus.completed:
        item = ts.current_question(session_id)
        clock.advance(60 + 15 * position)
        text = answers[position % len(answers)] if answers else ""
        if text:
            ts.submit_answer(session_id, item.id, text)
        else:
            ts.skip(session_id, item.id)
        assert ts.workers.wait_idle(20)
        position += 1


def seed_history(ts: TalentSync, clock: FrozenClock, name: str = "Ada Lovelace") -> dict:
    """A profile with one finished session and one paused session, all deterministic."""
    from talentsync_tui.services import default_config

    profile = ts.create_profile(name)
    done = ts.start_session(profile.id, default_config(["python"], count=3, seed=7))
    finish_session(ts, clock, done.id, [
        "Lists are mutable and tuples are immutable; tuples are hashable so they work as keys.",
        "",
        "Default values are evaluated once when the def statement runs, so use None instead.",
    ])
    clock.advance(3600)
    paused = ts.start_session(profile.id, default_config(["behavioral", "python"], count=4, seed=3))
    item = ts.current_question(paused.id)
    clock.advance(95)
    ts.submit_answer(paused.id, item.id,
                     "I disagreed with a teammate about caching; we measured, and I changed my mind.")
    assert ts.workers.wait_idle(20)
    clock.advance(20)
    ts.pause(paused.id)
    return {"profile": profile, "done": done.id, "paused": paused.id}
