"""Background feedback: jobs are persisted, worked by threads, and survive a crash."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from talentsync_tui.engine import SessionEngine
from talentsync_tui.feedback import FeedbackReady, FeedbackWorkers, FollowUpQueued
from talentsync_tui.models import Feedback, ItemKind, JobStatus, Profile, SessionConfig
from talentsync_tui.store import Store

from test_store import make_module


def quick_scorer(item, answer, elapsed, skipped, **_):
    return Feedback(score=0 if skipped else min(100, 10 * len(answer.split())), coverage=0.5,
                    summary=f"scored {item.id}")


@pytest.fixture
def setup(tmp_path, clock):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module("sql", n=4)])
    engine = SessionEngine(store, clock=clock)
    profile = store.save_profile(Profile(name="Ada"))
    session = engine.create_session(
        profile.id, SessionConfig(module_ids=["sql"], target_count=3, seed=1)
    )
    return store, engine, session


def test_pool_scores_answers_and_asks_the_follow_up_right_away(setup):
    store, engine, session = setup
    workers = FeedbackWorkers(store, engine, threads=2, scorer=quick_scorer)
    events = []
    workers.subscribe(events.append)
    engine.on_answer = workers.notify
    workers.start()
    try:
        item = engine.next_question(session.id)
        result = engine.submit_answer(session.id, item.id, "I would measure concept with a query plan")
        # as in a real interview: no next question yet, the follow-up comes first
        assert result.follow_up_expected and result.next_item is None and not result.completed
        assert workers.wait_idle(10)
    finally:
        workers.stop()
    assert [j.status for j in store.jobs(session.id)] == [JobStatus.done]
    feedback = store.feedback_for_session(session.id)
    assert list(feedback.values())[0].score == 80  # 8 words
    kinds = [type(e) for e in events]
    assert kinds == [FollowUpQueued, FeedbackReady]
    follow = events[0].item
    assert follow.kind is ItemKind.followup and follow.source == "template"
    assert follow.parent_item_id == item.id
    # it took the place of the next question, which was never shown
    assert store.items(session.id)[1].id == follow.id
    assert engine.next_question(session.id).id == follow.id


def test_after_next_timing_queues_the_follow_up_after_the_question_on_screen(tmp_path, clock):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module("sql", n=4)])
    engine = SessionEngine(store, clock=clock)
    profile = store.save_profile(Profile(name="Ada"))
    session = engine.create_session(profile.id, SessionConfig(
        module_ids=["sql"], target_count=3, seed=1, follow_up_timing="after-next"))
    workers = FeedbackWorkers(store, engine, scorer=quick_scorer)
    item = engine.next_question(session.id)
    result = engine.submit_answer(session.id, item.id, "I would measure concept with a query plan")
    assert not result.follow_up_expected and result.next_item is not None
    assert workers.run_pending() == 1
    follow = [i for i in store.items(session.id) if i.kind is ItemKind.followup]
    assert len(follow) == 1
    assert store.items(session.id)[2].id == follow[0].id  # after the question already on screen


def test_last_answer_waits_for_its_follow_up_then_the_session_ends(setup):
    store, engine, session = setup
    workers = FeedbackWorkers(store, engine, scorer=quick_scorer)
    events = []
    workers.subscribe(events.append)
    # answer every question; each follow-up is answered too (follow-ups get none)
    while (item := engine.next_question(session.id)) is not None:
        result = engine.submit_answer(session.id, item.id, "An answer about the query plan and indexes")
        assert result.follow_up_expected == (item.kind is not ItemKind.followup)
        workers.run_pending()
    kinds = [i.kind for i in store.items(session.id)]
    assert kinds.count(ItemKind.followup) == 3  # the last answer got its follow-up as well
    assert store.get_session(session.id).status.value == "completed"


def test_no_follow_up_after_all_releases_a_waiting_screen_and_ends_the_session(setup):
    store, engine, session = setup

    class Nothing:
        def follow_up(self, item, answer, **context):
            return None

    workers = FeedbackWorkers(store, engine, scorer=quick_scorer, follow_ups=Nothing())
    events = []
    workers.subscribe(events.append)
    for _ in range(3):
        item = engine.next_question(session.id)
        assert engine.submit_answer(session.id, item.id, "words words words").follow_up_expected
        workers.run_pending()
    queued = [e for e in events if isinstance(e, FollowUpQueued)]
    assert len(queued) == 3 and all(e.item is None for e in queued)
    assert store.get_session(session.id).status.value == "completed"


def test_skipped_answers_get_no_follow_up(setup):
    store, engine, session = setup
    workers = FeedbackWorkers(store, engine, scorer=quick_scorer)
    item = engine.next_question(session.id)
    engine.skip(session.id, item.id)
    assert workers.run_pending() == 1
    assert all(i.kind is not ItemKind.followup for i in store.items(session.id))


def test_failing_job_is_retried_then_marked_failed_without_killing_the_worker(setup):
    store, engine, session = setup
    calls = []

    def broken(item, answer, elapsed, skipped, **_):
        calls.append(1)
        raise RuntimeError("scorer exploded")

    workers = FeedbackWorkers(store, engine, scorer=broken)
    item = engine.next_question(session.id)
    engine.submit_answer(session.id, item.id, "x")
    workers.run_pending()
    job = store.jobs(session.id)[0]
    assert job.status is JobStatus.failed and "scorer exploded" in job.error
    assert len(calls) == 3


def test_jobs_left_running_by_a_crashed_process_are_picked_up(setup, tmp_path):
    store, engine, session = setup
    item = engine.next_question(session.id)
    engine.submit_answer(session.id, item.id, "the answer survives a crash")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    store.db.execute("UPDATE jobs SET status = 'running', owner_pid = ?", [dead_pid])
    store.db.conn.commit()

    workers = FeedbackWorkers(store, engine, scorer=quick_scorer)
    workers.start()
    try:
        assert workers.wait_idle(10)
    finally:
        workers.stop()
    assert [j.status for j in store.jobs(session.id)] == [JobStatus.done]


def test_a_job_owned_by_a_live_process_is_left_alone(setup):
    store, engine, session = setup
    item = engine.next_question(session.id)
    engine.submit_answer(session.id, item.id, "x")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        store.db.execute("UPDATE jobs SET status = 'running', owner_pid = ?", [sleeper.pid])
        store.db.conn.commit()
        assert store.recover_jobs(engine.clock()) == 0
    finally:
        sleeper.kill()
        sleeper.wait()
    assert store.recover_jobs(engine.clock()) == 1


def test_answer_and_job_commit_together(setup, monkeypatch):
    store, engine, session = setup
    item = engine.next_question(session.id)
    real_insert = store.db.table("jobs").insert

    # Make the job insert fail: the response must not be stored either.
    store.db.execute("CREATE TRIGGER no_jobs BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'full'); END")
    store.db.conn.commit()
    with pytest.raises(Exception, match="full"):
        engine.submit_answer(session.id, item.id, "lost?")
    assert store.responses(session.id) == []
    assert store.get_item(item.id).status.value == "pending"
    assert real_insert  # the table API itself was untouched


def test_workers_run_on_background_threads(setup):
    store, engine, session = setup
    seen = []

    def scorer(item, answer, elapsed, skipped, **_):
        seen.append(threading.current_thread().name)
        return quick_scorer(item, answer, elapsed, skipped)

    workers = FeedbackWorkers(store, engine, threads=1, scorer=scorer)
    engine.on_answer = workers.notify
    workers.start()
    try:
        item = engine.next_question(session.id)
        engine.submit_answer(session.id, item.id, "x")
        assert workers.wait_idle(10)
    finally:
        workers.stop()
    assert seen == ["feedback-0"]
    assert os.getpid()


def test_the_quick_check_shows_first_and_the_coach_replaces_it_in_place(setup):
    """Quick check stored and announced (job still open), follow-up next, coach verdict last."""
    from talentsync_tui.ai.testing import FakeJudge
    from talentsync_tui.feedback.grader import Grader

    store, engine, session = setup
    release = threading.Event()
    seen_during: dict = {}

    def verdict(kind, text, question, answer):
        if not seen_during:  # the first probe: look at what the candidate can see meanwhile
            seen_during["feedback"] = list(store.feedback_for_session(session.id).values())
            seen_during["jobs"] = [j.status for j in store.jobs(session.id)]
        release.wait(5)
        return 0.9

    workers = FeedbackWorkers(store, engine, threads=1, grader=Grader(FakeJudge(verdict), model_name="fake"))
    events = []
    workers.subscribe(events.append)
    engine.on_answer = workers.notify
    workers.start()
    try:
        item = engine.next_question(session.id)
        engine.submit_answer(session.id, item.id, "I would read the query plan, then add an index on the "
                                                  "filtered column and measure the latency again.")
        for _ in range(200):
            if seen_during:
                break
            threading.Event().wait(0.02)
        release.set()
        assert workers.wait_idle(10)
    finally:
        workers.stop()
    (quick,) = seen_during["feedback"]
    assert quick.details["quick"] is True and quick.summary.startswith("Quick check")
    assert seen_during["jobs"] == [JobStatus.running]
    kinds = [(type(e).__name__, getattr(e, "final", None)) for e in events]
    assert kinds == [("FeedbackReady", False), ("FollowUpQueued", None), ("FeedbackReady", True)]
    (final,) = store.feedback_for_session(session.id).values()
    assert final.details["quick"] is False and final.details["model"] == "fake"
    assert [j.status for j in store.jobs(session.id)] == [JobStatus.done]


def test_a_preview_never_overwrites_final_feedback(setup):
    store, engine, session = setup
    item = engine.next_question(session.id)
    engine.submit_answer(session.id, item.id, "an answer")
    job = store.claim_job(engine.clock())
    response = store.responses(session.id)[0]
    store.save_feedback(job.id, Feedback(response_id=response.id, score=77, coverage=1, summary="final"),
                        engine.clock())
    store.save_feedback_preview(Feedback(response_id=response.id, score=5, coverage=0, summary="late quick"),
                                engine.clock())
    (stored,) = store.feedback_for_session(session.id).values()
    assert (stored.score, stored.summary) == (77, "final")
