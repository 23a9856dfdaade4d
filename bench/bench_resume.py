"""Resume benchmark: what each sample resume gives, its questions, and how many a session asks.

For every resume in tests/data/resumes (or the files given): the extracted employers, roles,
certifications, skills and achievements; the stored resume questions (templates); with
``--model`` the coach model's rewrites of the first achievement questions; and the number
of resume questions in seeded 30-minute sessions (target: at least 3 per resume) with the
sessions' time estimate (follow-ups included, as the setup screen shows it; target: at most
the length). Follow-ups are on (one per question, the app's default) unless
``--no-follow-ups``.

    .venv/bin/python bench/bench_resume.py [FILES...] [--modules M ...] [--seeds 10] [--no-follow-ups]
    .venv/bin/python bench/bench_resume.py --model [--per-resume 2]   # loads the coach model
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.models import ItemKind, SessionConfig  # noqa: E402
from talentsync_tui.services import TalentSync  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "resumes"
DEFAULT_MODULES = ["python", "devops-cloud", "behavioral", "system-design", "data-science-ml",
                   "web-frontend"]


def load_model(settings):
    from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model

    started = time.perf_counter()
    llm = LocalLLM(resolve_model(settings), n_threads=settings.model_threads, n_ctx=settings.model_ctx,
                   cache_dir=default_cache_dir(settings), probe=settings.model_probe)
    if not llm.load():
        raise SystemExit(f"the model did not load: {llm.error}")
    print(f"model: {llm.path.name}, loaded in {time.perf_counter() - started:.1f} s, "
          f"{settings.model_threads} thread(s)\n")
    return llm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--modules", nargs="+", default=DEFAULT_MODULES,
                        help="modules of the 30-minute sessions (one session per module and seed)")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--no-follow-ups", dest="follow_ups", action="store_false",
                        help="plan the sessions with follow-ups off")
    parser.add_argument("--model", action="store_true", help="let the coach model rewrite questions")
    parser.add_argument("--per-resume", type=int, default=2,
                        help="with --model: how many achievement questions per resume to rewrite")
    args = parser.parse_args()

    files = args.files or sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx"})
    os.environ.setdefault("TALENTSYNC_AI_ENABLED", "false")
    home = Path(tempfile.mkdtemp(prefix="bench-resume-"))
    settings = load_settings(home)
    llm = load_model(load_settings(home, ai_enabled=True)) if args.model else None
    summary: list[tuple[str, int, int, float, int, list[int]]] = []
    model_stats: list[tuple[str, float]] = []
    with TalentSync.open(settings, start_workers=False, ai=False) as ts:
        for path in files:
            started = time.perf_counter()
            profile = ts.create_profile(path.stem, path)
            read_s = time.perf_counter() - started
            print(f"=== {path.name}  (read and extracted in {read_s * 1000:.0f} ms)")
            print(f"employers:      {profile.employers}")
            print(f"roles:          {profile.roles}")
            print(f"certifications: {profile.certifications}")
            print(f"skills:         {profile.skills}")
            print(f"years:          {profile.years_experience}")
            print("achievements:")
            for a in profile.achievements:
                where = a.employer or (f"project {a.project}" if a.project else "-")
                print(f"  - [{where} | {a.role or '-'} | {a.metric or '-'}] {a.text}")
            stored = ts.resume_questions(profile.id)
            print(f"resume questions ({len(stored)}, templates):")
            for s in stored:
                print(f"  {'A' if s.achievement else ' '} {s.question.text}")
            if llm is not None:
                chosen = [s for s in stored if s.achievement is not None][:args.per_resume]
                from talentsync_tui.resume.writer import write_achievement_questions

                written = write_achievement_questions(
                    [(s.achievement, s.question) for s in chosen], llm,
                    others=[s.question.text for s in stored], timeout=120.0)
                print("model-written:")
                for w in written:
                    model_stats.append((w.source, w.seconds))
                    verdict = "accepted" if w.source == "model" else f"rejected ({w.reason})"
                    print(f"  template: {w.template_text}\n  model:    {(w.raw or '').strip()!r} -> {verdict}"
                          f" in {w.seconds:.1f} s\n  asked:    {w.question.text}")
            counts = []
            estimates = []
            adjacent = repeated = 0
            for module in args.modules:
                for seed in range(args.seeds):
                    config = SessionConfig(module_ids=[module], target_minutes=args.minutes, seed=seed,
                                           follow_ups=args.follow_ups)
                    queue = ts.engine.plan(profile.id, config, seed)
                    estimates.append(ts.estimate(profile.id, config)[1])
                    kinds = [c.kind for c in queue]
                    keys = [c.key for c in queue if c.kind is ItemKind.resume]
                    counts.append(len(keys))
                    adjacent += any(a is b is ItemKind.resume for a, b in zip(kinds, kinds[1:]))
                    repeated += len(keys) != len(set(keys))
            mean = statistics.mean(counts)
            print(f"resume questions in a seeded {args.minutes}-minute session "
                  f"({len(args.modules)} modules x {args.seeds} seeds): min {min(counts)}, "
                  f"mean {mean:.1f}, max {max(counts)}; sessions with two side by side: {adjacent}, "
                  f"with a repeat: {repeated}; estimate {min(estimates) / 60:.1f}-{max(estimates) / 60:.1f} min\n")
            summary.append((path.name, min(counts), sum(c >= 3 for c in counts), mean, len(counts), estimates))
    print(f"summary: resume questions per {args.minutes}-minute session (target >= 3), follow-ups "
          f"{'on' if args.follow_ups else 'off'}; the estimate in minutes (target <= {args.minutes})")
    print(f"{'resume':<24} {'min':>4} {'mean':>5} {'sessions >= 3':>14} {'est. mean':>10} {'est. max':>9}")
    for name, low, ok, mean, total, estimates in summary:
        print(f"{name:<24} {low:>4} {mean:>5.1f} {ok:>7}/{total}      "
              f"{statistics.mean(estimates) / 60:>5.1f} {max(estimates) / 60:>9.1f}")
    if model_stats:
        accepted = sum(source == "model" for source, _ in model_stats)
        seconds = [s for _, s in model_stats]
        print(f"\nmodel: {accepted}/{len(model_stats)} rewrites accepted; "
              f"{statistics.median(seconds):.1f} s per question (median), {max(seconds):.1f} s max")
    if llm is not None:
        llm.close()


if __name__ == "__main__":
    main()
