"""Follow-up questions: the interface the engine uses, and the model-free template provider."""

from __future__ import annotations

import re
import time
from typing import Protocol

from pydantic import BaseModel, Field

from talentsync_tui.models import SessionItem

_WORD = re.compile(r"[a-z0-9+#.]+")
_STOP = frozenset(
    "a an the and or but if of to in on for with at by from is are was were be been it this that "
    "what how why when which who you your i we they he she do did does have has had would could "
    "should will can about into than then there their them as so not no yes".split()
)


class FollowUp(BaseModel):
    """One follow-up question and how it was produced."""

    text: str = Field(min_length=3)
    source: str = "template"
    latency_ms: float = 0.0


class FollowUpProvider(Protocol):
    """Anything that can propose one follow-up for an answered question."""

    def follow_up(self, item: SessionItem, answer: str) -> FollowUp | None: ...


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


class TemplateFollowUps:
    """Pick the question's own follow-up template that best matches what was said."""

    def follow_up(self, item: SessionItem, answer: str) -> FollowUp | None:
        start = time.perf_counter()
        if not item.follow_ups:
            return None
        said = content_words(answer)
        best = max(item.follow_ups, key=lambda t: len(content_words(t) & said))
        return FollowUp(text=best, source="template",
                        latency_ms=(time.perf_counter() - start) * 1000)
