"""Report benchmark: render a 30-question session as Markdown, JSON and HTML; export and import a bundle.

The session (a generated module, answers, follow-ups and feedback) is fake and
deterministic; no model runs. Baselines in the same run: `json.dumps` of the
same report data (what any rendering must at least do) and, for bundles,
`json.dumps`/`json.loads` of the same session records. Prints a table; asserts nothing.

    .venv/bin/python bench/bench_report.py [--questions 30] [--rounds 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.engine.followups import FollowUp  # noqa: E402
from talentsync_tui.feedback.report import build_report, render_json, render_markdown  # noqa: E402
from talentsync_tui.models import Feedback, Module, Question  # noqa: E402
from talentsync_tui.reports.bundle import read_bundle, write_bundle  # noqa: E402
from talentsync_tui.reports.html import render_html  # noqa: E402
from talentsync_tui.services import TalentSync, default_config  # noqa: E402
from talentsync_tui.store import Store  # noqa: E402

WORDS = ("index cache latency queue replica shard lock batch retry timeout budget schema "
         "trade-off rollback metric alert <script> [bold] owner customer result").split()


def words(seed: int, n: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n))


def module(n: int) -> Module:
    return Module(id="bench", name="Bench", category="Bench", questions=[
        Question(id=f"q{i}", text=f"Question {i}: how would you handle {words(i, 8)}?",
                 difficulty=("easy", "medium", "hard")[i % 3], type="technical", tags=["bench", f"t{i % 4}"],
                 expected_seconds=120 + i, expected_points=[f"Point {i}.{j}: {words(i + j, 6)}" for j in range(5)],
                 model_answer=f"Model answer {i}. " + words(i, 120), follow_ups=[f"Why {i}?"])
        for i in range(n)
    ])


def fake_feedback(response_id: int, points: list[str], answer: str, i: int) -> Feedback:
    covered = [p for j, p in enumerate(points) if (i + j) % 3]
    missed = [p for p in points if p not in covered]
    sentence = answer.split(". ")[0]
    return Feedback(
        response_id=response_id, score=(i * 37) % 101, coverage=len(covered) / max(len(points), 1),
        covered_points=covered, missed_points=missed, timing="on time", summary=f"Covered {len(covered)} points.",
        improvements=[f"Add: {p}" for p in missed][:3],
        details={"covered": [{"point": p, "evidence": sentence} for p in covered],
                 "missed": [{"point": p, "advice": p, "example": "see the model answer"} for p in missed]},
    )


def build_session(ts: TalentSync, n: int, now: datetime) -> int:
    ts.store.import_modules([module(n)])
    profile = ts.create_profile("Bench Candidate")
    session = ts.start_session(profile.id, default_config(["bench"], count=n, seed=1))
    engine = ts.engine
    index = 0
    while (item := ts.current_question(session.id)) is not None:
        answer = f"{words(index, 40)}. {words(index + 1, 60)}. {words(index + 2, 30)}."
        ts.submit_answer(session.id, item.id, answer)
        if item.kind.value == "core" and index % 3 == 0:
            engine.queue_follow_up(item, FollowUp(text=f"Follow-up on {words(index, 6)}?", source="template"))
        job = ts.store.claim_job(now)
        response = ts.store.get_response(job.response_id)
        ts.store.save_feedback(job.id, fake_feedback(response.id, item.expected_points, answer, index), now)
        index += 1
    return session.id


def timed(fn, rounds: int) -> float:
    """Median seconds of `fn()` over `rounds` runs."""
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    now = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    clock_state = {"now": now}

    def clock() -> datetime:
        clock_state["now"] += timedelta(seconds=40)
        return clock_state["now"]

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp) / "home", load_bundled_banks=False)
        ts = TalentSync.open(settings, start_workers=False, clock=clock, ai=False)
        session_id = build_session(ts, args.questions, now)
        report = build_report(ts.store, session_id, now)
        data = report.model_dump(mode="json")
        records = ts.store.session_records()
        record_dicts = [r.model_dump(mode="json") for r in records]
        record_text = json.dumps(record_dicts)
        bundle = Path(tmp) / "bench.jsonl.gz"
        write_bundle(bundle, records, origin="bench", app_version="bench", now=now)
        html = render_html(report)
        parsed = read_bundle(bundle).sessions
        stores = [Store(Path(tmp) / f"import-{n}.db") for n in range(max(5, args.rounds // 5))]

        def import_into_fresh_databases() -> float:
            """Median seconds of writing the parsed sessions into a new, empty database."""
            samples = []
            for store in stores:
                t0 = time.perf_counter()
                store.import_records(parsed, now)
                samples.append(time.perf_counter() - t0)
                store.close()
            return statistics.median(samples)

        rows = []
        baseline = timed(lambda: json.dumps(data), args.rounds)
        rows.append(("json.dumps of the report data (baseline)", baseline, 1.0))
        for name, fn in (("build the report from the database", lambda: build_report(ts.store, session_id, now)),
                         ("render Markdown", lambda: render_markdown(report)),
                         ("render JSON (pydantic, indented)", lambda: render_json(report)),
                         ("render HTML (Jinja2 + SVG chart)", lambda: render_html(report))):
            seconds = timed(fn, args.rounds)
            rows.append((name, seconds, seconds / baseline))
        dumps = timed(lambda: json.dumps(record_dicts), args.rounds)
        rows.append(("json.dumps of the session records (baseline)", dumps, 1.0))
        export = timed(lambda: write_bundle(bundle, ts.store.session_records(), origin="bench",
                                            app_version="bench", now=now), args.rounds)
        rows.append(("bundle export (read records + gzip JSONL file)", export, export / dumps))
        loads = timed(lambda: json.loads(record_text), args.rounds)
        rows.append(("json.loads of the session records (baseline)", loads, 1.0))
        read = timed(lambda: read_bundle(bundle), args.rounds)
        rows.append(("bundle read + strict validation", read, read / loads))
        write = import_into_fresh_databases()
        rows.append(("bundle import: write the sessions in one transaction", write, write / loads))
        ts.close()

    items = len(report.items)
    print(f"{args.questions} questions ({items} with follow-ups), median of {args.rounds} rounds; "
          f"HTML {len(html) / 1024:.0f} KB, bundle {bundle_size(records) / 1024:.0f} KB gzip, "
          f"JSON {len(record_text) / 1024:.0f} KB\n")
    print(f"{'operation':58} {'median':>10} {'x baseline':>11}")
    for name, seconds, ratio in rows:
        print(f"{name:58} {seconds * 1000:8.2f} ms {ratio:10.1f}x")


def bundle_size(records) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "size.jsonl.gz"
        write_bundle(path, records, origin="bench", app_version="bench",
                     now=datetime(2026, 1, 5, tzinfo=timezone.utc))
        return path.stat().st_size


if __name__ == "__main__":
    main()
