"""The Chroma index: documents derived from SQLite, kept in step by content hashes.

Each bank question gives documents of three kinds: the question text, each
expected point and each follow-up template, with metadata (module_id,
question_key, kind, difficulty, type, tags as a string, the question's content
hash). SQLite stays the source of truth: the index can always be thrown away and
rebuilt, and is, automatically, when its folder is missing or corrupt.

Staleness: `Store.question_hashes()` against the hashes stored on each question
document, plus a fingerprint of the whole set in the store's meta table (so
`status()` can say "stale" without reading every document).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from talentsync_tui.ai.embeddings import NAME as EMBEDDING_NAME

log = logging.getLogger(__name__)

COLLECTION = "talentsync_bank_v1"
FINGERPRINT_KEY = "ai_index_fingerprint"
INDEX_FORMAT = "1"
KINDS = ("question", "point", "followup")
MAX_OWN = 32
"""At most this many follow-up templates of one question are looked up by id."""

Progress = Callable[[int, int, str], None]
"""progress(done, total, what): called as documents are embedded and written."""


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or queried right now (callers fall back to templates)."""


class SyncCancelled(RuntimeError):
    """`cancel()` was called during a sync (the app is closing); the next sync resumes."""


@dataclass(frozen=True)
class Hit:
    text: str
    kind: str
    question_key: str
    module_id: str
    similarity: float


@dataclass
class Retrieval:
    templates: list[Hit] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)
    query_embedding: np.ndarray | None = None
    ms: float = 0.0


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    documents: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def fingerprint(hashes: dict[str, str]) -> str:
    digest = hashlib.sha256(f"{INDEX_FORMAT}|{EMBEDDING_NAME}|".encode())
    for key in sorted(hashes):
        digest.update(f"{key}={hashes[key]};".encode())
    return digest.hexdigest()[:24]


