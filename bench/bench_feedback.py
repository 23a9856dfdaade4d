"""Feedback benchmark: does the coach agree with a human coach, and how fast is it?

The dev set is bench/data/graded_answers.jsonl: answers written for this project to
the bundled questions, each labelled by a demanding coach with the expected points it
really covers, a 1-5 grade and a kind (strong, strong_paraphrased, partial, weak,
wrong_namedrop, off_topic, short, rambling, non_answer).

    .venv/bin/python bench/bench_feedback.py collect   # run the coach model on every answer (~25 min)
    .venv/bin/python bench/bench_feedback.py fit       # refit feedback/calibration.json from the evidence
    .venv/bin/python bench/bench_feedback.py report    # figures from the cached evidence (seconds)
    .venv/bin/python bench/bench_feedback.py all       # collect + report
    .venv/bin/python bench/bench_feedback.py speed --limit 24   # ours vs raw, interleaved (~4 min)

`collect` caches the raw evidence (model verdicts, embedding and lexical evidence) in
bench/data/graded_evidence.jsonl (committed), keyed by answer and prompt version, so `fit` and
`report` need no model. It also times the coach against raw llama-cpp-python
(`create_completion(..., max_tokens=1)` on the same token sequences, from the same
cache state) on every 8th answer (--raw-every). `report` prints point precision / recall / kappa at
the calibrated threshold, Spearman(score, grade), mean score per kind and per question
type, latency p50/p95, and the same figures with 5-fold cross-validation by question
(calibration fitted without the question's answers) as an honest estimate of how the
fit generalises. `speed` times only the model part, ours against raw, on N dev answers
(seeded sample, --seed), alternating which goes first so neither always meets a warmer
machine, and prints the per-answer ratio's median; it writes nothing to the evidence.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from talentsync_tui.ai.coach import SYSTEM_PROMPT, PROBE_WORDING  # noqa: E402
from talentsync_tui.banks import load_bank_files  # noqa: E402
from talentsync_tui.feedback.evidence import Evidence, gather  # noqa: E402
from talentsync_tui.models import QuestionType  # noqa: E402

DEV_SET = ROOT / "bench" / "data" / "graded_answers.jsonl"
RESULTS = ROOT / "bench" / "results"
EVIDENCE = ROOT / "bench" / "data" / "graded_evidence.jsonl"
STAR_TYPES = {QuestionType.behavioral, QuestionType.situational}
PROMPT_VERSION = hashlib.sha256(json.dumps([SYSTEM_PROMPT, PROBE_WORDING], sort_keys=True).encode()).hexdigest()[:10]


def load_dev_set(path: Path = DEV_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def bundled_questions() -> dict:
    files = load_bank_files([ROOT / "question_banks"])
    return {f"{m.id}/{q.id}": q for _, modules in files for m in modules for q in m.questions}


def case_key(case: dict) -> str:
    return hashlib.sha256(f"{PROMPT_VERSION}\0{case['question_key']}\0{case['answer']}".encode()).hexdigest()[:16]


def load_evidence() -> dict[str, dict]:
    if not EVIDENCE.exists():
        return {}
    out = {}
    for line in EVIDENCE.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["key"]] = row
    return out


# -- collect ---------------------------------------------------------------------------------


def collect(args: argparse.Namespace) -> None:
    from talentsync_tui.ai.coach import CoachJudge
    from talentsync_tui.ai.embeddings import MiniLMEmbedding
    from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model
    from talentsync_tui.config import load_settings

    cases = load_dev_set()
    questions = bundled_questions()
    settings = load_settings(Path(os.environ.get("TALENTSYNC_HOME", "/tmp/ts-bench-home")))
    llm = LocalLLM(resolve_model(settings), n_threads=args.threads, n_ctx=2048,
                   cache_dir=default_cache_dir(settings))
    started = time.perf_counter()
    if not llm.load():
        sys.exit(f"model did not load: {llm.error}")
    print(f"model {llm.path.name} loaded in {time.perf_counter() - started:.1f} s ({args.threads} threads)")
    embedder = MiniLMEmbedding(threads=1)
    embedder.load()
    judge = CoachJudge(llm)
    done = load_evidence()
    RESULTS.mkdir(parents=True, exist_ok=True)
    todo = [c for c in cases if case_key(c) not in done or args.force]
    if args.limit:
        todo = todo[: args.limit]
    print(f"{len(cases)} cases, {len(todo)} to run")
    with EVIDENCE.open("a") as out:
        for n, case in enumerate(todo, 1):
            q = questions[case["question_key"]]
            star = q.type in STAR_TYPES
            system_tokens = _system_tokens(llm, judge)
            _reset_to(llm, system_tokens)
            judged = judge.stats.seconds
            t0 = time.perf_counter()
            ev = gather(q.text, case["answer"], q.expected_points, star_question=star, judge=judge,
                        embedder=embedder, with_correctness=args.correctness, model_name=llm.path.name,
                        rivals=rivals_for(case["question_key"], questions))
            ours = time.perf_counter() - t0
            judge_s = judge.stats.seconds - judged
            raw_s = None
            if n % args.raw_every == 1 or args.raw_every == 1:
                raw_s = _raw_time(llm, judge, q, case, star, args.correctness, system_tokens)
            row = {"key": case_key(case), "id": case["id"], "evidence": ev.to_dict(),
                   "seconds": round(ours, 3), "judge_seconds": round(judge_s, 3),
                   "raw_seconds": None if raw_s is None else round(raw_s, 3),
                   "threads": args.threads}
            out.write(json.dumps(row) + "\n")
            out.flush()
            extra = f" raw {raw_s:.1f} s" if raw_s else ""
            print(f"[{n}/{len(todo)}] {case['id']:<22} {case['kind']:<18} {ours:5.1f} s{extra}", flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    llm.close()


def _system_tokens(llm, judge) -> int:
    """Tokens shared by every answer's prefix (the system prompt): the state both timings start from."""
    from talentsync_tui.ai.coach import user_head

    with llm.use() as raw:
        judge._prepare(raw)
        a, _ = judge._layout.split(user_head("q one", "answer one"), "tail")
        b, _ = judge._layout.split(user_head("another q", "different"), "tail")
        ta = raw.tokenize(a.encode(), add_bos=True, special=True)
        tb = raw.tokenize(b.encode(), add_bos=True, special=True)
        common = 0
        for x, y in zip(ta, tb):
            if x != y:
                break
            common += 1
        if list(raw.input_ids[:common]) != ta[:common]:
            raw.n_tokens = 0
            raw.eval(ta[:common])
        return common


