"""The Chroma index with a fake embedder: sync, staleness, rebuild, corrupt folders, retrieval."""

from __future__ import annotations

import pytest

from talentsync_tui.ai.index import FINGERPRINT_KEY, AIIndex, question_documents
from talentsync_tui.ai.testing import FakeEmbedder, sample_modules
from talentsync_tui.models import Module
from talentsync_tui.store import Store


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    store.import_modules(sample_modules())
    yield store
    store.close()


@pytest.fixture
def index(store, tmp_path):
    index = AIIndex(store, FakeEmbedder(), path=tmp_path / "chroma")
    yield index
    index.close()


def test_documents_are_derived_from_questions(store):
    question = store.questions(["sysdesign"])[0]
    docs = question_documents(question, "abc")
    kinds = [meta["kind"] for _, _, meta in docs]
    assert kinds == ["point", "point", "followup", "followup", "question"]
    _, text, meta = docs[-1]
    assert text == question.text
    assert meta["module_id"] == "sysdesign" and meta["question_key"] == question.key
    assert meta["tags"] == "caching,consistency" and meta["difficulty"] == "medium"
    assert meta["hash"] == "abc"


def test_first_sync_indexes_everything_and_is_then_fresh(index, store):
    before = index.status(open_index=False)
    assert before["stale"] and before["documents"] is None
    report = index.sync()
    assert report.added == 3 and report.removed == 0
    status = index.status()
    assert not status["stale"] and status["ready"]
    assert status["by_kind"] == {"question": 3, "point": 5, "followup": 5}
    assert status["documents"] == 13 == report.documents
    assert store.get_meta(FINGERPRINT_KEY)
    again = index.sync()
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_sync_adds_updates_and_deletes_only_what_changed(index, store):
    index.sync()
    embedder = index.embedder
    calls = embedder.calls
    modules = sample_modules(extra_question=True)
    sysdesign = modules[0]
    changed = sysdesign.questions[1].model_copy(update={"follow_ups": ["How do you retry safely?"]})
    store.import_modules([Module(**{**sysdesign.model_dump(), "questions": [
        sysdesign.questions[0].model_dump(), changed.model_dump(), sysdesign.questions[2].model_dump()]})])
    assert index.status(open_index=False)["stale"]
    report = index.sync()
    assert (report.added, report.updated, report.removed) == (1, 1, 0)
    assert embedder.calls - calls <= 2  # only the changed and new questions were embedded
    texts = index.open().get(where={"question_key": "sysdesign/queues"})["documents"]
    assert "How do you retry safely?" in texts
    assert "How do you make the consumer idempotent?" not in texts
    store.delete_module("behavioral")
    report = index.sync()
    assert report.removed == 1
    assert index.status()["by_kind"]["question"] == 3
    assert not index.status()["stale"]


def test_rebuild_starts_from_scratch(index):
    index.sync()
    report = index.rebuild(progress=lambda done, total, what: None)
    assert report.rebuilt and report.added == 3 and report.documents == 13


def test_progress_is_reported(index):
    seen = []
    index.sync(progress=lambda done, total, what: seen.append((done, total)))
    assert seen[0] == (0, 13) and seen[-1] == (13, 13)


def test_missing_folder_is_rebuilt(store, tmp_path):
    import shutil

    first = AIIndex(store, FakeEmbedder(), path=tmp_path / "chroma")
    first.sync()
    first.close()
    shutil.rmtree(tmp_path / "chroma")
    second = AIIndex(store, FakeEmbedder(), path=tmp_path / "chroma")
    assert second.status(open_index=False)["stale"]
    report = second.sync()
    assert report.rebuilt and report.added == 3
    second.close()


@pytest.mark.parametrize("damage", ["sqlite", "segment"])
def test_corrupt_folder_is_moved_aside_and_rebuilt(store, tmp_path, damage):
    path = tmp_path / "chroma"
    if damage == "segment":  # HNSW files are only written past ~1,000 vectors
        store.import_modules([big_module(400)])
    first = AIIndex(store, FakeEmbedder(), path=path)
    first.sync()
    first.close()
    if damage == "sqlite":
        (path / "chroma.sqlite3").write_bytes(b"garbage" * 5000)
    else:
        segment_files = list(path.rglob("*.bin"))
        assert segment_files
        for p in segment_files:
            p.write_bytes(b"\xff" * 64)
    second = AIIndex(store, FakeEmbedder(), path=path)
    report = second.sync()
    assert report.rebuilt
    questions = len(store.question_hashes())
    assert second.status()["by_kind"]["question"] == questions
    assert (tmp_path / "chroma.broken").exists()
    found = second.retrieve("cache stale data", "TTL", k=2, question_key="sysdesign/caching")
    assert found.templates
    second.close()


def big_module(n: int) -> Module:
    return Module(id="bulk", name="Bulk", category="Test", questions=[
        {"id": f"q{i}", "text": f"Bulk question number {i} about topic {i % 17}?", "difficulty": "easy",
         "type": "technical", "expected_points": [f"point {i}"], "follow_ups": [f"Why {i}?"]}
        for i in range(n)
    ])


def test_retrieve_puts_the_questions_own_templates_first(index):
    index.sync()
    found = index.retrieve("How do you keep a cache from serving stale data?",
                           "we used a TTL and invalidation", k=3, question_key="sysdesign/caching")
    own = {"How would you handle a cache stampede when a hot key expires?",
           "When is write-back caching too risky to use?"}
    assert {h.text for h in found.templates[:2]} == own
    assert len(found.templates) >= 3
    assert all(h.kind == "followup" for h in found.templates)
    assert all(h.kind in ("question", "point") for h in found.related)
    assert found.related[0].question_key == "sysdesign/caching"
    assert found.query_embedding is not None and found.ms > 0


def test_chroma_is_never_imported_by_a_closed_status(store, tmp_path):
    index = AIIndex(store, FakeEmbedder(), path=tmp_path / "chroma")
    status = index.status(open_index=False)
    assert status["backend"] == "persistent" and status["questions"] == 3
    assert index._client is None


def test_cancel_stops_a_running_sync_and_the_next_sync_resumes(store, tmp_path):
    from talentsync_tui.ai.index import SyncCancelled

    store.import_modules([big_module(300)])
    index = AIIndex(store, FakeEmbedder(), path=tmp_path / "chroma")
    seen = []

    def progress(done, total, what):
        seen.append(done)
        if done >= 256:
            index.cancel()

    with pytest.raises(SyncCancelled):
        index.sync(progress=progress)
    assert index.status()["stale"]
    index._cancel.clear()  # a new process (or a reopened index) starts uncancelled
    report = index.sync()
    assert not index.status()["stale"]
    assert report.added + report.updated >= 1
    index.close()
