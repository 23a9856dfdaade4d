"""Where the app's memory goes: RSS, anonymous memory, USS/PSS and peaks, stage by stage.

Run: .venv/bin/python bench/bench_memory.py [--answers 2] [--top 8] [--json FILE]
(from another checkout, `cd` there first: the package in the current directory is measured)

One process, a fresh data dir, the stages in the order the parts load:

  imports   the core (services) and the heavy libraries (llama_cpp, onnxruntime, chromadb)
  embedder  all-MiniLM-L6-v2 int8 in onnxruntime (`MiniLMEmbedding(threads=1).load()`)
  index     the embedded Chroma index opened and synced with the bundled banks
  model     the coach model, through `TalentSync.grader()` (it loads the model in this
            thread; its embedder is the one above: encoders are shared per (files, threads))
  grading   `TalentSync.grade()` on a few dev-set answers with the real coach

For each stage: RSS, RssAnon (heap, malloc arenas, anonymous mmaps: what the
process really costs), RssFile (file-backed pages, mostly the mmap'd 1.1 GB
model: shared and reclaimable), USS and PSS (/proc/self/smaps_rollup), and the
stage's own peak RSS and peak anonymous RSS (the peak RSS is reset before each
stage with /proc/self/clear_refs; anonymous peak is sampled every 5 ms). The
run's peak RSS is the largest stage peak (what `ru_maxrss` reports in
bench_tui.py; resetting VmHWM resets `ru_maxrss` too).

`--llama use_mmap=False` (any `llama_cpp.Llama` keyword, repeatable) tries a
model setting without editing ai/models.py; set `MALLOC_ARENA_MAX=2` in the
environment to try fewer glibc malloc arenas.

`--top N` lists the N largest anonymous mappings after the grading stage (glibc
malloc arenas show up as 64 MB-aligned regions). Linux only; prints numbers,
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The checkout measured: the current directory when it holds the package (to measure
# another branch with this script), else this script's own.
CODE = Path.cwd() if (Path.cwd() / "talentsync_tui").is_dir() else REPO
sys.path.insert(0, str(CODE))

MB = 1024 * 1024


def _kb_fields(path: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with open(path, encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            parts = rest.split()
            if len(parts) == 2 and parts[1] == "kB":
                out[key.strip()] = int(parts[0]) * 1024
    return out


def memory() -> dict[str, int]:
    status = _kb_fields("/proc/self/status")
    rollup = _kb_fields("/proc/self/smaps_rollup")
    return {
        "rss": status["VmRSS"],
        "anon": status["RssAnon"],
        "file": status["RssFile"],
        "hwm": status["VmHWM"],
        "uss": rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0),
        "pss": rollup.get("Pss", 0),
        "pss_anon": rollup.get("Pss_Anon", 0),
        "threads": len(os.listdir("/proc/self/task")),
    }


def reset_peak() -> None:
    """Reset VmHWM (the peak RSS) to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        pass


class AnonSampler:
    """The largest RssAnon seen while a stage runs (the kernel keeps no anonymous peak)."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="anon-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, _kb_fields("/proc/self/status")["RssAnon"])
            except OSError:
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> AnonSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _kb_fields("/proc/self/status")["RssAnon"])


def top_anonymous(n: int) -> list[tuple[int, int, str]]:
    """(rss, size, label) of the n largest anonymous mappings by resident size."""
    found: list[tuple[int, int, str]] = []
    current: list = []
    with open("/proc/self/smaps", encoding="ascii", errors="replace") as fh:
        for line in fh:
            head = line.split()
            if head and "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
                start, end = (int(x, 16) for x in head[0].split("-"))
                label = head[5] if len(head) > 5 else "[anon]"
                current = [end - start, label, 0]
                found.append(current)  # type: ignore[arg-type]
            elif line.startswith("Anonymous:") and current:
                current[2] = int(line.split()[1]) * 1024
    rows = [(rss, size, label) for size, label, rss in found if rss]
    return sorted(rows, reverse=True)[:n]


def arena_count() -> int:
    """Anonymous mappings of glibc's thread arenas: 64 MB reserved (some split in two)."""
    count = 0
    with open("/proc/self/maps", encoding="ascii", errors="replace") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 5:  # no path: anonymous
                start, end = (int(x, 16) for x in parts[0].split("-"))
                if start % (64 * MB) == 0 and end - start <= 64 * MB and parts[1] == "rw-p":
                    count += 1
    return count


def parse_keyword(item: str) -> tuple[str, object]:
    import ast

    key, _, value = item.partition("=")
    return key.strip(), ast.literal_eval(value.strip())


def override_llama(extra: dict[str, object]) -> None:
    import llama_cpp

    original = llama_cpp.Llama.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **{**kwargs, **extra})

    llama_cpp.Llama.__init__ = init
    print(f"  llama_cpp.Llama keywords overridden: {extra}", file=sys.stderr)


