"""`AIRuntime`: the model, the embedder, the index and the providers, bundled for the facade.

    runtime = AIRuntime.from_settings(settings, store)
    runtime.start()                    # returns at once; loads in background threads
    runtime.attach(workers)            # follow-ups, the coach judge, the embedder when loaded
    ...
    runtime.on_banks_changed()         # after a bank import or delete
    runtime.status()                   # cheap; safe on the UI thread
    runtime.close()

Nothing heavy is imported by this module: llama.cpp, onnxruntime and chromadb
load inside the background start-up thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from talentsync_tui.engine.followups import FollowUpProvider, TemplateFollowUps

log = logging.getLogger(__name__)

StatusListener = Callable[[str], None]


class AIRuntime:
    """Everything `ai/` offers to the rest of the app, with degraded modes built in."""

    def __init__(self, settings: Any, store: Any, *, llm: Any = None, embedder: Any = None,
                 index: Any = None) -> None:
        self.settings = settings
        self.store = store
        self.enabled = bool(getattr(settings, "ai_enabled", True))
        self.llm = llm
        self.embedder = embedder
        self.index = index
        self.embed_error: str | None = None
        self.index_error: str | None = None
        self.embed_seconds: float | None = None
        self._listeners: list[StatusListener] = []
        self._messages: list[str] = []
        self._embeddings_ready = threading.Event()
        self._started = False
        self._start_thread: threading.Thread | None = None
        self._sync_lock = threading.Lock()
        self._sync_again = False
        self._sync_thread: threading.Thread | None = None
        self._workers: list[Any] = []
        self._closed = False
        self._templates = TemplateFollowUps()
        self._rag: Any = None
        self._gate: FollowUpProvider = self._templates
        self._narrator: Any = None
        self._judge: Any = None
        if self.enabled and self.llm is not None:
            from talentsync_tui.ai.coach import make_judge

            self._judge = make_judge(self.llm, cancelled=lambda: self._closed)
        self._listen_lock = threading.Condition()
        self._listen_draft: tuple[str, str] | None = None
        self._listen_thread: threading.Thread | None = None
        if self.enabled:
            from talentsync_tui.ai.interviewer import Interviewer

            # The embedder joins once loaded (`_install_matchers`): never loaded on a worker's time.
            self._rag = Interviewer(
                self.llm, self.index, None,
                use_model=bool(getattr(settings, "followup_model", True)),
                deadline=float(getattr(settings, "followup_deadline", 8.0)),
            )
            self._gate = self._rag

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_settings(cls, settings: Any, store: Any, *, model_source: str | None = None,
                      llm: Any = None, embedder: Any = None, index: Any = None) -> AIRuntime:
        """Build (but do not load) the model, the embedder and the index from settings."""
        if not getattr(settings, "ai_enabled", True):
            return cls(settings, store)
        runtime_box: list[AIRuntime] = []

        def notify(message: str) -> None:
            if runtime_box:
                runtime_box[0]._notify(message)

        if llm is None:
            url = getattr(settings, "llm_url", None)
            if url:
                from talentsync_tui.ai.remote import RemoteLLM

                llm = RemoteLLM(url, model=getattr(settings, "llm_model", None),
                                timeout=float(getattr(settings, "llm_timeout", 60.0)),
                                on_status=notify)
            else:
                from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model

                llm = LocalLLM(
                    resolve_model(settings, model_source),
                    n_threads=int(getattr(settings, "model_threads", 2)),
                    n_ctx=int(getattr(settings, "model_ctx", 2048)),
                    cache_dir=default_cache_dir(settings),
                    probe=bool(getattr(settings, "model_probe", True)),
                    on_status=notify,
                )
        if embedder is None:
            from talentsync_tui.ai.embeddings import MiniLMEmbedding

            # The plain class: chromadb (0.5 s to import) is only loaded by the index, in
            # the background, which also registers the chromadb subclass of this function.
            embedder = MiniLMEmbedding(threads=int(getattr(settings, "model_threads", 1)))
        if index is None:
            from talentsync_tui.ai.index import AIIndex

            url = getattr(settings, "chroma_url", None)
            index = AIIndex(store, embedder, path=None if url else settings.chroma_dir, url=url)
        runtime = cls(settings, store, llm=llm, embedder=embedder, index=index)
        runtime_box.append(runtime)
        return runtime

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        """Begin loading the model and syncing the index in the background; returns at once."""
        if not self.enabled or self._started:
            return
        self._started = True
        if self.llm is not None:
            self.llm.start()
        self._start_thread = threading.Thread(target=self._start_index, name="ai-index-start",
                                              daemon=True)
        self._start_thread.start()

    def _start_index(self) -> None:
        from talentsync_tui.ai.models import lower_thread_priority

        # Background work (embedding every bank document at the first start): at nice 10
        # like the model's threads, so the UI thread gets a core whenever it needs one.
        lower_thread_priority()
        if self.embedder is not None:
            started = time.perf_counter()
            try:
                if hasattr(self.embedder, "load"):
                    self.embedder.load()
                self.embed_seconds = time.perf_counter() - started
                self._embeddings_ready.set()
                self._install_matchers()
            except Exception as exc:
                self.embed_error = f"Semantic scoring is off: {exc}"
                log.warning(self.embed_error)
                self._notify(self.embed_error)
                return
        if self.index is not None and not self._closed:
            self._run_sync()

    def _run_sync(self) -> None:
        from talentsync_tui.ai.models import lower_thread_priority

        lower_thread_priority()  # its own thread after a bank import (no-op when already niced)
        while True:
            with self._sync_lock:
                self._sync_again = False
            try:
                report = self.index.sync()
                self.index_error = None
                if report.rebuilt:
                    self._notify(f"Search index built: {report.documents} documents "
                                 f"in {report.seconds:.1f} s")
            except Exception as exc:
                if self._closed:
                    return
                self.index_error = f"The search index is unavailable: {exc}"
                log.warning(self.index_error)
                self._notify(self.index_error)
            with self._sync_lock:
                if not self._sync_again or self._closed:
                    self._sync_thread = None
                    return

    def on_banks_changed(self) -> None:
        """Bring the index in step after a bank import or delete (background, coalesced)."""
        if not self.enabled or self.index is None or self._closed:
            return
        if not self._embeddings_ready.is_set():
            return  # the start-up sync will see the change
        with self._sync_lock:
            if self._sync_thread is not None:
                self._sync_again = True
                return
            self._sync_thread = threading.Thread(target=self._run_sync, name="ai-index-sync",
                                                 daemon=True)
            self._sync_thread.start()

    def wait_ready(self, timeout: float = 120.0, model: bool = True) -> bool:
        """Block until start-up finished (tests, CLI); True if everything came up."""
        deadline = time.monotonic() + timeout
        ok = True
        if model and self.llm is not None:
            ok = self.llm.wait(max(0.0, deadline - time.monotonic())) and ok
        for thread in (self._start_thread, self._sync_thread):
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
        index_ok = self.index is None or bool(getattr(self.index, "ready", False))
        return ok and index_ok and self._embeddings_ready.is_set()

    def cancel(self) -> None:
        """Quitting: stop an in-flight generation and an index build now; `close()` follows."""
        self._closed = True
        with self._listen_lock:
            self._listen_lock.notify_all()
        for part in (self.llm, self.index):
            if part is not None and hasattr(part, "cancel"):
                part.cancel()

    def close(self, timeout: float = 10.0) -> None:
        """Cancel, wait at most `timeout` for the background threads, then free the parts.

        A part still busy after that (a generation in its prompt, an embedding batch) is
        left to the process exit rather than freed under the thread using it.
        """
        deadline = time.monotonic() + timeout
        self.cancel()
        for thread in (self._start_thread, self._sync_thread):
            if thread is not None and thread.is_alive():
                thread.join(max(0.0, deadline - time.monotonic()))
        index_busy = any(t is not None and t.is_alive() for t in (self._start_thread, self._sync_thread))
        llm_lock = getattr(self.llm, "_lock", None)
        llm_busy = llm_lock is not None and not llm_lock.acquire(
            timeout=max(0.0, deadline - time.monotonic()))
        if llm_lock is not None and not llm_busy:
            llm_lock.release()
        if self.llm is not None and not llm_busy:
            try:
                self.llm.close()
            except Exception:
                log.debug("closing the model failed", exc_info=True)
        if self.index is not None and not index_busy:
            try:
                self.index.close()
            except Exception:
                log.debug("closing the index failed", exc_info=True)
        if llm_busy or index_busy:
            log.info("quit while the %s was busy: left to the process exit",
                     "model" if llm_busy else "index")

    # -- what the app plugs in ----------------------------------------------------------

    @property
    def follow_ups(self) -> FollowUpProvider:
        """Never blocks on loading: the model when it is ready, templates for the gap before."""
        return self._gate

    def listen(self, question: str, draft: str) -> None:
        """The candidate is typing `draft` to `question`: warm the model's cache with it in
        the background (the latest draft only; returns at once)."""
        if self._rag is None or self._closed or not self._rag.use_model or not draft.strip():
            return
        with self._listen_lock:
            self._listen_draft = (question, draft)
            if self._listen_thread is None:
                self._listen_thread = threading.Thread(target=self._listen, name="ai-listen", daemon=True)
                self._listen_thread.start()
            self._listen_lock.notify()

    def _listen(self) -> None:
        while not self._closed:
            with self._listen_lock:
                while self._listen_draft is None and not self._closed:
                    self._listen_lock.wait(5.0)
                job, self._listen_draft = self._listen_draft, None
            if job is None:
                continue
            try:
                self._rag.listen(*job)
            except Exception:  # warming a cache is an optimisation: never an error for the user
                log.debug("listening failed", exc_info=True)

    @property
    def rag(self) -> Any:
        return self._rag

    @property
    def judge(self) -> Any:
        """The coach model as a yes/no judge (`ai.coach`); check `.ready` before relying on it."""
        return self._judge

    @property
    def narrator(self) -> Callable[[str, list[str], list[str]], str | None] | None:
        """`(question, covered, missed) -> str | None` if narrative feedback is switched on."""
        if not self.enabled or not getattr(self.settings, "narrative_feedback", False):
            return None
        if self._narrator is None:
            from talentsync_tui.ai.scoring import Narrator

            self._narrator = Narrator(self.llm, timeout=float(getattr(self.settings,
                                                                      "followup_timeout", 20.0)))
        return self._narrator

    def narrative(self, question: str, covered: list[str], missed: list[str]) -> str | None:
        narrator = self.narrator
        return narrator(question, covered, missed) if narrator else None

    def attach(self, workers: Any) -> None:
        """Give FeedbackWorkers our follow-ups and judge now, our embedder as soon as it is loaded."""
        workers.follow_ups = self.follow_ups
        grader = getattr(workers, "grader", None)
        if grader is not None and self._judge is not None:
            grader.judge = self._judge
            grader.model_name = self._model_name()
        self._workers.append(workers)
        self._install_matchers()

    def _model_name(self) -> str | None:
        path = getattr(self.llm, "path", None)
        if path is not None:
            return path.name
        choice = getattr(self.llm, "choice", None)
        if choice is not None and getattr(choice, "bundled", False):
            from talentsync_tui.ai.models import MODEL_NAME

            return MODEL_NAME
        return getattr(self.llm, "model", None) or getattr(self.llm, "kind", None)

    def _install_matchers(self) -> None:
        if not self._embeddings_ready.is_set() or self.embedder is None:
            return
        if self._rag is not None and self._rag.embedder is None:
            self._rag.embedder = self.embedder
        for workers in self._workers:
            grader = getattr(workers, "grader", None)
            if grader is not None and grader.embedder is None:
                grader.embedder = self.embedder

    # -- status -------------------------------------------------------------------------

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        """Be told (from a background thread) of model/index events, once each."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @property
    def messages(self) -> list[str]:
        return list(self._messages)

    def _notify(self, message: str) -> None:
        self._messages.append(message)
        for listener in list(self._listeners):
            try:
                listener(message)
            except Exception:
                log.exception("AI status listener failed")

    def status(self) -> dict[str, Any]:
        """Model, embeddings, index and follow-up counters; cheap (never loads anything)."""
        if not self.enabled:
            return {"enabled": False, "model": None, "embeddings": None, "index": None,
                    "follow_ups": {"mode": "templates"}}
        model = self.llm.status() if self.llm is not None else None
        index: dict[str, Any] | None = None
        if self.index is not None:
            try:
                index = self.index.status(open_index=False)
            except Exception as exc:
                index = {"error": str(exc)}
            if self.index_error and index is not None:
                index["error"] = self.index_error
        mode = "templates"
        if self.llm is not None and self.llm.ready:
            mode = "model"
        elif self.index is not None and getattr(self.index, "ready", False):
            mode = "retrieval"
        return {
            "enabled": True,
            "model": model,
            "embeddings": {
                "loaded": self._embeddings_ready.is_set(),
                "load_seconds": round(self.embed_seconds, 2) if self.embed_seconds else None,
                "error": self.embed_error,
                "name": getattr(self.embedder, "name", lambda: None)() if self.embedder else None,
            },
            "index": index,
            "follow_ups": {"mode": mode, **(dict(self._rag.stats) if self._rag else {})},
            "messages": self.messages[-5:],
        }

