"""Deterministic test doubles for the AI layer (no model files, no threads, instant).

`FakeEmbedder` maps words to fixed pseudo-random directions (bag of words, L2
normalised), so texts sharing words are similar; `FakeLLM` returns scripted
completions and records the prompts and schemas it was given.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from talentsync_tui.ai.llm import Completion, LLMUnavailable

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    dims = 384

    def __init__(self) -> None:
        self.calls = 0
        self._cache: dict[str, np.ndarray] = {}

    @staticmethod
    def name() -> str:
        return "fake-bag-of-words"

    def load(self) -> None:
        return None

    def _word(self, word: str) -> np.ndarray:
        vec = self._cache.get(word)
        if vec is None:
            seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
            vec = np.random.default_rng(seed).standard_normal(self.dims).astype(np.float32)
            self._cache[word] = vec
        return vec

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _WORD.findall(text.lower()) or ["empty"]
            for word in words:
                out[i] += self._word(word)
            out[i] /= np.linalg.norm(out[i]) + 1e-12
        return out

    def __call__(self, input: list[str]) -> list[np.ndarray]:  # noqa: A002
        return list(self.embed(list(input)))


class FakeLLM:
    """Scripted completions; `ready` is settable; `respond` may be a callable(prompt, schema)."""

    kind = "fake"

    def __init__(self, respond: str | Callable[[str, Any], str] = "", *, ready: bool = True,
                 delay: float = 0.0) -> None:
        self.respond = respond
        self.state = "ready" if ready else "loading"
        self.prompts: list[str] = []
        self.schemas: list[Any] = []
        self.temperatures: list[float] = []
        self.prefilled: list[str] = []
        self.error: str | None = None
        self.delay = delay
        self.cancelled = threading.Event()
        self._loaded = threading.Event()
        if ready:
            self._loaded.set()

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def start(self) -> None:
        return None

    def finish_loading(self, ok: bool = True) -> None:
        self.state = "ready" if ok else "failed"
        self.error = None if ok else "fake load failure"
        self._loaded.set()

    def wait(self, timeout: float | None = None) -> bool:
        self._loaded.wait(timeout)
        return self.ready

    def complete(self, prompt: str, *, schema: Any = None, max_tokens: int = 64,
                 temperature: float = 0.0, stop: list[str] | None = None,
                 timeout: float | None = None, on_text: Callable[[str], None] | None = None,
                 until: str | None = None, **_: Any) -> Completion:
        """The scripted text, streamed word by word to `on_text` (`delay` spread over the
        words, cut short by `timeout` like LocalLLM's deadline), cut after `until`."""
        if not self.ready:
            raise LLMUnavailable("fake model not ready")
        self.prompts.append(prompt)
        self.schemas.append(schema)
        self.temperatures.append(temperature)
        text = self.respond(prompt, schema) if callable(self.respond) else self.respond
        if until and until in text:
            text = text[: text.index(until) + len(until)]
        words = text.split(" ")
        step = self.delay / max(1, len(words)) if self.delay else 0.0
        started = time.monotonic()
        shown: list[str] = []
        for word in words:
            if step and self.cancelled.wait(step):  # like LocalLLM: cancel() stops it mid-generation
                break
            if timeout is not None and time.monotonic() - started > timeout:
                break
            shown.append(word)
            if on_text is not None:
                on_text(" ".join(shown))
        text = " ".join(shown)
        return Completion(text=text, tokens=len(shown), total_ms=(time.monotonic() - started) * 1000,
                          first_token_ms=0.5)

    def prefill(self, prompt: str, priority: int = 0) -> int:
        """Recorded, like LocalLLM.prefill's KV-cache warm-up (instant here)."""
        if self.ready:
            self.prefilled.append(prompt)
        return len(prompt.split()) if self.ready else 0

    def status(self) -> dict[str, Any]:
        return {"kind": self.kind, "state": self.state, "loaded": self.ready, "error": self.error,
                "path": None, "source": "fake", "load_seconds": 0.0}

    def cancel(self) -> None:
        self.cancelled.set()

    def close(self) -> None:
        self.state = "closed"


def sample_modules(extra_question: bool = False) -> list[Any]:
    """A small two-module bank with points and follow-up templates."""
    from talentsync_tui.models import Module, Question

    caching = Question(
        id="caching", text="How do you keep a cache from serving stale data?", difficulty="medium",
        type="system_design", tags=["caching", "consistency"],
        expected_points=["Use a TTL so entries expire", "Invalidate keys explicitly on writes"],
        follow_ups=["How would you handle a cache stampede when a hot key expires?",
                    "When is write-back caching too risky to use?"],
    )
    queue = Question(
        id="queues", text="When should work go through a message queue instead of the request?",
        difficulty="easy", type="system_design", tags=["queues"],
        expected_points=["Slow or unreliable work is moved out of the request path"],
        follow_ups=["How do you make the consumer idempotent?"],
    )
    conflict = Question(
        id="conflict", text="Tell me about a time you disagreed with your manager.",
        difficulty="medium", type="behavioral", tags=["conflict"],
        expected_points=["Describes the disagreement", "Explains the outcome"],
        follow_ups=["What would you do differently next time?",
                    "How did the disagreement affect your relationship afterwards?"],
    )
    questions = [caching, queue]
    if extra_question:
        questions.append(Question(
            id="sharding", text="How would you shard a database that can no longer take the write load?",
            difficulty="hard", type="system_design", tags=["databases"],
            expected_points=["Choose a shard key with even load"],
            follow_ups=["How do you rebalance shards without downtime?"],
        ))
    return [
        Module(id="sysdesign", name="System design", category="Engineering", questions=questions),
        Module(id="behavioral", name="Behavioral", category="Soft skills", questions=[conflict]),
    ]


def session_item(question: Any, module_id: str = "sysdesign", item_id: int = 1) -> Any:
    """A SessionItem for a bank question (as the engine would queue it)."""
    from talentsync_tui.models import SessionItem

    return SessionItem(
        id=item_id, session_id=1, position=0, kind="core", question_key=f"{module_id}/{question.id}",
        text=question.text, difficulty=question.difficulty, type=question.type, tags=question.tags,
        expected_seconds=question.expected_seconds, expected_points=question.expected_points,
        follow_ups=question.follow_ups,
    )


class FakeJudge:
    """A deterministic coach judge: chosen P(yes) per probe, no model.

    `verdict(kind, text, question, answer) -> float` decides; the default says yes
    (0.9) to a point when most of its content words appear in the answer, and to
    "on topic" when the answer shares a content word with the question; STAR parts
    and ownership get 0.8 for answers of 40 words or more.
    """

    kind = "fake"

    def __init__(self, verdict: Callable[[str, str, str, str], float] | None = None, *,
                 ready: bool = True) -> None:
        self.verdict = verdict or _default_verdict
        self.ready = ready
        self.calls: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.name = "fake-judge"

    def __call__(self, question: str, answer: str, probes: Any, *, priority: int | None = None) -> list[float]:
        probes = list(probes)
        self.calls.append((question, answer, probes))
        return [float(self.verdict(kind, text, question, answer)) for kind, text in probes]


_STOP = frozenset("a an the and or of to in on for with is are was were be it that this you your their "
                  "they them how what when why which do does did about time tell me".split())


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def _default_verdict(kind: str, text: str, question: str, answer: str) -> float:
    words = _content(answer)
    if kind in ("point", "correct"):
        terms = _content(text)
        if not terms:
            return 0.5
        return 0.9 if len(terms & words) / len(terms) >= 0.5 else 0.1
    if kind == "on_topic":
        return 0.9 if _content(question) & words else 0.05
    return 0.8 if len(answer.split()) >= 40 else 0.2


def covering_scorer(item: Any, answer: str, elapsed: float, skipped: bool, **_: Any) -> Any:
    """A one-step scorer for `FeedbackWorkers.scorer`: the answer covers expected point n
    when it says `#n`; the score is the share of points covered (0 when skipped)."""
    from talentsync_tui.models import Feedback

    points = list(item.expected_points)
    covered = [i for i in range(len(points)) if f"#{i + 1}" in answer]
    missed = [i for i in range(len(points)) if i not in covered]
    score = 0 if skipped or not points else round(100 * len(covered) / len(points))
    return Feedback(score=score, coverage=len(covered) / len(points) if points else 0.0,
                    covered_points=[points[i] for i in covered], missed_points=[points[i] for i in missed],
                    summary=f"Covered {len(covered)} of {len(points)} expected points.",
                    details={"covered": [{"index": i, "point": points[i]} for i in covered],
                             "missed": [{"index": i, "point": points[i]} for i in missed]})