def fmt(n: int) -> str:
    return f"{n / MB:7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=2, help="dev-set answers to grade")
    parser.add_argument("--top", type=int, default=8, help="largest anonymous mappings to list")
    parser.add_argument("--json", type=Path, help="also write the table as JSON")
    parser.add_argument("--data-dir", type=Path, help="data dir (default: a fresh temp dir)")
    parser.add_argument("--llama", action="append", default=[], metavar="KEY=VALUE",
                        help="extra llama_cpp.Llama keyword for the coach model (a Python literal)")
    args = parser.parse_args()
    if args.llama:
        override_llama(dict(parse_keyword(item) for item in args.llama))

    rows: list[tuple[str, dict[str, int], float, int]] = []

    def stage(name: str, work) -> object:
        reset_peak()
        started = time.perf_counter()
        with AnonSampler() as sampler:
            result = work()
        seconds = time.perf_counter() - started
        rows.append((name, memory(), seconds, sampler.peak))
        print(f"  {name:9} done in {seconds:6.1f} s", file=sys.stderr, flush=True)
        return result

    rows.append(("start", memory(), 0.0, memory()["anon"]))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="talentsync-mem-"))

    def imports():
        import chromadb  # noqa: F401
        import llama_cpp  # noqa: F401
        import onnxruntime  # noqa: F401

        from talentsync_tui.config import load_settings
        from talentsync_tui.services import TalentSync

        settings = load_settings(data_dir, feedback_workers=1, ai_enabled=True)
        return TalentSync.open(settings, start_workers=False, ai=False)

    ts = stage("imports", imports)

    def embedder():
        from talentsync_tui.ai.embeddings import MiniLMEmbedding

        emb = MiniLMEmbedding(threads=1)
        emb.load()
        emb.embed(["warm up: one short sentence"])
        return emb

    emb = stage("embedder", embedder)

    def index():
        from talentsync_tui.ai.index import AIIndex

        idx = AIIndex(ts.store, emb, path=ts.settings.chroma_dir)
        report = idx.sync()
        print(f"  index: {report.documents} documents in {report.seconds:.1f} s", file=sys.stderr)
        return idx

    idx = stage("index", index)

    from contextlib import ExitStack

    stack = ExitStack()
    grader = stage("model", lambda: stack.enter_context(ts.grader()))
    if grader.problem:
        raise SystemExit(f"the coach model did not load: {grader.problem}")

    answers = [json.loads(line) for line in
               (REPO / "bench" / "data" / "graded_answers.jsonl").read_text().splitlines() if line.strip()]
    picked = answers[:: max(1, len(answers) // max(1, args.answers))][: args.answers]

    def grading():
        scores = []
        for item in picked:
            question = ts.question(item["question_key"])
            feedback = ts.grade(question, item["answer"], item.get("seconds"), grader)
            scores.append(feedback.score)
        print(f"  graded {len(scores)} answers: scores {scores}", file=sys.stderr)

    stage("grading", grading)
    top = top_anonymous(args.top)
    arenas = arena_count()
    stack.close()
    idx.close()
    ts.close()
    stage("closed", lambda: None)

    peak = max(m["hwm"] for _, m, _, _ in rows)
    print(f"memory by stage (MiB; code {CODE}; fresh data dir {data_dir}):")
    print("  stage       RSS   RssAnon  RssFile     USS     PSS  PssAnon | stage peak: RSS    anon | threads  secs")
    previous = None
    for name, m, seconds, anon_peak in rows:
        print(f"  {name:9}{fmt(m['rss'])} {fmt(m['anon'])}  {fmt(m['file'])} {fmt(m['uss'])} "
              f"{fmt(m['pss'])}  {fmt(m['pss_anon'])} |         {fmt(m['hwm'])} {fmt(anon_peak)} |"
              f" {m['threads']:5}  {seconds:5.1f}")
        previous = m
    assert previous is not None
    settings = " ".join(args.llama) or "as ai/models.py loads it"
    arena_max = os.environ.get("MALLOC_ARENA_MAX", "default")
    print(f"  peak RSS of the run: {peak / MB:.0f} MB (target 2048 MB); model {settings}; "
          f"MALLOC_ARENA_MAX {arena_max}")
    print(f"  glibc arena-like 64 MB anonymous mappings after grading: {arenas}")
    print(f"  largest anonymous mappings after grading (resident MB / size MB):")
    for rss, size, label in top:
        print(f"    {rss / MB:7.1f} / {size / MB:7.1f}  {label}")
    if args.json:
        args.json.write_text(json.dumps({
            "stages": [{"stage": n, **m, "seconds": round(s, 2), "anon_peak": a} for n, m, s, a in rows],
            "peak_rss": peak, "llama": args.llama,
        }, indent=2))


if __name__ == "__main__":
    main()
