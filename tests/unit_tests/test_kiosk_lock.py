"""The kiosk's core: the coach passphrase, its rate limit, fresh candidates and the handover."""

from __future__ import annotations

import sqlite3

import pytest

from talentsync_tui import kiosk as lock
from talentsync_tui.kiosk import PassphraseGate, file_slug, hash_passphrase, verify_passphrase
from talentsync_tui.services import KIOSK_PASSPHRASE, TalentSync, TalentSyncError, default_config

PASSPHRASE = "correct horse battery"


class HandClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


# -- the passphrase -----------------------------------------------------------------


def test_the_passphrase_is_stored_as_an_argon2id_hash_that_verifies(ts):
    assert not ts.kiosk_has_passphrase()
    assert ts.kiosk_set_passphrase(PASSPHRASE) is False
    stored = ts.store.get_meta(KIOSK_PASSPHRASE)
    assert stored.startswith("$argon2id$") and PASSPHRASE not in stored
    assert verify_passphrase(stored, PASSPHRASE)
    assert not verify_passphrase(stored, PASSPHRASE.upper())
    assert ts.kiosk_unlock(PASSPHRASE).ok and not ts.kiosk_unlock("correct horse").ok
    assert ts.kiosk_set_passphrase("another long phrase") is True  # replaced
    assert ts.kiosk_unlock("another long phrase").ok and not ts.kiosk_unlock(PASSPHRASE).ok


@pytest.mark.parametrize("bad, why", [("", "empty"), ("        ", "empty"), ("short", "too short"),
                                      ("x" * (lock.MAX_PASSPHRASE + 1), "too long")])
def test_an_empty_short_or_huge_passphrase_is_refused(ts, bad, why):
    with pytest.raises(TalentSyncError, match=why):
        ts.kiosk_set_passphrase(bad)
    assert not ts.kiosk_has_passphrase()


def test_a_hash_made_with_other_parameters_is_renewed_after_a_right_passphrase(ts):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSPHRASE)
    ts.store.set_meta(KIOSK_PASSPHRASE, old)
    assert not ts.kiosk_unlock("not the passphrase").ok
    assert ts.store.get_meta(KIOSK_PASSPHRASE) == old  # a wrong one changes nothing
    assert ts.kiosk_unlock(PASSPHRASE).ok
    renewed = ts.store.get_meta(KIOSK_PASSPHRASE)
    assert renewed != old and "m=19456,t=2,p=1" in renewed
    assert ts.kiosk_unlock(PASSPHRASE).ok


def test_a_damaged_hash_unlocks_nothing():
    assert not verify_passphrase("$argon2id$v=19$garbage", PASSPHRASE)
    assert not verify_passphrase(hash_passphrase(PASSPHRASE), "")


def test_whether_a_passphrase_is_set_is_read_without_creating_a_database(settings):
    assert not TalentSync.kiosk_passphrase_is_set(settings)
    assert not settings.db_path.exists()
    with TalentSync.open(settings, start_workers=False) as ts:
        ts.kiosk_set_passphrase(PASSPHRASE)
    assert TalentSync.kiosk_passphrase_is_set(settings)


# -- the rate limit ----------------------------------------------------------------


def test_after_three_wrong_passphrases_each_attempt_waits_twice_as_long():
    checked: list[str] = []
    clock = HandClock()
    gate = PassphraseGate(lambda p: checked.append(p) or p == PASSPHRASE, clock=clock)
    assert [gate.attempt("nope").wait_seconds for _ in range(2)] == [0, 0]
    third = gate.attempt("nope")
    assert not third.ok and third.wait_seconds == lock.FIRST_DELAY
    assert third.message == "Too many wrong passphrases: try again in 5 s."
    # While locked nothing is checked, not even the right passphrase, and the wait does not grow.
    clock.now += 2
    early = gate.attempt(PASSPHRASE)
    assert not early.ok and early.wait_seconds == pytest.approx(lock.FIRST_DELAY - 2)
    assert checked == ["nope"] * 3
    delays = []
    for _ in range(8):
        clock.now += gate.wait_seconds()
        delays.append(gate.attempt("nope").wait_seconds)
    assert delays == [10, 20, 40, 80, 160, 300, 300, 300]  # doubling, capped at MAX_DELAY
    clock.now += gate.wait_seconds()
    assert gate.attempt(PASSPHRASE).ok
    assert gate.failures == 0 and gate.attempt("nope").wait_seconds == 0  # the count starts over


# -- candidates and the handover ---------------------------------------------------


def test_each_candidate_gets_a_fresh_profile_even_with_a_taken_name(ts):
    earlier = ts.create_profile("Ada Lovelace")
    first = ts.kiosk_new_candidate("  Ada   Lovelace ")
    second = ts.kiosk_new_candidate("Ada Lovelace")
    assert (first.name, second.name) == ("Ada Lovelace (2)", "Ada Lovelace (3)")
    assert len({earlier.id, first.id, second.id}) == 3
    assert [p.id for p in ts.kiosk_candidates()] == [first.id, second.id]  # not the earlier one
    with pytest.raises(TalentSyncError, match="name"):
        ts.kiosk_new_candidate("   ")


