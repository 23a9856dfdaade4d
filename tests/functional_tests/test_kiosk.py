"""The hiring-event kiosk as a candidate and a coach meet it: the flow, the lock, the handover."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, TextArea
from tui_helpers import async_test, notifications, screen_text, settle, wait_for

from talentsync_tui.models import SessionStatus
from talentsync_tui.services import KIOSK_CANDIDATE

PASSPHRASE = "correct horse battery"
ANSWER = "Lists are mutable and tuples are immutable, so tuples can be dictionary keys."


class HandClock:
    """A monotonic clock moved by hand: lock-outs and idle timeouts without real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


IDLE = 60.0
"""The idle timeout the tests use, on a HandClock (the app checks it once a second)."""


@pytest.fixture
def gate_clock(talent) -> HandClock:
    clock = HandClock()
    talent.kiosk_gate.clock = clock
    return clock


@pytest.fixture
def kiosk(talent):
    """`kiosk(idle_seconds=...)`: a KioskApp on the test's TalentSync, passphrase set."""
    from talentsync_tui.tui.kiosk import KioskApp

    talent.kiosk_set_passphrase(PASSPHRASE)

    def make(**kwargs) -> KioskApp:
        kwargs.setdefault("cursor_blink", False)
        return KioskApp(talent, **kwargs)

    return make


def screen_name(app) -> str:
    return type(app.screen).__name__


async def start_candidate(pilot, talent, name: str = "Ada Lovelace"):
    """Type a name on the welcome screen; the restricted setup opens."""
    await pilot.click("#candidate-name")
    await pilot.press(*name, "enter")
    await settle(pilot, talent)
    assert screen_name(pilot.app) == "SetupScreen"


async def start_interview(pilot, talent, count: int = 1, module: str = "python"):
    """On the setup screen: one module, `count` questions, start; the interview's editor."""
    from textual.widgets import SelectionList

    screen = pilot.app.screen
    screen.query_one("#setup-modules", SelectionList).select(module)
    screen.query_one("#length-unit").value = "questions"
    screen.query_one("#length", Input).value = str(count)
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot, talent)
    assert screen_name(pilot.app) == "InterviewScreen"
    area = pilot.app.screen.query_one("#answer", TextArea)
    await wait_for(pilot, lambda: area.has_focus and not area.read_only, what="the editor")
    return area


async def answer_all(pilot, talent, text: str = ANSWER) -> None:
    while screen_name(pilot.app) == "InterviewScreen":
        area = pilot.app.screen.query_one("#answer", TextArea)
        await wait_for(pilot, lambda: area.has_focus and not area.read_only, what="the editor")
        area.insert(text)
        await pilot.press("ctrl+s")
        await settle(pilot, talent)


async def type_passphrase(pilot, text: str) -> None:
    assert screen_name(pilot.app) == "PassphraseScreen"
    field = pilot.app.screen.query_one("#passphrase-input", Input)
    await wait_for(pilot, lambda: not field.disabled, what="the passphrase field")
    field.value = text
    await pilot.press("enter")
    await settle(pilot)


def passphrase_status(app) -> str:
    from tui_helpers import rendered

    return rendered(app.screen.query_one("#passphrase-status"))


async def unlock_coach_menu(pilot, talent) -> None:
    await pilot.press("f12")
    await settle(pilot)
    await type_passphrase(pilot, PASSPHRASE)
    await settle(pilot, talent)
    assert screen_name(pilot.app) == "CoachMenuScreen"


# -- the candidate's flow -------------------------------------------------------


@async_test
async def test_a_candidate_only_meets_welcome_setup_interview_and_summary(kiosk, talent, data_home):
    talent.create_profile("Someone Else")  # an earlier candidate in the same data dir
    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "KioskWelcomeScreen"
        text = screen_text(app)
        assert "Someone Else" not in text and "Recent sessions" not in text
        await pilot.press("f1")  # no help screen (it lists every other screen)
        await settle(pilot)
        assert screen_name(app) == "KioskWelcomeScreen"

        await start_candidate(pilot, talent)
        setup = app.screen
        # Restricted setup: no seed, no resume file (the picker browses the disk), no follow-up switch.
        for hidden in ("#seed", "#resume-file", "#follow-ups"):
            assert not setup.query_one(hidden).parent.display, hidden
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert screen_name(app) == "SetupScreen"  # no file picker
        for action in ("help", "modules", "history", "new_session", "export"):
            assert app.check_action(action, ()) is False, action

        await start_interview(pilot, talent, count=1)
        await pilot.press("ctrl+t")  # pause: the overlay offers only resume
        await settle(pilot, talent)
        assert screen_name(app) == "PausedScreen"
        assert not app.screen.query_one("#home").display
        await pilot.press("h")
        await settle(pilot)
        assert screen_name(app) == "PausedScreen"
        await pilot.press("enter")
        await settle(pilot, talent)

        await answer_all(pilot, talent)
        assert screen_name(app) == "SummaryScreen"
        for key in ("e", "j", "h", "f1"):  # export, export, history, help: all gone
            await pilot.press(key)
            await settle(pilot, talent)
        assert screen_name(app) == "SummaryScreen"
        assert not list((data_home / "exports").glob("session-*"))
        footer = screen_text(app)
        assert "Export" not in footer and "History" not in footer

        await pilot.press("escape")  # the end of the flow is the welcome screen, empty again
        await settle(pilot)
        assert screen_name(app) == "KioskWelcomeScreen"
        assert app.screen.query_one("#candidate-name", Input).value == ""
        assert app.profile_id is None