def question_documents(question: Any, content_hash: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, metadata) for one StoredQuestion: children first, the question doc last."""
    base = {
        "module_id": question.module_id,
        "question_key": question.key,
        "difficulty": getattr(question.difficulty, "value", str(question.difficulty)),
        "type": getattr(question.type, "value", str(question.type)),
        "tags": ",".join(question.tags),
        "hash": content_hash,
    }
    docs = []
    for i, text in enumerate(question.expected_points):
        docs.append((f"point:{question.key}:{i}", text, {**base, "kind": "point", "n": i}))
    for i, text in enumerate(question.follow_ups):
        docs.append((f"followup:{question.key}:{i}", text, {**base, "kind": "followup", "n": i}))
    # The question document is written last: it marks the question as fully indexed.
    docs.append((f"question:{question.key}", question.text, {**base, "kind": "question", "n": 0}))
    return docs


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _is_fatal(exc: BaseException) -> bool:
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit))


class AIIndex:
    """One Chroma collection of bank documents for one store."""

    def __init__(self, store: Any, embedder: Any, *, path: Path | None = None,
                 url: str | None = None, collection: str = COLLECTION) -> None:
        if path is None and url is None:
            raise ValueError("AIIndex needs a path or a url")
        self.store = store
        self.embedder = embedder
        self.path = Path(path) if path is not None else None
        self.url = url
        self.collection_name = collection
        self.error: str | None = None
        self.last_sync: SyncReport | None = None
        self._client: Any = None
        self._collection: Any = None
        self._lock = threading.RLock()
        self._synced = threading.Event()
        self._recovered = False
        self._cancel = threading.Event()

    # -- opening ------------------------------------------------------------------------

    @property
    def backend(self) -> str:
        return "http" if self.url else "persistent"

    @property
    def ready(self) -> bool:
        """Opened and in step with the store at the last sync."""
        return self._synced.is_set() and self._collection is not None

    def _connect(self) -> Any:
        import chromadb

        if self.url:
            parsed = urlparse(self.url if "://" in self.url else f"http://{self.url}")
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        assert self.path is not None
        self.path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self.path), settings=_chroma_settings())

    def _get_collection(self, client: Any) -> Any:
        from talentsync_tui.ai.embeddings import MiniLMEmbedding, registered_class

        cls = registered_class()  # so Chroma can rebuild our function from a persisted config
        if _is_chroma_ef(self.embedder):
            ef = self.embedder
        elif isinstance(self.embedder, MiniLMEmbedding):
            ef = cls.build_from_config(self.embedder.get_config())  # shares the loaded encoder
        else:
            ef = None  # a test double: stored as metadata only
        kwargs: dict[str, Any] = {"configuration": {"hnsw": {"space": "cosine"}}}
        if ef is not None:
            kwargs["embedding_function"] = ef
        else:
            kwargs["metadata"] = {"embedding": getattr(self.embedder, "name", lambda: "custom")()}
        collection = client.get_or_create_collection(self.collection_name, **kwargs)
        count = collection.count()
        if count:
            # Touch the vector segment: a damaged HNSW file fails here, not mid-session.
            dim = len(collection.get(limit=1, include=["embeddings"])["embeddings"][0])
            collection.query(query_embeddings=[[0.0] * (dim - 1) + [1.0]], n_results=1)
        return collection

    def open(self) -> Any:
        """The collection, opening (and if need be recreating) it; raises IndexUnavailable."""
        with self._lock:
            if self._collection is not None:
                return self._collection
            try:
                client = self._connect()
            except BaseException as exc:  # noqa: BLE001 - pyo3 panics are BaseExceptions
                if _is_fatal(exc):
                    raise
                return self._recover(None, exc)
            try:
                self._collection = self._get_collection(client)
                self._client = client
            except BaseException as exc:  # noqa: BLE001
                if _is_fatal(exc):
                    raise
                return self._recover(client, exc)
            self.error = None
            return self._collection

    def _recover(self, client: Any, exc: BaseException) -> Any:
        """A corrupt local index is moved aside and recreated empty (to be rebuilt)."""
        reason = f"{type(exc).__name__}: {exc}"[:300]
        _close_client(client)
        if self.url:
            self.error = f"Cannot use the Chroma server at {self.url}: {reason}"
            log.warning(self.error)
            raise IndexUnavailable(self.error) from exc
        assert self.path is not None
        log.warning("the index at %s cannot be opened (%s): rebuilding it", self.path, reason)
        _forget_system(self.path)
        _move_aside(self.path)
        self._synced.clear()
        self._recovered = True
        try:
            client = self._connect()
            self._collection = self._get_collection(client)
            self._client = client
        except BaseException as again:  # noqa: BLE001
            if _is_fatal(again):
                raise
            self.error = f"Cannot create the index at {self.path}: {type(again).__name__}: {again}"
            log.warning(self.error)
            raise IndexUnavailable(self.error) from again
        self.error = None
        return self._collection

    def cancel(self) -> None:
        """Stop a running sync at the next batch (questions written so far stay indexed)."""
        self._cancel.set()

    def close(self) -> None:
        with self._lock:
            client, self._client, self._collection = self._client, None, None
            self._synced.clear()
            _close_client(client)

    # -- staleness ----------------------------------------------------------------------

    def status(self, open_index: bool = True) -> dict[str, Any]:
        """Counts, staleness and location; `open_index=False` never imports chromadb."""
        hashes = self.store.question_hashes()
        stored = self.store.get_meta(FINGERPRINT_KEY)
        info: dict[str, Any] = {
            "backend": self.backend,
            "location": self.url or str(self.path),
            "collection": self.collection_name,
            "questions": len(hashes),
            "stale": stored != fingerprint(hashes),
            "ready": self.ready,
            "error": self.error,
            "documents": None,
            "by_kind": None,
            "last_sync": self.last_sync.as_dict() if self.last_sync else None,
        }
        if self.path is not None and not (self.path / "chroma.sqlite3").exists():
            info["stale"] = True
        if open_index or self._collection is not None:
            try:
                with self._lock:
                    collection = self.open()
                    info["documents"] = collection.count()
                    info["by_kind"] = {
                        kind: len(collection.get(where={"kind": kind}, include=[])["ids"])
                        for kind in KINDS
                    }
                if info["documents"] == 0 and hashes:
                    info["stale"] = True
            except IndexUnavailable as exc:
                info["error"] = str(exc)
                info["stale"] = True
        return info

    def _indexed_hashes(self, collection: Any) -> dict[str, str]:
        got = collection.get(where={"kind": "question"}, include=["metadatas"])
        return {m["question_key"]: m.get("hash", "") for m in got["metadatas"] or []}

    # -- writing ------------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Add, update and delete only what changed since the last sync."""
        started = time.perf_counter()
        with self._lock:
            fresh_dir = self.path is not None and not (self.path / "chroma.sqlite3").exists()
            collection = self.open()
            report = SyncReport(rebuilt=fresh_dir or self._recovered)
            self._recovered = False
            hashes = self.store.question_hashes()
            try:
                indexed = self._indexed_hashes(collection)
            except BaseException as exc:  # noqa: BLE001
                if _is_fatal(exc):
                    raise
                self.close()
                if self.url:
                    raise IndexUnavailable(f"Chroma query failed: {exc}") from exc
                assert self.path is not None
                _forget_system(self.path)
                _move_aside(self.path)
                collection = self.open()
                indexed, report.rebuilt = {}, True
            gone = sorted(set(indexed) - set(hashes))
            changed = sorted(k for k in hashes if k in indexed and indexed[k] != hashes[k])
            new = sorted(k for k in hashes if k not in indexed)
            stale_keys = gone + changed + (new if indexed or collection.count() else [])
            for chunk in _chunks(stale_keys, 200):
                collection.delete(where={"question_key": {"$in": chunk}})
            report.removed, report.updated, report.added = len(gone), len(changed), len(new)
            todo = set(changed) | set(new)
            if todo:
                questions = [q for q in self.store.questions() if q.key in todo]
                docs = [d for q in questions for d in question_documents(q, hashes[q.key])]
                self._write(collection, docs, progress)
            self.store.set_meta(FINGERPRINT_KEY, fingerprint(hashes))
            report.documents = collection.count()
            report.seconds = round(time.perf_counter() - started, 3)
            self.last_sync = report
            self._synced.set()
            self.error = None
        log.info("index sync: %s", report.as_dict())
        return report

    def rebuild(self, progress: Progress | None = None) -> SyncReport:
        """Drop the collection and index every question again."""
        with self._lock:
            collection = self.open()
            try:
                self._client.delete_collection(self.collection_name)
            except BaseException as exc:  # noqa: BLE001
                if _is_fatal(exc):
                    raise
                log.warning("could not drop the collection (%s): recreating the folder", exc)
                self.close()
                if self.path is not None:
                    _forget_system(self.path)
                    _move_aside(self.path)
            else:
                del collection
                self._collection = None
            self._synced.clear()
            self.store.set_meta(FINGERPRINT_KEY, "")
            if self._client is not None:
                self._collection = self._get_collection(self._client)
            report = self.sync(progress)
            report.rebuilt = True
            return report

    def _write(self, collection: Any, docs: list[tuple[str, str, dict[str, Any]]],
               progress: Progress | None) -> None:
        total = len(docs)
        if progress:
            progress(0, total, "embedding")
        try:
            limit = int(self._client.get_max_batch_size())
        except Exception:
            limit = 1000
        step = max(1, min(256, limit))
        done = 0
        for chunk in _chunks(docs, step):
            if self._cancel.is_set():
                raise SyncCancelled("index sync cancelled")
            vectors = self.embedder.embed([text for _, text, _ in chunk])
            collection.upsert(
                ids=[doc_id for doc_id, _, _ in chunk],
                documents=[text for _, text, _ in chunk],
                metadatas=[meta for _, _, meta in chunk],
                embeddings=vectors,
            )
            done += len(chunk)
            if progress:
                progress(done, total, "embedding")

    # -- reading ------------------------------------------------------------------------

    @staticmethod
    def _filtered(collection: Any, vector: np.ndarray, k: int, where: dict[str, Any]) -> list[Hit]:
        found = collection.query(query_embeddings=[vector], n_results=max(1, k), where=where,
                                 include=["documents", "metadatas", "distances"])
        return _hit_list(found)

    def retrieve(self, question: str, answer: str = "", k: int = 4,
                 question_key: str | None = None, related: bool = True) -> Retrieval:
        """Top-k follow-up templates (the question's own first) and related questions/points.

        `question_key` adds the question's own templates (one more Chroma call);
        `related=False` skips the questions/points query (one call less).
        """
        started = time.perf_counter()
        collection = self._collection if self._collection is not None else self.open()
        query = f"{question}\n{answer}".strip() if answer else question
        vector = self.embedder.embed([query])[0]
        result = Retrieval(query_embedding=vector)
        try:
            own: list[Hit] = []
            if question_key:
                # ids are predictable: a lookup by id is far cheaper than a metadata filter
                got = collection.get(ids=[f"followup:{question_key}:{i}" for i in range(MAX_OWN)],
                                     include=["documents", "metadatas", "embeddings"])
                for text, meta, emb in zip(got["documents"], got["metadatas"], got["embeddings"]):
                    own.append(_hit(text, meta, float(np.dot(vector, np.asarray(emb)))))
                own.sort(key=lambda h: -h.similarity)
            # One unfiltered query, split by kind here: Chroma's metadata pre-filter costs
            # 10-20x more than the vector search at 20,000 documents.
            wide = collection.query(query_embeddings=[vector], n_results=max(8 * k, 32),
                                    include=["documents", "metadatas", "distances"])
            hits = [_hit(t, m, 1.0 - d) for t, m, d in
                    zip(wide["documents"][0], wide["metadatas"][0], wide["distances"][0])]
            others = [h for h in hits if h.kind == "followup"]
            near = [h for h in hits if h.kind in ("question", "point")]
            if len(others) < k:
                others = self._filtered(collection, vector, k, {"kind": "followup"})
            if related and len(near) < k:
                near = self._filtered(collection, vector, k, {"kind": {"$in": ["question", "point"]}})
            seen = {h.text for h in own}
            result.templates = (own + [h for h in others if h.text not in seen])[:max(k, len(own))]
            if related:
                result.related = near[:k]
        except BaseException as exc:  # noqa: BLE001
            if _is_fatal(exc):
                raise
            self.error = f"index query failed: {type(exc).__name__}: {exc}"[:300]
            log.warning(self.error)
            self._synced.clear()
            raise IndexUnavailable(self.error) from exc
        result.ms = (time.perf_counter() - started) * 1000
        return result


