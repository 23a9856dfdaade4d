"""The session engine on a real SQLite file: answers, timing, pause/resume, follow-ups."""

from __future__ import annotations

import pytest

from talentsync_tui.engine import EngineError, FollowUp, SessionEngine
from talentsync_tui.models import ItemKind, ItemStatus, Profile, SessionConfig, SessionStatus
from talentsync_tui.store import Store

from test_store import make_module


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    s.import_modules([make_module("sql", n=6), make_module("py", n=6)])
    return s


@pytest.fixture
def engine(store, clock):
    return SessionEngine(store, clock=clock)


@pytest.fixture
def profile(store):
    return store.save_profile(Profile(name="Ada"))


def new_session(engine, profile, **config):
    # The engine's mechanics with the next question shown at once; the immediate follow-up
    # (the default) has its own tests below and in test_feedback_workers.py.
    config = {"module_ids": ["sql"], "target_count": 4, "seed": 11, "follow_up_timing": "after-next",
              **config}
    return engine.create_session(profile.id, SessionConfig(**config))


def test_same_seed_same_queue(engine, profile, store):
    a = new_session(engine, profile, module_ids=["sql", "py"], target_count=8)
    b = new_session(engine, profile, module_ids=["sql", "py"], target_count=8)
    assert [i.question_key for i in store.items(a.id)] == [i.question_key for i in store.items(b.id)]
    assert a.seed == b.seed == 11


def test_answer_is_stored_with_timing_and_a_pending_job(engine, profile, store, clock):
    session = new_session(engine, profile)
    shown_at = clock.now
    item = engine.next_question(session.id)
    clock.advance(42)
    result = engine.submit_answer(session.id, item.id, "We added an index on customer_id.")
    response = store.get_response(result.response_id)
    assert response.text == "We added an index on customer_id."
    assert response.elapsed_seconds == 42
    assert response.word_count == 6
    assert response.shown_at == shown_at
    assert response.submitted_at == clock.now
    assert [j.status.value for j in store.jobs(session.id)] == ["pending"]
    assert result.next_item.position == 1


def test_skip_and_completion(engine, profile, store):
    session = new_session(engine, profile, target_count=2)
    first = engine.next_question(session.id)
    engine.skip(session.id, first.id)
    second = engine.next_question(session.id)
    result = engine.submit_answer(session.id, second.id, "done")
    assert result.completed and result.next_item is None
    assert engine.next_question(session.id) is None
    assert store.get_session(session.id).status is SessionStatus.completed
    assert [i.status for i in store.items(session.id)] == [ItemStatus.skipped, ItemStatus.answered]
    with pytest.raises(EngineError, match="already finished"):
        engine.skip(session.id, second.id)


def test_answering_twice_is_refused(engine, profile):
    session = new_session(engine, profile)
    item = engine.next_question(session.id)
    engine.submit_answer(session.id, item.id, "one")
    with pytest.raises(EngineError, match="already answered"):
        engine.submit_answer(session.id, item.id, "two")


def test_pause_stops_the_clock_across_a_restart(tmp_path, store, profile, clock):
    engine = SessionEngine(store, clock=clock)
    session = new_session(engine, profile)
    item = engine.next_question(session.id)
    clock.advance(30)
    engine.pause(session.id)
    store.close()

    clock.advance(3600)  # the laptop was closed for an hour
    reopened = Store(tmp_path / "t.db")
    engine = SessionEngine(reopened, clock=clock)
    assert reopened.get_session(session.id).status is SessionStatus.paused
    resumed = engine.resume(session.id)
    assert resumed.id == item.id
    clock.advance(15)
    result = engine.submit_answer(session.id, item.id, "answer after the break")
    assert reopened.get_response(result.response_id).elapsed_seconds == 45


def test_status_reports_progress(engine, profile, clock):
    session = new_session(engine, profile, target_count=3)
    item = engine.next_question(session.id)
    clock.advance(20)
    engine.submit_answer(session.id, item.id, "x")
    clock.advance(10)
    status = engine.status(session.id)
    assert (status.answered, status.remaining, status.total) == (1, 2, 3)
    assert status.elapsed_seconds == 30
    assert status.current_position == 1


def test_follow_up_goes_after_the_question_being_answered(engine, profile, store):
    session = new_session(engine, profile)
    first = engine.next_question(session.id)
    engine.submit_answer(session.id, first.id, "indexes help")
    shown = engine.next_question(session.id)  # the candidate is now looking at question 2
    follow = engine.queue_follow_up(store.get_item(first.id), FollowUp(text="Which index exactly?"))
    items = store.items(session.id)
    assert [i.id for i in items][:3] == [first.id, shown.id, follow.id]
    assert follow.kind is ItemKind.followup and follow.parent_item_id == first.id
    # at most one follow-up per question by default
    assert engine.queue_follow_up(store.get_item(first.id), FollowUp(text="Another one?")) is None
    assert engine.next_question(session.id).id == shown.id


def test_follow_up_becomes_next_when_next_question_not_yet_shown(engine, profile, store):
    session = new_session(engine, profile)
    first = engine.next_question(session.id)
    store.record_response(first, "a", False, engine.clock(), 1.0, 1)
    follow = engine.queue_follow_up(store.get_item(first.id), FollowUp(text="Why?"))
    assert engine.next_question(session.id).id == follow.id


