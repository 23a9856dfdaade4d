"""AIRuntime with fakes: non-blocking start, degraded modes, wiring into the feedback workers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from talentsync_tui.ai.index import AIIndex
from talentsync_tui.ai.runtime import AIRuntime
from talentsync_tui.ai.testing import FakeEmbedder, FakeLLM, sample_modules, session_item
from talentsync_tui.config import load_settings
from talentsync_tui.engine import TemplateFollowUps
from talentsync_tui.store import Store

REPO = Path(__file__).resolve().parents[2]
ANSWER = "I put a Redis cache with a 5 minute TTL in front of Postgres and invalidated keys from a Kafka topic."


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    store.import_modules(sample_modules())
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path):
    return load_settings(tmp_path / "home", load_bundled_banks=False)


class SlowEmbedder(FakeEmbedder):
    def __init__(self, gate: threading.Event) -> None:
        super().__init__()
        self.gate = gate

    def load(self) -> None:
        self.gate.wait(10)


def make_runtime(settings, store, tmp_path, llm=None, embedder=None):
    embedder = embedder or FakeEmbedder()
    index = AIIndex(store, embedder, path=tmp_path / "chroma")
    return AIRuntime.from_settings(settings, store, llm=llm or FakeLLM(ready=False),
                                   embedder=embedder, index=index)


def model_json(prompt, schema):
    return "How did you size the Kafka topic?"


def test_start_never_blocks_and_templates_serve_until_ready(settings, store, tmp_path):
    gate = threading.Event()
    llm = FakeLLM(model_json, ready=False)
    runtime = make_runtime(settings, store, tmp_path, llm=llm, embedder=SlowEmbedder(gate))
    started = time.perf_counter()
    runtime.start()
    assert time.perf_counter() - started < 0.5
    item = session_item(sample_modules()[0].questions[0])
    first = runtime.follow_ups.follow_up(item, ANSWER)
    assert first.source == "template" and first.text in item.follow_ups
    assert runtime.judge is not None and not runtime.judge.ready  # the coach waits for the model
    assert runtime.status()["follow_ups"]["mode"] == "templates"
    gate.set()
    llm.finish_loading()
    assert runtime.wait_ready(20)
    assert runtime.judge.ready
    result = runtime.follow_ups.follow_up(item, ANSWER)
    assert result.source == "model" and result.text == "How did you size the Kafka topic?"
    status = runtime.status()
    assert status["follow_ups"]["mode"] == "model" and status["follow_ups"]["model"] == 1
    assert status["index"]["ready"] and not status["index"]["stale"]
    assert status["embeddings"]["loaded"]
    runtime.close()


def test_a_failed_model_keeps_retrieval_and_templates(settings, store, tmp_path):
    llm = FakeLLM(ready=False)
    llm.finish_loading(ok=False)
    runtime = make_runtime(settings, store, tmp_path, llm=llm)
    runtime.start()
    runtime.wait_ready(20)
    item = session_item(sample_modules()[0].questions[0])
    result = runtime.follow_ups.follow_up(item, ANSWER)
    assert result.source == "template"
    assert result.text.endswith("?")
    assert runtime.status()["model"]["error"] == "fake load failure"
    assert runtime.status()["follow_ups"]["mode"] == "retrieval"
    runtime.close()


def test_attach_gives_the_grader_the_judge_now_and_the_embedder_when_it_arrives(settings, store, tmp_path):
    from talentsync_tui.feedback.grader import Grader

    class Workers:
        follow_ups = TemplateFollowUps()
        grader = Grader()

    gate = threading.Event()
    runtime = make_runtime(settings, store, tmp_path, embedder=SlowEmbedder(gate))
    workers = Workers()
    runtime.start()
    runtime.attach(workers)
    assert workers.follow_ups is runtime.follow_ups
    assert workers.grader.judge is runtime.judge
    assert workers.grader.embedder is None
    gate.set()
    runtime.wait_ready(20, model=False)
    assert workers.grader.embedder is runtime.embedder
    runtime.close()


def test_bank_changes_are_synced_in_the_background(settings, store, tmp_path):
    runtime = make_runtime(settings, store, tmp_path)
    runtime.start()
    runtime.wait_ready(20, model=False)
    store.import_modules(sample_modules(extra_question=True))
    assert runtime.status()["index"]["stale"]
    runtime.on_banks_changed()
    runtime.on_banks_changed()  # coalesced with the running sync
    runtime.wait_ready(20, model=False)
    assert not runtime.status()["index"]["stale"]
    assert runtime.index.status()["by_kind"]["question"] == 4  # the new question is indexed
    runtime.close()


def test_status_messages_are_reported_once(settings, store, tmp_path):
    messages = []
    runtime = make_runtime(settings, store, tmp_path)
    runtime.subscribe(messages.append)
    runtime.start()
    runtime.wait_ready(20, model=False)
    assert sum("Search index built" in m for m in messages) == 1


def test_disabled_runtime_is_templates_only(tmp_path, store):
    settings = load_settings(tmp_path / "home", ai_enabled=False)
    runtime = AIRuntime.from_settings(settings, store)
    runtime.start()
    assert isinstance(runtime.follow_ups, TemplateFollowUps)
    assert runtime.judge is None
    assert runtime.status()["enabled"] is False
    runtime.on_banks_changed()
    runtime.close()


def test_from_settings_builds_real_parts_without_loading_them(settings, store):
    runtime = AIRuntime.from_settings(settings, store)
    assert runtime.llm.kind == "local" and runtime.llm.state == "idle"
    assert runtime.index.path == settings.chroma_dir
    remote = AIRuntime.from_settings(
        load_settings(settings.home, llm_url="http://127.0.0.1:9/v1", chroma_url="http://127.0.0.1:9"),
        store)
    assert remote.llm.kind == "remote" and remote.llm.url == "http://127.0.0.1:9"
    assert remote.index.backend == "http"


def test_importing_the_ai_package_is_cheap():
    code = (
        "import sys, time; t = time.perf_counter(); import talentsync_tui.ai; "
        "from talentsync_tui.ai.runtime import AIRuntime; "
        "heavy = [m for m in ('llama_cpp', 'chromadb', 'onnxruntime', 'tokenizers', 'textual', 'typer')"
        " if m in sys.modules]; import os; "
        "print(heavy, os.environ.get('ORT_DISABLE_TELEMETRY'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] 1"
