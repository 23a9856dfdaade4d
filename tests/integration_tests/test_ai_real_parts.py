"""The real embedding model, the real GGUF (and damaged copies of it) and a persisted index."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from talentsync_tui.ai.embeddings import (
    BATCH_SIZE,
    BATCH_TOKENS,
    DIMENSIONS,
    MAX_TOKENS,
    NAME,
    MiniLMEmbedding,
    make_embedding,
)
from talentsync_tui.ai.models import MODEL_NICE, LocalLLM, ModelChoice
from talentsync_tui.ai.runtime import AIRuntime
from talentsync_tui.ai.testing import FakeEmbedder, sample_modules, session_item
from talentsync_tui.config import load_settings
from talentsync_tui.store import Store

# -- embeddings --------------------------------------------------------------------------------


def test_embeddings_are_384_dim_unit_vectors_and_batch_independent(real_embedder):
    texts = ["What is a Python generator?", "Explain generators: lazily produced values.",
             "How does a B-tree index speed up reads, and what does it cost on writes?", "ok"]
    batch = real_embedder.embed(texts)
    assert batch.shape == (4, DIMENSIONS) and batch.dtype == np.float32
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-5)
    single = np.vstack([real_embedder.embed([t]) for t in texts])
    assert np.abs(batch - single).max() < 1e-4
    assert batch[0] @ batch[1] > batch[0] @ batch[2]


@pytest.fixture
def batch_shapes(real_embedder, monkeypatch):
    """The (rows, padded length) of every batch the real encoder runs from now on."""
    encoder = real_embedder._encoder
    shapes = []
    original = encoder.session.run

    def spy(outputs, feeds):
        shapes.append(feeds["input_ids"].shape)
        return original(outputs, feeds)

    monkeypatch.setattr(encoder.session, "run", spy)
    return shapes


def test_padding_is_to_the_longest_in_the_batch_and_truncation_at_256(real_embedder, batch_shapes):
    shapes = batch_shapes
    real_embedder.embed(["short one", "a slightly longer sentence than the first one"])
    assert shapes[-1][1] < 20  # not padded to 256
    real_embedder.embed(["word " * 1000])
    assert shapes[-1][1] == MAX_TOKENS


def test_long_texts_go_in_small_batches_with_the_same_vectors(real_embedder, batch_shapes):
    """Memory grows with batch x length^2: 40 whole answers must not be one 32 x 256 batch."""
    assert real_embedder._encoder.session.get_session_options().enable_cpu_mem_arena is False
    shapes = batch_shapes
    texts = [f"answer {i}: " + "we sharded the queue by tenant and measured the lag. " * 30 for i in range(20)]
    texts += [f"short sentence number {i}" for i in range(40)]
    together = real_embedder.embed(texts)
    assert max(rows * width for rows, width in shapes) <= BATCH_TOKENS
    assert any(rows == BATCH_SIZE for rows, _ in shapes)  # short texts still share full batches
    alone = np.vstack([real_embedder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def _thread_nices() -> dict[int, int]:
    nices = {}
    for tid in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/self/task/{tid}/stat").read_text()
            nices[int(tid)] = int(stat[stat.rindex(")") + 2:].split()[16])
    return nices


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_onnxruntime_threads_run_at_the_models_lower_priority():
    """Its intra-op threads inherit nice 10 from the thread that creates the session; the
    caller (maybe the CLI's main thread) keeps its own priority."""
    caller = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    before = _thread_nices()
    embedder = MiniLMEmbedding(threads=3)  # a session of its own: encoders are shared per thread count
    embedder.load()
    started = {tid: nice for tid, nice in _thread_nices().items() if tid not in before}
    assert started and all(nice >= MODEL_NICE for nice in started.values())
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == caller
    assert embedder.embed(["still works"]).shape == (1, DIMENSIONS)


def test_paraphrased_questions_find_their_originals(real_embedder):
    bank = [
        "What is the difference between a process and a thread?",
        "How does a hash table handle collisions?",
        "Explain the CAP theorem.",
        "What is dependency injection and why use it?",
        "How would you design a URL shortener?",
        "Tell me about a time you disagreed with your manager.",
        "What is a database index and what does it cost?",
        "Explain event bubbling in the DOM.",
    ]
    queries = [
        "threads versus processes: how do they differ?",
        "what happens when two keys land in the same bucket of a hash map?",
        "consistency, availability and partition tolerance trade-off",
        "why would you inject dependencies instead of constructing them?",
        "design a service like bit.ly",
        "describe a conflict with your boss",
        "how do indexes make queries faster and what is the downside?",
        "how do DOM events propagate up through parent elements?",
    ]
    b = real_embedder.embed(bank)
    q = real_embedder.embed(queries)
    hits = (q @ b.T).argmax(axis=1)
    assert (hits == np.arange(len(bank))).sum() >= 7


def test_persisted_collection_reopens_with_our_registered_function(tmp_path, real_embedder):
    import chromadb
    from chromadb.config import Settings

    ef = make_embedding()
    client = chromadb.PersistentClient(path=str(tmp_path / "c"), settings=Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("bank_test", embedding_function=ef,
                                                 configuration={"hnsw": {"space": "cosine"}})
    collection.add(ids=["a", "b"], documents=["How do caches go stale?", "How do you shard a database?"])
    client.close()
    again = chromadb.PersistentClient(path=str(tmp_path / "c"), settings=Settings(anonymized_telemetry=False))
    reopened = again.get_collection("bank_test")
    assert reopened.configuration_json["embedding_function"]["name"] == NAME
    found = reopened.query(query_texts=["cache entries becoming stale"], n_results=1)
    assert found["ids"][0] == ["a"]
    again.close()
    assert isinstance(ef, MiniLMEmbedding) and ef.name() == NAME


# -- the real GGUF and damaged copies ------------------------------------------------------------


def test_real_model_loads_and_generates(real_llm):
    status = real_llm.status()
    assert status["loaded"] and status["model"]["architecture"] == "qwen2"
    assert "Qwen2.5 Coder 1.5B Instruct" in status["model"]["name"]
    speed = real_llm.speed(8)
    assert speed["prompt_tokens_per_second"] > 0 and speed["generation_tokens_per_second"] > 0
    assert real_llm.chat_template and "im_start" in real_llm.chat_template


@pytest.mark.parametrize("damage", ["truncated", "garbage-header", "zeroed-tail"])
def test_damaged_copy_of_the_real_model_gives_a_clear_status(tmp_path, model_path, damage):
    copy = tmp_path / "copy.gguf"
    if damage == "truncated":
        with model_path.open("rb") as src, copy.open("wb") as dst:
            dst.write(src.read(50_000_000))
    elif damage == "garbage-header":
        shutil.copyfile(model_path, copy)
        with copy.open("r+b") as fh:
            fh.seek(8)
            fh.write(b"\xff" * 16)  # tensor and metadata counts
    else:
        with model_path.open("rb") as src, copy.open("wb") as dst:
            dst.write(src.read(model_path.stat().st_size - 1_000_000))
    messages = []
    llm = LocalLLM(ModelChoice(copy, "test copy"), cache_dir=tmp_path, on_status=messages.append)
    assert llm.load() is False
    assert "copy.gguf" in llm.error and "template follow-ups" in llm.error
    assert len(messages) == 1


def test_runtime_with_a_corrupt_model_falls_back_to_templates(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 4096)
    settings = load_settings(tmp_path / "home", model_path=bad, load_bundled_banks=False)
    store = Store(settings.db_path)
    store.import_modules(sample_modules())
    runtime = AIRuntime.from_settings(settings, store, embedder=FakeEmbedder())
    messages = []
    runtime.subscribe(messages.append)
    runtime.start()
    runtime.wait_ready(60)
    status = runtime.status()
    assert status["model"]["state"] == "failed" and "bad.gguf" in status["model"]["error"]
    question = sample_modules()[0].questions[0]
    result = runtime.follow_ups.follow_up(session_item(question), "We used a Redis TTL of 5 minutes.")
    assert result.source == "template" and result.text.endswith("?")
    assert sum("bad.gguf" in m for m in messages) == 1
    runtime.close()
    store.close()