def _reset_to(llm, n: int) -> None:
    with llm.use() as raw:
        raw.n_tokens = min(raw.n_tokens, n)


def probes_for(q, star: bool, correctness: bool = False) -> list[tuple[str, str]]:
    """The probes `gather` asks for a question, in its order."""
    from talentsync_tui.feedback.star import STAR_PARTS

    probes = [("on_topic", "")] + [("point", p) for p in q.expected_points]
    if correctness:
        probes += [("correct", p) for p in q.expected_points]
    if star:
        probes += [(part, "") for part in STAR_PARTS] + [("ownership", "")]
    return probes


def _raw_time(llm, judge, q, case, star, correctness, system_tokens) -> float:
    """The same probes through plain `Llama.create_completion(tokens, max_tokens=1)`."""
    from talentsync_tui.ai.coach import probe_tail, user_head

    probes = probes_for(q, star, correctness)
    head = user_head(q.text, case["answer"])
    with llm.use() as raw:
        prompts = []
        for kind, text in probes:
            pre, rest = judge._layout.split(head, probe_tail(kind, text))
            prompts.append(raw.tokenize(pre.encode(), add_bos=True, special=True)
                           + raw.tokenize(rest.encode(), add_bos=False, special=True))
        raw.n_tokens = min(raw.n_tokens, system_tokens)
        t0 = time.perf_counter()
        for tokens in prompts:
            raw.create_completion(tokens, max_tokens=1, temperature=0.0)
        return time.perf_counter() - t0


