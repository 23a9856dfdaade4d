"""The whole candidate journey through the app, driven by keys like a person would."""

from __future__ import annotations

import json

from textual.widgets import Static
from tui_helpers import (
    async_test,
    editor,
    fill_in_setup,
    open_setup,
    open_talentsync,
    rendered,
    running,
    settle,
    wait_for,
)

from talentsync_tui.models import ItemKind, SessionStatus


async def answer(pilot, text: str) -> None:
    area = await editor(pilot)
    area.insert(text)
    await pilot.pause()


async def start_session(pilot, ts, module: str = "python", count: int = 4, seed: int = 7) -> None:
    await open_setup(pilot)
    screen = await fill_in_setup(pilot, module, count, seed)
    assert "questions" in rendered(screen.query_one("#estimate", Static))
    await pilot.press("ctrl+s")
    await settle(pilot, ts)
    assert type(pilot.app.screen).__name__ == "InterviewScreen"


@async_test
async def test_create_profile_answer_skip_follow_up_pause_resume_finish_export(
        make_app, talent, data_home, frozen_clock):
    app = make_app()
    async with running(app) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Ada Lovelace", "enter")
        await settle(pilot)
        assert app.profile_name == "Ada Lovelace"

        await start_session(pilot, talent)
        screen = app.screen
        first = screen.item
        assert first is not None and first.position == 0
        frozen_clock.advance(40)
        await answer(pilot, "Lists are mutable and tuples are immutable, so tuples are hashable.")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.item is not None and screen.item.id != first.id
                       and not screen.busy, what="the follow-up")
        await settle(pilot, talent)
        # As in a real interview, the follow-up to Q1 is asked right away.
        follow_up = screen.item
        assert follow_up.kind is ItemKind.followup and follow_up.position == 1
        assert follow_up.parent_item_id == first.id
        assert "follow-up" in rendered(screen.query_one("#q-meta", Static))
        assert first.text in rendered(screen.query_one("#q-parent", Static))
        assert "Follow-up to Q1" in str(screen.query_one("#question").border_title)

        frozen_clock.advance(12)
        await answer(pilot, "A draft that is typed but not submitted")
        await pilot.press("ctrl+t")
        await settle(pilot, talent)
        assert type(app.screen).__name__ == "PausedScreen"
        timer_before = rendered(screen.query_one("#timer", Static))
        frozen_clock.advance(600)  # a long break: the clock must not move
        screen.tick()
        assert rendered(screen.query_one("#timer", Static)) == timer_before
        session_id = screen.session_id
        await pilot.press("ctrl+q")
    talent.close()  # what run_app does on quit
    assert talent.settings.db_path.exists()

    reopened = open_talentsync(data_home, frozen_clock)
    try:
        assert reopened.session(session_id).status is SessionStatus.paused
        app = make_app(reopened)
        async with running(app) as pilot:
            assert app.profile_name == "Ada Lovelace"
            await pilot.press("r")
            await settle(pilot, reopened)
            screen = app.screen
            assert type(screen).__name__ == "InterviewScreen"
            assert screen.item.id == follow_up.id
            assert reopened.elapsed(screen.item) == 12  # the break did not count
            await answer(pilot, "I would use a NamedTuple when fields need names.")
            await pilot.press("ctrl+s")
            await settle(pilot, reopened)
            # a follow-up gets no follow-up of its own: Q3 (the second bank question) is next
            assert screen.item.kind is not ItemKind.followup
            skipped = screen.item
            frozen_clock.advance(5)
            await pilot.press("ctrl+n")  # skipped: no follow-up for it
            await settle(pilot, reopened)
            assert screen.item.id != skipped.id and screen.item.kind is not ItemKind.followup
            while type(app.screen).__name__ == "InterviewScreen":
                frozen_clock.advance(30)
                await answer(pilot, f"Answer for question {app.screen.item.position + 1}.")
                await pilot.press("ctrl+s")
                await settle(pilot, reopened)
            assert type(app.screen).__name__ == "SummaryScreen"
            await pilot.press("e")
            await settle(pilot, reopened)
            await pilot.press("j")
            await settle(pilot, reopened)
            await pilot.press("w")
            await settle(pilot, reopened)
        page = data_home / "exports" / f"session-{session_id}.html"
        assert page.exists() and "NamedTuple when fields need names" in page.read_text()
        md = data_home / "exports" / f"session-{session_id}.md"
        js = data_home / "exports" / f"session-{session_id}.json"
        assert md.exists() and js.exists()
        text = md.read_text()
        assert "Lists are mutable and tuples are immutable" in text
        assert "NamedTuple when fields need names" in text
        assert "**Skipped.**" in text
        report = json.loads(js.read_text())
        assert report["answered"] >= 3 and report["skipped"] == 1
    finally:
        reopened.close()
