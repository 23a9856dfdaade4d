"""Specificity: numbers, named technologies and systems, concrete examples, ownership.

A coach trusts an answer that says "p99 went from 900 ms to 120 ms after we moved
sessions to Redis" more than one that says "it got faster". These signals are
counted, not judged: they feed the score, never the coverage of a point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from talentsync_tui.feedback.star import _phrases
from talentsync_tui.feedback.text import TECH_TERMS, AnswerText

__all__ = ["named_things", "specificity"]

_EXAMPLE_PHRASES = _phrases(
    """
    for example
    for instance
    e.g
    in one case
    such as
    specifically
    in particular
    one time
    to give an example
    a concrete example
    last year
    last quarter
    last month
    last week
    last sprint
    """
)

_NUMBER_WORDS = frozenset(
    """
    twice half halved doubled tripled quadrupled percent dozen dozens hundreds thousands millions
    billions p50 p75 p90 p95 p99 p999
    """.split()
)
_DIGIT_WORD_RE = re.compile(r" \d")
_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z0-9]*(?:[.+#][A-Za-z0-9+#]+)*")
_NOT_NAMES = frozenset(
    """
    I I'm I've I'd I'll OK Okay Also Then So And But The A An We My Our It This That In On At
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December English
    """.split()
)
_SENTENCE_ENDS = frozenset(".!?:;-*>\"(\u2022")


def named_things(answer: str, words: Sequence[str], big_o: Sequence[str]) -> list[str]:
    """Known technologies, then other capitalised names, deduplicated (case-insensitively).

    A capitalised word counts when it is not at the start of a sentence, or
    when it is an acronym (``AWS``, ``SLA``).
    """
    capitalised: dict[str, str] = {}
    for match in _CAPITALISED_RE.finditer(answer):
        word = match.group(0)
        start = match.start()
        if start and (answer[start - 1].isalnum() or answer[start - 1] in "'_\u2019"):
            continue  # inside a word: iPhone, don'T
        if word in _NOT_NAMES:
            continue
        if not (len(word) >= 2 and word.isupper()):
            index = start - 1
            while index >= 0 and answer[index].isspace():
                index -= 1
            if index < 0 or answer[index] in _SENTENCE_ENDS:
                continue  # a capital at the start of a sentence says nothing
        capitalised.setdefault(word.lower(), word)
    named: dict[str, str] = {}
    known = sorted(TECH_TERMS.intersection(words), key=words.index)
    for token in [*known, *big_o]:
        named.setdefault(token, capitalised.get(token, token))
    for key, word in capitalised.items():
        named.setdefault(key, word)
    return list(named.values())


def specificity(answer: AnswerText, actions: int, star_type: bool) -> tuple[float, dict[str, Any]]:
    """0..1 and the signals behind it (numbers, named things, examples, ownership)."""
    numbers = len(_DIGIT_WORD_RE.findall(answer.joined)) + len(_NUMBER_WORDS.intersection(answer.words))
    named = named_things(answer.text, answer.words, answer.tokens[len(answer.words) :])
    examples = sum(answer.joined.count(phrase) for phrase in _EXAMPLE_PHRASES)
    number_score = min(1.0, numbers / 2.0)
    example_score = min(1.0, 0.6 * examples)
    if star_type:
        named_score = min(1.0, len(named) / 2.0)
        ownership_score = min(1.0, actions / 3.0)
        value = 0.30 * number_score + 0.15 * named_score + 0.25 * example_score + 0.30 * ownership_score
    else:
        named_score = min(1.0, len(named) / 3.0)
        value = 0.35 * number_score + 0.40 * named_score + 0.25 * example_score
    signals: dict[str, Any] = {"numbers": numbers, "named": named[:10], "examples": examples}
    if star_type:
        signals["ownership"] = actions
    return min(1.0, value), signals


