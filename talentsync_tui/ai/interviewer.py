"""The interviewer: one follow-up question, aimed like a person who listened.

A human interviewer asks about what you left out, in the context of what you
said; when nothing is missing, about your most specific claim. So:

1. The **gap** comes from the answer's first grading (the quick check, ready in
   a fraction of a second): the expected point judged least covered, or, when
   every point is covered, the answer's most specific claim (a number, a tool, a
   decision; `phrases.candidate_phrases`).
2. The coach model writes the question with the interviewer's chat prompt
   `[system][question, answer | the gap]`, streaming (`on_text`), stopped at its
   first question mark. The part before ``|`` is what `listen()` evaluates in
   the background while the candidate types, so after submit only the last few
   answer tokens and the short tail remain.
3. Validation: one question, at most MAX_WORDS words, not the original question
   (embedding similarity), not a question already asked in this session, and it
   names something the candidate said or the missed point, and does not present
   the missed point as the candidate's own (`false_premise`). Otherwise one retry
   (sampled), then the **template for the same gap**: of the question's own
   follow-up templates and the ones retrieved from the index for similar
   questions, the one closest to the gap. Never a phrase glued onto a template.

Measured while choosing the prompt (bench/followup_eval.yaml, 10-16 cases, by
hand): putting the retrieved templates into the prompt as examples made this
1.5B model copy them instead of asking about the answer, so retrieval serves
the fallback choice, not the prompt. Later (bench/bench_followup_variants.py, all
80 cases, blind-rated on 31: bench/results/followup_ratings.md), the missed point
cut to a short topic with the candidate's phrase to start from, a one-shot example,
and prefilling the reply with the candidate's own clause ("You owned the CI
pipeline:") did not beat this prompt by hand; `tail`, `lead` and `system_prompt`
are the hooks those variants override.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from talentsync_tui.ai.llm import LLMUnavailable
from talentsync_tui.ai.phrases import candidate_phrases, content_words, specific_mentions
from talentsync_tui.engine.followups import FollowUp, TemplateFollowUps, asks_two_things
from talentsync_tui.feedback.text import stem
from talentsync_tui.models import SessionItem

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You are a technical interviewer. After the candidate answers, you ask exactly one short follow-up "
    "question (under 25 words) that digs into a specific claim, decision or number in their answer. "
    "Reply with the question only."
)
MAX_WORDS = 30
MIN_WORDS = 4
MAX_TOKENS = 60
REPEAT_THRESHOLD = 0.80
"""Cosine above which a follow-up is taken for a paraphrase of a question already asked."""
MIN_RETRIEVED_SIMILARITY = 0.35
DEADLINE_SECONDS = 8.0

_OPENERS = frozenset("""what which how why when where who whom whose did do does is are was were can
could would will should have has had walk talk describe explain if in given and so suppose
imagine tell""".split())
_WH = frozenset("what which how why when where who whom whose".split())
_THIRD_PERSON = re.compile(r"\b(the|this) (candidate|interviewee)\b|\btheir answer\b", re.I)
"""A question about the candidate ("How does the candidate address ...?") rather than to them."""


_HYPOTHETICAL = re.compile(r"\b(would|could|might|if|should)\b", re.I)
_ASSERTS = re.compile(r"\b(did|does|do|have|has|was|were|are|is)\s+(you|your|the\s+(system|team|app|service|"
                      r"design)|they)\b|\byour\b", re.I)
_DEFINITE = re.compile(r"\b(the|your)\s+((?:[\w'./-]+\s+){0,3}[\w'./-]+)", re.I)
_GENERIC = frozenset("""issue problem system approach solution process team data code service app application
way thing case time user result change work step impact performance""".split())
"""Words a missed point shares with any story: naming them invents nothing."""


def _stem(word: str) -> str:
    return stem(word.lower().strip("'\".,:;?()"))


def false_premise(text: str, *, question: str, answer: str, gap: Gap | None) -> str | None:
    """The phrase by which `text` presents the missed point as the candidate's own, else None.

    "How did you handle the parameter sniffing issue?" to an answer that never mentions
    parameter sniffing: a definite phrase ("the ...", "your ...", "these ...") carrying a word of
    the missed point that neither the answer nor the question contains, in a question that asserts
    ("did you", "does your", "your ...") rather than asks hypothetically ("would you", "if ...").
    The blind ratings gave such follow-ups 0 (bench/results/followup_ratings.md).
    """
    if gap is None or gap.kind != "missed" or _HYPOTHETICAL.search(text) or not _ASSERTS.search(text):
        return None
    known = {_stem(w) for w in content_words(answer) | content_words(question)}
    missed = {_stem(w) for w in content_words(gap.text)} - {_stem(w) for w in _GENERIC}
    for match in _DEFINITE.finditer(text):
        words = {_stem(w) for w in re.findall(r"[\w'./-]+", match.group(2))}
        if words & missed - known:
            return match.group(0)
    return None


@dataclass(frozen=True)
class Gap:
    """What the follow-up aims at: a missed expected point, or the answer's most specific claim."""

    kind: str  # "missed" | "claim"
    text: str
    index: int | None = None
    """The missed point's index into the question's expected points."""

    def describe(self) -> str:
        return f"missed point: {self.text}" if self.kind == "missed" else f"claim: {self.text}"


