"""TUI benchmarks: cold start vs a minimal Textual app, and event-loop stalls during feedback.

Run: .venv/bin/python bench/bench_tui.py [--runs 7] [--coach] [--stall-only]
Prints numbers only (targets: start ratio <= 1.5x, longest stall < 50 ms); asserts nothing.

Cold start is timed from spawning the process to the first frame being painted (a
callback after the first screen refresh, the same hook in both apps; the pilot's
helpers are not used because they wait for an idle CPU). TalentSync paints its home
screen in a "loading" state and opens the core in a thread worker afterwards, so the
time until the home screen shows its data is reported as well.
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
CORE = ("talentsync_tui.services", "talentsync_tui.store", "talentsync_tui.config",
        "talentsync_tui.models", "pydantic", "pydantic_settings", "sqlite_utils", "numpy")

MINIMAL_APP = """
import time
from textual.app import App
from textual.widgets import Static

marks = {}

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.painted)

    def painted(self):
        marks["first"] = time.monotonic()
        self.exit()

Minimal().run(headless=True, size=(100, 30))
print(f"FIRST={marks['first']!r}")
"""

# The TalentSync child writes its results to a file (argv[2]), not stdout: llama-cpp-python
# points fds 1 and 2 at /dev/null while a model loads (verbose=False), process-wide, and the
# AI runtime may be loading one in a background thread when the child exits.

# What `run_app` does, headless. {SETTINGS}: build Settings before the app runs, as the
# CLI does today (`run_app(load_settings(...))`), or inside the factory (lazy). {SOURCE}:
# `open_core` (a factory, run in the app's worker) or `open_core()` (opened before the app
# runs, as run_app did before the factory: the "before" number).
TALENTSYNC_APP = """
import sys
import time
from pathlib import Path
{SETTINGS}
from talentsync_tui.tui.app import TalentSyncApp

marks = {{}}

def open_core():
    from talentsync_tui.services import TalentSync

    return TalentSync.open(load())

class Bench(TalentSyncApp):
    def on_mount(self):  # runs before TalentSyncApp.on_mount: same hook as the minimal app
        self.call_after_refresh(self.painted)

    def painted(self):
        marks["first"] = time.monotonic()
        marks["core_at_first"] = sorted(m for m in {CORE!r} if m in sys.modules)
        self.set_interval(0.005, self.filled)

    def filled(self):  # demo mode: the home screen has data once a profile is chosen
        if self.profile_id is not None and "home" not in marks:
            marks["home"] = 0.0
            self.screen.call_after_refresh(self.home_painted)

    def home_painted(self):
        marks["home"] = time.monotonic()
        self.exit()

app = Bench({SOURCE}, demo=True)
try:
    app.run(headless=True, size=(100, 30))
finally:
    ts = app.opened()
    if ts is not None:
        ts.close()
heavy = sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in {HEAVY!r}}})
Path(sys.argv[2]).write_text("FIRST=%r HOME=%r\\nCORE_AT_FIRST=%s\\nHEAVY=%s\\n" % (
    marks["first"], marks["home"], ",".join(marks["core_at_first"]), ",".join(heavy)))
"""
SETTINGS_FIRST = """
from talentsync_tui.config import load_settings
settings = load_settings(Path(sys.argv[1]), feedback_workers=1)
load = lambda: settings
"""
SETTINGS_LAZY = """
def load():
    from talentsync_tui.config import load_settings
    return load_settings(Path(sys.argv[1]), feedback_workers=1)
