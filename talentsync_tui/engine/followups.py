"""Follow-up questions: the interface the engine uses, and the model-free template provider."""

from __future__ import annotations

import re
import time
from typing import Any, Protocol

from pydantic import BaseModel, Field

from talentsync_tui.models import SessionItem

_WORD = re.compile(r"[a-z0-9+#.]+")
_STOP = frozenset(
    "a an the and or but if of to in on for with at by from is are was were be been it this that "
    "what how why when which who you your i we they he she do did does have has had would could "
    "should will can about into than then there their them as so not no yes".split()
)


_SECOND_ASK = re.compile(
    r"(,\s*|\s)(and|or|also)\s+(then\s+)?(what|which|how|why|when|where|who|did|do|does|is|are|was|were|"
    r"can|could|would|will|should|have|has)\b", re.I)
"""A second question joined on under one question mark ("How did you X, and what did you Y?")."""
_SECOND_ENSURE = re.compile(r"\b(ensure|make sure|verify|check|confirm)\b[^?]*\band that\b", re.I)
"""Two things to ensure ("How do you ensure that A and that B?"): 8 of the 318 drafts in
bench/results/followups.jsonl and followup_variants.jsonl (6 distinct), all two asks."""


def asks_two_things(text: str) -> bool:
    """Two questions under one question mark ("How did they react, and what did you do?")."""
    return bool(_SECOND_ASK.search(text) or _SECOND_ENSURE.search(text))


class FollowUp(BaseModel):
    """One follow-up question and how it was produced."""

    text: str = Field(min_length=3)
    source: str = "template"
    latency_ms: float = 0.0
    target: str | None = None
    """What it probes: "missed point: ..." or "claim: ..." (None when unknown)."""


class FollowUpProvider(Protocol):
    """Anything that can propose one follow-up for an answered question."""

    def follow_up(self, item: SessionItem, answer: str, **context: Any) -> FollowUp | None:
        """`context` may carry `details` (the first grading's), `asked` (questions already
        asked in the session) and `on_text` (a callback streaming the text as it is written)."""
        ...


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


class TemplateFollowUps:
    """Pick the question's own follow-up template that best matches what was said."""

    def follow_up(self, item: SessionItem, answer: str, **context: Any) -> FollowUp | None:
        start = time.perf_counter()
        asked = {a.strip().lower() for a in context.get("asked") or ()}
        pool = [t for t in item.follow_ups if t.strip().lower() not in asked]
        pool = [t for t in pool if not asks_two_things(t)] or pool  # one question, while one is left
        if not pool:
            return None
        said = content_words(answer)
        best = max(pool, key=lambda t: len(content_words(t) & said))
        return FollowUp(text=best, source="template",
                        latency_ms=(time.perf_counter() - start) * 1000)
