"""Review benchmark: making, listing and reviewing 10,000 review items (fsrs cards in SQLite).

2,000 answers that each miss 4 of 5 expected points make 10,000 review items (4 points
plus the whole question each), through the app's own path: the feedback, the job and
the items in one transaction. Then the due list is read, and 2,000 later answers cover
every point, reviewing all 10,000 cards (each replayed from its log).

Baselines in the same run, on the same database:
- making: storing the same feedback without review items;
- due list: a raw sqlite3 `SELECT` of the due rows (ids and due dates) on the same index
  (ours also checks that each item's question is still in a bank);
- reviewing: raw sqlite3 `UPDATE`s writing an fsrs card computed outside the transaction.

    .venv/bin/python bench/bench_reviews.py [--answers 2000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fsrs import Rating  # noqa: E402

from talentsync_tui.models import Feedback, ItemKind, Module, Profile, Question, SessionConfig  # noqa: E402
from talentsync_tui.practice import ReviewScheduler, review_targets  # noqa: E402
from talentsync_tui.store import Store  # noqa: E402
from talentsync_tui.store.reviews import due_text  # noqa: E402

POINTS = 5
TAGS = ["arrays", "graphs", "sql", "caching", "testing", "async", "teamwork", "security", "cloud", "ml"]
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def feedback(points: list[str], covered: list[int], response_id: int) -> Feedback:
    missed = [i for i in range(len(points)) if i not in covered]
    return Feedback(response_id=response_id, score=round(100 * len(covered) / len(points)),
                    coverage=len(covered) / len(points),
                    covered_points=[points[i] for i in covered], missed_points=[points[i] for i in missed],
                    details={"covered": [{"index": i, "point": points[i]} for i in covered],
                             "missed": [{"index": i, "point": points[i]} for i in missed]})


def session_of(store: Store, profile_id: int, answers: int, tag_offset: int = 0) -> int:
    items = [{"kind": ItemKind.core, "question_key": f"bench/q{i}", "text": f"Generated question {i}?",
              "difficulty": "medium", "type": "technical",
              "tags": [TAGS[(i + tag_offset) % len(TAGS)], TAGS[(i * 3) % len(TAGS)]],
              "expected_seconds": 120, "expected_points": [f"point {i}.{j}" for j in range(POINTS)],
              "follow_ups": []} for i in range(answers)]
    return store.create_session(profile_id, SessionConfig(module_ids=["bench"], target_minutes=60),
                                0, items, START)


def answer_all(store: Store, session_id: int, covered: list[int], when: datetime,
               reviews: ReviewScheduler | None) -> list[float]:
    """Answer every item; store each feedback (with its review items unless `reviews` is None)."""
    times = []
    for item in store.items(session_id):
        response_id = store.record_response(item, "an answer", False, when, 60.0, 2)
        job_id = store.db.execute("SELECT id FROM jobs WHERE response_id = ?", [response_id]).fetchone()[0]
        fb = feedback(item.expected_points, covered, response_id)
        t0 = time.perf_counter()
        if reviews is None:
            store.save_feedback(job_id, fb, when)
        else:
            targets = review_targets(item, fb, skipped=False)
            store.save_feedback(job_id, fb, when, reviews=(targets, reviews.replay))
        times.append(time.perf_counter() - t0)
    return times


def line(name: str, ours: float, base: float, unit: str = "ms") -> str:
    return f"| {name} | {ours:.3f} {unit} | {base:.3f} {unit} | {ours / base:.1f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()
    scheduler = ReviewScheduler()

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        store.import_modules([Module(id="bench", name="Bench", category="Bench", questions=[
            Question(id=f"q{i}", text=f"Generated question {i}?", difficulty="medium", type="technical",
                     expected_points=[f"point {i}.{j}" for j in range(POINTS)]) for i in range(args.answers)])])
        bench = store.save_profile(Profile(name="Bench"))
        baseline = store.save_profile(Profile(name="Baseline"))

        # -- making: feedback + review items, vs the same feedback alone
        base_make = answer_all(store, session_of(store, baseline.id, args.answers), [0], START, None)
        make = answer_all(store, session_of(store, bench.id, args.answers), [0], START, scheduler)
        items = store.table_counts()["review_items"]

        # -- the due list, vs a raw SELECT on the same index
        now = START + timedelta(minutes=5)
        raw = sqlite3.connect(store.path)
        due_ours, due_raw, summary, topics = [], [], [], []
        for _ in range(20):
            t0 = time.perf_counter()
            due = store.due_reviews(bench.id, now)
            due_ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            rows = raw.execute("SELECT id, due FROM review_items WHERE profile_id = ? AND due <= ? "
                               "ORDER BY due, id", [bench.id, due_text(now)]).fetchall()
            due_raw.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.review_counts(bench.id, now)
            summary.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.due_topics(bench.id, now)
            topics.append(time.perf_counter() - t0)
        assert len(due) == len(rows) == items, (len(due), len(rows), items)
        first_ten, raw_ten = [], []
        for _ in range(20):
            t0 = time.perf_counter()
            store.due_reviews(bench.id, now, limit=10)
            first_ten.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            raw.execute("SELECT id, due FROM review_items WHERE profile_id = ? AND due <= ? "
                        "ORDER BY due, id LIMIT 10", [bench.id, due_text(now)]).fetchall()
            raw_ten.append(time.perf_counter() - t0)

        # -- reviewing: every point covered a day later, vs raw UPDATEs of precomputed cards
        later = START + timedelta(days=1)
        review = answer_all(store, session_of(store, bench.id, args.answers), list(range(POINTS)), later,
                            scheduler)
        reviewed = store.db.execute("SELECT COUNT(*) FROM review_items WHERE reviews = 1").fetchone()[0]
        cards = []
        t0 = time.perf_counter()
        for (item_id,) in raw.execute("SELECT id FROM review_items WHERE profile_id = ?", [bench.id]).fetchall():
            card = scheduler.new_card(START)
            cards.append((scheduler.review(card, Rating.Good, later).to_json(), item_id))
        fsrs_only = time.perf_counter() - t0
        t0 = time.perf_counter()
        raw.execute("BEGIN IMMEDIATE")
        raw.executemany("UPDATE review_items SET card = ? WHERE id = ?", cards)
        raw.execute("ROLLBACK")  # measured, not kept
        raw_update = time.perf_counter() - t0
        raw.close()

        print(f"{items:,} review items from {args.answers:,} answers; {reviewed:,} reviewed by "
              f"{args.answers:,} later answers\n")
        print("| operation | ours | same-run baseline | ratio |")
        print("| --- | --- | --- | --- |")
        print(line("store one answer's feedback + 5 review items, p50 (baseline: feedback alone)",
                   pct(make, 0.5) * 1000, pct(base_make, 0.5) * 1000))
        print(line("  same, p99", pct(make, 0.99) * 1000, pct(base_make, 0.99) * 1000))
        print(line(f"make all {items:,} items (total; baseline: {args.answers:,} feedbacks alone)",
                   sum(make), sum(base_make), "s"))
        print(line(f"due list, all {len(due):,} due (models) vs raw SELECT, p50",
                   pct(due_ours, 0.5) * 1000, pct(due_raw, 0.5) * 1000))
        print(line("due list, first 10 (models) vs raw SELECT ... LIMIT 10, p50",
                   pct(first_ten, 0.5) * 1000, pct(raw_ten, 0.5) * 1000))
        print(line("due keys and topics of all (home line, practice session) vs raw SELECT, p50",
                   pct(topics, 0.5) * 1000, pct(due_raw, 0.5) * 1000))
        print(line("due count and next due date (review_counts) vs raw SELECT, p50",
                   pct(summary, 0.5) * 1000, pct(due_raw, 0.5) * 1000))
        print(line("review one answer's 5 items (replay from the log), p50 (baseline: feedback alone)",
                   pct(review, 0.5) * 1000, pct(base_make, 0.5) * 1000))
        print(line(f"review all {items:,} items (total) vs fsrs alone + raw UPDATEs",
                   sum(review), fsrs_only + raw_update, "s"))
        print(f"\n(fsrs alone: {fsrs_only:.3f} s for {len(cards):,} cards; raw UPDATEs {raw_update:.3f} s)")


if __name__ == "__main__":
    main()
