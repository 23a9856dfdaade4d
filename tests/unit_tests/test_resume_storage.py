"""Resume questions stored per profile: written at once from templates, rewritten by the model later."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from talentsync_tui.ai.testing import FakeLLM
from talentsync_tui.models import ItemKind, Profile, SessionConfig
from talentsync_tui.store import Store
from talentsync_tui.store.schema import SCHEMA_VERSION

SAMPLES = Path(__file__).parents[1] / "data" / "resumes"
ASK = "which pipeline stage was slowest, and how did you know?"
GOOD = {"StartupXYZ": "At StartupXYZ you cut deploy time from 2 h to 15 min: " + ASK}


def answer(prompt: str, schema=None) -> str:
    """A fake coach: a good ask for the deploy-time bullet, chatter for the rest."""
    bullet = prompt.rsplit("Achievement:", 1)[1]
    if "Employer: StartupXYZ" in bullet and "deploy time" in bullet:
        return ASK
    return "Sure! Here is a question for you."


def test_attaching_a_resume_stores_its_template_questions_at_once(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    stored = ts.resume_questions(profile.id)
    assert len(stored) >= 10 and all(s.source == "template" and not s.polished for s in stored)
    assert stored[0].achievement is not None and stored[0].question.text.startswith(
        "At StartupXYZ you cut deploy time from 2 h to 15 min:")
    assert profile.certifications and profile.achievements
    assert ts.profile(profile.id).achievements == profile.achievements  # stored, not recomputed


def test_a_session_asks_the_stored_questions(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    session = ts.start_session(profile.id, SessionConfig(module_ids=["devops-cloud"], target_minutes=30,
                                                         seed=3))
    resume_items = [i for i in ts.items(session.id) if i.kind is ItemKind.resume]
    stored = {s.question.text for s in ts.resume_questions(profile.id)}
    assert len(resume_items) >= 3 and {i.text for i in resume_items} <= stored
    assert any(i.text.startswith("At StartupXYZ") or i.text.startswith("At Acme Corp")
               for i in resume_items)


def test_the_model_rewrites_achievement_questions_and_the_templates_stay_for_the_rest(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    before = ts.resume_questions(profile.id)
    assert ts.polish_resume_questions(profile.id, FakeLLM(respond=answer)) == 1
    after = ts.resume_questions(profile.id)
    assert [s.question.id for s in after] == [s.question.id for s in before]
    changed = [(b, a) for b, a in zip(before, after) if a.question.text != b.question.text]
    assert [(a.source, a.question.text) for _, a in changed] == [("model", GOOD["StartupXYZ"])]
    assert all(a.polished for a in after if a.achievement is not None)  # asked once, never again
    assert all(not a.polished for a in after if a.achievement is None)
    llm = FakeLLM(respond=answer)
    assert ts.polish_resume_questions(profile.id, llm) == 0 and llm.prompts == []
    session = ts.start_session(profile.id, SessionConfig(module_ids=["devops-cloud"], target_count=30,
                                                         seed=1))
    assert GOOD["StartupXYZ"] in {i.text for i in ts.items(session.id)}


def test_a_resume_read_again_meanwhile_is_never_overwritten(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    reread = threading.Event()

    def slow_answer(prompt, schema=None):
        if not reread.is_set():
            ts.attach_resume(profile.id, SAMPLES / "jordan_lee.txt")  # another resume, mid-rewrite
            reread.set()
        return ASK

    assert ts.polish_resume_questions(profile.id, FakeLLM(respond=slow_answer)) == 0
    texts = [s.question.text for s in ts.resume_questions(profile.id)]
    assert GOOD["StartupXYZ"] not in texts and any("Initrode" in t for t in texts)


def test_no_ready_model_changes_nothing(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    assert ts.polish_resume_questions(profile.id, FakeLLM(respond=answer, ready=False)) == 0
    assert ts.polish_resume_questions(profile.id) == 0  # AI disabled in tests: no app model
    assert all(not s.polished for s in ts.resume_questions(profile.id))


class FakeRuntime:
    enabled = True

    def __init__(self, llm):
        self.llm = llm

    def close(self, timeout=0.0):
        self.llm.close()


def test_the_app_rewrites_in_the_background_once_the_model_is_ready(ts):
    llm = FakeLLM(respond=answer, ready=False)
    ts.ai = FakeRuntime(llm)
    caller = threading.current_thread()
    seen = []
    original = llm.complete
    llm.complete = lambda *a, **k: seen.append(threading.current_thread()) or original(*a, **k)
    profile = ts.attach_resume(ts.create_profile("Alex").id, SAMPLES / "alex_chen.txt")
    assert ts.resume_questions(profile.id)[0].source == "template"  # returned before the model
    llm.finish_loading()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not ts.resume_questions(profile.id)[0].polished:
        time.sleep(0.05)
    first = ts.resume_questions(profile.id)[0]
    assert first.source == "model" and first.question.text == GOOD["StartupXYZ"]
    assert seen and caller not in seen  # never on the caller's (the UI's) thread


def test_quitting_stops_the_background_rewriting_quickly(ts):
    llm = FakeLLM(respond=answer, delay=30.0)
    ts.ai = FakeRuntime(llm)
    ts.attach_resume(ts.create_profile("Alex").id, SAMPLES / "alex_chen.txt")
    time.sleep(0.2)  # the first question is being written
    started = time.monotonic()
    llm.cancel()  # what the app's quit does to a generation in flight (workers.on_stop)
    ts.close()
    assert time.monotonic() - started < 2.0


def test_migration_adds_the_new_columns_to_an_old_profile(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    assert store.schema_version == SCHEMA_VERSION
    saved = store.save_profile(Profile(name="Old", skills=["python"]))
    assert saved.certifications == [] and saved.achievements == []
    assert store.resume_questions(saved.id) == []
    store.close()


def test_deleting_a_profile_deletes_its_resume_questions(ts):
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    assert ts.store.resume_questions(profile.id)
    ts.delete_profile(profile.id)
    assert ts.store.resume_questions(profile.id) == []
    assert ts.store.profiles_to_polish() == []


def test_a_bad_resume_stores_nothing(ts, tmp_path):
    fake = tmp_path / "resume.txt"
    fake.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 300)
    from talentsync_tui.services import TalentSyncError

    with pytest.raises(TalentSyncError, match="program"):
        ts.create_profile("Eve", fake)
    assert ts.store.find_profile("Eve") is None


class FakeAppRuntime(FakeRuntime):
    """What TalentSync.open() plugs in when AI is on, reduced to what it calls."""

    def attach(self, workers):
        pass

    def start(self):
        pass

    def cancel(self):
        self.llm.cancel()


def test_the_app_rewrites_at_start_what_the_cli_stored(settings, clock, monkeypatch):
    from talentsync_tui.ai import runtime
    from talentsync_tui.services import TalentSync

    with TalentSync.open(settings, start_workers=False, clock=clock, ai=False) as cli:
        profile = cli.create_profile("Alex", SAMPLES / "alex_chen.txt")  # the CLI has no model
    llm = FakeLLM(respond=answer)
    monkeypatch.setattr(runtime.AIRuntime, "from_settings",
                        classmethod(lambda cls, settings, store, **kw: FakeAppRuntime(llm)))
    with TalentSync.open(settings, start_workers=False, clock=clock, ai=True) as app:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and app.store.profiles_to_polish():
            time.sleep(0.05)
        assert app.store.profiles_to_polish() == []
        assert app.resume_questions(profile.id)[0].question.text == GOOD["StartupXYZ"]
