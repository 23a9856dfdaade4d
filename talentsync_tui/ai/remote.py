"""Past one laptop: the LLM behind an OpenAI-compatible server (setting `llm_url`).

Works with llama-cpp-python's `python -m llama_cpp.server` and llama.cpp's
`llama-server`: both accept `POST /v1/completions` with a GBNF `grammar` field, so
the same JSON schema constrains the output remotely. Standard library only
(urllib). The Chroma side is `AIIndex(url=...)` (chromadb.HttpClient), chosen by
the `chroma_url` setting.

Nothing here is used unless a URL is configured: the default stays fully local.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from talentsync_tui.ai.llm import Completion, LLMUnavailable, schema_to_gbnf

log = logging.getLogger(__name__)


class RemoteLLM:
    """An LLM that lives in another process or machine; `start()` checks it in the background."""

    kind = "remote"

    def __init__(self, url: str, *, model: str | None = None, timeout: float = 60.0,
                 on_status: Callable[[str], None] | None = None) -> None:
        self.url = url.rstrip("/")
        if self.url.endswith("/v1"):
            self.url = self.url[:-3]
        self.model = model
        self.timeout = timeout
        self.on_status = on_status
        self.state = "idle"
        self.error: str | None = None
        self.load_seconds: float | None = None
        self.server_models: list[str] = []
        self._checked = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    # -- connecting -------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self.state != "idle":
                return
            self.state = "loading"
        self._thread = threading.Thread(target=self._check, name="ai-remote-check", daemon=True)
        self._thread.start()

    def load(self) -> bool:
        with self._lock:
            if self.state == "idle":
                self.state = "loading"
            else:
                return self.wait()
        self._check()
        return self.ready

    def wait(self, timeout: float | None = None) -> bool:
        self._checked.wait(timeout)
        return self.ready

    def _check(self) -> None:
        started = time.perf_counter()
        try:
            data = self._request("GET", "/v1/models", None, timeout=min(self.timeout, 10.0))
            self.server_models = [m.get("id", "") for m in data.get("data", [])]
        except Exception as exc:
            self.error = (f"Cannot reach the model server at {self.url}: {exc}. "
                          "Using template follow-ups.")
            self.state = "failed"
            log.warning(self.error)
            self._notify(self.error)
            self._checked.set()
            return
        self.load_seconds = time.perf_counter() - started
        self.state = "ready"
        self.error = None
        self._notify(f"Model server ready at {self.url}")
        self._checked.set()

    def _notify(self, message: str) -> None:
        if self.on_status:
            try:
                self.on_status(message)
            except Exception:
                log.exception("status listener failed")

    # -- HTTP -------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict[str, Any] | None,
                 timeout: float) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", errors="replace")[:300]
            raise RuntimeError(f"HTTP {exc.code}: {detail}") from exc
        except urllib.error.URLError as exc:
            raise RuntimeError(str(exc.reason)) from exc

    def complete(self, prompt: str, *, schema: dict[str, Any] | None = None, max_tokens: int = 64,
                 temperature: float = 0.0, stop: list[str] | None = None,
                 timeout: float | None = None, on_text: Callable[[str], None] | None = None,
                 until: str | None = None, **_: Any) -> Completion:
        """One completion from the server (not streamed: `on_text` gets the whole text once;
        the text is cut after the first `until`)."""
        if not self.ready:
            raise LLMUnavailable(self.error or f"the model server is {self.state}")
        body: dict[str, Any] = {
            "prompt": prompt,
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": False,
        }
        if self.model:
            body["model"] = self.model
        if stop:
            body["stop"] = stop
        if schema is not None:
            body["grammar"] = schema_to_gbnf(schema)
        started = time.perf_counter()
        data = self._request("POST", "/v1/completions", body, timeout=timeout or self.timeout)
        total = (time.perf_counter() - started) * 1000
        text = data["choices"][0].get("text", "")
        if until and until in text:
            text = text[: text.index(until) + len(until)]
        if on_text is not None:
            on_text(text)
        usage = data.get("usage") or {}
        return Completion(text=text, tokens=int(usage.get("completion_tokens", 0)), total_ms=total,
                          first_token_ms=None, prompt_tokens=usage.get("prompt_tokens"))

    def status(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": None,
            "url": self.url,
            "source": "settings llm_url",
            "state": self.state,
            "loaded": self.ready,
            "load_seconds": round(self.load_seconds, 2) if self.load_seconds is not None else None,
            "error": self.error,
            "server_models": self.server_models,
        }

    def tokens_per_second(self, n_tokens: int = 64) -> float | None:
        if not self.ready:
            return None
        completion = self.complete("Interview questions about databases:\n1.", max_tokens=n_tokens)
        if not completion.tokens:
            return None
        return completion.tokens / (completion.total_ms / 1000)

    def close(self) -> None:
        self.state = "closed"
