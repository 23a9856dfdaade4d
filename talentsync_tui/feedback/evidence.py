"""What a coach looks at, gathered once per answer: the raw, uncalibrated evidence.

For each expected point: the coach model's P(covered) (and optionally P(correct)),
the answer sentence that best matches the point by embedding similarity (the
evidence quoted to the candidate) and that similarity, and the share of the
point's content words the answer uses. For the whole answer: P(on topic), STAR
parts and ownership for behavioral and situational questions, the answer's
similarity to the question, its length.

`calibration.py` turns this into probabilities; nothing here decides anything.
Any part may be missing (no model, no embedder): the fields are then None and
calibration uses what is there.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from talentsync_tui.feedback.star import STAR_PARTS
from talentsync_tui.feedback.text import analyze_answer, point_terms, term_matches

log = logging.getLogger(__name__)


_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
MAX_SENTENCES = 80


class GradingCancelled(RuntimeError):
    """The judge stopped because the app is quitting: the job goes back to pending, no attempt lost."""


class Judge(Protocol):
    """`judge(question, answer, [(kind, text), ...]) -> [P(yes), ...]` (see ai/coach.py)."""

    def __call__(self, question: str, answer: str, probes: Sequence[tuple[str, str]], *,
                 priority: int | None = None) -> list[float]: ...


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


def sentences(answer: str) -> list[str]:
    """The answer's sentences (lines and sentence ends), each of at least two words."""
    found = [s.strip() for s in _SENTENCE.split(answer or "") if len(s.strip().split()) >= 2]
    if not found and (answer or "").strip():
        found = [answer.strip()]
    return found[:MAX_SENTENCES]


def lexical_overlap(point: str, stems: frozenset[str], *, question: bool = False) -> float:
    """Share of the point's (or question's) content words, stemmed, that occur in the answer."""
    terms = point_terms(point, question=question)
    if not terms:
        return 0.0
    return sum(1 for term in terms if term_matches(term, stems)) / len(terms)


@dataclass
class PointEvidence:
    index: int
    point: str
    model: float | None = None
    correct: float | None = None
    similarity: float | None = None
    lexical: float = 0.0
    sentence: str | None = None


@dataclass
class Evidence:
    points: list[PointEvidence] = field(default_factory=list)
    on_topic: float | None = None
    star: dict[str, float] | None = None
    ownership: float | None = None
    question_similarity: float | None = None
    question_lexical: float = 0.0
    topic_margin: float | None = None
    """Whole-answer similarity to this question (with its points) minus the best of the
    module's other questions: negative when the answer fits another question better."""
    word_count: int = 0
    model: str | None = None
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        data = dict(data)
        data["points"] = [PointEvidence(**p) for p in data.get("points", [])]
        return cls(**data)


def question_document(question: str, points: Sequence[str]) -> str:
    """What a question is about, for topic comparisons: its text and its expected points."""
    return " ".join([question, *points])


_DOC_VECTORS: dict[tuple[int, str], Any] = {}
_DOC_LOCK = threading.Lock()
MAX_CACHED_DOCS = 4096


def _document_vectors(embedder: Embedder, docs: list[str]) -> list[Any]:
    """Question documents change only with the banks: embed each once per embedder."""
    key = id(embedder)
    with _DOC_LOCK:
        found = {d: _DOC_VECTORS[(key, d)] for d in docs if (key, d) in _DOC_VECTORS}
    missing = [d for d in dict.fromkeys(docs) if d not in found]
    if missing:
        found.update(zip(missing, embedder.embed(missing)))
        with _DOC_LOCK:
            if len(_DOC_VECTORS) + len(missing) > MAX_CACHED_DOCS:
                _DOC_VECTORS.clear()
            _DOC_VECTORS.update({(key, d): found[d] for d in missing})
    return [found[d] for d in docs]


def topic_margin(answer: str, question: str, points: Sequence[str], rivals: Sequence[str],
                 embedder: Embedder) -> float | None:
    """sim(answer, this question's document) - max sim(answer, a rival question's document).

    Rivals are the documents of the other questions in the same module (see
    `question_document`); an answer written for one of them scores below zero.
    """
    rivals = [r for r in rivals if r]
    if not rivals or not (answer or "").strip():
        return None
    import numpy as np

    answer_vector = embedder.embed([answer])[0]
    docs = np.vstack(_document_vectors(embedder, [question_document(question, points), *rivals]))
    sims = docs @ answer_vector
    return round(float(sims[0] - sims[1:].max()), 4)


def gather(question: str, answer: str, points: Sequence[str], *, star_question: bool,
           judge: Judge | Callable[..., list[float]] | None = None,
           embedder: Embedder | None = None, with_correctness: bool = False,
           model_name: str | None = None, rivals: Sequence[str] | None = None) -> Evidence:
    """Collect the evidence for one answer. The slow part is the judge (seconds per answer).

    `rivals`: documents of the other questions of the module (for `topic_margin`).
    """
    started = time.perf_counter()
    analysed = analyze_answer(answer)
    evidence = Evidence(word_count=analysed.word_count, model=model_name,
                        question_lexical=round(lexical_overlap(question, analysed.stems, question=True), 4))
    points = list(points)
    evidence.points = [PointEvidence(index=i, point=p, lexical=round(lexical_overlap(p, analysed.stems), 4))
                       for i, p in enumerate(points)]
    units = sentences(answer)

    if embedder is not None and units:
        try:
            vectors = embedder.embed([*points, question, *units])
            p_vecs = vectors[: len(points)]
            q_vec = vectors[len(points)]
            u_vecs = vectors[len(points) + 1:]
            if len(points):
                sims = p_vecs @ u_vecs.T
                for i, item in enumerate(evidence.points):
                    best = int(sims[i].argmax())
                    item.similarity = round(float(sims[i][best]), 4)
                    item.sentence = units[best]
            evidence.question_similarity = round(float((u_vecs @ q_vec).max()), 4)
            if rivals:
                evidence.topic_margin = topic_margin(answer, question, points, rivals, embedder)
        except Exception as exc:  # evidence is best effort: the verdicts still count
            log.warning("embedding evidence failed: %s", exc)
            evidence.errors.append(f"embeddings: {type(exc).__name__}: {exc}"[:200])
    if evidence.points and all(item.sentence is None for item in evidence.points) and units:
        for item in evidence.points:  # no embedder: the sentence sharing most words
            item.sentence = max(units, key=lambda s, p=item.point: lexical_overlap(p, analyze_answer(s).stems))

    if judge is not None and analysed.word_count > 0:
        probes: list[tuple[str, str]] = [("on_topic", "")]
        probes += [("point", p) for p in points]
        if with_correctness:
            probes += [("correct", p) for p in points]
        if star_question:
            probes += [(part, "") for part in STAR_PARTS] + [("ownership", "")]
        values = list(judge(question, answer, probes))
        if len(values) != len(probes):
            raise ValueError(f"the judge returned {len(values)} verdicts for {len(probes)} probes")
        it = iter(values)
        evidence.on_topic = round(next(it), 4)
        for item in evidence.points:
            item.model = round(next(it), 4)
        if with_correctness:
            for item in evidence.points:
                item.correct = round(next(it), 4)
        if star_question:
            evidence.star = {part: round(next(it), 4) for part in STAR_PARTS}
            evidence.ownership = round(next(it), 4)
    evidence.seconds = round(time.perf_counter() - started, 3)
    return evidence