@async_test
async def test_the_palette_offers_only_the_coachs_locked_entries(kiosk, talent):
    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await wait_for(pilot, lambda: app.screen.query_one("CommandList").option_count == 2,
                       what="the palette's entries")
        prompts = [str(app.screen.query_one("CommandList").get_option_at_index(i).prompt)
                   for i in range(2)]
        assert any("Coach menu" in p for p in prompts) and any("Quit the kiosk" in p for p in prompts)
        assert list(app.get_system_commands(app.screen)) == []  # no theme, screenshot, quit
        assert app.idle_seconds == 5 * 60  # the kiosk_idle_minutes setting's default
        await pilot.press(*"coach")
        await wait_for(pilot, lambda: "Coach" in str(
            app.screen.query_one("CommandList").get_option_at_index(0).prompt), what="a hit")
        await pilot.press("enter")
        await settle(pilot)
        assert screen_name(app) == "PassphraseScreen"  # the menu itself is locked


# -- the lock -------------------------------------------------------------------


@async_test
async def test_quitting_needs_the_passphrase(kiosk, talent):
    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent)
        for key in ("ctrl+q", "ctrl+c"):
            await pilot.press(key)
            await settle(pilot)
            assert screen_name(app) == "PassphraseScreen", key
            assert app.is_running and app.return_code is None
            await pilot.press("escape")
            await settle(pilot)
            assert screen_name(app) == "SetupScreen"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await type_passphrase(pilot, "not the passphrase")
        assert app.is_running and screen_name(app) == "PassphraseScreen"
        await type_passphrase(pilot, PASSPHRASE)
        await wait_for(pilot, lambda: app.return_code == 0, what="the kiosk to quit")


@async_test
async def test_a_wrong_passphrase_is_refused_and_rate_limited(kiosk, talent, gate_clock):
    from talentsync_tui import kiosk as lock

    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        for attempt in range(1, lock.FREE_ATTEMPTS):
            await type_passphrase(pilot, f"guess number {attempt}")
            assert passphrase_status(app) == "Wrong passphrase."
        await type_passphrase(pilot, "guess number 3")
        assert passphrase_status(app) == f"Too many wrong passphrases: try again in {lock.FIRST_DELAY:.0f} s."
        # Locked: even the right passphrase is refused, unchecked, until the delay is over.
        await type_passphrase(pilot, PASSPHRASE)
        assert screen_name(app) == "PassphraseScreen"
        assert passphrase_status(app).startswith("Too many wrong passphrases")
        gate_clock.now += lock.FIRST_DELAY - 1
        await type_passphrase(pilot, PASSPHRASE)
        assert screen_name(app) == "PassphraseScreen"
        # The fourth failure doubles the delay.
        gate_clock.now += 1
        await type_passphrase(pilot, "guess number 4")
        assert passphrase_status(app) == f"Too many wrong passphrases: try again in {2 * lock.FIRST_DELAY:.0f} s."
        gate_clock.now += 2 * lock.FIRST_DELAY
        await type_passphrase(pilot, PASSPHRASE)
        await settle(pilot, talent)
        assert screen_name(app) == "CoachMenuScreen"
        assert talent.kiosk_gate.failures == 0  # the right one resets the count


