"""Engine benchmark: seed time and next/submit latency on a generated 10,000-question bank.

Baseline in the same run: a raw sqlite3 indexed SELECT of the next pending item
(the least work any implementation must do). Prints a table; asserts nothing.

    .venv/bin/python bench/bench_engine.py [--questions 10000] [--rounds 300]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talentsync_tui.engine import SessionEngine  # noqa: E402
from talentsync_tui.models import Module, Profile, Question, SessionConfig  # noqa: E402
from talentsync_tui.store import Store  # noqa: E402

TAGS = ["arrays", "graphs", "sql", "caching", "testing", "async", "teamwork", "security", "cloud", "ml"]


def generated_module(n: int) -> Module:
    rng = random.Random(0)
    return Module(
        id="bench", name="Bench", category="Bench",
        questions=[
            Question(
                id=f"q{i}", text=f"Generated question {i} about {rng.choice(TAGS)}?",
                difficulty=rng.choice(["easy", "medium", "hard"]),
                type=rng.choice(["technical", "coding", "behavioral", "system_design"]),
                tags=rng.sample(TAGS, 2), expected_seconds=rng.randint(60, 600),
                expected_points=[f"point {i}.{j}" for j in range(3)],
                follow_ups=[f"Follow-up {i}?", f"Another follow-up {i}?"],
            )
            for i in range(n)
        ],
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def ms(seconds: list[float]) -> tuple[float, float]:
    return pct(seconds, 0.5) * 1000, pct(seconds, 0.99) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        store = Store(db_path)
        module = generated_module(args.questions)
        t0 = time.perf_counter()
        store.import_modules([module])
        import_s = time.perf_counter() - t0
        engine = SessionEngine(store)
        profile = store.save_profile(Profile(name="Bench"))

        t0 = time.perf_counter()
        engine.create_session(profile.id, SessionConfig(module_ids=["bench"], target_minutes=60, seed=0))
        cold_seed = time.perf_counter() - t0  # first seed reads all 10,000 stubs
        seed_times = []
        for seed in range(1, 21):
            t0 = time.perf_counter()
            engine.create_session(profile.id, SessionConfig(module_ids=["bench"], target_minutes=60, seed=seed))
            seed_times.append(time.perf_counter() - t0)

        session = engine.create_session(
            profile.id, SessionConfig(module_ids=["bench"], target_count=args.rounds + 5, seed=99,
                                      follow_ups=False)
        )
        next_times, submit_times = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            item = engine.next_question(session.id)
            next_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            engine.submit_answer(session.id, item.id, "a short answer about caching and graphs")
            submit_times.append(time.perf_counter() - t0)

        raw = sqlite3.connect(db_path)
        raw_times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            raw.execute(
                "SELECT * FROM session_items WHERE session_id = ? AND status = 'pending' "
                "ORDER BY position LIMIT 1", [session.id]
            ).fetchone()
            raw_times.append(time.perf_counter() - t0)
        store.close()

    base50, base99 = ms(raw_times)
    rows = [
        ("raw indexed SELECT (baseline)", *ms(raw_times)),
        ("engine.next_question", *ms(next_times)),
        ("engine.submit_answer (+job, +next)", *ms(submit_times)),
        ("create_session, first (cold)", cold_seed * 1000, cold_seed * 1000),
        ("create_session, later (60 min)", *ms(seed_times)),
    ]
    print(f"bank: {args.questions} questions, import {import_s:.2f} s, {args.rounds} rounds")
    print(f"{'operation':38} {'p50 ms':>9} {'p99 ms':>9} {'p50/baseline':>13}")
    for name, p50, p99 in rows:
        print(f"{name:38} {p50:9.3f} {p99:9.3f} {p50 / base50:12.1f}x")


if __name__ == "__main__":
    main()
