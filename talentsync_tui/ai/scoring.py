"""Narrative feedback: one or two sentences of coaching from the model, or None.

Off by default (setting `narrative_feedback`); the per-point judgement lives in
`ai.coach` and `feedback/`.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from talentsync_tui.ai.prompts import NARRATIVE_SCHEMA, narrative_prompt

log = logging.getLogger(__name__)


class Narrator:
    """One or two sentences of coaching from the model; None whenever it cannot do better."""

    def __init__(self, llm: Any, timeout: float = 20.0) -> None:
        self.llm = llm
        self.timeout = timeout

    def __call__(self, question: str, covered: list[str], missed: list[str]) -> str | None:
        if self.llm is None or not self.llm.ready:
            return None
        try:
            completion = self.llm.complete(narrative_prompt(question, covered, missed),
                                           schema=NARRATIVE_SCHEMA, max_tokens=72,
                                           temperature=0.0, timeout=self.timeout)
            text = json.loads(completion.text).get("feedback", "")
        except Exception as exc:
            log.debug("narrative generation failed: %s", exc)
            return None
        return validate_narrative(text, question)


def validate_narrative(text: str, question: str = "") -> str | None:
    text = " ".join(str(text).split())
    words = text.split()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    if not 5 <= len(words) <= 60 or not 1 <= len(sentences) <= 2:
        return None
    if text[-1] not in ".!":
        return None
    if question and text.lower().rstrip(".!?") == question.lower().rstrip(".!?"):
        return None
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]+", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    if counts and max(counts.values()) > 4:
        return None
    return text