def speed(args: argparse.Namespace) -> None:
    """The coach's verdicts against raw llama-cpp-python on the same token sequences, interleaved."""
    import random

    from talentsync_tui.ai.coach import CoachJudge
    from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model
    from talentsync_tui.config import load_settings

    cases = load_dev_set()
    random.Random(args.seed).shuffle(cases)
    cases = cases[: args.limit or 24]
    questions = bundled_questions()
    settings = load_settings(Path(os.environ.get("TALENTSYNC_HOME", "/tmp/ts-bench-home")))
    llm = LocalLLM(resolve_model(settings), n_threads=args.threads, n_ctx=2048,
                   cache_dir=default_cache_dir(settings))
    if not llm.load():
        sys.exit(f"model did not load: {llm.error}")
    judge = CoachJudge(llm)
    rows = []
    print(f"{len(cases)} answers, model {llm.path.name}, {args.threads} threads, load average "
          f"{os.getloadavg()[0]:.1f}")
    for n, case in enumerate(cases):
        q = questions[case["question_key"]]
        star = q.type in STAR_TYPES
        probes = probes_for(q, star)
        system_tokens = _system_tokens(llm, judge)

        def ours() -> float:
            _reset_to(llm, system_tokens)
            t0 = time.perf_counter()
            judge(q.text, case["answer"], probes)
            return time.perf_counter() - t0

        def raw() -> float:
            return _raw_time(llm, judge, q, case, star, False, system_tokens)

        if n % 2:
            a, b = ours(), raw()
        else:
            b, a = raw(), ours()
        rows.append((a, b))
        print(f"[{n + 1}/{len(cases)}] {case['id']:<24} ours {a:5.2f} s  raw {b:5.2f} s  {a / b:.3f}x", flush=True)
    ratios = [a / b for a, b in rows]
    print(f"\nours p50 {np.percentile([a for a, _ in rows], 50):.2f} s, raw p50 "
          f"{np.percentile([b for _, b in rows], 50):.2f} s; ours/raw median {statistics.median(ratios):.3f}x "
          f"(ours first: {statistics.median(ratios[1::2]):.3f}x, raw first: {statistics.median(ratios[0::2]):.3f}x); "
          f"load average {os.getloadavg()[0]:.1f}")
    llm.close()


# -- fit and report -----------------------------------------------------------------------------


_EMBEDDER = None


def _embedder():
    global _EMBEDDER
    if _EMBEDDER is None:
        from talentsync_tui.ai.embeddings import MiniLMEmbedding

        _EMBEDDER = MiniLMEmbedding(threads=2)
        _EMBEDDER.load()
    return _EMBEDDER


def rivals_for(key: str, questions: dict) -> list[str]:
    """The documents of the other questions of the module, as the app's grader builds them."""
    from talentsync_tui.feedback.evidence import question_document

    module = key.split("/")[0]
    return [question_document(q.text, q.expected_points) for k, q in questions.items()
            if k.split("/")[0] == module and k != key]


def joined(cases: list[dict], evidence: dict[str, dict], questions: dict) -> list[tuple[dict, Evidence, object]]:
    """Dev cases with their cached evidence; the cheap parts (lexical overlap, the topic margin)
    are recomputed with today's code, so only the model's verdicts come from the cache."""
    from talentsync_tui.feedback.evidence import lexical_overlap, topic_margin
    from talentsync_tui.feedback.text import analyze_answer

    rows = []
    for case in cases:
        row = evidence.get(case_key(case))
        if row is None:
            continue
        q = questions[case["question_key"]]
        ev = Evidence.from_dict(row["evidence"])
        stems = analyze_answer(case["answer"]).stems
        ev.question_lexical = lexical_overlap(q.text, stems, question=True)
        for p in ev.points:
            p.lexical = lexical_overlap(p.point, stems)
        ev.topic_margin = topic_margin(case["answer"], q.text, q.expected_points,
                                       rivals_for(case["question_key"], questions), _embedder())
        rows.append((case, ev, q, row))
    return rows