@async_test
async def test_the_passphrase_is_checked_off_the_ui_thread(kiosk, talent):
    """argon2 is slow on purpose: while it runs, the prompt says so and the UI keeps going."""
    app = kiosk()
    release = threading.Event()
    checked_on = []
    verify = talent.kiosk_gate._verify

    def slow_verify(passphrase: str) -> bool:
        checked_on.append(threading.current_thread())
        release.wait(10)
        return verify(passphrase)

    talent.kiosk_gate._verify = slow_verify
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        field = app.screen.query_one("#passphrase-input", Input)
        field.value = PASSPHRASE
        await pilot.press("enter")
        await wait_for(pilot, lambda: passphrase_status(app) == "Checking…", what="checking")
        assert field.disabled  # no second guess while one is checked
        await pilot.pause(0.1)  # the event loop runs while the check is blocked
        assert checked_on and checked_on[0] is not threading.main_thread()
        release.set()
        await wait_for(pilot, lambda: screen_name(app) == "CoachMenuScreen", what="the coach menu")
        await settle(pilot, talent)


@async_test
async def test_a_kiosk_without_a_passphrase_can_still_be_closed(talent):
    """`talentsync kiosk` refuses to start without one; if it is gone anyway, nobody is stuck."""
    from talentsync_tui.tui.kiosk import KioskApp

    app = KioskApp(talent, cursor_blink=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code == 0, what="the kiosk to quit")


# -- the coach menu and the next candidate --------------------------------------


def rows_of(db_path, profile_ids: list[int], session_ids: list[int]) -> dict[str, int]:
    """What is left of these candidates in the database file, table by table."""
    db = sqlite3.connect(db_path)
    try:
        marks = lambda ids: ",".join("?" * len(ids)) or "NULL"  # noqa: E731
        return {
            "profiles": db.execute(f"SELECT COUNT(*) FROM profiles WHERE id IN ({marks(profile_ids)})",
                                   profile_ids).fetchone()[0],
            **{table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE session_id IN ({marks(session_ids)})",
                                 session_ids).fetchone()[0]
               for table in ("session_items", "responses")},
            "sessions": db.execute(f"SELECT COUNT(*) FROM sessions WHERE id IN ({marks(session_ids)})",
                                   session_ids).fetchone()[0],
            "feedback": db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0],
            "jobs": db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0],
            "drafts": db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0],
            "kiosk meta": db.execute("SELECT COUNT(*) FROM meta WHERE key LIKE ?",
                                     [KIOSK_CANDIDATE + "%"]).fetchone()[0],
        }
    finally:
        db.close()


@async_test
async def test_next_candidate_saves_the_reports_and_wipes_the_candidate(kiosk, talent, data_home):
    regular = talent.create_profile("Coach's own practice")  # not a kiosk candidate: stays
    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent, "Ada Lovelace")
        await start_interview(pilot, talent, count=2)
        await answer_all(pilot, talent)
        assert screen_name(app) == "SummaryScreen"
        ada = talent.profile("Ada Lovelace")
        sessions = [s.id for s in talent.sessions(ada.id)]
        before = rows_of(talent.settings.db_path, [ada.id], sessions)
        # Two questions, and a follow-up after each answer.
        assert before["profiles"] == 1 and before["responses"] >= 2
        assert before["feedback"] == before["responses"]

        await unlock_coach_menu(pilot, talent)
        text = screen_text(app)
        [row] = talent.kiosk_sessions()
        answered = f"{before['responses']}/{before['responses']}"
        assert row.answered == before["responses"] and row.score is not None
        assert "Ada Lovelace" in text and answered in text and f"{row.score:g}" in text
        assert "Coach's own practice" not in text

        await pilot.press("n")
        await settle(pilot, talent)
        await wait_for(pilot, lambda: not app.welcome.handing_over, what="the handover")
        assert screen_name(app) == "KioskWelcomeScreen"
        assert app.profile_id is None
        assert not app.screen.query_one("#candidate-name", Input).disabled

        after = rows_of(talent.settings.db_path, [ada.id], sessions)
        assert after == {"profiles": 0, "session_items": 0, "responses": 0, "sessions": 0,
                         "feedback": 0, "jobs": 0, "drafts": 0, "kiosk meta": 0}
        assert [p.name for p in talent.profiles()] == ["Coach's own practice"]
        assert talent.profile(regular.id)
        everything = sorted(talent.kiosk_export_dir.iterdir())
        bundles = [p for p in everything if p.name.endswith(".jsonl.gz")]
        saved = [p for p in everything if p not in bundles]
        assert [p.suffix for p in saved] == [".json", ".md"] and len(bundles) == 1
        assert all("ada-lovelace" in p.name and f"session-{sessions[0]}" in p.name for p in saved)
        assert ANSWER in saved[1].read_text() and "Ada Lovelace" in saved[1].read_text()
        assert any("wiped 1 candidate" in message for _, message in notifications(app))
        # The answers are gone from the file itself, not just unlinked rows (vacuumed).
        assert ANSWER.encode() not in talent.settings.db_path.read_bytes()


