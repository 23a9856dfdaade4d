"""The coach model as a judge: P(yes) for yes/no probes about one answer, on one KV cache.

A probe is a yes/no question a coach asks about an answer ("Does the answer cover
this rubric point?", "Is it on topic?", "Does it describe the result?"). The
prompt is laid out as

    [system: static instructions][user: question, answer | probe tail][assistant]

so the part before ``|`` is evaluated once per answer (llama.cpp keeps the
longest common token prefix, so the system part is shared by every answer) and
each probe costs only its tail: about 25 tokens. The verdict is read from the
logits of the first generated token: P(yes) / (P(yes) + P(no)), summed over the
spellings of "yes" and "no". Nothing is sampled.

`CoachJudge` wraps a `LocalLLM`; `RemoteJudge` asks an OpenAI-compatible server
for log-probabilities and says so when the server gives none.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from talentsync_tui.ai.models import common_prefix
from talentsync_tui.feedback.evidence import GradingCancelled

log = logging.getLogger(__name__)

SYSTEM_PROMPT = "You are a strict interview coach. Judge only what the candidate actually said."
"""Short on purpose: of three wordings tried on 32 dev answers (142 points), this one separated
covered from missed points best (AUC 0.90 vs 0.88 and 0.84) with the shortest prompt."""

PROBE_WORDING: dict[str, str] = {
    "point": 'Does the answer cover this point: "{text}"? Reply yes or no.',
    "correct": 'Is what the answer says about this point correct: "{text}"? Reply yes or no.',
    "on_topic": ("Is the answer about the question that was asked (not another topic, not a refusal "
                 "or \"I don't know\", not gibberish, not the question repeated)? Reply yes or no."),
    "situation": ("Does the answer describe a specific situation: where, when and what was at "
                  "stake? Reply yes or no."),
    "task": ("Does the answer say what the candidate was responsible for or needed to achieve? "
             "Reply yes or no."),
    "action": ("Does the answer describe concrete actions the candidate took themselves? "
               "Reply yes or no."),
    "result": ("Does the answer state the outcome: what changed in the end, or what they "
               "learned? Reply yes or no."),
    "ownership": ("Does the candidate make clear what they personally did, as opposed to what "
                  "the team did (\"I\" rather than only \"we\")? Reply yes or no."),
}
"""The tail of each kind of probe; `{text}` is the rubric point."""

MAX_ANSWER_CHARS = 4000
"""Longer answers are cut (head kept) so the prompt fits the context window."""
PREFIX_CHUNK = 64
"""The answer prefix is evaluated in chunks this long, so a cancel lands within a chunk
(about 1-1.5 s on 2 cores; the evidence in bench/data was collected with this size)."""

Probe = tuple[str, str]
"""`(kind, text)`: a kind from PROBE_WORDING and the rubric point (or "")."""


class JudgeCancelled(GradingCancelled):
    """The app is closing: the verdicts were abandoned (the job stays pending)."""


def probe_tail(kind: str, text: str = "") -> str:
    try:
        wording = PROBE_WORDING[kind]
    except KeyError:
        raise ValueError(f"unknown probe kind {kind!r}") from None
    return wording.format(text=" ".join(str(text).split()))


def user_head(question: str, answer: str) -> str:
    """The user message up to the probe: the question and the (possibly cut) answer."""
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER_CHARS:
        answer = answer[:MAX_ANSWER_CHARS].rstrip() + " [...]"
    question = " ".join((question or "").split())
    return f"Question: {question}\n\nAnswer: {answer}\n\n"


CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@dataclass
class ChatLayout:
    """Splits a chat-formatted prompt into the answer prefix and a probe tail."""

    template: str | None = None
    bos_token: str = ""
    eos_token: str = ""
    _render: Callable[..., str] | None = field(default=None, repr=False)

    def _renderer(self) -> Callable[..., str]:
        if self._render is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            formatter = Jinja2ChatFormatter(template=self.template or CHATML,
                                            eos_token=self.eos_token, bos_token=self.bos_token,
                                            add_generation_prompt=True)

            def render(messages: list[dict[str, str]]) -> str:
                return formatter(messages=messages).prompt

            self._render = render
        return self._render

    def split(self, head: str, tail: str, system: str | None = None) -> tuple[str, str]:
        """`(prefix, rest)` with `prefix + rest` the rendered chat prompt for head + tail."""
        system = SYSTEM_PROMPT if system is None else system
        messages = [{"role": "system", "content": system}] if system else []
        prompt = self._renderer()(messages + [{"role": "user", "content": head + tail}])
        cut = prompt.rfind(head)
        if cut < 0:  # a template that rewrites content: fall back to one block
            return prompt, ""
        cut += len(head)
        return prompt[:cut], prompt[cut:]


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


def yes_probability(logits: Any, yes_ids: Sequence[int], no_ids: Sequence[int]) -> float:
    """P(yes) / (P(yes) + P(no)) from next-token logits."""
    ly = _logsumexp([float(logits[i]) for i in yes_ids])
    ln = _logsumexp([float(logits[i]) for i in no_ids])
    diff = max(-60.0, min(60.0, ln - ly))
    return 1.0 / (1.0 + math.exp(diff))


@dataclass
class JudgeStats:
    answers: int = 0
    probes: int = 0
    prefix_tokens: int = 0
    tail_tokens: int = 0
    seconds: float = 0.0


class CoachJudge:
    """`judge(question, answer, probes) -> [P(yes)]` on the local llama.cpp model.

    Thread-safe: every step holds the model's priority lock, one probe at a time,
    so a follow-up the candidate is waiting for can go between two probes.
    """

    kind = "local"

    def __init__(self, llm: Any, *, cancelled: Callable[[], bool] | None = None) -> None:
        self.llm = llm
        model_cancel = getattr(llm, "_cancel", None)  # LocalLLM.cancel(): the app is quitting
        outer = cancelled or (lambda: False)
        self.cancelled = (lambda: outer() or model_cancel.is_set()) if model_cancel is not None else outer
        self.stats = JudgeStats()
        self._layout: ChatLayout | None = None
        self._yes_no: tuple[list[int], list[int]] | None = None
        self._tail_cache: dict[str, list[int]] = {}
        self._setup_lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return bool(getattr(self.llm, "ready", False))

    @property
    def name(self) -> str:
        path = getattr(self.llm, "path", None)
        return path.name if path is not None else str(getattr(self.llm, "kind", "model"))

    # -- set-up (once per model) --------------------------------------------------------

    def _prepare(self, raw: Any) -> None:
        with self._setup_lock:
            if self._layout is None:
                def token_text(token_id: int) -> str:
                    try:
                        return raw.detokenize([token_id], special=True).decode("utf-8", "replace")
                    except Exception:
                        return ""

                bos = token_text(raw.token_bos()) if raw.token_bos() >= 0 else ""
                eos = token_text(raw.token_eos()) if raw.token_eos() >= 0 else ""
                self._layout = ChatLayout(self.llm.chat_template, bos_token=bos, eos_token=eos)
            if self._yes_no is None:
                self._yes_no = (self._first_tokens(raw, ["yes", "Yes", " yes", " Yes", "YES"]),
                                self._first_tokens(raw, ["no", "No", " no", " No", "NO"]))

    @staticmethod
    def _first_tokens(raw: Any, words: list[str]) -> list[int]:
        ids: list[int] = []
        for word in words:
            tokens = raw.tokenize(word.encode(), add_bos=False, special=False)
            if tokens and tokens[0] not in ids:
                ids.append(tokens[0])
        return ids

    def _tokens(self, raw: Any, text: str, *, bos: bool) -> list[int]:
        tokens = list(raw.tokenize(text.encode("utf-8"), add_bos=bos, special=True))
        return tokens

    # -- evaluation ----------------------------------------------------------------------

    def _eval_prefix(self, raw: Any, tokens: list[int], *, fresh_logits: bool = False) -> int:
        """Bring the KV cache to exactly `tokens`, evaluating only what differs; returns work done.

        `fresh_logits`: the last token is evaluated even when cached, so its logits are current.
        """
        cached = raw.input_ids[: raw.n_tokens]
        common = common_prefix(cached, tokens)
        if common == len(tokens):
            if not fresh_logits:
                raw.n_tokens = common
                return 0
            common -= 1
        raw.n_tokens = common
        work = 0
        for start in range(common, len(tokens), PREFIX_CHUNK):
            if self.cancelled():
                raise JudgeCancelled("closing")
            chunk = tokens[start:start + PREFIX_CHUNK]
            raw.eval(chunk)
            work += len(chunk)
        return work

    def _probe(self, raw: Any, prefix: list[int], tail: list[int]) -> float:
        """P(yes) after `prefix + tail`. Like llama-cpp-python's own prompt cache, only the
        tokens that differ from what the KV cache holds are evaluated: the answer prefix
        once, and of each tail only what it does not share with the previous one (every
        point probe starts with the same words)."""
        import llama_cpp
        import numpy as np

        assert self._yes_no is not None
        work = self._eval_prefix(raw, prefix + tail, fresh_logits=True)
        self.stats.tail_tokens += min(work, len(tail))
        self.stats.prefix_tokens += max(0, work - len(tail))
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(raw.ctx, -1),
                                       shape=(raw.n_vocab(),))
        return yes_probability(logits, *self._yes_no)

    def __call__(self, question: str, answer: str, probes: Sequence[Probe], *,
                 priority: int | None = None) -> list[float]:
        from talentsync_tui.ai.models import PRIORITY_BACKGROUND

        priority = PRIORITY_BACKGROUND if priority is None else priority
        if not probes:
            return []
        started = time.perf_counter()
        head = user_head(question, answer)
        tails = [probe_tail(kind, text) for kind, text in probes]
        results: list[float] = []
        prefix: list[int] = []
        for index, tail_text in enumerate(tails):
            if self.cancelled():
                raise JudgeCancelled("closing")
            with self.llm.use(priority) as raw:
                if index == 0:
                    self._prepare(raw)
                    assert self._layout is not None
                    prefix_text, _ = self._layout.split(head, tails[0])
                    prefix = self._tokens(raw, prefix_text, bos=True)
                    limit = raw.n_ctx() - 160
                    if len(prefix) > limit:
                        raise ValueError(f"the answer is too long for the model ({len(prefix)} tokens)")
                # Between probes the lock may have served a follow-up: _probe re-evaluates
                # whatever of the prefix it replaced.
                tail = self._tail_tokens(raw, head, tail_text)
                results.append(self._probe(raw, prefix, tail))
        self.stats.answers += 1
        self.stats.probes += len(probes)
        self.stats.seconds += time.perf_counter() - started
        return results

    def _tail_tokens(self, raw: Any, head: str, tail_text: str) -> list[int]:
        cached = self._tail_cache.get(tail_text)
        if cached is None:
            assert self._layout is not None
            _, rest = self._layout.split(head, tail_text)
            cached = self._tokens(raw, rest, bos=False)
            if len(self._tail_cache) > 512:
                self._tail_cache.clear()
            self._tail_cache[tail_text] = cached
        return cached

    def status(self) -> dict[str, Any]:
        return {"kind": self.kind, "ready": self.ready, "answers": self.stats.answers,
                "probes": self.stats.probes, "seconds": round(self.stats.seconds, 2)}


class RemoteJudge:
    """The same probes against an OpenAI-compatible server (`/v1/chat/completions`).

    P(yes) comes from the server's `top_logprobs` for the first token. A server
    that returns no log-probabilities still gets an answer: its "yes"/"no" text,
    counted as 0.9 / 0.1 (`logprobs` is then False in `status()`).
    """

    kind = "remote"

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.logprobs: bool | None = None
        self.stats = JudgeStats()

    @property
    def ready(self) -> bool:
        return bool(getattr(self.llm, "ready", False))

    @property
    def name(self) -> str:
        return f"{getattr(self.llm, 'model', None) or 'server'} at {getattr(self.llm, 'url', '?')}"

    def __call__(self, question: str, answer: str, probes: Sequence[Probe], *,
                 priority: int | None = None) -> list[float]:
        started = time.perf_counter()
        head = user_head(question, answer)
        out: list[float] = []
        for kind, text in probes:
            messages = [{"role": "system", "content": SYSTEM_PROMPT},
                        {"role": "user", "content": head + probe_tail(kind, text)}]
            out.append(self._one(messages))
        self.stats.answers += 1
        self.stats.probes += len(probes)
        self.stats.seconds += time.perf_counter() - started
        return out

    def _one(self, messages: list[dict[str, str]]) -> float:
        body: dict[str, Any] = {"messages": messages, "max_tokens": 1, "temperature": 0.0,
                                "logprobs": True, "top_logprobs": 10}
        if getattr(self.llm, "model", None):
            body["model"] = self.llm.model
        data = self.llm._request("POST", "/v1/chat/completions", body, timeout=self.llm.timeout)
        choice = (data.get("choices") or [{}])[0]
        content = ((choice.get("logprobs") or {}).get("content") or [])
        if content and content[0].get("top_logprobs"):
            self.logprobs = True
            yes = [e["logprob"] for e in content[0]["top_logprobs"]
                   if str(e.get("token", "")).strip().lower() == "yes"]
            no = [e["logprob"] for e in content[0]["top_logprobs"]
                  if str(e.get("token", "")).strip().lower() == "no"]
            if yes or no:
                ly = _logsumexp(yes) if yes else -30.0
                ln = _logsumexp(no) if no else -30.0
                return 1.0 / (1.0 + math.exp(max(-60.0, min(60.0, ln - ly))))
        if self.logprobs is None:
            self.logprobs = False
            log.warning("the model server gives no log-probabilities: verdicts use its yes/no text")
        text = str((choice.get("message") or {}).get("content") or choice.get("text") or "")
        return 0.9 if text.strip().lower().startswith("yes") else 0.1

    def status(self) -> dict[str, Any]:
        return {"kind": self.kind, "ready": self.ready, "logprobs": self.logprobs,
                "answers": self.stats.answers, "probes": self.stats.probes}


def make_judge(llm: Any, cancelled: Callable[[], bool] | None = None) -> Any:
    """The judge for an LLM object (local, remote or a test double with its own `judge`)."""
    if llm is None:
        return None
    if hasattr(llm, "judge"):
        return llm.judge
    if getattr(llm, "kind", "") == "remote":
        return RemoteJudge(llm)
    return CoachJudge(llm, cancelled=cancelled)