def fit(args: argparse.Namespace) -> None:
    from talentsync_tui.feedback import calibration

    rows = joined(load_dev_set(), load_evidence(), bundled_questions())
    if not rows:
        sys.exit("no evidence yet: run `bench/bench_feedback.py collect` first")
    params = calibration.fit(rows_for_fit(rows))
    calibration.save(params)
    print(f"fitted on {len(rows)} answers; wrote {calibration.CALIBRATION_FILE.relative_to(ROOT)}")
    print(json.dumps(params, indent=1)[:3000])


def rows_for_fit(rows):
    return [(case, ev, q) for case, ev, q, _ in rows]


def kappa(pred: list[bool], gold: list[bool]) -> float:
    n = len(pred)
    if not n:
        return float("nan")
    agree = sum(p == g for p, g in zip(pred, gold)) / n
    p_yes = sum(pred) / n
    g_yes = sum(gold) / n
    chance = p_yes * g_yes + (1 - p_yes) * (1 - g_yes)
    return (agree - chance) / (1 - chance) if chance < 1 else float("nan")


def auc(scores: list[float], labels: list[bool]) -> float:
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def spearman(x: list[float], y: list[float]) -> float:
    from scipy.stats import spearmanr  # noqa: PLC0415 - only the benchmark needs scipy

    return float(spearmanr(x, y).statistic)


def figures(rows, params) -> dict:
    from talentsync_tui.feedback.scoring import compose_feedback

    preds, gold, probs, raw_model = [], [], [], []
    beh_pred, beh_gold = [], []
    scores, grades = [], []
    by_kind: dict[str, list[int]] = defaultdict(list)
    by_type: dict[str, list[int]] = defaultdict(list)
    for case, ev, q, _ in rows:
        fb = compose_feedback(q, case["answer"], case.get("seconds", q.expected_seconds), ev, params=params)
        covered = {c["index"] for c in fb.details["covered"]}
        for p in ev.points:
            is_gold = p.index in case["covered"]
            preds.append(p.index in covered)
            gold.append(is_gold)
            probs.append(fb.details["points"][p.index]["probability"])
            raw_model.append(p.model if p.model is not None else 0.0)
            if q.type in STAR_TYPES:
                beh_pred.append(p.index in covered)
                beh_gold.append(is_gold)
        scores.append(fb.score)
        grades.append(case["grade"])
        by_kind[case["kind"]].append(fb.score)
        by_type[q.type.value].append(fb.score)
    tp = sum(p and g for p, g in zip(preds, gold))
    return {
        "answers": len(rows),
        "points": len(preds),
        "precision": tp / max(1, sum(preds)),
        "recall": tp / max(1, sum(gold)),
        "kappa": kappa(preds, gold),
        "auc_calibrated": auc(probs, gold),
        "auc_raw_model": auc(raw_model, gold),
        "behavioral_recall": sum(p and g for p, g in zip(beh_pred, beh_gold)) / max(1, sum(beh_gold)),
        "spearman": spearman(scores, grades),
        "by_kind": {k: round(statistics.mean(v), 1) for k, v in sorted(by_kind.items())},
        "by_type": {k: round(statistics.mean(v), 1) for k, v in sorted(by_type.items())},
    }


def crossval(rows, folds: int = 5) -> dict:
    """Calibrate on 4/5 of the questions, score the other 1/5: nothing is scored by a fit that saw it."""
    from talentsync_tui.feedback import calibration

    keys = sorted({case["question_key"] for case, *_ in rows},
                  key=lambda k: hashlib.sha256(k.encode()).hexdigest())
    fold_of = {k: i % folds for i, k in enumerate(keys)}
    scored = []
    for f in range(folds):
        train = [(c, e, q) for c, e, q, _ in rows if fold_of[c["question_key"]] != f]
        test = [r for r in rows if fold_of[r[0]["question_key"]] == f]
        params = calibration.fit(train)
        scored.append(figures(test, params))
    return scored


