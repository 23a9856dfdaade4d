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

__all__ = ["STAR_ADVICE", "join_words", "one_line", "plain_point", "quote", "suggestion"]

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
    verb = _imperative(first)
    if verb == first and first.isalpha() and first.lower().endswith("ly") and rest:
        # "Clearly identifies ...", "Alternatively does ...": the verb follows an adverb.
        second, _, tail = rest.partition(" ")
        second_verb = "do" if second.lower() == "does" else _imperative(second)
        if second_verb != second:
            verb, rest = f"{first} {second_verb}", tail
    text = verb + (" " + rest if rest else "")
    if verb == first:
        # A statement of fact ("Negative weights break the invariant ... detects them"): its
        # "they" and "them" are things, not the candidate.
        return text[0].upper() + text[1:]
    for pattern, repl in _PRONOUNS:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    text = re.sub(r"\byou is\b", "you are", text)
    text = re.sub(r"\byou was\b", "you were", text)
    text = re.sub(r"\byou has\b", "you have", text)
    text = re.sub(r"\byou does\b", "you do", text)
    return text[0].upper() + text[1:]


_PAST = frozenset("""made built brought took gave kept led sought wrote ran met chose told got spoke found
held sent paid won saw knew did went came thought taught felt heard understood became began""".split())
_OPENS_ADVICE = frozenset("""use avoid fix never always prefer add keep check measure detect start stop make put
write test log limit pick choose compare ask give name state explain describe mention show say
denormalize debounce insert update split commit read""".split())
_FINITE = frozenset("""is are was were be has have had can cannot can't must should will would may might does do
doesn't don't isn't aren't won't makes make gives give shows show keeps keep uses use needs need lets let means
mean requires require creates create shares share breaks break returns return runs run handles handle
prevents prevent ties tie triggers trigger carries carry ships ship hurts hurt computes compute copies copy
stores store holds hold avoids avoid reduces reduce causes cause allows allow adds add changes change depends
depend takes take applies apply works work scales scale grows grow fails fail loses lose blocks block locks
lock ensures ensure guarantees guarantee sees see reads read writes write sends send gets get becomes become
stays stay remains remain defaults default matters matter costs cost beats beat helps help counts count leads
lead fits fit overestimates overestimate inflates inflate catches catch lets learns learn""".split())


_CLAUSE_OPENERS = frozenset("""since when for also alternatively first if immediately clearly on with where
using while because after before once then""".split())


def _lower_start(text: str) -> str:
    """Lower-case the first letter unless the first word is a name or code (IndexedDB, UNION, O(n))."""
    word = text.split(" ", 1)[0].rstrip(",;:")
    plain = word.replace("-", "").replace("'", "")
    if word in ("A", "An") or (plain.isalpha() and word[:1].isupper() and plain[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def suggestion(point: str, *, star_question: bool = False) -> str:
    """A missed rubric point as one thing to do next, without the final full stop.

    "Describes X" -> "Describe X"; a statement of fact ("A shallow copy shares the inner
    objects") -> "Explain that a shallow copy shares the inner objects"; anything else
    ("Amortized cost per append", "O(V + E) time") -> "Explain: ..."; on a behavioral or
    situational question an action in the past tense ("Proposed an incremental plan") ->
    "Show that you proposed an incremental plan".
    """
    text = plain_point(point)
    if not text:
        return text
    original = one_line(point, 200)
    first = text.split(" ", 1)[0]
    low = first.lower().rstrip(",;:")
    if (text.split(" ", 2)[:2] != original.split(" ", 2)[:2] or low in _OPENS_ADVICE
            or (low.isalpha() and low.endswith(("ate", "ize", "ise", "ify")))):
        return text  # already an instruction ("Describe ...", "Use a TTL ...", "Invalidate keys ...")
    if star_question and (low in _PAST or (low.endswith("ed") and low.isalpha() and len(low) > 4)):
        return "Show that you " + _lower_start(text)
    if low == "example" and " " in original:
        return "Give an example: " + original.split(" ", 1)[1]
    head = [w.strip(",;:()\"'").lower() for w in original.split()[1:6]]
    if low not in _CLAUSE_OPENERS and any(w in _FINITE for w in head):
        return "Explain that " + _lower_start(original)
    return "Explain: " + original


def quote(sentence: str | None, limit: int = 140) -> str | None:
    """A sentence of the answer as a short quote (cut at a word boundary)."""
    if not sentence:
        return None
    text = " ".join(clean_text(sentence).split())
    if len(text) > limit:
        cut = text[: limit - 1].rsplit(" ", 1)[0]
        text = cut.rstrip(",;:") + "\u2026"
    return text
