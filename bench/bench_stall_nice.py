"""Does running the coach's threads at a lower CPU priority keep the UI's event loop responsive?

Run: .venv/bin/python bench/bench_stall_nice.py [--runs 3] [--variants nonice,nice]

Each run is a fresh process doing what `bench_tui.py --coach --stall-only` does for
the real coach (load the model, submit an answer, type while the coach grades it)
and printing the longest event-loop stall during grading, its p99 and p50, the keys
typed and kept, the load average before the run, and the nice value and CPU time of
the busiest threads. Variants (interleaved, so machine noise hits each alike):

  nice          the app as it is: threads that call llama.cpp lower themselves to nice
                10 (`ai.models.lower_thread_priority`) before their first call, so the
                OpenMP workers they start inherit it; onnxruntime's session is created
                in a thread at nice 10, so its intra-op threads inherit it too
  nonice        the same with `lower_thread_priority` made a no-op (everything at nice 0)
  nice-passive  nice, plus OMP_WAIT_POLICY=PASSIVE (idle OpenMP workers sleep at once
                instead of spinning)
  nice-spin0    nice, plus GOMP_SPINCOUNT=0

Prints numbers only; Linux only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

ENVS = {
    "nice": {},
    "nonice": {},
    "nice-passive": {"OMP_WAIT_POLICY": "PASSIVE"},
    "nice-spin0": {"GOMP_SPINCOUNT": "0"},
}


def disable_nice() -> None:
    from talentsync_tui.ai import models

    models.lower_thread_priority = lambda *args, **kwargs: None


def thread_table() -> dict[int, tuple[str, int, int]]:
    """tid -> (name, nice, utime+stime ticks) for every thread of this process."""
    table = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # fields[0] is field 3 (state): utime is field 14, stime 15, nice 19
        table[int(tid)] = (name, int(fields[16]), int(fields[11]) + int(fields[12]))
    return table


def child(variant: str) -> None:
    import bench_tui

    if variant == "nonice":
        disable_nice()
    before = thread_table()
    seen: dict[int, tuple[str, int, int]] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            seen.update(thread_table())  # the last value of each thread, even after it ends
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    gaps: list[float] = []
    real_measure = bench_tui.measure_stall

    # Keep every gap (measure_stall only returns the max): wrap app.set_interval's tick.
    import textual.app

    original_set_interval = textual.app.App.set_interval

    def set_interval(self, interval, callback=None, *args, **kwargs):
        if interval == 0.01 and callback is not None and callback.__name__ == "tick":
            last = [time.perf_counter()]
            inner = callback

            def tick() -> None:
                now = time.perf_counter()
                gaps.append((now, now - last[0]))
                last[0] = now
                inner()

            tick.__name__ = "tick"
            callback = tick
        return original_set_interval(self, interval, callback, *args, **kwargs)

    textual.app.App.set_interval = set_interval
    from talentsync_tui.feedback.grader import Grader

    window: list[float] = []
    original_grade = Grader.grade

    def grade(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original_grade(self, *args, **kwargs)
        finally:
            window[:] = [started, time.perf_counter()]

    Grader.grade = grade
    stall, react, typed, kept = asyncio.run(real_measure(0.0, False, True))
    during = [gap - 0.01 for at, gap in gaps if window and window[0] < at <= window[1]]
    stop.set()
    sampler.join()
    seen.update(thread_table())
    busy = sorted(((ticks - before.get(tid, (name, 0, 0))[2], name, nice, tid)
                   for tid, (name, nice, ticks) in seen.items()), reverse=True)[:6]
    print(json.dumps({"variant": variant, "stall_ms": round(stall * 1000, 1), "typed": typed, "kept": kept,
                      "p99_ms": round(percentile(during, 0.99) * 1000, 1),
                      "p50_ms": round(percentile(during, 0.5) * 1000, 1), "ticks": len(during),
                      "grade_s": round(window[1] - window[0], 1) if window else None,
                      "busy_threads": [(name, nice, cpu_ticks) for cpu_ticks, name, nice, _ in busy]}))


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="nonice,nice")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    variants = args.variants.split(",")
    for run in range(args.runs):
        for variant in variants:
            load = os.getloadavg()
            env = {**os.environ, **ENVS[variant]}
            started = time.perf_counter()
            out = subprocess.run([sys.executable, __file__, "--child", variant], cwd=REPO, env=env,
                                 capture_output=True, text=True, timeout=1800)
            line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
            if line is None:
                print(f"run {run + 1} {variant}: failed\n{out.stderr[-1500:]}")
                continue
            result = json.loads(line)
            print(f"run {run + 1} {variant:13} load avg {load[0]:.2f} {load[1]:.2f}: longest stall "
                  f"{result['stall_ms']:6.1f} ms, p99 {result['p99_ms']:5.1f} ms, p50 {result['p50_ms']:4.1f} ms over "
                  f"{result['ticks']} ticks, grading {result['grade_s']} s, {result['typed']} keys typed, all kept: {result['kept']}"
                  f" ({time.perf_counter() - started:.0f} s); busiest threads (name, nice, CPU ticks): "
                  f"{result['busy_threads']}", flush=True)


if __name__ == "__main__":
    main()
