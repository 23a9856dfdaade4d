"""The small interface every text generator implements: the local model or a remote server.

The follow-up and narrative code only ever calls `complete()`, so switching from
the embedded llama.cpp model to an OpenAI-compatible server is a setting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol


class LLMUnavailable(RuntimeError):
    """The model is not loaded (yet, or at all): callers fall back to templates."""


@dataclass(frozen=True)
class Completion:
    text: str
    tokens: int
    total_ms: float
    first_token_ms: float | None = None
    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    """Prompt tokens already in the KV cache (not evaluated again), where known."""


class LLM(Protocol):
    """A text generator that may still be loading; `complete` never loads synchronously."""

    kind: str

    @property
    def ready(self) -> bool: ...

    def start(self) -> None: ...

    def wait(self, timeout: float | None = None) -> bool: ...

    def complete(self, prompt: str, *, schema: dict[str, Any] | None = None, max_tokens: int = 64,
                 temperature: float = 0.0, stop: list[str] | None = None,
                 timeout: float | None = None) -> Completion: ...

    def status(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


_GBNF_CACHE: dict[str, str] = {}


def schema_to_gbnf(schema: dict[str, Any]) -> str:
    """A JSON schema as a GBNF grammar (llama-cpp-python's own converter, cached)."""
    key = json.dumps(schema, sort_keys=True)
    grammar = _GBNF_CACHE.get(key)
    if grammar is None:
        from llama_cpp.llama_grammar import json_schema_to_gbnf

        grammar = json_schema_to_gbnf(json.dumps(schema))
        if len(_GBNF_CACHE) > 256:
            _GBNF_CACHE.clear()
        _GBNF_CACHE[key] = grammar
    return grammar
