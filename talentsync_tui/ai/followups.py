"""`RagFollowUps`: retrieve templates, let the local model write one grounded follow-up, validate.

Steps for one answered question:
1. retrieve the question's own follow-up templates and similar ones from the index;
2. copy candidate phrases out of the answer (`phrases.py`);
3. ask the model, with a few-shot prompt and a JSON-schema grammar, for
   ``{"detail": <one of the phrases>, "followup": "<one question ending in ?>"}``;
4. validate with pydantic: a real question, ends with "?", at most 30 words, not a
   repeat or paraphrase of the original question (embedding cosine), not a copy of
   a prompt example, and naming something specific the candidate said;
5. else compose "You mentioned <detail>. <best template>" (source "template"),
   else the best template as is, else the plain `TemplateFollowUps`.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator

from talentsync_tui.ai.phrases import candidate_phrases, content_words, specific_mentions
from talentsync_tui.ai.prompts import (
    EXAMPLE_FOLLOWUPS,
    PREFIX_CHARS,
    followup_prompt,
    followup_schema,
)
from talentsync_tui.engine.followups import FollowUp, FollowUpProvider, TemplateFollowUps
from talentsync_tui.models import SessionItem

log = logging.getLogger(__name__)

MAX_WORDS = 30
MIN_WORDS = 4
REPEAT_THRESHOLD = 0.80
"""Cosine similarity (MiniLM) at or above which a follow-up counts as the question again."""
COPY_OVERLAP = 0.6
MIN_RETRIEVED_SIMILARITY = 0.35
"""Templates of other questions are offered only when this close to (question + answer)."""
_OPENERS = frozenset("""what which how why when where who whom whose did do does is are was were can
could would should will have has had tell walk describe explain if in given and so suppose
imagine""".split())
_WH = frozenset("what which how why when where who whom whose".split())


class FollowUpDraft(BaseModel):
    """The model's JSON output; validated against the live case passed as context."""

    detail: str
    followup: str

    @field_validator("followup")
    @classmethod
    def _check(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(value.split())
        reason = check_followup(value, **(info.context or {}))
        if reason:
            raise ValueError(reason)
        return value


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def _overlap(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def check_followup(text: str, *, question: str = "", answer: str = "",
                   phrases: list[str] | None = None, embedder: Any = None,
                   ideas: list[str] | None = None, require_specific: bool = True) -> str | None:
    """None if `text` is an acceptable follow-up, else the reason it is not."""
    words = text.split()
    if not text.endswith("?"):
        return "does not end with '?'"
    if len(words) > MAX_WORDS:
        return f"too long ({len(words)} words)"
    if len(words) < MIN_WORDS:
        return f"too short ({len(words)} words)"
    if "\n" in text or text.count("?") > 1:
        return "more than one sentence"
    first = re.sub(r"[^a-z]", "", words[0].lower())
    if first not in _OPENERS and not any(re.sub(r"[^a-z]", "", w.lower()) in _WH
                                         for w in words[1:8]):
        return "not phrased as a question"
    counts = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    if counts and counts.most_common(1)[0][1] > 3:
        return "repetitive text"
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * len(text):
        return "not enough words"
    if question and _overlap(text, question) >= 0.9:
        return "repeats the question"
    for example in EXAMPLE_FOLLOWUPS:
        if _overlap(text, example) >= COPY_OVERLAP:
            return "copies a prompt example"
    if embedder is not None and question:
        vectors = embedder.embed([text, question])
        similarity = _cosine(vectors[0], vectors[1])
        if similarity >= REPEAT_THRESHOLD:
            return f"paraphrases the question (cosine {similarity:.2f})"
    if require_specific and answer and not specific_mentions(text, answer, question, phrases,
                                                             exclude=list(ideas or [])):
        return "names nothing specific from the answer"
    return None


def forced_phrase(text: str, phrases: list[str]) -> str | None:
    """The phrase if the model only used it when the grammar's length bound forced it.

    The follow-up pattern allows PREFIX_CHARS before the quoted phrase; a model that
    wrote that much without using one was not going to, and the result reads glued on.
    """
    for phrase in phrases:
        at = text.find(f" {phrase}")
        if at >= 0:
            return phrase if at >= PREFIX_CHARS - 12 else None
    return None


class RagFollowUps:
    """A FollowUpProvider: retrieval + the local model + validation, with template fallbacks."""

    def __init__(self, llm: Any = None, index: Any = None, embedder: Any = None, *, k: int = 4,
                 use_model: bool = True, timeout: float = 20.0,
                 fallback: FollowUpProvider | None = None, max_tokens: int = 80) -> None:
        self.llm = llm
        self.index = index
        self.embedder = embedder
        self.k = k
        self.use_model = use_model
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.fallback = fallback or TemplateFollowUps()
        self.stats: Counter[str] = Counter()
        self.last: dict[str, Any] = {}
        self._stats_lock = threading.Lock()

    # -- the provider protocol --------------------------------------------------------------

    def follow_up(self, item: SessionItem, answer: str) -> FollowUp | None:
        started = time.perf_counter()
        trace: dict[str, Any] = {"question": item.text}
        try:
            result = self._follow_up(item, answer, trace)
        except Exception as exc:  # a follow-up must never cost the candidate their feedback
            log.exception("follow-up generation failed; using a template")
            trace["error"] = f"{type(exc).__name__}: {exc}"
            result = self.fallback.follow_up(item, answer)
            trace["path"] = "fallback"
        path = trace.get("path", "none") if result is not None else "none"
        with self._stats_lock:
            self.stats[path] += 1
            self.last = trace
        if result is None:
            return None
        latency = (time.perf_counter() - started) * 1000
        return result.model_copy(update={"latency_ms": round(latency, 1)})

    # -- steps ----------------------------------------------------------------------------

    def _follow_up(self, item: SessionItem, answer: str, trace: dict[str, Any]) -> FollowUp | None:
        templates = self.templates(item, answer, trace)
        phrases = candidate_phrases(answer, item.text, limit=6)
        trace["phrases"] = phrases
        trace["templates"] = templates[:4]
        detail: str | None = None
        if self.use_model and phrases and self.llm is not None and self.llm.ready:
            text, detail = self._generate(item, answer, templates, phrases, trace)
            if text is not None:
                trace["path"] = "model"
                return FollowUp(text=text, source="model")
        composed = self._compose(item, answer, templates, phrases, detail, trace)
        if composed is not None:
            trace["path"] = "composed"
            return FollowUp(text=composed, source="template")
        if templates:
            trace["path"] = "template"
            return FollowUp(text=templates[0], source="template")
        trace["path"] = "fallback"
        return self.fallback.follow_up(item, answer)

    def templates(self, item: SessionItem, answer: str, trace: dict[str, Any] | None = None) -> list[str]:
        """The question's own templates (best match to the answer first), then retrieved ones."""
        own = list(item.follow_ups)
        retrieved: list[str] = []
        query_vec = None
        if self.index is not None and getattr(self.index, "ready", False):
            try:
                # the item carries its own templates: one Chroma query finds similar ones
                found = self.index.retrieve(item.text, answer, k=self.k, related=False)
                query_vec = found.query_embedding
                retrieved = [h.text for h in found.templates
                             if h.question_key == item.question_key
                             or h.similarity >= MIN_RETRIEVED_SIMILARITY]
                if trace is not None:
                    trace["retrieval_ms"] = round(found.ms, 1)
            except Exception as exc:
                log.debug("retrieval failed: %s", exc)
                if trace is not None:
                    trace["retrieval_error"] = str(exc)
        if own and self.embedder is not None and len(own) > 1:
            try:
                vectors = self.embedder.embed([f"{item.text}\n{answer}", *own]) if query_vec is None \
                    else np.vstack([query_vec, self.embedder.embed(own)])
                order = np.argsort(-(vectors[1:] @ vectors[0]), kind="stable")
                own = [own[i] for i in order]
            except Exception as exc:
                log.debug("ranking templates failed: %s", exc)
        merged: list[str] = []
        for text in own + retrieved:
            if text not in merged and text.strip().lower() != item.text.strip().lower():
                merged.append(text)
        if trace is not None:
            trace["own_templates"] = sum(1 for t in merged if t in item.follow_ups)
        return merged

    def _generate(self, item: SessionItem, answer: str, templates: list[str], phrases: list[str],
                  trace: dict[str, Any]) -> tuple[str | None, str | None]:
        prompt = followup_prompt(item.text, answer, self._ideas(templates, trace))
        schema = followup_schema(phrases)
        trace["prompt"], trace["schema"] = prompt, schema
        try:
            completion = self.llm.complete(prompt, schema=schema,
                                           max_tokens=self.max_tokens, temperature=0.0,
                                           timeout=self.timeout)
        except Exception as exc:
            trace["model_error"] = f"{type(exc).__name__}: {exc}"
            return None, None
        trace["raw"] = completion.text
        trace["model_ms"] = round(completion.total_ms, 1)
        trace["first_token_ms"] = completion.first_token_ms
        try:
            data = json.loads(completion.text)
        except ValueError:
            trace["rejected"] = "not valid JSON (generation cut off?)"
            return None, None
        detail = data.get("detail") if isinstance(data, dict) else None
        detail = detail if isinstance(detail, str) and detail in phrases else None
        context = {"question": item.text, "answer": answer, "phrases": phrases,
                   "embedder": self.embedder, "ideas": self._ideas(templates, trace)}
        try:
            draft = FollowUpDraft.model_validate(data, context=context)
        except ValidationError as exc:
            trace["rejected"] = "; ".join(e["msg"] for e in exc.errors())
            return None, detail
        forced = forced_phrase(draft.followup, phrases)
        if forced:
            trace["rejected"] = f"the grammar forced {forced!r} in at the length limit"
            return None, detail
        return draft.followup, draft.detail

    @staticmethod
    def _ideas(templates: list[str], trace: dict[str, Any]) -> list[str]:
        """What the prompt shows: the question's own templates, or else the closest retrieved."""
        own = int(trace.get("own_templates", 0))
        return templates[:min(own, 3)] if own else templates[:2]

    def _compose(self, item: SessionItem, answer: str, templates: list[str], phrases: list[str],
                 detail: str | None, trace: dict[str, Any]) -> str | None:
        """'You mentioned <detail>. <template>': a template grounded in the answer."""
        if not phrases or not templates:
            return None
        own = int(trace.get("own_templates", 0))
        # The question's own templates were written for it: prefer them to retrieved ones.
        pool = templates[:own] if own else templates[:3]
        usable = [t for t in pool if t.rstrip().endswith("?")]
        if not usable:
            return None
        pairs: list[tuple[float, str, str]] = []
        if self.embedder is not None:
            try:
                vectors = self.embedder.embed(usable + phrases)
                t_vecs, p_vecs = vectors[:len(usable)], vectors[len(usable):]
                sims = t_vecs @ p_vecs.T
                for ti, template in enumerate(usable):
                    for pi, phrase in enumerate(phrases):
                        # relatedness to the template, a nudge for the top-ranked phrases
                        # and for the model's own pick, and a preference for own templates
                        score = float(sims[ti, pi]) - 0.06 * pi - 0.05 * ti
                        score += 0.05 if phrase == detail else 0.0
                        pairs.append((score, template, phrase))
            except Exception as exc:
                log.debug("pairing phrases with templates failed: %s", exc)
        if not pairs:
            chosen = detail or phrases[0]
            pairs = [(0.0, template, chosen) for template in usable]
        for _, template, phrase in sorted(pairs, key=lambda p: -p[0]):
            text = template if phrase.lower() in template.lower() else f"You mentioned {phrase}. {template}"
            if len(text.split()) > MAX_WORDS:
                continue
            trace["detail"] = phrase
            return text
        return None


class ReadinessGate:
    """The provider the workers hold: RAG when the model and index are ready, templates otherwise.

    It never waits for the model: while it loads (or if it failed), follow-ups come
    from retrieval-ranked templates, or from the plain `TemplateFollowUps`.
    """

    def __init__(self, rag: RagFollowUps, fallback: FollowUpProvider | None = None) -> None:
        self.rag = rag
        self.fallback = fallback or TemplateFollowUps()

    def follow_up(self, item: SessionItem, answer: str) -> FollowUp | None:
        index_ready = self.rag.index is not None and getattr(self.rag.index, "ready", False)
        model_ready = self.rag.llm is not None and self.rag.llm.ready
        if index_ready or model_ready:
            return self.rag.follow_up(item, answer)
        return self.fallback.follow_up(item, answer)
