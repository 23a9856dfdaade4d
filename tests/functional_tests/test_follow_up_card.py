"""The follow-up is asked right away: its card streams in, typing meanwhile is kept, a late
model falls back to the template for the same gap."""

from __future__ import annotations

from textual.widgets import Static
from tui_helpers import async_test, open_interview, rendered, running, settle, wait_for

from talentsync_tui.ai.interviewer import Interviewer
from talentsync_tui.ai.testing import FakeLLM

QUESTION_ANSWER = "Lists are mutable and tuples are not, so I used tuples as dict keys for cache lookups."


@async_test
async def test_the_follow_up_streams_into_its_card_and_typing_meanwhile_is_kept(
        make_app, talent, new_session, frozen_clock):
    session = new_session(count=2, seed=4, name="Barbara")
    question = "How did you choose tuples as the dict keys for those cache lookups in the end?"
    llm = FakeLLM(question, delay=3.0)  # word by word over three seconds
    talent.workers.follow_ups = Interviewer(llm, None, None, deadline=20)
    app = make_app()
    async with running(app) as pilot:
        screen, area = await open_interview(pilot, talent, session.id)
        first = screen.item
        frozen_clock.advance(30)
        area.insert(QUESTION_ANSWER)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.awaiting is not None, what="the follow-up card")
        card = screen.query_one("#question")
        assert "Follow-up to Q1" in str(card.border_title)
        assert first.text in rendered(screen.query_one("#q-parent", Static))
        # part of the question shows while the rest is still being written
        await wait_for(pilot, lambda: "How did you" in rendered(screen.query_one("#q-text", Static)),
                       what="the first words")
        assert rendered(screen.query_one("#q-text", Static)) != question
        await wait_for(pilot, lambda: area.has_focus and not area.read_only, what="the editor")
        await pilot.press(*"typed while it streams")
        await pilot.press("ctrl+s")  # not yet: the question is not there
        await wait_for(pilot, lambda: screen.item is not None and not screen.busy, what="the follow-up",
                       timeout=15)
        assert screen.item.kind.value == "followup" and screen.item.text == question
        assert screen.item.source == "model" and screen.item.parent_item_id == first.id
        assert rendered(screen.query_one("#q-text", Static)) == question
        assert area.text == "typed while it streams"  # nothing typed during generation is lost
        assert talent.store.follow_up_count(first.id) == 1


@async_test
async def test_a_model_past_its_deadline_gives_way_to_the_template_for_the_gap(
        make_app, talent, new_session, frozen_clock):
    session = new_session(count=2, seed=4, name="Edsger")
    llm = FakeLLM("How did you choose tuples as dict keys for the cache in the end?", delay=30.0)
    talent.workers.follow_ups = Interviewer(llm, None, None, deadline=0.8)
    app = make_app()
    async with running(app) as pilot:
        screen, area = await open_interview(pilot, talent, session.id)
        first = screen.item
        area.insert(QUESTION_ANSWER)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.item is not None and screen.item.id != first.id
                       and not screen.busy, what="the follow-up", timeout=15)
        follow = screen.item
        assert follow.kind.value == "followup" and follow.source == "template"
        assert follow.text in first.follow_ups
        assert not follow.text.startswith("You mentioned")
    llm.cancel()