def test_unknown_module_and_empty_range_are_explained(engine, profile):
    with pytest.raises(EngineError, match="Unknown module"):
        new_session(engine, profile, module_ids=["nope"])
    store_module = make_module("easyonly", n=1)  # q0 is easy
    engine.store.import_modules([store_module])
    with pytest.raises(EngineError, match="No questions match"):
        new_session(engine, profile, module_ids=["easyonly"], min_difficulty="hard")


def test_resume_profile_adds_resume_questions(engine, store):
    profile = store.save_profile(
        Profile(name="Res", skills=["postgresql", "python"], projects=["Atlas"], roles=["Backend Engineer"])
    )
    session = engine.create_session(
        profile.id, SessionConfig(module_ids=["sql"], target_count=6, seed=2, resume_every=2)
    )
    kinds = [i.kind for i in store.items(session.id)]
    assert ItemKind.resume in kinds
    resume_texts = [i.text for i in store.items(session.id) if i.kind is ItemKind.resume]
    assert any("PostgreSQL" in t or "postgresql" in t.lower() or "Atlas" in t for t in resume_texts)


def test_a_finished_session_never_gains_a_follow_up(engine, profile, store):
    session = new_session(engine, profile, target_count=1)
    only = engine.next_question(session.id)
    assert engine.submit_answer(session.id, only.id, "the last answer").completed
    assert engine.queue_follow_up(store.get_item(only.id), FollowUp(text="Late?")) is None
    assert engine.next_question(session.id) is None
    assert len(store.items(session.id)) == 1


def test_next_question_is_none_for_a_completed_session(engine, profile, store):
    session = new_session(engine, profile, target_count=1)
    only = engine.next_question(session.id)
    engine.skip(session.id, only.id)
    assert store.get_session(session.id).status is SessionStatus.completed
    assert engine.next_question(session.id) is None


def test_drafts_survive_a_restart_and_are_cleared_by_submitting(tmp_path, store, profile, clock):
    engine = SessionEngine(store, clock=clock)
    session = new_session(engine, profile)
    item = engine.next_question(session.id)
    store.save_draft(item.id, "half an answer", clock())
    store.close()
    reopened = Store(tmp_path / "t.db")
    assert reopened.draft(item.id) == "half an answer"
    SessionEngine(reopened, clock=clock).submit_answer(session.id, item.id, "the whole answer")
    assert reopened.draft(item.id) is None


def test_seeding_sees_a_reimported_bank_from_another_process(tmp_path, engine, profile, store):
    new_session(engine, profile, target_count=50)  # warms the engine's stub cache
    other_process = Store(tmp_path / "t.db")
    other_process.import_modules([make_module("sql", n=8)])
    other_process.close()
    session = new_session(engine, profile, target_count=50)
    assert len(store.items(session.id)) == 8


def test_immediate_follow_up_holds_the_next_question_and_keeps_the_session_open(engine, profile, store):
    session = new_session(engine, profile, target_count=1, follow_up_timing="immediate")
    only = engine.next_question(session.id)
    result = engine.submit_answer(session.id, only.id, "the last answer")
    assert result.follow_up_expected and result.next_item is None and not result.completed
    follow = engine.queue_follow_up(only, FollowUp(text="How did you measure it?"))
    assert follow is not None and engine.next_question(session.id).id == follow.id
    done = engine.submit_answer(session.id, follow.id, "with a load test")
    assert not done.follow_up_expected and done.completed  # follow-ups get no follow-up


def test_skipped_or_empty_answers_expect_no_follow_up(engine, profile):
    session = new_session(engine, profile, follow_up_timing="immediate")
    item = engine.next_question(session.id)
    assert not engine.skip(session.id, item.id).follow_up_expected
    item = engine.next_question(session.id)
    assert not engine.submit_answer(session.id, item.id, "   ").follow_up_expected


def test_estimate_counts_the_follow_ups(engine, profile):
    with_follow_ups = engine.estimate_seconds(profile.id, SessionConfig(module_ids=["sql"], target_count=3,
                                                                        seed=1))
    without = engine.estimate_seconds(profile.id, SessionConfig(module_ids=["sql"], target_count=3, seed=1,
                                                                follow_ups=False))
    assert with_follow_ups[0] == without[0] == 3
    assert with_follow_ups[1] >= without[1] + 3 * 60


def test_the_model_free_follow_up_asks_one_question_while_one_is_left():
    """With AI off (a kiosk on an old laptop) the bank's template is the follow-up: a two-part
    template ("..., and what did you do about it?") only when no single question is left."""
    from talentsync_tui.ai.testing import sample_modules, session_item
    from talentsync_tui.engine.followups import TemplateFollowUps, asks_two_things

    two_part = "How did the stakeholder who lost out react, and what did you do about the stakeholder?"
    single = "What would you have done differently?"
    item = session_item(sample_modules()[0].questions[0]).model_copy(update={"follow_ups": [two_part, single]})
    provider = TemplateFollowUps()
    answer = "The stakeholder who lost out was upset; I did a follow-up call."
    assert asks_two_things(two_part) and not asks_two_things(single)
    assert provider.follow_up(item, answer).text == single
    assert provider.follow_up(item, answer, asked=[single]).text == two_part
