"""Semantic scoring helpers for the feedback workers.

`SemanticPointMatcher` is a `FeedbackWorkers.point_matcher`: for each expected
point, the best cosine similarity between the point and any sentence (or pair of
adjacent sentences) of the answer, clipped to 0..1. `Narrator` asks the model for
one or two sentences of coaching, or gives None.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from talentsync_tui.ai.prompts import NARRATIVE_SCHEMA, narrative_prompt

log = logging.getLogger(__name__)

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
MAX_UNITS = 120


def answer_units(answer: str) -> list[str]:
    """Sentences of the answer plus each pair of neighbours (a point can span two)."""
    sentences = [s.strip() for s in _SENTENCE.split(answer) if len(s.strip().split()) >= 2]
    if not sentences and answer.strip():
        sentences = [answer.strip()]
    pairs = [f"{a} {b}" for a, b in zip(sentences, sentences[1:])]
    units = sentences + pairs
    return units[:MAX_UNITS]


class SemanticPointMatcher:
    """`(points, answer) -> [similarity 0..1 per point]` with the MiniLM embedder."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder

    def __call__(self, points: Sequence[str], answer: str) -> list[float]:
        points = list(points)
        if not points:
            return []
        units = answer_units(answer or "")
        if not units:
            return [0.0] * len(points)
        vectors = self.embedder.embed(points + units)
        p_vecs, u_vecs = vectors[:len(points)], vectors[len(points):]
        sims = p_vecs @ u_vecs.T
        best = sims.max(axis=1)
        return [float(np.clip(v, 0.0, 1.0)) for v in best]


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