def _answer_all(ts, session_id: int, text: str) -> None:
    while (item := ts.current_question(session_id)) is not None:
        ts.submit_answer(session_id, item.id, text)
        ts.run_pending_jobs()


def test_next_candidate_saves_then_wipes_only_kiosk_candidates(ts, settings):
    regular = ts.create_profile("Coach's practice")
    ts.start_session(regular.id, default_config(["python"], count=1, seed=1))
    ada = ts.kiosk_new_candidate("Ada Lovelace")
    session = ts.start_session(ada.id, default_config(["python"], count=2, seed=7))
    _answer_all(ts, session.id, "Tuples are immutable and hashable; lists are mutable.")
    [row] = ts.kiosk_sessions()
    assert (row.candidate, row.answered, row.total) == ("Ada Lovelace", row.total, row.total)
    assert row.score is not None

    handover = ts.kiosk_next_candidate(feedback_timeout=5)

    assert handover.candidates == ["Ada Lovelace"] and handover.session_ids == [session.id]
    assert handover.feedback_complete
    assert sorted(p.suffix for p in handover.files) == [".gz", ".json", ".md"]  # reports and the bundle
    assert all(p.parent == ts.kiosk_export_dir and p.exists() for p in handover.files)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in handover.files)
    assert "Tuples are immutable" in next(p for p in handover.files if p.suffix == ".md").read_text()
    assert [p.name for p in ts.profiles()] == ["Coach's practice"]
    assert ts.kiosk_candidates() == [] and ts.kiosk_sessions() == []
    db = sqlite3.connect(settings.db_path)
    assert db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0
    db.close()


def test_a_reused_session_id_never_overwrites_an_earlier_report(ts):
    """SQLite may hand the next candidate the wiped candidate's session id."""
    first_files = []
    for name in ("Ada", "Ada"):
        profile = ts.kiosk_new_candidate(name)
        session = ts.start_session(profile.id, default_config(["python"], count=1, seed=3))
        first_files += ts.kiosk_next_candidate(feedback_timeout=1).files
        last_id = session.id
    assert last_id == 1  # the id really was reused
    # two reports and one bundle per handover, none overwritten (the frozen clock names both
    # bundles alike: the second gets a number)
    assert len(set(first_files)) == 6 and all(p.exists() for p in first_files)


def test_a_report_that_cannot_be_written_deletes_nothing(ts, monkeypatch):
    ada = ts.kiosk_new_candidate("Ada")
    ts.start_session(ada.id, default_config(["python"], count=1, seed=3))

    def refuse(*args, **kwargs):
        raise TalentSyncError("Could not write the report: disk full")

    monkeypatch.setattr(ts, "export_report", refuse)
    with pytest.raises(TalentSyncError, match="disk full"):
        ts.kiosk_next_candidate(feedback_timeout=1)
    assert [p.name for p in ts.kiosk_candidates()] == ["Ada"] and ts.sessions(ada.id)


def test_file_slugs_are_safe():
    assert file_slug("Ada Lovelace") == "ada-lovelace"
    assert file_slug("../../etc/passwd") == "etc-passwd"
    assert file_slug("李雷") == "candidate"


def test_next_candidate_leaves_a_bundle_the_coach_can_import(tmp_path):
    """The handover's bundle round-trips into another laptop's database."""
    from talentsync_tui.config import Settings
    from talentsync_tui.services import TalentSync, default_config

    kiosk = TalentSync.open(Settings(home=tmp_path / "kiosk"), start_workers=False, ai=False)
    try:
        profile = kiosk.kiosk_new_candidate("Grace Hopper")
        session = kiosk.start_session(profile.id, default_config(["python"], count=1, seed=3))
        item = kiosk.current_question(session.id)
        kiosk.submit_answer(session.id, item.id, "A context manager with __enter__ and __exit__.")
        kiosk.run_pending_jobs()
        written = kiosk.kiosk_save_sessions([session.id])
    finally:
        kiosk.close()
    bundles = [p for p in written if p.name.endswith(".jsonl.gz")]
    assert len(bundles) == 1 and bundles[0].stat().st_mode & 0o077 == 0
    coach = TalentSync.open(Settings(home=tmp_path / "coach"), start_workers=False, ai=False)
    try:
        coach.import_bundle(bundles[0])
        coach.import_bundle(bundles[0])  # twice: nothing added the second time
        imported = [s for s in coach.sessions() if coach.store.get_profile(s.profile_id).name == "Grace Hopper"]
        assert len(imported) == 1
        answers = [i for i in coach.items(imported[0].id) if i.status.value == "answered"]
        assert answers
    finally:
        coach.close()
