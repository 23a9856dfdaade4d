"""Follow-up prompt variants side by side, interleaved per case (same machine load for each).

For every case of bench/followup_eval.yaml (gap = the first labelled `missed` point, else
the answer's most specific claim, as bench_ai.py gives it), the app's way: `listen()`
evaluates [system][question, answer] into the KV cache (timed, like typing), then each
variant's `Interviewer.follow_up` runs after "submit" (tail + generation, validation,
retry, template fallback: exactly the app's path). Variants sharing a system prompt share
the listened prefix, so the order within a case is rotated.

    .venv/bin/python bench/bench_followup_variants.py                       # all variants, 80 cases
    .venv/bin/python bench/bench_followup_variants.py --variants base,anchor --limit 10
    .venv/bin/python bench/bench_followup_variants.py --variants base,anchor --start 18   # resume
    .venv/bin/python bench/bench_followup_variants.py --summarize bench/results/followup_variants.jsonl
    .venv/bin/python bench/bench_followup_variants.py --variants base,anchor --blind 4  # blind sheet, 4 cases a module

Writes bench/results/followup_variants.jsonl (one line per case and variant). Results and the blind
rating: bench/results/followup_ratings.md (no variant beat the app's prompt by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import yaml  # noqa: E402
from bench_ai import EVAL, RESULTS, bank_modules, names_something, one_question, open_bench_store, pct  # noqa: E402

from talentsync_tui.ai import interviewer as iv  # noqa: E402
from talentsync_tui.ai.interviewer import Gap, Interviewer, choose_gap  # noqa: E402
from talentsync_tui.ai.phrases import candidate_phrases  # noqa: E402
from talentsync_tui.ai.testing import session_item  # noqa: E402

OUT = RESULTS / "followup_variants.jsonl"
OUT_PATH: Path | None = None
"""--out: where `run` writes (default OUT)."""

ONE_SHOT = (
    "You are a technical interviewer. After the candidate answers, you ask exactly one short follow-up "
    "question (under 25 words), in their own story: start from something specific they said. "
    "Reply with the question only.\n\n"
    "Example. Answer: \"The monthly invoice export took 20 minutes, so I moved it to a nightly job that "
    "writes a CSV to S3.\" Left out: telling users the data can be a day old. "
    "Good: \"Your export now runs nightly: how did finance find out their numbers could be a day old?\" "
    "Bad: \"How do you communicate data freshness to users?\" (recites the point, ignores their story)."
)


class Base(Interviewer):
    """The app's prompt before this change."""


def topic(point: str) -> str:
    """A missed point as a short topic: its first clause, rubric verbs off."""
    import re

    text = " ".join(point.split())
    text = re.split(r"\s\(|;\s|:\s|,\s(?:such as|e\.g\.|for example|especially|including)\b|\s—\s|\s-\s", text)[0]
    text = re.sub(r"^(Mentions|Explains|Notes that|Notes|Gives|Shows|Describes|Discusses|Considers|States that|"
                  r"Knows that|Recognises that|Recognizes that)\s+", "", text)
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def anchor_phrase(question: str, answer: str) -> str:
    phrases = candidate_phrases(answer, question, limit=3)
    return phrases[0] if phrases else ""


class Anchor(Interviewer):
    """The missed point as a short topic, and the candidate's most specific phrase to start from."""

    def tail(self, question, answer, gap):
        phrase = anchor_phrase(question, answer)
        if gap is not None and gap.kind == "missed":
            start = f' Start from their words "{iv._clip(phrase, 60)}".' if phrase else ""  # noqa: E501
            return (f"The answer left out: {iv._clip(topic(gap.text), 120)}. Ask one short follow-up question "
                    f"that gets the candidate to address that, without stating it.{start}")
        return iv.followup_tail(gap)


class OneShot(Anchor):
    system_prompt = ONE_SHOT

    def tail(self, question, answer, gap):
        phrase = anchor_phrase(question, answer)
        if gap is not None and gap.kind == "missed":
            start = f' Their words: "{iv._clip(phrase, 60)}".' if phrase else ""
            return f"Left out: {iv._clip(topic(gap.text), 120)}.{start} Good:"
        example = f' Their words: "{iv._clip(gap.text, 60)}".' if gap is not None else ""
        return f"Nothing important left out; dig into their most specific decision or number.{example} Good:"


class OneShotPoint(OneShot):
    """One-shot, but the full missed point (no topic cut), no phrase given."""

    def tail(self, question, answer, gap):
        if gap is not None and gap.kind == "missed":
            return f"Left out: {iv._clip(gap.text, 200)}. Good:"
        example = f' Their words: "{iv._clip(gap.text, 60)}".' if gap is not None else ""
        return f"Nothing important left out; dig into their most specific decision or number.{example} Good:"


