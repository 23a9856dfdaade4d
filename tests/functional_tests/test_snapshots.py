"""Screenshots of every screen at 80x24 and 120x40 with fixed data (seeded, frozen clock).

Regenerate with `pytest tests/functional_tests/test_snapshots.py --snapshot-update`, then look
at the SVGs before keeping them.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tui_helpers import fill_in_setup, resume_interview, settle, wait_for

SIZES = [(80, 24), (120, 40)]


# Each go_* starts on the home screen, settled (see run_before), and ends on its screen.
async def go_home(pilot, ts):
    pass


async def go_new_profile(pilot, ts):
    await pilot.press("a")
    await settle(pilot)
    await pilot.press(*"Grace Hopper")


async def go_modules(pilot, ts):
    await pilot.press("m")
    await settle(pilot)


async def go_questions(pilot, ts):
    await go_modules(pilot, ts)
    table = pilot.app.screen.query_one("DataTable")
    table.move_cursor(row=table.get_row_index("python"))
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("down", "down")


async def go_setup(pilot, ts):
    await pilot.press("n")
    await settle(pilot)
    await fill_in_setup(pilot, "python", count=5, seed=7)


async def go_file_picker(pilot, ts):
    await go_setup(pilot, ts)
    await pilot.press("ctrl+o")
    await settle(pilot)
    tree = pilot.app.screen.query_one("#picker-tree")
    await wait_for(pilot, lambda: len(tree.root.children) == 3, what="the folder listing")
    await pilot.pause()


async def go_interview(pilot, ts):
    await resume_interview(pilot, ts)
    await pilot.press(*"When we disagreed, I wrote down both options [and] the trade-offs.")
    await settle(pilot, ts)


class StillWriting:
    """A follow-up provider caught mid-question: the card shows the words so far."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def follow_up(self, item, answer, **context):
        context["on_text"]("How did you decide which of the two options")
        self.release.wait(30)
        return None


async def go_follow_up_writing(pilot, ts):
    writer = StillWriting()
    ts.workers.follow_ups = writer
    screen, area = await resume_interview(pilot, ts)  # the follow-up to Q1 is on screen
    await pilot.press("ctrl+n")  # skip it: Q3 is next
    await settle(pilot, ts)
    area.insert("We measured both options for a week, and I changed my mind about caching.")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: "two options" in str(screen.query_one("#q-text").render()),
                   what="the streamed words")
    await pilot.press(*"Typing my answer already")
    _WRITERS.append(writer)


_WRITERS: list[StillWriting] = []


async def go_paused(pilot, ts):
    await go_interview(pilot, ts)
    await pilot.press("ctrl+t")
    await settle(pilot, ts)


async def go_summary(pilot, ts):
    pilot.app.open_session(pilot.app.ts.sessions()[-1].id, finished=True)
    await settle(pilot, ts)


async def go_history(pilot, ts):
    await pilot.press("h")
    await settle(pilot, ts)


async def go_help(pilot, ts):
    await pilot.press("f1")
    await settle(pilot)


SCREENS = {
    "home": go_home, "new_profile": go_new_profile, "modules": go_modules,
    "questions": go_questions, "setup": go_setup, "file_picker": go_file_picker,
    "interview": go_interview, "follow_up_writing": go_follow_up_writing, "paused": go_paused, "summary": go_summary,
    "history": go_history, "help": go_help,
}


@pytest.fixture
def resumes_folder(tmp_path: Path, monkeypatch) -> str:
    """A folder with two resumes and a photo; relative, so the tree's root label is stable."""
    folder = tmp_path / "resumes"
    (folder / "old").mkdir(parents=True)
    (folder / "ada-cv.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes [draft].md").write_text("# notes")
    (folder / "photo.jpg").write_bytes(b"jpg")
    monkeypatch.chdir(tmp_path)
    return "resumes"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_snapshot(name, size, snap_compare, make_app, talent, frozen_clock, resumes_folder, history):
    frozen_clock.advance(600)
    app = make_app(resume_dir=resumes_folder)

    async def run_before(pilot) -> None:
        await settle(pilot, talent)
        await SCREENS[name](pilot, talent)
        pilot.app.clear_notifications()  # toasts time out in real time: keep them out
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        while _WRITERS:
            _WRITERS.pop().release.set()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_screen_snapshot(size, snap_compare, talent):
    """What paints first: the home screen's frame while TalentSync is still opening."""
    from talentsync_tui.tui.app import TalentSyncApp

    release = threading.Event()

    def still_opening():
        release.wait(30)
        return talent

    class StillOpening(TalentSyncApp):
        def on_unmount(self) -> None:  # after the screenshot: let the worker finish
            release.set()

    app = StillOpening(still_opening, cursor_blink=False)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.opening, what="the opening thread")
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        release.set()
