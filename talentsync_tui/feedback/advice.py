"""What the candidate reads: rubric points in plain words, concrete suggestions, a summary.

Rubric points are written for coaches ("Separates their own contribution from
the team's"); the candidate reads them as advice ("Separate your own
contribution from the team's"). A missed point comes with one concrete example
when the bank has a model answer: its sentence closest to the point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from talentsync_tui.models import clean_text

__all__ = ["STAR_ADVICE", "join_words", "one_line", "plain_point", "quote"]

STAR_ADVICE = {
    "situation": "Set the scene: one sentence on the team, the project and what was at stake.",
    "task": "State your task: what you were responsible for or needed to achieve.",
    "action": "Describe your own actions with \u201cI\u2026\u201d: what you decided and did.",
    "result": "Finish with the result: what changed (a number helps) and what you learned.",
}

_PRONOUNS = [
    (r"\bthe candidate's\b", "your"),
    (r"\bthe candidate\b", "you"),
    (r"\bthemselves\b", "yourself"),
    (r"\bthey're\b", "you're"),
    (r"\bthey've\b", "you've"),
    (r"\bthey'd\b", "you'd"),
    (r"\btheir\b", "your"),
    (r"\btheirs\b", "yours"),
    (r"\bthem\b", "you"),
    (r"\bthey\b", "you"),
    (r"\bhis or her\b", "your"),
]
_NOT_VERBS = frozenset("is has was does this thus always less process status analysis basis".split())


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(clean_text(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text.rstrip(".")


def join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _imperative(word: str) -> str:
    """Describes -> Describe, Identifies -> Identify, Discusses -> Discuss (a leading verb only)."""
    lower = word.lower()
    if lower in _NOT_VERBS or not lower.isalpha() or len(lower) < 4 or not lower.endswith("s"):
        return word
    if lower.endswith("ies"):
        base = word[:-3] + "y"
    elif lower.endswith(("sses", "shes", "ches", "xes", "zes")):
        base = word[:-2]
    elif lower.endswith("ss") or lower.endswith("us"):
        return word
    else:
        base = word[:-1]
    return base


def plain_point(point: str) -> str:
    """A rubric point as second-person advice, without the final full stop."""
    text = one_line(point, 200)
    if not text:
        return text
    first, _, rest = text.partition(" ")
    text = _imperative(first) + (" " + rest if rest else "")
    for pattern, repl in _PRONOUNS:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    text = re.sub(r"\byou is\b", "you are", text)
    text = re.sub(r"\byou was\b", "you were", text)
    text = re.sub(r"\byou has\b", "you have", text)
    text = re.sub(r"\byou does\b", "you do", text)
    return text[0].upper() + text[1:]


def quote(sentence: str | None, limit: int = 140) -> str | None:
    """A sentence of the answer as a short quote (cut at a word boundary)."""
    if not sentence:
        return None
    text = " ".join(clean_text(sentence).split())
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "\u2026"
    return text