def nearest_clause(answer: str, point: str, embedder) -> str:
    """The clause of the answer closest in meaning to the missed point (where it belongs in their story)."""
    import re

    import numpy as np

    clauses = _clauses(answer)
    try:
        vectors = embedder.embed([point, *clauses])
        scores = [float(np.dot(vectors[0], v)) for v in vectors[1:]]
    except Exception:
        scores = [iv._overlap(c, point) for c in clauses]
    return clauses[max(range(len(clauses)), key=lambda i: (scores[i], -i))]


class OneShotNear(OneShot):
    """One-shot; the phrase to start from is the answer's clause nearest the missed point."""

    def tail(self, question, answer, gap):
        if gap is not None and gap.kind == "missed":
            clause = nearest_clause(answer, gap.text, self.embedder)
            return f'Left out: {iv._clip(topic(gap.text), 120)}. Their words: "{iv._clip(clause, 80)}". Good:'
        return super().tail(question, answer, gap)


_PERSON = {"i": "you", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "me": "you",
           "my": "your", "mine": "yours", "myself": "yourself", "we": "you", "we're": "you're",
           "we've": "you've", "we'd": "you'd", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
           "am": "are", "was": "were"}


def second_person(clause: str) -> str:
    """'I paired with him for an afternoon' -> 'You paired with him for an afternoon'."""
    import re

    words = clause.split()
    has_i = any(w.lower().strip(",.") in ("i", "i'm", "i've", "i'd", "we", "we're") for w in words)
    out = []
    for w in words:
        core = w.lower()
        swap = _PERSON.get(core)
        if swap and (core not in ("am", "was") or has_i) and not (core == "us" and w == "US"):
            w = swap
        out.append(w)
    text = " ".join(out)
    text = re.sub(r"\byou were\b(?=.*)", "you were", text)
    return text[:1].upper() + text[1:]


class LeadNear(Interviewer):
    """The app's system prompt; the missed point as a short topic; the reply starts with the
    candidate's clause nearest the missed point, in the second person ("You paired with him for an
    afternoon:"), and the model writes the question."""

    def tail(self, question, answer, gap):
        if gap is not None and gap.kind == "missed":
            return (f"The answer left out: {iv._clip(topic(gap.text), 120)}. Ask one short follow-up question "
                    "that gets the candidate to address that.")
        return iv.followup_tail(gap)

    def lead(self, question, answer, gap):
        if gap is not None and gap.kind == "missed":
            clause = nearest_clause(answer, gap.text, self.embedder)
        elif gap is not None:
            clause = next((c for c in _clauses(answer) if gap.text in c), gap.text)
        else:
            return ""
        return lead_from(clause, answer)


def lead_from(clause: str, answer: str = "") -> str:
    """The candidate's clause as the start of the interviewer's sentence, or '' when it would read badly."""
    from talentsync_tui.ai.phrases import STOP, VERBS

    words = clause.split()
    while words and words[0].lower() in ("and", "so", "but", "then", "also", "because"):
        words = words[1:]
    if (not words or words[0].lower() in ("which", "that", "who", "where", "when", "if")
            or not 4 <= len(words) <= 12):
        return ""
    text = second_person(" ".join(words))
    first = text.split()[0]
    low = words[0]
    if low.islower() and (low in VERBS or (low.endswith("ed") and len(low) > 4)):
        text = "You " + text[:1].lower() + text[1:]  # the subject stayed in the clause before ("..., and fixed it with X")
    elif first.lower() not in ("you", "your", "you're", "you've", "you'd"):
        # a capital that is only the sentence's: lower it ("You said tuples are ..."); keep names
        # ("Redis", "NULL", "B-tree") that the answer also writes with a capital mid-sentence
        proper = (any(c.isupper() or c.isdigit() for c in first[1:])
                  or f" {first}" in answer.replace(f". {first}", "").replace(f"\n{first}", ""))
        if not proper or first.lower() in STOP or first.lower() in VERBS:
            text = text[:1].lower() + text[1:]
        text = "You said " + text
    return text + ":"


def _clauses(answer: str) -> list[str]:
    import re

    clauses = [c.strip(" .,;:") for c in re.split(r"(?<=[.!?;:,])\s+|\s+(?:and|but|so)\s+", answer)]
    return [c for c in clauses if len(c.split()) >= 3] or [answer]


class OneShotYou(OneShot):
    """One-shot with the reply's first word written in."""

    def lead(self, question, answer, gap):
        return "You"


class NotSaid(Interviewer):
    """The missed point as something they did not say: base's false premises ("How did you handle the
    parameter sniffing issue?") present the point's terms as the candidate's own."""

    def tail(self, question, answer, gap):
        if gap is not None and gap.kind == "missed":
            return (f"They did not mention: {iv._clip(topic(gap.text), 120)}. Ask one short question that "
                    "invites them to cover it, starting from something they did say. Do not suggest they "
                    "mentioned it.")
        return iv.followup_tail(gap)