def report(args: argparse.Namespace) -> None:
    from talentsync_tui.feedback import calibration

    rows = joined(load_dev_set(), load_evidence(), bundled_questions())
    if not rows:
        sys.exit("no evidence yet: run `bench/bench_feedback.py collect` first")
    params = calibration.load()
    fig = figures(rows, params)
    print(f"\nDev set: {fig['answers']} answers, {fig['points']} expected points "
          f"(calibration {calibration.CALIBRATION_FILE.name}, prompt {PROMPT_VERSION})")
    for name in ("precision", "recall", "kappa", "behavioral_recall", "spearman", "auc_calibrated", "auc_raw_model"):
        print(f"  {name:<22} {fig[name]:.3f}")
    print("  mean score by kind:  " + ", ".join(f"{k} {v}" for k, v in fig["by_kind"].items()))
    print("  mean score by type:  " + ", ".join(f"{k} {v}" for k, v in fig["by_type"].items()))
    cv = crossval(rows)
    def pooled(name):
        return statistics.mean(f[name] for f in cv)
    print("\n5-fold cross-validation by question (calibration never saw the scored questions):")
    for name in ("precision", "recall", "kappa", "behavioral_recall", "spearman"):
        print(f"  {name:<22} {pooled(name):.3f}")
    kinds = defaultdict(list)
    for f in cv:
        for k, v in f["by_kind"].items():
            kinds[k].append(v)
    print("  mean score by kind:  " + ", ".join(f"{k} {statistics.mean(v):.1f}" for k, v in sorted(kinds.items())))
    secs = [r[3]["seconds"] for r in rows]
    timed = [r for r in rows if r[3].get("raw_seconds")]
    if any(r[3].get("judge_seconds") is not None for r in timed):  # the model part alone, when recorded
        timed = [r for r in timed if r[3].get("judge_seconds") is not None]
    pairs = [(r[3].get("judge_seconds") or r[3]["seconds"], r[3]["raw_seconds"]) for r in timed]
    print("\nLatency of the coach's feedback per answer (evidence: model verdicts + embeddings):")
    print(f"  p50 {np.percentile(secs, 50):.1f} s, p95 {np.percentile(secs, 95):.1f} s over {len(secs)} answers "
          f"({rows[0][3].get('threads')} threads)")
    if pairs:
        ratio = [a / b for a, b in pairs if b]
        print(f"  the model part against raw llama-cpp-python (create_completion, max_tokens=1, same token "
              f"sequences, same cache state), {len(pairs)} answers: ours p50 "
              f"{np.percentile([a for a, _ in pairs], 50):.1f} s, raw p50 "
              f"{np.percentile([b for _, b in pairs], 50):.1f} s; ours/raw median {statistics.median(ratio):.2f}x")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "feedback.json").write_text(json.dumps({"dev": fig, "crossval": cv}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["collect", "fit", "report", "all", "speed"], nargs="?", default="report")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="collect (or time, with speed: default 24) at most N answers")
    parser.add_argument("--seed", type=int, default=1, help="which answers `speed` samples")
    parser.add_argument("--force", action="store_true", help="collect again even if cached")
    parser.add_argument("--raw-every", type=int, default=8,
                        help="time raw llama-cpp-python on every Nth answer (1: all)")
    parser.add_argument("--correctness", action="store_true",
                        help="also ask the per-point correctness probe (slower)")
    args = parser.parse_args()
    if args.command in ("collect", "all"):
        collect(args)
    if args.command == "speed":
        speed(args)
    if args.command == "fit":
        fit(args)
    if args.command in ("report", "all"):
        report(args)


if __name__ == "__main__":
    main()
