"""Check bench/followup_eval.yaml against the bundled banks and print its label summary.

    .venv/bin/python bench/check_followup_eval.py            # exit 0 when every check passes

Checks: every `question_key` names a question in the bundled banks and `question` is that
question's text; `missed` holds valid, unique 0-based indexes into its expected_points; `claims`
holds 1-3 phrases that occur verbatim in the answer; answers are 1-6 sentences (the original 39
cases are one or two long sentences; cases added later are 2-6); at least MIN_PER_MODULE cases per
bundled module and MIN_CASES in all. Warns (without failing) when an answer shares a run of six or
more words with its question's expected_points: answers should paraphrase the rubric, but short
technical phrases ("a min-heap of size k") can coincide honestly.
Runs with the project venv (banks read through the app's own parser) or with any python that has
PyYAML (banks read as plain YAML).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "bench" / "followup_eval.yaml"
BANKS = ROOT / "question_banks"
KEYS = {"question_key", "question", "answer", "vague", "missed", "claims"}
REQUIRED = KEYS - {"vague"}
MIN_CASES = 72
MIN_PER_MODULE = 8
COPY_RUN = 6  # words in a row shared with an expected point that count as copying the rubric


def bank_questions() -> dict[str, tuple[str, list[str]]]:
    """question key -> (text, expected_points) for every bundled bank question."""
    files = sorted(BANKS.glob("*.yaml"))
    try:
        sys.path.insert(0, str(ROOT))
        from talentsync_tui.banks.loading import parse_bank
    except ImportError:  # plain python with PyYAML only
        out = {}
        for path in files:
            bank = yaml.safe_load(path.read_text())
            for q in bank["questions"]:
                out[f"{bank['id']}/{q['id']}"] = (q["text"], list(q.get("expected_points") or []))
        return out
    out = {}
    for path in files:
        for module in parse_bank(path, path.read_text()):
            for q in module.questions:
                out[f"{module.id}/{q.id}"] = (q.text, list(q.expected_points))
    return out


def sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[A-Za-z0-9)%'])[.!?]+\s+", text.strip()) if s])


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9_]+", text.lower())


def shared_run(answer: str, point: str, n: int) -> str | None:
    """The first run of n words that occurs in both texts, if any."""
    grams = {tuple(w[i:i + n]) for w in [words(point)] for i in range(len(w) - n + 1)}
    a = words(answer)
    for i in range(len(a) - n + 1):
        if tuple(a[i:i + n]) in grams:
            return " ".join(a[i:i + n])
    return None


def check(cases: list, bank: dict) -> tuple[list[str], list[str], Counter, Counter]:
    errors: list[str] = []
    warnings: list[str] = []
    per_module: Counter = Counter()
    kinds: Counter = Counter()
    seen: set[tuple[str, str]] = set()
    for n, case in enumerate(cases, 1):
        where = f"case {n} ({case.get('question_key', '?') if isinstance(case, dict) else '?'})"
        if not isinstance(case, dict):
            errors.append(f"{where}: not a mapping")
            continue
        if missing := REQUIRED - case.keys():
            errors.append(f"{where}: missing {sorted(missing)}")
        if extra := case.keys() - KEYS:
            errors.append(f"{where}: unknown keys {sorted(extra)}")
        key, answer = case.get("question_key"), case.get("answer")
        if key not in bank:
            errors.append(f"{where}: question_key not in the bundled banks")
            continue
        text, points = bank[key]
        per_module[key.split("/")[0]] += 1
        if case.get("question") != text:
            errors.append(f"{where}: question text differs from the bank's")
        if not isinstance(answer, str) or not answer.strip():
            errors.append(f"{where}: empty answer")
            continue
        if (key, answer) in seen:
            errors.append(f"{where}: duplicate case")
        seen.add((key, answer))
        if not 1 <= (count := sentences(answer)) <= 6:
            errors.append(f"{where}: answer has {count} sentences, want 1-6")
        for i, point in enumerate(points):
            if run := shared_run(answer, point, COPY_RUN):
                warnings.append(f"{where}: answer copies expected point {i}: {run!r}")
        if "vague" in case and not isinstance(case["vague"], bool):
            errors.append(f"{where}: vague must be true or false")
        missed = case.get("missed")
        if not isinstance(missed, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in missed):
            errors.append(f"{where}: missed must be a list of integers")
        elif len(set(missed)) != len(missed) or any(not 0 <= i < len(points) for i in missed):
            errors.append(f"{where}: missed {missed} has duplicates or indexes outside 0..{len(points) - 1}")
        else:
            if case.get("vague"):
                kinds["vague"] += 1
            elif not missed:
                kinds["full coverage"] += 1
            elif len(missed) == 1:
                kinds["missed one"] += 1
            else:
                kinds["missed several"] += 1
        claims = case.get("claims")
        if not isinstance(claims, list) or not 1 <= len(claims) <= 3:
            errors.append(f"{where}: claims must be a list of 1-3 phrases")
        else:
            for claim in claims:
                if not isinstance(claim, str) or not claim.strip() or claim not in answer:
                    errors.append(f"{where}: claim {claim!r} is not verbatim in the answer")
    modules = {key.split("/")[0] for key in bank}
    for module in sorted(modules):
        if per_module[module] < MIN_PER_MODULE:
            errors.append(f"module {module}: {per_module[module]} cases, want at least {MIN_PER_MODULE}")
    if len(cases) < MIN_CASES:
        errors.append(f"{len(cases)} cases, want at least {MIN_CASES}")
    return errors, warnings, per_module, kinds


def main() -> int:
    data = yaml.safe_load(EVAL.read_text())
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, list):
        print(f"{EVAL}: no list under 'cases'")
        return 1
    errors, warnings, per_module, kinds = check(cases, bank_questions())
    print(f"{len(cases)} cases")
    for module, count in sorted(per_module.items()):
        print(f"  {module:<16} {count}")
    print("  " + ", ".join(f"{kind}: {kinds[kind]}" for kind in
                           ("vague", "full coverage", "missed one", "missed several")))
    for warning in warnings:
        print("WARN ", warning)
    for error in errors:
        print("ERROR", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