VARIANTS = {"base": Base, "notsaid": NotSaid, "anchor": Anchor, "oneshot": OneShot, "oneshot-point": OneShotPoint,
            "oneshot-near": OneShotNear, "lead": LeadNear,
            "oneshot-you": OneShotYou}


def rotate(items: list, n: int) -> list:
    return items[n % len(items):] + items[: n % len(items)] if items else items


def case_gap(item, case) -> Gap | None:
    missed = list(case.get("missed") or [])
    return (Gap("missed", item.expected_points[missed[0]], missed[0]) if missed
            else choose_gap(item, case["answer"], {}))


def run(names: list[str], limit: int | None, cases_path: Path, start: int = 1) -> None:
    from talentsync_tui.ai.embeddings import MiniLMEmbedding
    from talentsync_tui.ai.models import LocalLLM, resolve_model
    from talentsync_tui.config import load_settings

    cases = yaml.safe_load(cases_path.read_text())["cases"][:limit]
    modules = bank_modules()
    settings = load_settings(RESULTS / "ai-home")
    llm = LocalLLM(resolve_model(settings), n_threads=settings.model_threads, n_ctx=settings.model_ctx)
    assert llm.load(), llm.error
    embedder = MiniLMEmbedding(threads=1)
    embedder.load()
    _, index, _ = open_bench_store(embedder)
    interviewers = {n: VARIANTS[n](llm, index, embedder, deadline=900.0) for n in names}
    raw = llm._llm
    out = (OUT_PATH or OUT).open("w" if start <= 1 else "a")  # --start N appends to an interrupted run
    for n, case in enumerate(cases, 1):
        if n < start:
            continue
        module_id, qid = case["question_key"].split("/")
        question = next(q for q in modules[module_id].questions if q.id == qid)
        item = session_item(question, module_id)
        answer = case["answer"]
        gap = case_gap(item, case)
        points = [item.expected_points[i] for i in case.get("missed") or []]
        groups: dict[str, list[str]] = {}
        for name in names:
            groups.setdefault(interviewers[name].system_prompt, []).append(name)
        order = [name for g in rotate(list(groups.values()), n) for name in rotate(g, n)]
        previous = None
        for name in order:
            interviewer = interviewers[name]
            if interviewer.system_prompt != previous:
                raw.reset()  # a new system prompt: listen from scratch
                previous = interviewer.system_prompt
            t0 = time.perf_counter()
            interviewer.listen(item.text, answer + " .")  # the whole answer heard; the last word stays out
            listen_ms = (time.perf_counter() - t0) * 1000
            first: list[float] = []
            started = time.perf_counter()

            def on_text(text: str, first=first, started=started) -> None:
                if not first and text.strip():
                    first.append((time.perf_counter() - started) * 1000)

            result = interviewer.follow_up(item, answer, gap=gap, on_text=on_text)
            total = (time.perf_counter() - started) * 1000
            trace = dict(interviewer.last)
            text = result.text if result else ""
            prefix, rest = interviewer.prompt(item.text, answer, gap)
            record = {
                "n": n, "variant": name, "question_key": case["question_key"], "question": item.text,
                "answer": answer, "vague": bool(case.get("vague")), "labelled_missed": case.get("missed") or [],
                "claims": case.get("claims") or [], "gap": gap.describe() if gap else None,
                "text": text, "source": result.source if result else None,
                "drafts": [a.get("text") for a in trace.get("attempts") or []],
                "rejected": [a.get("rejected") for a in trace.get("attempts") or []],
                "tail_tokens": len(raw.tokenize(rest.encode(), add_bos=False, special=True)),
                "listen_ms": round(listen_ms, 1), "latency_ms": round(total, 1), "first_token_ms": first[0] if first else None,
                "one_question": one_question(text), **names_something(text, item.text, case.get("claims") or [], points),
                "load_average": round(os.getloadavg()[0], 1),
            }
            out.write(json.dumps(record) + "\n")
            out.flush()
            print(f"[{n:2}/{len(cases)}] {name:13} {record['source'] or '-':8} {total:6.0f} ms  {text}", flush=True)
    out.close()
    summarize([json.loads(line) for line in OUT.read_text().splitlines()])


def restates_point(text: str, gap: str | None, answer: str, question: str) -> bool:
    """A candidate check: the question mostly repeats the missed point's words and none of the
    candidate's own (words only the answer has). Measured here, not in the app."""
    from talentsync_tui.ai.phrases import content_words

    if not text or not gap or not gap.startswith("missed point: "):
        return False
    point = gap.removeprefix("missed point: ")
    asked = content_words(question)
    words = content_words(text) - asked
    point_words = content_words(point) - asked
    own = content_words(answer) - asked - point_words
    return bool(words) and len(words & point_words) / len(words) >= 0.5 and not (words & own)