def choose_gap(item: Any, answer: str, details: dict[str, Any] | None = None) -> Gap | None:
    """The missed point judged least covered, else the most specific claim, else None.

    `details` is a Feedback's `details` (the quick check's or the coach's): its
    `points` carry each expected point's calibrated probability and `missed` the
    points judged missed.
    """
    details = details or {}
    missed = {m.get("index") for m in details.get("missed") or [] if isinstance(m, dict)}
    points = [p for p in details.get("points") or [] if isinstance(p, dict) and p.get("index") in missed]
    if points:
        worst = min(points, key=lambda p: (float(p.get("probability") or 0.0), p.get("index") or 0))
        return Gap("missed", str(worst.get("point") or ""), int(worst["index"]))
    if missed and getattr(item, "expected_points", None):
        index = min(i for i in missed if isinstance(i, int))
        return Gap("missed", item.expected_points[index], index)
    phrases = candidate_phrases(answer, getattr(item, "text", ""), limit=3)
    if phrases:
        return Gap("claim", phrases[0])
    return None


def followup_tail(gap: Gap | None) -> str:
    """The task after the answer: short, so little is left to evaluate after submit."""
    if gap is not None and gap.kind == "missed":
        return (f'The answer left out: "{_clip(gap.text, 200)}". Ask one short follow-up question that '
                "gets the candidate to address that, in the context of what they described.")
    example = f' (for example "{_clip(gap.text, 60)}")' if gap is not None else ""
    return ("Ask one short follow-up question that digs into the most specific decision, number or "
            f"tool in their answer{example}: why, how, or what trade-off.")


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def clean_question(text: str) -> str:
    """The model's text as one question: first line, up to its first '?', quotes and labels off."""
    text = text.strip().split("\n", 1)[0].strip()
    text = re.sub(r"^(follow[- ]?up( question)?|question|interviewer)\s*:\s*", "", text, flags=re.I)
    text = text.strip(" \"'`*")
    if "?" in text:
        text = text[: text.index("?") + 1]
    return text


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def _overlap(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def check_followup(text: str, *, question: str, answer: str, gap: Gap | None = None,
                   asked: Sequence[str] = (), embedder: Any = None) -> str | None:
    """None if `text` is an acceptable follow-up, else the reason it is not."""
    words = text.split()
    if not text.endswith("?"):
        return "not a question (no '?')"
    if text.count("?") > 1 or "\n" in text:
        return "more than one question"
    if asks_two_things(text):
        return "two questions joined into one"
    if _THIRD_PERSON.search(text):
        return "speaks about the candidate, not to them"
    if len(words) > MAX_WORDS:
        return f"too long ({len(words)} words)"
    if len(words) < MIN_WORDS:
        return f"too short ({len(words)} words)"
    # A lead-in from their story is fine ("You paired with him for an afternoon: how did you ...?"):
    # the question proper is what follows the colon.
    asked_part = text.split(": ", 1)[1].split() if ": " in text else []
    if not any(_phrased_as_question(part) for part in (words, asked_part) if part):
        return "not phrased as a question"
    if sum(c.isalpha() for c in text) < 0.6 * len(text):
        return "not enough words"
    earlier = [question, *asked]
    for other in earlier:
        if other and _overlap(text, other) >= 0.9:
            return "repeats a question already asked"
    if embedder is not None:
        try:
            vectors = embedder.embed([text, *[e for e in earlier if e]])
            for vector in vectors[1:]:
                similarity = _cosine(vectors[0], vector)
                if similarity >= REPEAT_THRESHOLD:
                    return f"repeats a question already asked (cosine {similarity:.2f})"
        except Exception as exc:  # the embedder is a help, not a gate
            log.debug("follow-up similarity check failed: %s", exc)
    premise = false_premise(text, question=question, answer=answer, gap=gap)
    if premise:
        return f"presents the missed point as theirs ({premise!r})"
    names_answer = bool(specific_mentions(text, answer, question))
    names_gap = gap is not None and gap.kind == "missed" and bool(
        (content_words(gap.text) - content_words(question)) & content_words(text))
    if not (names_answer or names_gap):
        return "names nothing the candidate said and not the missed point"
    return None


def _phrased_as_question(words: list[str]) -> bool:
    first = re.sub(r"[^a-z]", "", words[0].lower())
    return first in _OPENERS or any(re.sub(r"[^a-z]", "", w.lower()) in _WH for w in words[1:8])


class Interviewer:
    """A FollowUpProvider: the coach model aimed at the gap, validated, with a template for the same gap."""

    def __init__(self, llm: Any = None, index: Any = None, embedder: Any = None, *,
                 use_model: bool = True, deadline: float = DEADLINE_SECONDS, k: int = 4,
                 layout: Any = None) -> None:
        self.llm = llm
        self.index = index
        self.embedder = embedder
        self.use_model = use_model
        self.deadline = deadline
        self.k = k
        self._layout = layout
        self._layout_lock = threading.Lock()
        self.templates = TemplateFollowUps()
        self.stats: dict[str, int] = {}
        self.last: dict[str, Any] = {}
        self._stats_lock = threading.Lock()

    # -- the prompt ------------------------------------------------------------------

    def _chat_layout(self) -> Any:
        with self._layout_lock:
            if self._layout is None:
                from talentsync_tui.ai.coach import ChatLayout

                self._layout = ChatLayout(getattr(self.llm, "chat_template", None),
                                          bos_token=getattr(self.llm, "bos_text", "") or "",
                                          eos_token=getattr(self.llm, "eos_text", "") or "")
            return self._layout

    system_prompt = SYSTEM_PROMPT

    def tail(self, question: str, answer: str, gap: Gap | None) -> str:
        """The user message's task after the answer (short: it is evaluated after submit)."""
        return followup_tail(gap)

    def lead(self, question: str, answer: str, gap: Gap | None) -> str:
        """The first words of the reply, written into the prompt (empty: none)."""
        return ""

    def prompt(self, question: str, answer: str, gap: Gap | None) -> tuple[str, str]:
        """`(prefix, rest)`: the chat prompt split where the answer ends (what `listen` warms);
        `rest` ends with `lead()`, the reply's first words."""
        from talentsync_tui.ai.coach import user_head

        prefix, rest = self._chat_layout().split(user_head(question, answer), self.tail(question, answer, gap),
                                                 system=self.system_prompt)
        return prefix, rest + self.lead(question, answer, gap)

    def listen(self, question: str, draft: str) -> None:
        """Evaluate the prompt up to the draft answer now (background priority), so the
        follow-up after submit only evaluates the rest. Cheap to call often: only new
        tokens are evaluated, and anything more urgent goes first."""
        if not (self.use_model and draft.strip() and self._model_ready()):
            return
        prefill = getattr(self.llm, "prefill", None)
        if prefill is None:
            return
        from talentsync_tui.ai.coach import user_head

        prefix, _ = self._chat_layout().split(user_head(question, draft), followup_tail(None),
                                              system=self.system_prompt)
        # Stop before the draft's last word: it may still grow, and its tokens would differ.
        cut = prefix.rstrip().rfind(" ")
        prefill(prefix[:cut] if cut > 0 else prefix)

    def _model_ready(self) -> bool:
        return self.llm is not None and bool(getattr(self.llm, "ready", False))

    # -- the provider protocol ---------------------------------------------------------

    def follow_up(self, item: SessionItem, answer: str, *, gap: Gap | None = None,
                  details: dict[str, Any] | None = None, asked: Sequence[str] = (),
                  on_text: Callable[[str], None] | None = None) -> FollowUp | None:
        """One follow-up for `answer`; `on_text(text so far)` streams the model's words."""
        started = time.perf_counter()
        gap = gap or choose_gap(item, answer, details)
        trace: dict[str, Any] = {"question": item.text, "gap": gap.describe() if gap else None}
        result: FollowUp | None = None
        try:
            if self.use_model and self._model_ready():
                result = self._from_model(item, answer, gap, asked, on_text, started, trace)
        except Exception as exc:  # a follow-up must never cost the candidate their feedback
            log.exception("follow-up generation failed; using a template")
            trace["error"] = f"{type(exc).__name__}: {exc}"
        if result is None:
            result = self._template(item, answer, gap, asked, trace)
        path = trace.get("path", "none") if result is not None else "none"
        with self._stats_lock:
            self.stats[path] = self.stats.get(path, 0) + 1
            self.last = trace
        if result is None:
            return None
        latency = (time.perf_counter() - started) * 1000
        return result.model_copy(update={"latency_ms": round(latency, 1),
                                         "target": gap.describe() if gap else None})

    # -- steps ---------------------------------------------------------------------------

    def _from_model(self, item: SessionItem, answer: str, gap: Gap | None, asked: Sequence[str],
                    on_text: Callable[[str], None] | None, started: float,
                    trace: dict[str, Any]) -> FollowUp | None:
        prefix, rest = self.prompt(item.text, answer, gap)
        lead = self.lead(item.text, answer, gap)
        trace["prompt"] = prefix + rest
        attempts: list[dict[str, Any]] = []
        trace["attempts"] = attempts
        for attempt, temperature in enumerate((0.0, 0.7)):
            remaining = self.deadline - (time.perf_counter() - started)
            if remaining <= 0.3:
                trace["rejected"] = "deadline"
                break

            def stream(text: str) -> None:
                if on_text is not None:
                    on_text(clean_question(lead + text))

            try:
                completion = self.llm.complete(prefix + rest, max_tokens=MAX_TOKENS, temperature=temperature,
                                               stop=["\n"], timeout=remaining, on_text=stream, until="?")
            except (TimeoutError, LLMUnavailable) as exc:  # a slow server, a model that went away
                trace["rejected"] = f"{type(exc).__name__}: {exc}"
                log.info("no follow-up from the model (%s): using the template for the gap", exc)
                break
            text = clean_question(lead + completion.text)
            reason = self.check(text, question=item.text, answer=answer, gap=gap, asked=asked,
                                embedder=self.embedder)
            attempts.append({"text": text, "rejected": reason, "ms": round(completion.total_ms, 1),
                             "first_token_ms": completion.first_token_ms})
            if reason is None:
                trace["path"] = "model"
                return FollowUp(text=text, source="model")
            log.info("follow-up draft %d rejected (%s): %r", attempt + 1, reason, text)
        return None

    def check(self, text: str, *, question: str, answer: str, gap: Gap | None = None,
              asked: Sequence[str] = (), embedder: Any = None) -> str | None:
        """None if the draft is acceptable, else why not (`check_followup`)."""
        return check_followup(text, question=question, answer=answer, gap=gap, asked=asked, embedder=embedder)

    def candidates(self, item: SessionItem, answer: str) -> list[str]:
        """The question's own follow-up templates, then those of similar questions (retrieved)."""
        found: list[str] = list(item.follow_ups)
        if self.index is not None and getattr(self.index, "ready", False):
            try:
                hits = self.index.retrieve(item.text, answer, k=self.k, related=False)
                found += [h.text for h in hits.templates
                          if h.question_key == item.question_key or h.similarity >= MIN_RETRIEVED_SIMILARITY]
            except Exception as exc:
                log.debug("retrieval failed: %s", exc)
        unique: list[str] = []
        for text in found:
            if text not in unique and text.strip().lower() != item.text.strip().lower():
                unique.append(text)
        return unique

    def _template(self, item: SessionItem, answer: str, gap: Gap | None, asked: Sequence[str],
                  trace: dict[str, Any]) -> FollowUp | None:
        """The single-question template closest to the gap (or to the answer), never one already asked."""
        asked_low = {a.strip().lower() for a in asked}
        pool = [t for t in self.candidates(item, answer) if t.strip().lower() not in asked_low]
        # The banks hold some two-part templates ("How did they react, and what did you do?"):
        # the same rule as for the model's drafts, as long as a single question is left.
        single = [t for t in pool if not asks_two_things(t)]
        pool = single or pool
        if not pool:
            trace["path"] = "none"
            return None
        target = gap.text if gap is not None else answer
        own = set(item.follow_ups)
        if self.embedder is not None:
            try:
                vectors = self.embedder.embed([target, *pool])
                scores = [float(v @ vectors[0]) + (0.05 if t in own else 0.0)
                          for v, t in zip(vectors[1:], pool)]
            except Exception as exc:
                log.debug("ranking templates failed: %s", exc)
                scores = [_overlap(t, target) for t in pool]
        else:
            scores = [_overlap(t, target) + (0.05 if t in own else 0.0) for t in pool]
        best = max(range(len(pool)), key=lambda i: (scores[i], -i))
        trace["path"] = "template"
        return FollowUp(text=pool[best], source="template")
