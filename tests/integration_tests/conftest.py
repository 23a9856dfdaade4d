"""Session-scoped real AI parts: the bundled coach GGUF (Qwen2.5-Coder-1.5B-Instruct) and MiniLM, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentsync_tui.ai.embeddings import MiniLMEmbedding
from talentsync_tui.ai.index import AIIndex
from talentsync_tui.ai.models import LocalLLM, ModelChoice, assemble_bundled, default_cache_dir
from talentsync_tui.ai.testing import sample_modules
from talentsync_tui.store import Store


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The bundled GGUF, assembled (sha256-checked) into the user cache once."""
    return assemble_bundled(default_cache_dir())


@pytest.fixture(scope="session")
def real_llm(model_path):
    llm = LocalLLM(ModelChoice(model_path, "bundled packages (test)", bundled=False), n_threads=2,
                   n_ctx=2048, probe=False)
    assert llm.load(), llm.error
    yield llm
    llm.close()


@pytest.fixture(scope="session")
def real_embedder():
    embedder = MiniLMEmbedding(threads=1)
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def real_index(tmp_path_factory, real_embedder):
    """A store with the sample bank, indexed with real embeddings."""
    home = tmp_path_factory.mktemp("ai-home")
    store = Store(home / "talentsync.db")
    store.import_modules(sample_modules(extra_question=True))
    index = AIIndex(store, real_embedder, path=home / "chroma")
    index.sync()
    yield index
    index.close()
    store.close()