def summarize(rows: list[dict]) -> None:
    names = sorted(dict.fromkeys(r["variant"] for r in rows), key=lambda v: (v != "base", v))
    base = {r["n"]: r for r in rows if r["variant"] == names[0]}  # ratios against this one (base if run)
    print(f"{'variant':14} {'cases':>5} {'model':>6} {'1 q':>5} {'names':>6} {'claim':>6} {'missed':>6} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'1st p50':>7} {'tail tok':>8} {'p50 ratio':>9} {'restates':>8}")
    for name in names:
        rs = [r for r in rows if r["variant"] == name]
        k = len(rs)
        share = lambda pred: sum(1 for r in rs if pred(r)) / max(1, k)  # noqa: E731
        totals = [r["latency_ms"] for r in rs]
        firsts = [r["first_token_ms"] for r in rs if r["first_token_ms"] is not None]
        ratios = [r["latency_ms"] / base[r["n"]]["latency_ms"] for r in rs if r["n"] in base]
        print(f"{name:14} {k:5} {share(lambda r: r['source'] == 'model'):6.0%} {share(lambda r: r['one_question']):5.0%} "
              f"{share(lambda r: r['names_claim'] or r['names_missed']):6.0%} {share(lambda r: r['names_claim']):6.0%} "
              f"{share(lambda r: r['names_missed']):6.0%} {pct(totals, 50):7.0f} {pct(totals, 95):7.0f} "
              f"{pct(firsts, 50):7.0f} {pct([r['tail_tokens'] for r in rs], 50):8.0f} {pct(ratios, 50):9.2f} "
              f"{sum(restates_point(r['text'], r['gap'], r['answer'], r['question']) for r in rs):8}")


def blind_cases(cases_path: Path, per_module: int, seed: int = 8) -> list[int]:
    """`per_module` random cases of each module (1-based case numbers), fixed by the seed."""
    cases = yaml.safe_load(cases_path.read_text())["cases"]
    modules: dict[str, list[int]] = {}
    for n, case in enumerate(cases, 1):
        modules.setdefault(case["question_key"].split("/")[0], []).append(n)
    rng = random.Random(seed)
    return sorted(n for pool in modules.values() for n in rng.sample(pool, min(per_module, len(pool))))


def blind(rows: list[dict], variants: list[str], chosen: list[int], seed: int = 8) -> None:
    """A shuffled rating sheet (stdout) of the chosen cases done so far, labels X/Y/Z per case;
    the key goes to bench/results/followup_blind_key.VARIANTS.json (do not open it before rating)."""
    by_case: dict[int, dict[str, dict]] = {}
    for r in rows:
        by_case.setdefault(r["n"], {})[r["variant"]] = r
    rng = random.Random(seed)
    key = {}
    for n in chosen:
        order = list(variants)
        rng.shuffle(order)  # drawn for every chosen case, done or not: labels don't depend on progress
        if not all(v in by_case.get(n, {}) for v in variants):
            continue
        key[n] = dict(zip("XYZW", order))
        r = by_case[n][variants[0]]
        print(f"### case {n}: {r['question_key']}{' (vague)' if r['vague'] else ''}\nQ: {r['question']}\n"
              f"A: {r['answer']}\ngap: {r['gap']}\nclaims: {r['claims']}")
        for label, variant in key[n].items():
            print(f"  {label}: {by_case[n][variant]['text']}")
        print()
    (RESULTS / f"followup_blind_key.{'-'.join(variants)}.json").write_text(json.dumps(key, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--start", type=int, default=1, help="resume at case N (appends to the JSONL)")
    parser.add_argument("--cases", type=Path, default=EVAL)
    parser.add_argument("--summarize", type=Path, default=None, metavar="JSONL")
    parser.add_argument("--blind", type=int, default=0, metavar="N",
                        help="print a shuffled rating sheet of --variants for N random cases per module")
    parser.add_argument("--out", type=Path, default=None, help=f"where a run writes (default {OUT.name})")
    args = parser.parse_args()
    global OUT_PATH
    OUT_PATH = args.out
    names = args.variants.split(",")
    if args.summarize or args.blind:
        rows = [json.loads(line) for line in (args.summarize or args.out or OUT).read_text().splitlines()
                if line.strip()]
        if args.blind:
            blind(rows, names, blind_cases(args.cases, args.blind))
        else:
            summarize(rows)
        return
    run(names, args.limit, args.cases, args.start)


if __name__ == "__main__":
    main()
