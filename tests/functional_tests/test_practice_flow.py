"""Practice across sessions in the app: due reviews on home, practising weak areas, retrying
a question from the summary, and trends in the history."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static
from tui_helpers import (
    async_test,
    editor,
    finish_session,
    rendered,
    running,
    screen_text,
    settle,
    wait_for,
)

from talentsync_tui.ai.testing import covering_scorer
from talentsync_tui.services import default_config


@pytest.fixture
def weak_session(talent, frozen_clock):
    """Ada finished a 3-question python session covering only point 1 of each question
    (graded by `covering_scorer`): every other point is due for review."""
    talent.workers.scorer = covering_scorer
    ada = talent.create_profile("Ada")
    session = talent.start_session(ada.id, default_config(["python"], count=3, seed=7, follow_ups=False))
    finish_session(talent, frozen_clock, session.id, ["#1 is what I know."])
    return ada, session


@async_test
async def test_home_shows_the_reviews_due_after_a_session_with_missed_points(make_app, talent, weak_session):
    ada, _ = weak_session
    summary = talent.review_summary(ada.id)
    assert summary.due > 3 and summary.questions == 3
    app = make_app()
    async with running(app, ts=talent) as pilot:
        due = rendered(pilot.app.screen.query_one("#home-due", Static))
        assert due.startswith(f"{summary.due} reviews due (3 questions): ")
        assert ", ".join(summary.topics[:3]) in due and "p: practise weak areas" in due


@async_test
async def test_a_profile_without_reviews_shows_no_due_line(make_app, talent):
    talent.create_profile("Grace")
    app = make_app()
    async with running(app, ts=talent) as pilot:
        assert not pilot.app.screen.query_one("#home-due", Static).display


@async_test
async def test_practice_weak_areas_asks_the_due_questions_first(make_app, talent, weak_session, frozen_clock):
    ada, _ = weak_session
    due_keys = list(dict.fromkeys(r.question_key for r in talent.due_reviews(ada.id)))
    app = make_app()
    async with running(app, ts=talent) as pilot:
        await pilot.press("p")
        await settle(pilot, talent)
        screen = pilot.app.screen
        assert type(screen).__name__ == "InterviewScreen"
        await editor(pilot)
        queue = [i.question_key for i in talent.items(screen.session_id)]
        assert queue[:len(due_keys)] == due_keys and len(queue) == len(due_keys) + 2
        assert screen.item.question_key == due_keys[0]
        # Covering everything now reviews the items: they are no longer due.
        points = len(screen.item.expected_points)
        (await editor(pilot)).insert(" ".join(f"#{n}" for n in range(1, points + 1)))
        frozen_clock.advance(90)
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        assert due_keys[0] not in {r.question_key for r in talent.due_reviews(ada.id)}


@async_test
async def test_practice_with_nothing_due_says_so(make_app, talent):
    talent.create_profile("Grace")
    app = make_app()
    async with running(app, ts=talent) as pilot:
        await pilot.press("p")
        await settle(pilot, talent)
        assert type(pilot.app.screen).__name__ == "HomeScreen"
        assert any("Nothing to review yet" in str(n.message) for n in pilot.app._notifications)


@async_test
async def test_retry_from_the_summary_shows_both_attempts_and_the_change(make_app, talent, weak_session,
                                                                         frozen_clock):
    _, session = weak_session
    first = talent.items(session.id)[0]
    points = len(first.expected_points)
    app = make_app()
    async with running(app, ts=talent) as pilot:
        pilot.app.open_session(session.id, finished=True)
        await settle(pilot, talent)
        assert type(pilot.app.screen).__name__ == "SummaryScreen"
        await pilot.press("t")  # the first row is highlighted
        await settle(pilot, talent)
        interview = pilot.app.screen
        assert type(interview).__name__ == "InterviewScreen"
        assert interview.item.retry_of == first.id and interview.item.text == first.text
        assert "retry" in rendered(interview.query_one("#q-meta", Static))
        (await editor(pilot)).insert(" ".join(f"#{n}" for n in range(1, points + 1)))
        frozen_clock.advance(70)
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "SummaryScreen", what="the summary")
        await settle(pilot, talent)
        summary = pilot.app.screen
        table = summary.query_one(DataTable)
        before = round(100 / points)
        assert str(table.get_row("1")[2]) == f"{before} → 100 ({100 - before:+d})"
        assert str(table.get_row("4")[1]) == "retry of 1"
        table.move_cursor(row=0)
        await pilot.pause()
        compare = rendered(summary.query_one("#compare-last", Static))
        assert compare.startswith(f"Retry (Q4) · 100 ({100 - before:+d})")
        assert compare.count("now covered") == points - 1
        assert rendered(summary.query_one("#compare-first", Static)).count("✗") == points - 1


@async_test
async def test_history_charts_trends_by_module_and_tag_and_lists_missed_points(make_app, talent, weak_session,
                                                                               frozen_clock):
    ada, _ = weak_session
    frozen_clock.advance(86400)
    practice = talent.start_review_session(ada.id, seed=1)
    finish_session(talent, frozen_clock, practice.id, ["#1 #2 #3 #4 #5"])
    progress = talent.progress(ada.id)
    app = make_app()
    async with running(app, ts=talent) as pilot:
        await pilot.press("h")
        await settle(pilot, talent)
        screen = pilot.app.screen
        chart = screen.query_one("#trend")
        assert str(chart.border_title).startswith("Average score per session")
        await pilot.press("v")
        assert str(chart.border_title).startswith("Score by module")
        await pilot.press("v")
        assert str(chart.border_title).startswith("Score by tag")
        text = screen_text(pilot.app)
        assert "Most missed points" in text
        missed = rendered(screen.query_one("#missed", Static))
        top = progress.missed[0]
        assert missed.startswith(f"{top.missed}/{top.answered} {top.point}")
        assert "covered last time" in missed  # the practice session covered some of them


@async_test
async def test_ctrl_r_in_the_interview_queues_the_last_answer_again(make_app, talent, frozen_clock):
    talent.workers.scorer = covering_scorer
    ada = talent.create_profile("Ada")
    session = talent.start_session(ada.id, default_config(["python"], count=2, seed=7, follow_ups=False))
    app = make_app()
    async with running(app, ts=talent) as pilot:
        pilot.app.open_session(session.id, finished=False)
        await settle(pilot, talent)
        screen = pilot.app.screen
        await pilot.press("ctrl+r")  # nothing answered yet
        await pilot.pause()
        assert talent.status(session.id).total == 2
        first = screen.item
        (await editor(pilot)).insert("#1 only")
        frozen_clock.advance(30)
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        await pilot.press("ctrl+r")
        await settle(pilot, talent)
        items = talent.items(session.id)
        assert len(items) == 3 and items[-1].retry_of == first.id
        assert screen.snapshot.status.total == 3  # the progress counts it
        assert any("asked again as question 3" in str(n.message) for n in pilot.app._notifications)