@async_test
async def test_next_candidate_mid_interview_also_wipes_whoever_walked_away(kiosk, talent):
    clock = HandClock()
    app = kiosk(idle_seconds=IDLE, idle_clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent, "Walked Away")
        await start_interview(pilot, talent, count=3)
        clock.advance(IDLE)
        await wait_for(pilot, lambda: screen_name(app) == "KioskWelcomeScreen", what="the idle timeout")
        await start_candidate(pilot, talent, "Grace Hopper")
        area = await start_interview(pilot, talent, count=3)
        area.insert("Half an answer")
        await unlock_coach_menu(pilot, talent)
        assert {"Walked Away", "Grace Hopper"} <= set(screen_text(app).split("  ")) or (
            "Walked Away" in screen_text(app) and "Grace Hopper" in screen_text(app))
        await pilot.press("n")
        await settle(pilot, talent)
        await wait_for(pilot, lambda: not app.welcome.handing_over, what="the handover")
        assert talent.profiles() == [] and talent.sessions() == []
        assert len(list(talent.kiosk_export_dir.glob("*.json"))) == 2
        assert not [m for s, m in notifications(app) if s == "error"]


@async_test
async def test_a_handover_that_cannot_save_the_reports_keeps_the_candidate(kiosk, talent, monkeypatch):
    from talentsync_tui.services import TalentSyncError

    def disk_full(*args, **kwargs):
        raise TalentSyncError("Could not write the report: No space left on device")

    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent, "Ada Lovelace")
        await start_interview(pilot, talent, count=1)
        monkeypatch.setattr(talent, "export_report", disk_full)
        await unlock_coach_menu(pilot, talent)
        await pilot.press("n")
        await settle(pilot, talent)
        await wait_for(pilot, lambda: not app.welcome.handing_over, what="the handover")
        assert ("error", "Could not get ready for the next candidate: Could not write the report: "
                "No space left on device") in notifications(app)
        assert [p.name for p in talent.kiosk_candidates()] == ["Ada Lovelace"]
        assert len(talent.sessions()) == 1 and not list(talent.kiosk_export_dir.iterdir())
        assert not app.screen.query_one("#candidate-name", Input).disabled


@async_test
async def test_the_coach_can_end_the_kiosk_from_the_menu(kiosk, talent):
    app = kiosk()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await unlock_coach_menu(pilot, talent)
        await pilot.press("escape")  # back: locked again
        await settle(pilot)
        assert screen_name(app) == "KioskWelcomeScreen"
        await unlock_coach_menu(pilot, talent)
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code == 0, what="the kiosk to end")


# -- idle timeout ----------------------------------------------------------------


@async_test
async def test_idle_timeout_returns_to_welcome_and_pauses_the_session(kiosk, talent):
    clock = HandClock()
    app = kiosk(idle_seconds=IDLE, idle_clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent, "Katherine Johnson")
        area = await start_interview(pilot, talent, count=3)
        session_id = app.screen.session_id
        # Typing keeps the kiosk awake...
        for _ in range(6):
            clock.advance(IDLE * 0.6)
            await pilot.press("x")
        await pilot.pause(1.2)  # at least one check ran
        assert screen_name(app) == "InterviewScreen"
        assert talent.session(session_id).status is SessionStatus.active
        # ...and without input it goes back to the start, the session paused, the draft kept.
        clock.advance(IDLE)
        await wait_for(pilot, lambda: screen_name(app) == "KioskWelcomeScreen", timeout=5,
                       what="the idle timeout")
        await settle(pilot, talent)
        assert talent.session(session_id).status is SessionStatus.paused
        item = talent.current_question(session_id)
        assert talent.draft(item.id) == area.text == "xxxxxx"
        assert app.profile_id is None and "Katherine" not in screen_text(app)


@async_test
async def test_idle_timeout_locks_an_open_coach_menu(kiosk, talent):
    clock = HandClock()
    app = kiosk(idle_seconds=IDLE, idle_clock=clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await start_candidate(pilot, talent)
        await unlock_coach_menu(pilot, talent)
        clock.advance(IDLE)
        await wait_for(pilot, lambda: screen_name(app) == "KioskWelcomeScreen", timeout=5,
                       what="the idle timeout")
        await pilot.press("f12")  # the prompt opens again: the lock was reset, not stuck
        await settle(pilot)
        assert screen_name(app) == "PassphraseScreen"
