"""Quit benchmark: how long `TalentSync.close()` and ctrl+q take when work is in flight.

- close() while a feedback job waits on a fake generation that would take 60 s
  (cancellable like the real model), and while a plain job is being scored;
- close() while the real bundled model (Gemma 3 270M) is generating (`--real`;
  needs the model assembled, e.g. by `talentsync model status`);
- ctrl+q on the loading screen while the core takes 10 s to open (headless app):
  time from the key press to `run()` returning.

Baseline in the same run: close() of an idle TalentSync. Target: 1 s. Asserts nothing.

    .venv/bin/python bench/bench_quit.py [--rounds 5] [--real]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TALENTSYNC_LOAD_BUNDLED_BANKS", "true")

from talentsync_tui.ai.runtime import AIRuntime  # noqa: E402
from talentsync_tui.ai.testing import FakeLLM  # noqa: E402
from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.services import TalentSync, default_config  # noqa: E402

ANSWER = "I put a Redis cache in front of PostgreSQL and measured the p99 latency with Grafana."


def opened(llm=None):
    settings = load_settings(Path(tempfile.mkdtemp()), feedback_workers=1, ai_enabled=llm is not None,
                             followup_model=True)
    ts = TalentSync.open(settings, start_workers=False, ai=False)
    if llm is not None:
        ts.use_ai(AIRuntime(settings, ts.store, llm=llm))
    profile = ts.create_profile("Bench")
    session = ts.start_session(profile.id, default_config(["system-design"], count=2, seed=1))
    return ts, session


def submit(ts, session) -> None:
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, ANSWER)


def wait(predicate, timeout=120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the job to start")
        time.sleep(0.005)


def close_idle() -> float:
    ts, _ = opened()
    ts.workers.start()
    started = time.perf_counter()
    ts.close()
    return time.perf_counter() - started


def close_with_fake_generation() -> float:
    llm = FakeLLM("{}", delay=60.0)
    ts, session = opened(llm)
    submit(ts, session)
    ts.workers.start()
    wait(lambda: llm.prompts)
    started = time.perf_counter()
    ts.close()
    return time.perf_counter() - started


def close_while_scoring() -> float:
    ts, session = opened()
    entered = threading.Event()
    real = ts.workers.scorer

    def slow(*args, **kwargs):
        entered.set()
        time.sleep(3.0)  # a slow scorer that nothing can cancel
        return real(*args, **kwargs)

    ts.workers.scorer = slow
    submit(ts, session)
    ts.workers.start()
    entered.wait(30)
    started = time.perf_counter()
    ts.close()
    return time.perf_counter() - started


def close_with_real_model() -> float:
    from talentsync_tui.ai.models import LocalLLM, assemble_bundled, default_cache_dir, ModelChoice

    path = assemble_bundled(default_cache_dir())
    llm = LocalLLM(ModelChoice(path, "bundled"), n_threads=1, n_ctx=1024, probe=False)
    assert llm.load(), llm.error
    in_generation = threading.Event()
    real_generate = llm._generate

    ended: list[float] = []

    def spy(*args, **kwargs):
        in_generation.set()
        try:
            return real_generate(*args, **kwargs)
        finally:
            ended.append(time.perf_counter())

    llm._generate = spy
    ts, session = opened(llm)
    submit(ts, session)
    ts.workers.start()
    in_generation.wait(60)
    time.sleep(1.5)  # past the prompt, into token generation
    started = time.perf_counter()
    ts.close()
    took = time.perf_counter() - started
    wait(lambda: ended, timeout=30)
    print(f"    (the generation ended {ended[0] - started:.3f} s after close() began)")
    return took


def quit_while_opening() -> float:
    from talentsync_tui.tui.app import TalentSyncApp

    release = threading.Event()

    def slow_factory():
        release.wait(10)
        raise RuntimeError("never opened")

    app = TalentSyncApp(slow_factory, cursor_blink=False)
    pressed: list[float] = []

    async def pilot_fn(pilot):
        while not app.opening:
            await asyncio.sleep(0.01)
        pressed.append(time.perf_counter())
        await pilot.press("ctrl+q")

    app.run(headless=True, size=(80, 24), auto_pilot=pilot_fn)
    app.opened()
    took = time.perf_counter() - pressed[0]
    release.set()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--real", action="store_true", help="also measure with the bundled model")
    args = parser.parse_args()
    cases = [("close(), idle (baseline)", close_idle),
             ("close(), fake 60 s generation in flight", close_with_fake_generation),
             ("close(), uncancellable 3 s scorer in flight", close_while_scoring),
             ("ctrl+q while the core opens (10 s)", quit_while_opening)]
    if args.real:
        cases.append(("close(), Gemma 3 270M generating", close_with_real_model))
    print(f"{'case':48} {'median':>8} {'max':>8}   (target 1 s, {args.rounds} rounds)")
    for name, fn in cases:
        times = [fn() for _ in range(args.rounds)]
        print(f"{name:48} {statistics.median(times):7.3f}s {max(times):7.3f}s")


if __name__ == "__main__":
    main()
