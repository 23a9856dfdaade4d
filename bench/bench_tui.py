"""TUI benchmarks: cold start vs a minimal Textual app, and event-loop stalls during feedback.

Run: .venv/bin/python bench/bench_tui.py [--runs 7]
Prints numbers only (targets: start ratio <= 1.5x, longest stall < 50 ms); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("chromadb", "llama_cpp", "onnxruntime", "torch", "tokenizers", "numpy", "plotext")

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

async def first_screen(pilot):
    await pilot.pause()
    pilot.app.exit()

Minimal().run(headless=True, auto_pilot=first_screen, size=(100, 30))
"""

TALENTSYNC_APP = """
import sys
from pathlib import Path
from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync
from talentsync_tui.tui.app import TalentSyncApp

ts = TalentSync.open(load_settings(Path(sys.argv[1]), feedback_workers=1))

async def first_screen(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the home screen's data is on screen
    await pilot.pause()
    pilot.app.exit()

try:
    TalentSyncApp(ts, demo=True).run(headless=True, auto_pilot=first_screen, size=(100, 30))
finally:
    ts.close()
heavy = [m for m in sys.modules if m.split(".")[0] in {HEAVY!r}]
print("HEAVY=" + ",".join(sorted({{m.split(".")[0] for m in heavy}})))
"""


def time_process(code: str, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def bench_cold_start(runs: int) -> None:
    """Medians of whole-process wall times: interpreter start to first screen and exit."""
    home = tempfile.mkdtemp(prefix="talentsync-bench-")
    talentsync_code = TALENTSYNC_APP.format(HEAVY=set(HEAVY))
    _, first = time_process(talentsync_code, home)  # creates the database and imports the banks
    minimal, ours = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        minimal.append(time_process(MINIMAL_APP)[0])
        elapsed, out = time_process(talentsync_code, home)
        ours.append(elapsed)
    heavy = out.strip().rpartition("HEAVY=")[2] or "none"
    parts = {}
    for label, module in (("import textual.app", "textual.app"),
                          ("import talentsync_tui.services (core)", "talentsync_tui.services"),
                          ("import talentsync_tui.tui.app", "talentsync_tui.tui.app")):
        parts[label] = statistics.median(
            time_process(f"import {module}")[0] for _ in range(runs))
    bare = statistics.median(time_process("pass")[0] for _ in range(runs))
    m, t = statistics.median(minimal), statistics.median(ours)
    print(f"cold start, median of {runs} (process start to first screen and exit):")
    print(f"  minimal Textual app : {m * 1000:7.0f} ms")
    print(f"  TalentSync home     : {t * 1000:7.0f} ms")
    print(f"  ratio               : {t / m:7.2f}x   (target <= 1.5x)")
    print(f"  heavy modules loaded: {heavy}")
    print(f"  breakdown (process wall time, median): bare python {bare * 1000:.0f} ms")
    for label, seconds in parts.items():
        print(f"    {label:38}: {seconds * 1000:6.0f} ms")
    del first


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 1, 6, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def busy(seconds: float) -> None:
    """Pure-Python CPU work: holds the GIL like a model-free scorer would."""
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += sum(i * i for i in range(200))


async def measure_stall(job_seconds: float, cpu: bool) -> tuple[float, int, bool]:
    from textual import events

    from talentsync_tui.config import load_settings
    from talentsync_tui.services import TalentSync, default_config
    from talentsync_tui.tui.app import TalentSyncApp

    clock = Clock()
    ts = TalentSync.open(load_settings(Path(tempfile.mkdtemp()), feedback_workers=1), clock=clock)
    running, finished = threading.Event(), threading.Event()
    # "finished" is set when the scorer returns; the UI's reaction to the result
    # (a toast, the feedback panel) is ordinary work and not counted as a stall.
    real = ts.workers.scorer

    def slow_scorer(*args, **kwargs):
        running.set()
        busy(job_seconds) if cpu else time.sleep(job_seconds)
        result = real(*args, **kwargs)
        finished.set()
        return result

    ts.workers.scorer = slow_scorer
    profile = ts.create_profile("Bench")
    session = ts.start_session(profile.id, default_config(["python"], count=3, seed=1))
    app = TalentSyncApp(ts, cursor_blink=False)
    gaps: list[float] = []
    reaction: list[float] = []
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_session(session.id, finished=False)
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            area = app.screen.query_one("#answer")
            area.insert("An answer that will be scored slowly.")
            last = [time.perf_counter()]

            def tick() -> None:
                now = time.perf_counter()
                if running.is_set() and not finished.is_set():
                    gaps.append(now - last[0])  # while the job is at work
                elif finished.is_set():
                    reaction.append(now - last[0])  # the UI showing the feedback
                last[0] = now

            app.set_interval(0.01, tick)
            app.post_message(events.Key("ctrl+s", None))  # submit: the slow job starts
            while not running.is_set():
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)  # the next question is on screen
            typed = [0]

            def type_a() -> None:
                # Key events posted to the app, as the terminal driver does: the pilot's
                # own helpers wait for an idle CPU, which a CPU-bound job never gives.
                if not finished.is_set():
                    app.post_message(events.Key("a", "a"))
                    typed[0] += 1

            typist = app.set_interval(0.03, type_a)
            while not finished.is_set():
                await asyncio.sleep(0.02)
            typist.stop()
            await asyncio.sleep(0.3)
            text = app.screen.query_one("#answer").text
            kept = text.count("a") >= typed[0]
            typed = typed[0]
    finally:
        ts.close()
    stall = max(gaps) - 0.01 if gaps else 0.0
    react = max(reaction) - 0.01 if reaction else 0.0
    return stall, react, typed, kept


def bench_stall() -> None:
    print("event-loop stall while a slow feedback job runs (10 ms tick, typing throughout):")
    for label, seconds, cpu in (("sleeping job 2 s", 2.0, False), ("CPU-bound job 2 s", 2.0, True)):
        stall, react, typed, kept = asyncio.run(measure_stall(seconds, cpu))
        print(f"  {label:18}: longest stall {stall * 1000:6.1f} ms   (target < 50 ms); "
              f"{typed} keys typed meanwhile, all kept: {kept}; "
              f"showing the result took {react * 1000:.1f} ms at most")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bench_cold_start(args.runs)
    bench_stall()


if __name__ == "__main__":
    main()
