"""The interview screen: typing never blocks, drafts survive leaving and quitting, clocks obey."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from textual.widgets import DataTable, Static, TextArea
from tui_helpers import (
    SIZE,
    async_test,
    open_interview,
    open_talentsync,
    rendered,
    resume_interview,
    running,
    settle,
    wait_for,
)


@contextlib.asynccontextmanager
async def interview(app, ts, session_id: int):
    """Run `app` on the interview of `session_id`: (pilot, screen, answer box)."""
    async with app.run_test(size=SIZE) as pilot:
        screen, area = await open_interview(pilot, ts, session_id)
        yield pilot, screen, area


@async_test
async def test_typing_is_processed_while_a_slow_feedback_job_runs(
        make_app, talent, new_session, frozen_clock):
    session = new_session(count=3, seed=11, name="Grace")
    started, release = threading.Event(), threading.Event()
    grader = talent.workers.grader
    real_grade = grader.grade

    def slow_grade(*args, **kwargs):
        started.set()
        release.wait(15)  # the job holds its worker thread until the test lets go
        return real_grade(*args, **kwargs)

    grader.grade = slow_grade
    app = make_app()
    try:
        async with interview(app, talent, session.id) as (pilot, screen, area):
            frozen_clock.advance(30)
            area.insert("My first answer about lists and tuples.")
            await pilot.press("ctrl+s")
            # The follow-up is asked right away: its card waits while the job works.
            await wait_for(pilot, lambda: screen.awaiting is not None and not screen.busy,
                           what="the follow-up card")
            assert await asyncio.to_thread(started.wait, 10)
            await wait_for(pilot, lambda: area.has_focus and not area.read_only, what="the editor")

            await pilot.press(*"still typing while scoring")
            assert area.text == "still typing while scoring"
            assert not release.is_set()
            assert talent.store.job_counts()["running"] == 1  # the slow job is still at work
            assert "scoring" in rendered(screen.query_one("#fb-1", Static))

            release.set()
            await settle(pilot, talent)
            await wait_for(pilot, lambda: screen.item is not None and not screen.busy, what="the follow-up")
            assert screen.item.kind.value == "followup" and screen.item.position == 1
            assert "/100" in rendered(screen.query_one("#fb-1", Static))
            # Feedback and the follow-up arrived without stealing focus or losing what was typed:
            # the text typed meanwhile is the follow-up's answer draft.
            assert app.focused is area
            assert area.text == "still typing while scoring"
    finally:
        release.set()


@async_test
async def test_a_draft_survives_going_home_and_resuming(make_app, talent, history):
    app = make_app()
    async with running(app) as pilot:
        screen, area = await resume_interview(pilot, talent)
        assert screen.session_id == history["paused"]
        await pilot.press(*"half an answer")
        await pilot.press("ctrl+t")
        await settle(pilot, talent)
        assert type(app.screen).__name__ == "PausedScreen"
        await pilot.press("h")
        await settle(pilot, talent)
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("r")
        await settle(pilot, talent)
        area = app.screen.query_one("#answer", TextArea)
        assert area.text == "half an answer"


@async_test
async def test_the_timer_reads_the_facade_clock(make_app, talent, new_session, frozen_clock):
    session = new_session(["dsa"], seed=5, name="Linus")
    async with interview(make_app(), talent, session.id) as (pilot, screen, _):
        timer = screen.query_one("#timer", Static)
        screen.tick()
        assert rendered(timer).startswith("Time 0:00 /")
        await pilot.pause(1.2)  # real time passes, the frozen clock does not
        screen.tick()
        assert rendered(timer).startswith("Time 0:00 /")
        frozen_clock.advance(65)
        screen.tick()
        assert rendered(timer).startswith("Time 1:05 /")
        assert not timer.has_class("-overtime")
        frozen_clock.advance(60 * 60)
        screen.tick()
        assert timer.has_class("-overtime")


@async_test
async def test_the_word_count_follows_typing(make_app, talent, new_session):
    session = new_session(count=1, seed=1, name="Ken")
    async with interview(make_app(), talent, session.id) as (pilot, screen, area):
        await pilot.press(*"three small words")
        assert rendered(screen.query_one("#word-count", Static)) == "3 words"
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        # the one question's follow-up comes next, with an empty editor and count
        assert screen.item.kind.value == "followup"
        assert rendered(screen.query_one("#word-count", Static)) == "0 words"
        await pilot.press(*"two words")
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        assert type(pilot.app.screen).__name__ == "SummaryScreen"


@async_test
async def test_a_draft_survives_quitting_and_is_gone_after_submitting(
        make_app, talent, new_session, data_home, frozen_clock):
    session = new_session()
    app = make_app()
    async with running(app) as pilot:
        screen, area = await open_interview(pilot, talent, session.id)
        item_id = screen.item.id
        await pilot.press(*"typed, then quit")
        assert talent.draft(item_id) is None  # still within the typing debounce
        await pilot.press("ctrl+q")  # no pause first: quitting alone must keep it
    assert talent.draft(item_id) == "typed, then quit"
    talent.close()  # what run_app does on quit

    # A new app on the same data dir, opened the way run_app does: from a factory.
    app = make_app(lambda: open_talentsync(data_home, frozen_clock))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.core_ready, what="TalentSync to open")
            await settle(pilot)
            screen, area = await resume_interview(pilot, app.ts)
            assert screen.item.id == item_id
            assert area.text == "typed, then quit"
            await pilot.press(*" and finished")
            frozen_clock.advance(30)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: screen.item.id != item_id and not screen.busy,
                           what="the next question")
            await settle(pilot, app.ts)
            assert app.ts.draft(item_id) is None
            answers = {r.item_id: r.text for r in app.ts.store.responses(session.id)}
            assert answers[item_id] == "typed, then quit and finished"
            assert area.text == ""  # the next question starts empty
    finally:
        reopened = app.opened()
        if reopened is not None:
            reopened.close()


@async_test
async def test_a_draft_is_saved_a_moment_after_typing_stops(make_app, talent, new_session, quick_drafts):
    session = new_session()
    async with interview(make_app(), talent, session.id) as (pilot, screen, area):
        item_id = screen.item.id
        await pilot.press(*"saved while I think")
        await wait_for(pilot, lambda: talent.draft(item_id) == "saved while I think",
                       what="the debounced save")
        # Deleting everything deletes the draft (no empty drafts are kept).
        area.clear()
        await wait_for(pilot, lambda: talent.draft(item_id) is None, what="the draft removed")
        assert screen.app.screen is screen  # all of it without leaving the screen


@async_test
async def test_a_pending_save_cannot_bring_back_a_submitted_answer(
        make_app, talent, new_session, quick_drafts):
    session = new_session()
    async with interview(make_app(), talent, session.id) as (pilot, screen, area):
        item_id = screen.item.id
        await pilot.press(*"first part")
        await wait_for(pilot, lambda: talent.draft(item_id) == "first part", what="a saved draft")
        await pilot.press(*", second part")
        await pilot.press("ctrl+s")  # the debounce timer for ", second part" is still running
        await wait_for(pilot, lambda: screen.item.id != item_id and not screen.busy,
                       what="the next question")
        await pilot.pause(0.6)  # past the debounce delay
        await settle(pilot, talent)
        assert talent.draft(item_id) is None
        assert talent.store.responses(session.id)[0].text == "first part, second part"


@async_test
async def test_pausing_saves_the_draft(make_app, talent, new_session):
    session = new_session()
    async with interview(make_app(), talent, session.id) as (pilot, screen, area):
        await pilot.press(*"before the break")
        await pilot.press("ctrl+t")
        await settle(pilot, talent)
        assert type(pilot.app.screen).__name__ == "PausedScreen"
        assert talent.draft(screen.item.id) == "before the break"


@async_test
async def test_the_quick_check_is_replaced_in_place_by_the_coach_verdict(
        make_app, talent, new_session, frozen_clock):
    from talentsync_tui.ai.testing import FakeJudge

    session = new_session(count=3, seed=5, name="Katherine")
    verdict_started, release = threading.Event(), threading.Event()

    def verdict(kind, text, question, answer):
        verdict_started.set()
        release.wait(15)
        return 0.9

    talent.workers.grader.judge = FakeJudge(verdict)
    talent.workers.grader.model_name = "fake-coach"
    app = make_app()
    try:
        async with interview(app, talent, session.id) as (pilot, screen, area):
            frozen_clock.advance(40)
            area.insert("Lists are mutable and tuples are not; a tuple of hashable items can be a dict key, "
                        "so I use tuples for fixed records and lists for collections that grow.")
            await pilot.press("ctrl+s")
            assert await asyncio.to_thread(verdict_started.wait, 10)
            entry = screen.query_one("#fb-1", Static)
            await wait_for(pilot, lambda: "quick check" in rendered(entry), what="the quick check")
            await pilot.press(*"typing on")
            release.set()
            await settle(pilot, talent)
            text = rendered(screen.query_one("#fb-1", Static))
            assert "/100" in text and "quick check" not in text
            assert len(screen.query(".feedback-entry")) == 1  # replaced, not added
            assert app.focused is area and area.text.endswith("typing on")
    finally:
        release.set()


@async_test
async def test_after_a_weak_answer_the_model_answer_opens_from_the_summary(make_app, talent, history):
    from textual.widgets import Collapsible

    from talentsync_tui.tui.screens.summary import SummaryScreen

    app = make_app()
    async with running(app, (120, 40), talent) as pilot:
        await app.push_screen(SummaryScreen(history["done"]))
        await settle(pilot, talent)
        screen = app.screen
        box = screen.query_one("#summary-model", Collapsible)
        table = screen.query_one(DataTable)
        report = talent.report(history["done"])
        shown = 0
        for row, item in enumerate(report.items):
            table.move_cursor(row=row)
            await pilot.pause()
            weak = item.feedback is not None and (item.feedback.score < 60 or not item.answer)
            assert box.display is bool(item.model_answer and weak), item.position
            if box.display:
                shown += 1
                assert box.collapsed  # collapsed by default
                box.collapsed = False
                await pilot.pause()
                text = rendered(screen.query_one("#summary-model-answer", Static))
                assert item.model_answer.strip()[:40] in text
        assert shown, "the seeded session has a weak answer to a question with a model answer"
        detail = rendered(screen.query_one("#summary-detail", Static))
        assert "Missed:" in detail or "Covered:" in detail
