"""Practice across sessions: review items from missed points, fsrs scheduling, practice
sessions that ask the due questions first, retries and progress over time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Card, Rating, State

from talentsync_tui.models import (
    Difficulty,
    Feedback,
    ItemKind,
    ItemStatus,
    JobStatus,
    Module,
    Profile,
    Question,
    QuestionType,
    SessionItem,
    SessionStatus,
)
from talentsync_tui.ai.testing import covering_scorer
from talentsync_tui.practice import ReviewScheduler, question_rating, review_targets
from talentsync_tui.services import TalentSyncError, default_config


def practice_module() -> Module:
    spec = [  # id, difficulty, tags
        ("caching", Difficulty.easy, ["caching", "performance"]),
        ("joins", Difficulty.medium, ["sql", "joins"]),
        ("indexes", Difficulty.hard, ["sql", "performance"]),
        ("cache-eviction", Difficulty.hard, ["caching"]),
        ("window-functions", Difficulty.easy, ["sql"]),
        ("star-story", Difficulty.easy, ["teamwork"]),
    ]
    return Module(id="prac", name="Practice", category="Test", questions=[
        Question(id=qid, text=f"Explain {qid}.", difficulty=d, type=QuestionType.technical, tags=tags,
                 expected_seconds=120, expected_points=[f"{qid} point one", f"{qid} point two"],
                 follow_ups=[f"More on {qid}?"])
        for qid, d, tags in spec])


@pytest.fixture
def prac(ts):
    """TalentSync with the practice module, a profile, and jobs graded by `covering_scorer`."""
    ts.store.import_modules([practice_module()])
    ts.workers.scorer = covering_scorer
    return ts, ts.create_profile("Ada")


def answer_all(ts, session_id, answers: dict[str, str], clock=None):
    """Answer every question of a session: `answers[question id]` (default: a miss), '' skips."""
    while ts.session(session_id).status is not SessionStatus.completed:
        item = ts.current_question(session_id)
        text = answers.get(item.question_key.split("/")[1], "no idea")
        if clock is not None:
            clock.advance(60)
        if text:
            ts.submit_answer(session_id, item.id, text)
        else:
            ts.skip(session_id, item.id)
    ts.run_pending_jobs()


def one_question_session(ts, profile, qid="caching", seed=1):
    """A session that asks exactly `prac/qid` (its config names it as the one to ask first)."""
    from talentsync_tui.models import SessionConfig

    config = SessionConfig(module_ids=["prac"], target_count=1, seed=seed, follow_ups=False,
                           review_keys=[f"prac/{qid}"])
    return ts.start_session(profile.id, config)


# -- what an answer makes -------------------------------------------------------------------


def _item(**changes) -> SessionItem:
    fields = dict(id=1, session_id=1, position=0, kind=ItemKind.core, question_key="m/q", text="Q?",
                  difficulty="easy", type="technical", tags=["caching"], expected_seconds=60,
                  expected_points=["first", "second", "third"], follow_ups=[])
    return SessionItem(**{**fields, **changes})


def test_missed_points_make_items_and_covered_points_only_review_them():
    fb = covering_scorer(_item(), "#2", 60, False)  # covers 1 of 3: score 33
    targets = {t.point: t for t in review_targets(_item(), fb, skipped=False)}
    assert set(targets) == {0, 1, 2, 3}
    assert targets[1].rating == Rating.Again and targets[1].creates and targets[1].point_text == "first"
    assert targets[2].rating == Rating.Good and not targets[2].creates
    assert targets[0].rating == Rating.Again and targets[0].creates  # 33 < 60: the whole question too


def test_a_strong_answer_makes_nothing_and_reviews_as_easy():
    fb = covering_scorer(_item(), "#1 #2 #3", 60, False)
    targets = review_targets(_item(), fb, skipped=False)
    assert not any(t.creates for t in targets)
    assert {t.rating for t in targets} == {Rating.Easy}


def test_question_rating_bands():
    assert [question_rating(s) for s in (0, 39, 40, 59, 60, 84, 85, 100)] == [
        Rating.Again, Rating.Again, Rating.Hard, Rating.Hard, Rating.Good, Rating.Good,
        Rating.Easy, Rating.Easy]


def test_a_skip_makes_only_the_whole_question_item():
    targets = review_targets(_item(), Feedback(score=0, coverage=0), skipped=True)
    assert [t.point for t in targets if t.creates] == [0]
    assert {t.rating for t in targets} == {Rating.Again}  # existing point items lapse


def test_follow_ups_and_resume_questions_make_no_items():
    fb = covering_scorer(_item(), "", 60, False)
    assert review_targets(_item(kind=ItemKind.followup), fb, skipped=False) == []
    assert review_targets(_item(kind=ItemKind.resume, question_key=None), fb, skipped=False) == []


# -- scheduling -------------------------------------------------------------------------------


def test_a_new_item_is_due_at_once_and_reviews_push_it_out(clock):
    scheduler = ReviewScheduler()
    t0 = clock()
    made = scheduler.replay([(Rating.Again, True, t0)])
    assert made.due == t0 and made.reviews == 0
    card = Card.from_json(made.card_json)
    assert card.state is State.Learning and card.last_review is None
    good = scheduler.replay([(Rating.Again, True, t0), (Rating.Good, False, t0 + timedelta(days=1))])
    again = scheduler.replay([(Rating.Again, True, t0), (Rating.Again, False, t0 + timedelta(days=1))])
    easy = scheduler.replay([(Rating.Again, True, t0), (Rating.Easy, False, t0 + timedelta(days=1))])
    assert again.due < good.due < easy.due
    assert (good.due - t0).days >= 2 and again.lapses == 1 and good.lapses == 0
    assert Card.from_json(good.card_json).state is State.Review


def test_rows_before_the_first_miss_do_not_count(clock):
    scheduler = ReviewScheduler()
    t0 = clock()
    assert scheduler.replay([(Rating.Good, False, t0)]) is None
    late = scheduler.replay([(Rating.Good, False, t0), (Rating.Again, True, t0 + timedelta(days=3))])
    assert late.due == t0 + timedelta(days=3) and late.reviews == 0


# -- stored with the final feedback ------------------------------------------------------------


def test_items_are_stored_with_the_final_feedback_and_listed_as_due(prac, clock):
    ts, ada = prac
    session = one_question_session(ts, ada)
    answer_all(ts, session.id, {"caching": "#1 only"})
    due = ts.due_reviews(ada.id)
    assert [(r.question_key, r.point, r.point_text) for r in due] == [
        ("prac/caching", 2, "caching point two"), ("prac/caching", 0, None)]
    summary = ts.review_summary(ada.id)
    assert summary.due == 2 and summary.questions == 1 and summary.total == 2 and summary.topics == ["caching"]
    assert summary.next_due is None


def test_regrading_an_answer_never_duplicates_and_follows_the_new_verdict(prac, clock):
    ts, ada = prac
    session = one_question_session(ts, ada)
    answer_all(ts, session.id, {"caching": "#1"})
    response = ts.store.responses(session.id)[0]
    job = ts.store.jobs(session.id)[0]
    before = ts.store.table_counts()
    for _ in range(3):  # the same verdict again: nothing changes
        ts.workers._finish(job.id, ts.store.get_item(response.item_id), response.id,
                           covering_scorer(ts.store.get_item(response.item_id), "#1", 60, False), False)
    assert ts.store.table_counts() == before
    # The coach now says both points are covered: the items this answer made go away.
    ts.workers._finish(job.id, ts.store.get_item(response.item_id), response.id,
                       covering_scorer(ts.store.get_item(response.item_id), "#1 #2", 60, False), False)
    assert ts.review_items(ada.id) == []
    assert ts.store.table_counts()["review_log"] == 0


def test_a_crash_while_storing_feedback_keeps_neither_and_the_rerun_makes_items_once(prac, clock):
    ts, ada = prac
    session = one_question_session(ts, ada)
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, "#1")
    real_replay = ts.workers.reviews.replay
    ts.workers.reviews.replay = lambda log: (_ for _ in ()).throw(RuntimeError("power cut"))
    assert ts.workers.run_one()  # the job fails inside the feedback transaction
    assert ts.feedback_for_session(session.id) == {} and ts.review_items(ada.id) == []
    assert ts.store.jobs(session.id)[0].status is JobStatus.pending  # retried later
    ts.workers.reviews.replay = real_replay
    ts.run_pending_jobs()
    assert len(ts.review_items(ada.id)) == 2
    # A job run twice (another process requeued it) still leaves one row per item and answer.
    ts.store.db.execute("UPDATE jobs SET status = 'pending'")
    ts.run_pending_jobs()
    assert len(ts.review_items(ada.id)) == 2 and ts.store.table_counts()["review_log"] == 2


def test_a_later_answer_reviews_the_items_good_or_again(prac, clock):
    ts, ada = prac
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})
    clock.advance(86400)
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1 #2"})  # covers point 2 now
    items = {r.point: r for r in ts.review_items(ada.id)}
    assert items[2].reviews == 1 and items[2].lapses == 0
    assert items[2].due - clock() >= timedelta(days=8)  # a perfect answer: Easy
    assert ts.due_reviews(ada.id) == []
    clock.advance(86400 * 9)
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})  # missed again
    items = {r.point: r for r in ts.review_items(ada.id)}
    assert items[2].reviews == 2 and items[2].lapses == 1
    assert timedelta(0) < items[2].due - clock() <= timedelta(days=2)
    assert [(rating, creates) for _, rating, creates, _ in ts.store.review_log(items[2].id)] == [
        (Rating.Again, True), (Rating.Easy, False), (Rating.Again, True)]  # a miss would make it anew


def test_reviews_belong_to_their_profile_and_go_with_it(prac, clock):
    ts, ada = prac
    bob = ts.create_profile("Bob")
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})
    assert ts.due_reviews(bob.id) == []
    ts.delete_profile(ada.id)
    assert ts.store.table_counts()["review_items"] == 0


# -- practice sessions ------------------------------------------------------------------------


def test_practice_asks_the_due_questions_first_then_related_ones(prac, clock):
    ts, ada = prac
    session = ts.start_session(ada.id, default_config(["prac"], count=6, seed=4, follow_ups=False))
    answer_all(ts, session.id, {"caching": "#1 #2", "joins": "#1", "indexes": "#1 #2",
                                "cache-eviction": "#1 #2", "window-functions": "#1 #2", "star-story": "#2"},
               clock)
    due_keys = list(dict.fromkeys(r.question_key for r in ts.due_reviews(ada.id)))
    assert sorted(due_keys) == ["prac/joins", "prac/star-story"]
    practice = ts.start_review_session(ada.id, seed=9)
    keys = [i.question_key for i in ts.items(practice.id)]
    assert keys[:2] == due_keys and len(keys) == 4  # both due + PRACTICE_RELATED
    # the related ones share a tag with a due question (sql: joins), never teamwork-less filler
    assert set(keys[2:]) <= {"prac/indexes", "prac/window-functions"}
    again = ts.start_review_session(ada.id, seed=9)
    assert [i.question_key for i in ts.items(again.id)] == keys  # deterministic for a seed
    assert ts.session(practice.id).config.review_keys == due_keys


def test_practice_with_nothing_due_says_so(prac, clock):
    ts, ada = prac
    with pytest.raises(TalentSyncError, match="Nothing to review yet"):
        ts.start_review_session(ada.id)
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1 #2"})
    with pytest.raises(TalentSyncError, match="Nothing is due for review: the next one is due"):
        ts.start_review_session(ada.id)


def test_practice_length_in_minutes_keeps_the_most_overdue(prac, clock):
    ts, ada = prac
    session = ts.start_session(ada.id, default_config(["prac"], count=6, seed=4, follow_ups=False))
    answer_all(ts, session.id, {}, clock)  # all missed
    # 120 s each plus a 60 s follow-up (they count in the length): two questions in 6 minutes
    practice = ts.start_review_session(ada.id, minutes=6, seed=1)
    first_due = list(dict.fromkeys(r.question_key for r in ts.due_reviews(ada.id)))[:2]
    assert [i.question_key for i in ts.items(practice.id)] == first_due


# -- retries ----------------------------------------------------------------------------------


def test_retry_reopens_the_session_and_links_the_attempts(prac, clock):
    ts, ada = prac
    session = ts.start_session(ada.id, default_config(["prac"], count=2, seed=4, follow_ups=False))
    answer_all(ts, session.id, {}, clock)
    first = ts.items(session.id)[0]
    retry = ts.retry_question(session.id, first.id)
    assert retry.retry_of == first.id and retry.position == 2 and retry.text == first.text
    assert retry.status is ItemStatus.pending and ts.session(session.id).status is SessionStatus.active
    with pytest.raises(TalentSyncError, match="already waiting"):
        ts.retry_question(session.id, first.id)
    assert ts.current_question(session.id).id == retry.id
    qid = first.question_key.split("/")[1]
    answer_all(ts, session.id, {qid: "#1 #2"}, clock)
    report = ts.report(session.id)
    attempts = [i for i in report.items if i.item_id == first.id or i.retry_of == 1]
    assert [i.feedback.score for i in attempts] == [0, 100]
    assert report.items[-1].retry_of == 1
    assert "(retry of 1)" in ts.render_report(session.id, "md")
    # the retry covered both points: their review items were reviewed, not duplicated
    assert all(r.reviews == 1 for r in ts.review_items(ada.id) if r.question_key == first.question_key)
    # a retry of the retry still links to the first attempt
    assert ts.retry_question(session.id, retry.id).retry_of == first.id


def test_retry_needs_an_answered_question_of_that_session(prac, clock):
    ts, ada = prac
    session = ts.start_session(ada.id, default_config(["prac"], count=2, seed=4, follow_ups=False))
    item = ts.current_question(session.id)
    with pytest.raises(TalentSyncError, match="not been answered"):
        ts.retry_question(session.id, item.id)
    with pytest.raises(TalentSyncError, match="not part of session"):
        ts.retry_question(session.id + 1, item.id)


# -- progress ---------------------------------------------------------------------------------


def test_progress_trends_per_module_and_tag_and_missed_points(prac, clock):
    ts, ada = prac
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})  # 50
    clock.advance(86400)
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1 #2"})  # 100
    clock.advance(86400)
    answer_all(ts, one_question_session(ts, ada, "joins").id, {"joins": "nothing"})  # 0, not due: seeded
    progress = ts.progress(ada.id)
    assert [p.score for p in progress.overall] == [50, 100, 0]
    assert [p.score for p in progress.modules["prac"]] == [50, 100, 0]
    assert [p.score for p in progress.tags["caching"]] == [50, 100]
    assert list(progress.tags) == ["caching", "performance", "joins", "sql"]  # most answered first
    assert [(m.question_key, m.point, m.missed, m.answered, m.covered_last) for m in progress.missed] == [
        ("prac/joins", "joins point one", 1, 1, False),
        ("prac/joins", "joins point two", 1, 1, False),
        ("prac/caching", "caching point two", 1, 2, True),  # missed once, covered since
    ]


def test_a_database_from_before_reviews_upgrades_with_its_sessions_intact(tmp_path, clock):
    """The schema before reviews (no review tables, no retry_of): the queue reads back, and
    answering it after the upgrade makes review items."""
    import sqlite3

    from talentsync_tui.engine import SessionEngine
    from talentsync_tui.feedback import FeedbackWorkers
    from talentsync_tui.models import SessionConfig
    from talentsync_tui.store import SCHEMA_VERSION, Store
    from talentsync_tui.store.schema import MIGRATIONS

    path = tmp_path / "before.db"
    old = Store(path)  # then undo the reviews migration (the last one)
    old.close()
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE review_log; DROP TABLE review_items; DROP INDEX idx_items_retry;"
                       f"ALTER TABLE session_items DROP COLUMN retry_of; PRAGMA user_version = {SCHEMA_VERSION - 1};")
    conn.close()
    assert "review_items" in MIGRATIONS[-1]
    store = Store(path)  # upgrades to the current schema
    store.import_modules([practice_module()])
    engine = SessionEngine(store, clock=clock)
    ada = store.save_profile(Profile(name="Ada"))
    session = engine.create_session(ada.id, SessionConfig(module_ids=["prac"], target_count=1, seed=1,
                                                          follow_ups=False))
    item = engine.next_question(session.id)
    assert item.retry_of is None
    engine.submit_answer(session.id, item.id, "#1")
    FeedbackWorkers(store, engine, scorer=covering_scorer).run_pending()
    assert {r.point for r in store.review_items(ada.id)} == {0, 2}
    store.close()


def test_reviews_of_a_deleted_module_are_not_due(prac, clock):
    ts, ada = prac
    answer_all(ts, one_question_session(ts, ada).id, {"caching": "#1"})
    assert ts.review_summary(ada.id).due == 2
    ts.delete_module("prac")
    assert ts.due_reviews(ada.id) == [] and ts.review_summary(ada.id).due == 0
    with pytest.raises(TalentSyncError, match="Nothing to review yet"):
        ts.start_review_session(ada.id)
    assert len(ts.review_items(ada.id)) == 2  # kept: a re-import brings them back


def test_a_retry_travels_in_a_bundle_with_its_link_to_the_first_attempt(prac, clock, tmp_path):
    from talentsync_tui.config import load_settings
    from talentsync_tui.services import TalentSync

    ts, ada = prac
    session = ts.start_session(ada.id, default_config(["prac"], count=2, seed=4, follow_ups=False))
    answer_all(ts, session.id, {}, clock)
    ts.retry_question(session.id, ts.items(session.id)[0].id)
    path, _ = ts.export_bundle(tmp_path / "ada.jsonl.gz", origin="laptop")
    coach = TalentSync.open(load_settings(tmp_path / "coach"), start_workers=False, clock=clock)
    try:
        coach.import_bundle(path)
        copy = coach.sessions()[0]
        items = coach.items(copy.id)
        assert items[-1].retry_of == items[0].id and items[-1].status is ItemStatus.pending
        assert coach.report(copy.id).items[-1].retry_of == 1
    finally:
        coach.close()