"""


def time_process(code: str, *args: str, results: Path | None = None) -> tuple[float, float, str]:
    """(spawn-to-exit seconds, spawn time on the monotonic clock, output).

    The output is stdout, or the text of `results` (passed as the last argument).
    """
    argv = [sys.executable, "-c", code, *args] + ([str(results)] if results else [])
    if results is not None:
        results.unlink(missing_ok=True)
    spawned = time.monotonic()  # CLOCK_MONOTONIC: the child's time.monotonic() is comparable
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or (results is not None and not results.exists()):
        raise SystemExit(f"benchmark child failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed, spawned, results.read_text() if results is not None else result.stdout


def marks(out: str) -> dict[str, str]:
    found = {}
    for line in out.splitlines():
        for part in line.split(" "):
            key, sep, value = part.partition("=")
            if sep:
                found[key] = value
    return found


def bench_cold_start(runs: int) -> None:
    """Medians over interleaved runs, so machine noise hits every variant alike."""
    home = tempfile.mkdtemp(prefix="talentsync-bench-")
    results = Path(home) / "bench-results.txt"
    variants = {
        "lazy": TALENTSYNC_APP.format(SETTINGS=SETTINGS_LAZY, SOURCE="open_core", CORE=CORE,
                                      HEAVY=set(HEAVY)),
        "eager": TALENTSYNC_APP.format(SETTINGS=SETTINGS_FIRST, SOURCE="open_core", CORE=CORE,
                                       HEAVY=set(HEAVY)),
        "opened": TALENTSYNC_APP.format(SETTINGS=SETTINGS_FIRST, SOURCE="open_core()", CORE=CORE,
                                        HEAVY=set(HEAVY)),
    }
    time_process(variants["lazy"], home, results=results)  # creates the database, imports banks
    minimal_first, minimal_exit = [], []
    ours: dict[str, dict[str, list[float]]] = {name: {} for name in variants}
    out = ""
    for _ in range(runs):
        elapsed, spawned, text = time_process(MINIMAL_APP)
        minimal_first.append(float(marks(text)["FIRST"]) - spawned)
        minimal_exit.append(elapsed)
        for name, code in variants.items():
            elapsed, spawned, out_ = time_process(code, home, results=results)
            found = marks(out_)
            runs_of = ours[name]
            runs_of.setdefault("first", []).append(float(found["FIRST"]) - spawned)
            runs_of.setdefault("home", []).append(float(found["HOME"]) - spawned)
            runs_of.setdefault("exit", []).append(elapsed)
            if name == "lazy":
                out = out_
    found = marks(out)
    parts = {}
    for label, module in (("import textual.app", "textual.app"),
                          ("import talentsync_tui.tui.app", "talentsync_tui.tui.app"),
                          ("import talentsync_tui.config", "talentsync_tui.config"),
                          ("import talentsync_tui.services (core)", "talentsync_tui.services"),
                          ("import talentsync_tui.cli", "talentsync_tui.cli")):
        parts[label] = statistics.median(
            time_process(f"import {module}")[0] for _ in range(runs))
    bare = statistics.median(time_process("pass")[0] for _ in range(runs))
    m = statistics.median(minimal_first)
    med = {name: {k: statistics.median(v) for k, v in d.items()} for name, d in ours.items()}
    ms = lambda seconds: f"{seconds * 1000:7.0f} ms"  # noqa: E731
    print(f"cold start, median of {runs} (process spawn to first frame painted):")
    minimal_to_exit = ms(statistics.median(minimal_exit)).strip()
    print(f"  minimal Textual app                     : {ms(m)}   (to exit {minimal_to_exit})")
    print(f"  TalentSync, factory loads settings      : {ms(med['lazy']['first'])}   "
          f"ratio {med['lazy']['first'] / m:4.2f}x (target <= 1.5x)")
    print(f"  TalentSync, Settings built before run   : {ms(med['eager']['first'])}   "
          f"ratio {med['eager']['first'] / m:4.2f}x (run_app(load_settings(...)): the CLI today)")
    print(f"  core opened before the app (old way)    : {ms(med['opened']['first'])}   "
          f"ratio {med['opened']['first'] / m:4.2f}x (before the factory: for comparison)")
    eager_home, lazy_exit = ms(med["eager"]["home"]).strip(), ms(med["lazy"]["exit"]).strip()
    print(f"  home screen with its data (factory)     : {ms(med['lazy']['home'])}   "
          f"(Settings first: {eager_home}; old way: {ms(med['opened']['home']).strip()}; "
          f"to exit {lazy_exit})")
    print(f"  core modules loaded at the first frame  : {found.get('CORE_AT_FIRST') or 'none'}")
    print(f"  heavy modules loaded by exit            : {found.get('HEAVY') or 'none'}")
    print(f"  breakdown (process wall time, median): bare python {bare * 1000:.0f} ms")
    for label, seconds in parts.items():
        print(f"    {label:38}: {seconds * 1000:6.0f} ms")


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


async def measure_stall(job_seconds: float, cpu: bool, coach: bool = False) -> tuple[float, int, bool]:
    from textual import events

    from talentsync_tui.config import load_settings
    from talentsync_tui.services import TalentSync, default_config
    from talentsync_tui.tui.app import TalentSyncApp

    clock = Clock()
    # Without `coach`, no local AI: this measures the UI against a slow grading step.
    # With `coach`, the real coach model (2 threads on 2 cores) judges the answer while
    # the candidate types: the stall that matters in practice.
    ts = TalentSync.open(load_settings(Path(tempfile.mkdtemp()), feedback_workers=1,
                                       ai_enabled=coach), clock=clock)
    if coach:
        assert ts.ai is not None and await asyncio.to_thread(ts.ai.wait_ready, 300), "the model did not load"
    running, finished = threading.Event(), threading.Event()
    # "finished" is set when grading returns; the UI's reaction to the result
    # (a toast, the feedback panel) is ordinary work and not counted as a stall.
    grader = ts.workers.grader
    real = grader.grade

    def slow_grade(*args, **kwargs):
        running.set()
        if not coach:
            busy(job_seconds) if cpu else time.sleep(job_seconds)
        result = real(*args, **kwargs)
        finished.set()
        return result

    grader.grade = slow_grade
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
            area.insert("An answer that will be scored slowly: lists are mutable and tuples are not, "
                        "so tuples of hashable items can be dictionary keys and lists cannot.")
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


def bench_stall(coach: bool) -> None:
    print("event-loop stall while a slow feedback job runs (10 ms tick, typing throughout):")
    cases = [("sleeping job 2 s", 2.0, False, False), ("CPU-bound job 2 s", 2.0, True, False)]
    if coach:
        cases.append(("real coach model", 0.0, False, True))
    for label, seconds, cpu, real in cases:
        stall, react, typed, kept = asyncio.run(measure_stall(seconds, cpu, real))
        print(f"  {label:18}: longest stall {stall * 1000:6.1f} ms   (target < 50 ms); "
              f"{typed} keys typed meanwhile, all kept: {kept}; "
              f"showing the result took {react * 1000:.1f} ms at most")
        if real:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  peak RSS of the app with the coach model, embeddings and index: {peak:.0f} MB "
                  "(target 2048 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--coach", action="store_true",
                        help="also measure stalls while the real coach model grades an answer")
    parser.add_argument("--stall-only", action="store_true", help="skip the cold-start runs")
    args = parser.parse_args()
    if not args.stall_only:
        bench_cold_start(args.runs)
    bench_stall(args.coach)


if __name__ == "__main__":
    main()
