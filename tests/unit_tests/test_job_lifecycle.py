"""Quitting is quick and loses nothing; jobs of dead processes are always picked up again."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from talentsync_tui.ai.models import LocalLLM, ModelChoice
from talentsync_tui.ai.runtime import AIRuntime
from talentsync_tui.ai.testing import FakeLLM
from talentsync_tui.cli import app
from talentsync_tui.config import load_settings
from talentsync_tui.models import JobStatus
from talentsync_tui.services import TalentSync, default_config
from talentsync_tui.store import Store, StoreClosed

QUIT_BOUND_S = 5.0  # generous: the real figure (bench/bench_quit.py) is far lower


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def answer_some(ts: TalentSync, n: int = 3) -> int:
    profile = ts.create_profile("Ada")
    session = ts.start_session(profile.id, default_config(["python"], count=n, seed=2))
    item = ts.current_question(session.id)
    while item is not None:
        result = ts.submit_answer(session.id, item.id, "I would profile it first, then cache.")
        # no pool runs here, so a follow-up expected right away is queued later: move on
        item = result.next_item or (None if result.completed else ts.current_question(session.id))
        if item is not None and item.status.value != "pending":
            break
    return session.id


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_quit_with_a_slow_model_in_flight_is_quick_and_keeps_the_job(tmp_path):
    settings = load_settings(tmp_path / "home", feedback_workers=1, ai_enabled=True,
                             followup_model=True)
    ts = TalentSync.open(settings, start_workers=False, ai=False)
    slow = FakeLLM("{}", delay=60.0)  # a generation that would take a minute
    ts.use_ai(AIRuntime(settings, ts.store, llm=slow))
    session_id = answer_some(ts, n=1)
    ts.workers.start()
    assert wait_for(lambda: slow.prompts), "the worker never reached the model"

    started = time.monotonic()
    ts.close()
    took = time.monotonic() - started
    assert took < QUIT_BOUND_S, f"close() took {took:.1f} s"
    assert slow.cancelled.is_set()

    again = TalentSync.open(settings, start_workers=False, ai=False)
    try:
        jobs = again.store.jobs(session_id)
        # Left for the next start, or finished with feedback before the store closed.
        assert [j.status for j in jobs] in ([JobStatus.pending], [JobStatus.done])
        again.run_pending_jobs()
        assert len(again.feedback_for_session(session_id)) == 1
    finally:
        again.close()


def test_a_worker_that_outlives_close_ends_quietly(tmp_path, caplog):
    """The thread finds the store closed (StoreClosed), never a sqlite3.ProgrammingError."""
    settings = load_settings(tmp_path / "home", feedback_workers=1)
    gate = threading.Event()
    entered = threading.Event()
    ts = TalentSync.open(settings, start_workers=False, ai=False)
    real = ts.workers.scorer

    def stuck_scorer(*args, **kwargs):
        entered.set()
        gate.wait(10)
        return real(*args, **kwargs)

    ts.workers.scorer = stuck_scorer
    answer_some(ts, n=1)
    ts.workers.start()
    assert entered.wait(10)
    thread = ts.workers._threads[0]
    ts.close()  # does not wait for the stuck scorer past its bound
    gate.set()
    thread.join(10)
    assert not thread.is_alive()
    assert "ProgrammingError" not in caplog.text
    with pytest.raises(StoreClosed):
        ts.store.job_counts()


def test_session_export_requeues_jobs_a_crashed_process_left_running(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("TALENTSYNC_HOME", str(home))
    ts = TalentSync.open(load_settings(home), start_workers=False, ai=False)
    session_id = answer_some(ts, n=3)
    ts.store.db.execute("UPDATE jobs SET status = 'running', owner_pid = ?", [dead_pid()])
    ts.close()

    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["session", "export", str(session_id), "--format", "json",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    answered = [i for i in report["items"] if i.get("answer")]
    assert len(answered) == 3 and all(i.get("feedback") for i in answered)
    store = Store(home / "talentsync.db")
    assert store.job_counts()["done"] == 3 and store.job_counts()["running"] == 0
    store.close()


def test_run_pending_jobs_leaves_live_processes_jobs_alone(tmp_path):
    ts = TalentSync.open(load_settings(tmp_path / "home"), start_workers=False, ai=False)
    try:
        answer_some(ts, n=1)
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            ts.store.db.execute("UPDATE jobs SET status = 'running', owner_pid = ?", [sleeper.pid])
            assert ts.run_pending_jobs() == 0
            assert ts.store.job_counts()["running"] == 1
        finally:
            sleeper.kill()
            sleeper.wait()
        assert ts.run_pending_jobs() == 1
        assert ts.store.job_counts()["done"] == 1
    finally:
        ts.close()


class TokenByToken:
    """Stands in for llama_cpp.Llama: streams tokens, asking the stopping criteria each time."""

    def __init__(self, tokens: int = 10_000) -> None:
        self.tokens = tokens
        self.emitted = 0
        self.input_ids: list[int] = []
        self.n_tokens = 0

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return list(text)

    def create_completion(self, prompt, *, stopping_criteria=None, **kwargs):
        for _ in range(self.tokens):
            time.sleep(0.001)
            self.emitted += 1
            yield {"choices": [{"text": "x"}]}
            if stopping_criteria is not None and stopping_criteria([], None):
                return


def test_local_llm_cancel_stops_a_generation_at_the_next_token(tmp_path):
    pytest.importorskip("llama_cpp")
    llm = LocalLLM(ModelChoice(tmp_path / "none.gguf", "test"), cache_dir=tmp_path)
    fake = TokenByToken()
    llm._llm, llm.state = fake, "ready"
    threading.Timer(0.2, llm.cancel).start()
    started = time.monotonic()
    completion = llm.complete("Tell me more", max_tokens=10_000)
    assert time.monotonic() - started < QUIT_BOUND_S
    assert 0 < completion.tokens < fake.tokens
    with pytest.raises(Exception, match="shutting down"):
        llm.complete("again")
