"""Past one laptop: the same follow-up path against a llama_cpp.server and a `chroma run` server.

Both servers are started here on free loopback ports and stopped at the end. The
model server needs llama-cpp-python's [server] extra (fastapi, sse-starlette,
starlette-context, uvicorn, pydantic-settings): the test is skipped without it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from talentsync_tui.ai.index import AIIndex
from talentsync_tui.ai.runtime import AIRuntime
from talentsync_tui.ai.testing import sample_modules, session_item
from talentsync_tui.config import load_settings
from talentsync_tui.store import Store

ANSWER = ("We sharded the orders table in MySQL by customer_id with Vitess, because most queries "
          "filter on the customer, and used 64 logical shards so we could rebalance later.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up in {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture(scope="module")
def llama_server(model_path, tmp_path_factory):
    for module in ("fastapi", "sse_starlette", "starlette_context", "uvicorn", "pydantic_settings"):
        pytest.importorskip(module, reason="llama-cpp-python[server] extra not installed")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--host",
             "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1",
             "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "ORT_DISABLE_TELEMETRY": "1"},
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if chroma is None:
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    with (path / "server.log").open("w") as out:
        proc = subprocess.Popen(
            [chroma, "run", "--path", str(path / "data"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def test_follow_up_through_a_model_server_and_a_chroma_server(tmp_path, llama_server, chroma_server,
                                                              real_embedder):
    # a generous deadline: a cold server on a busy 2-core machine reads the prompt slowly
    settings = load_settings(tmp_path / "home", llm_url=llama_server, chroma_url=chroma_server,
                             load_bundled_banks=False, followup_deadline=120)
    store = Store(settings.db_path)
    store.import_modules(sample_modules(extra_question=True))
    runtime = AIRuntime.from_settings(settings, store, embedder=real_embedder)
    assert runtime.llm.kind == "remote" and runtime.index.backend == "http"
    runtime.start()
    assert runtime.wait_ready(180), runtime.status()
    status = runtime.status()
    assert status["model"]["loaded"] and status["model"]["url"] == llama_server.removesuffix("/v1")
    assert status["index"]["ready"] and not status["index"]["stale"]

    module = sample_modules(extra_question=True)[0]
    sharding = next(q for q in module.questions if q.id == "sharding")
    result = runtime.follow_ups.follow_up(session_item(sharding), ANSWER)
    trace = runtime.rag.last
    assert result is not None and result.text.endswith("?"), trace
    assert trace.get("error") is None, trace  # the server answered the interviewer's prompt
    assert trace["attempts"] and trace["attempts"][0]["text"], trace
    assert result.source in ("model", "template") and result.target

    # the coach's verdicts through the server: P(yes) from its log-probabilities
    judge = runtime.judge
    assert judge.kind == "remote" and judge.ready
    verdicts = judge(sharding.text, ANSWER, [("point", sharding.expected_points[0]), ("on_topic", "")])
    assert len(verdicts) == 2 and all(0.0 <= v <= 1.0 for v in verdicts)
    assert judge.logprobs is not None  # known now whether the server gives log-probabilities
    if judge.logprobs:
        assert all(v not in (0.9, 0.1) for v in verdicts)  # read from logits, not from the text

    # the server-side index holds the documents (seen through a fresh HTTP client)
    other = AIIndex(store, real_embedder, url=chroma_server)
    assert other.status()["by_kind"]["question"] == 4
    other.close()
    runtime.close()
    store.close()


def test_unreachable_servers_degrade_to_templates(tmp_path, real_embedder):
    dead = f"http://127.0.0.1:{free_port()}"
    settings = load_settings(tmp_path / "home", llm_url=dead, chroma_url=dead, load_bundled_banks=False)
    store = Store(settings.db_path)
    store.import_modules(sample_modules())
    runtime = AIRuntime.from_settings(settings, store, embedder=real_embedder)
    runtime.start()
    assert not runtime.wait_ready(60)
    status = runtime.status()
    assert status["model"]["state"] == "failed" and "Cannot reach" in status["model"]["error"]
    assert status["index"]["error"]
    question = sample_modules()[0].questions[0]
    result = runtime.follow_ups.follow_up(session_item(question), "A Redis TTL of 5 minutes.")
    assert result.source == "template" and result.text in question.follow_ups
    runtime.close()
    store.close()