def _hit_list(found: dict[str, Any]) -> list[Hit]:
    return [_hit(t, m, 1.0 - d) for t, m, d in
            zip(found["documents"][0], found["metadatas"][0], found["distances"][0])]


def _hit(text: str, meta: dict[str, Any], similarity: float) -> Hit:
    return Hit(text=text, kind=meta.get("kind", ""), question_key=meta.get("question_key", ""),
               module_id=meta.get("module_id", ""), similarity=round(similarity, 4))


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _is_chroma_ef(embedder: Any) -> bool:
    try:
        from chromadb.api.types import EmbeddingFunction
    except ImportError:  # pragma: no cover
        return False
    return isinstance(embedder, EmbeddingFunction)


def _close_client(client: Any) -> None:
    if client is None:
        return
    try:
        client.close()
    except BaseException as exc:  # noqa: BLE001
        if _is_fatal(exc):
            raise
        log.debug("closing the Chroma client failed", exc_info=True)


def _forget_system(path: Path) -> None:
    """Drop chromadb's per-path System cache: after a failed open it holds a broken System."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:  # pragma: no cover
        return
    with SharedSystemClient._refcount_lock:
        system = SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        try:
            system.stop()
        except BaseException as exc:  # noqa: BLE001
            if _is_fatal(exc):
                raise
            log.debug("stopping a broken Chroma system failed", exc_info=True)


def _move_aside(path: Path | None) -> None:
    """Keep the broken index for inspection (only the latest), out of Chroma's way."""
    if path is None or not path.exists():
        return
    aside = path.with_name(path.name + ".broken")
    shutil.rmtree(aside, ignore_errors=True)
    try:
        path.rename(aside)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
