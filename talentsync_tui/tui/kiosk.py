"""`talentsync kiosk`: the practice app locked down for a hiring event.

A candidate sees only welcome -> setup (restricted) -> interview -> summary. Every way
out of that flow is gone: no profiles, history, modules, help, exports, resume files or
system commands; the palette offers only the coach's entries. F12 (or the palette) asks
for the coach passphrase and opens the coach menu; quitting (ctrl+q, ctrl+c) asks for it
too. After `idle_seconds` without a key or click the kiosk returns to the welcome screen;
leaving the interview pauses the session's clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from talentsync_tui.tui.app import TalentSyncApp
from talentsync_tui.tui.commands import KioskCommands
from talentsync_tui.tui.format import describe_error
from talentsync_tui.tui.screens.kiosk_welcome import KioskWelcomeScreen

if TYPE_CHECKING:
    from talentsync_tui.services import KioskHandover, TalentSync

log = logging.getLogger(__name__)

DEFAULT_IDLE_SECONDS = 300.0
"""Until the settings are read (`kiosk_idle_minutes`, default 5)."""

BLOCKED_APP_ACTIONS = frozenset({
    "help", "modules", "history", "export", "new_session",  # TalentSyncApp's other screens
    "change_theme", "screenshot", "show_help_panel", "suspend_process",  # Textual's system actions
})
BLOCKED_SCREEN_ACTIONS = {
    "SummaryScreen": {"export"},        # files in the data dir are the coach's business
    "PausedScreen": {"home"},           # home is the welcome screen: the session would be lost
    "SetupScreen": {"choose_resume"},   # the file picker browses the kiosk's disk
}
COACH_SCREENS = frozenset({"PassphraseScreen", "CoachMenuScreen"})
INPUT_EVENTS = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp,
                events.Paste)


@dataclass
class HandedOver(Message):
    handover: KioskHandover | None
    error: str | None = None


class KioskApp(TalentSyncApp):
    """The practice flow only; the coach menu and quitting need the coach passphrase."""

    COMMANDS = {KioskCommands}  # replaces Textual's system commands (theme, screenshot, quit)
    BINDINGS = [
        Binding("f12", "coach", "Coach", priority=True, tooltip="Coach menu (asks for the passphrase)"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]
    SUB_TITLE = "interview practice"
    kiosk = True

    def __init__(self, ts: TalentSync | Callable[[], TalentSync], *,
                 idle_seconds: float | None = None,
                 idle_clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(ts, **kwargs)
        self._idle_seconds = idle_seconds
        """None: the `kiosk_idle_minutes` setting."""
        self.idle_clock = idle_clock
        """Seconds, monotonic; tests pass a clock they move by hand."""
        self.last_input = idle_clock()
        self.has_passphrase = False
        self._asking = False

    # -- what the candidate may do ------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in BLOCKED_APP_ACTIONS:
            return False
        if action in ("coach", "quit") and type(self.screen).__name__ in COACH_SCREENS:
            return False  # already asking, or unlocked (the menu has its own End kiosk)
        return super().check_action(action, parameters)

    def screen_allows(self, screen: Screen[Any], action: str) -> bool:
        return action not in BLOCKED_SCREEN_ACTIONS.get(type(screen).__name__, ())

    def get_system_commands(self, screen: Screen[Any]):  # type: ignore[override]
        return iter(())  # belt and braces: COMMANDS has no system provider anyway

    def get_default_screen(self) -> Screen[Any]:
        return KioskWelcomeScreen()

    def is_home(self, screen: Screen[Any]) -> bool:
        return isinstance(screen, KioskWelcomeScreen)

    @property
    def welcome(self) -> KioskWelcomeScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, KioskWelcomeScreen)
        return screen

    def set_profile(self, profile_id: int | None, name: str = "") -> None:
        super().set_profile(profile_id, name)
        self.sub_title = name or self.SUB_TITLE

    def _take_core(self) -> None:
        super()._take_core()
        self.has_passphrase = self.ts.kiosk_has_passphrase()

    # -- idle timeout ---------------------------------------------------------------

    @property
    def idle_seconds(self) -> float:
        if self._idle_seconds is not None:
            return self._idle_seconds
        if self.core_ready:
            return self.ts.settings.kiosk_idle_minutes * 60
        return DEFAULT_IDLE_SECONDS

    def on_mount(self) -> None:
        super().on_mount()
        every = 1.0 if self._idle_seconds is None else max(0.02, min(1.0, self._idle_seconds / 4))
        self.set_interval(every, self.check_kiosk_idle, name="kiosk idle")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, INPUT_EVENTS) and not getattr(event, "is_forwarded", False):
            self.last_input = self.idle_clock()
        await super().on_event(event)

    def check_kiosk_idle(self) -> None:
        if self.idle_clock() - self.last_input < self.idle_seconds:
            return
        self.last_input = self.idle_clock()
        at_welcome = len(self.screen_stack) == 1 and self.profile_id is None
        if at_welcome or self.welcome.handing_over:
            return
        log.info("kiosk idle for %.0f s: back to the welcome screen", self.idle_seconds)
        self._asking = False
        # Leaving the interview pauses its clock and saves the draft (InterviewScreen.on_unmount).
        self.go_home()
        self.set_profile(None)
        self.notify("Back to the start after a while without input; the session was paused.",
                    title="Welcome", timeout=6)

    # -- the coach ------------------------------------------------------------------

    def ask_passphrase(self, purpose: str, then: Callable[[], Any]) -> None:
        """Show the passphrase prompt; `then()` runs once the right passphrase is typed."""
        from talentsync_tui.tui.screens.passphrase import PassphraseScreen

        if self._asking:
            return
        if self.waiting_for_core():
            return
        self._asking = True

        def answered(ok: bool | None) -> None:
            self._asking = False
            if ok:
                then()

        self.push_screen(PassphraseScreen(purpose), answered)

    def action_coach(self) -> None:
        from talentsync_tui.tui.screens.coach_menu import CoachMenuScreen

        if any(isinstance(s, CoachMenuScreen) for s in self.screen_stack):
            return
        self.ask_passphrase("The coach menu: every candidate's sessions, export, next candidate.",
                            lambda: self.push_screen(CoachMenuScreen(), self._coach_chose))

    async def action_quit(self) -> None:
        if self.open_error is not None or (self.core_ready and not self.has_passphrase):
            await super().action_quit()  # nothing to protect, or no way to unlock
            return
        self.ask_passphrase("Quit the kiosk.", lambda: self.exit(return_code=0))

    async def _coach_chose(self, choice: str | None) -> None:
        if choice == "end":
            self.exit(return_code=0)
        elif choice == "next":
            await self.next_candidate()

    async def next_candidate(self) -> None:
        """Back to the welcome screen (the interview pauses and saves its draft as it goes),
        then save and wipe the candidates in a thread; the form waits until that is done."""
        self.set_profile(None)
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.welcome.set_handing_over(True)
        self.hand_over()

    @work(thread=True, exclusive=True, exit_on_error=False, group="kiosk-handover")
    def hand_over(self) -> None:
        try:
            self.post_message(HandedOver(self.ts.kiosk_next_candidate()))
        except Exception as exc:
            log.exception("next candidate failed")
            self.post_message(HandedOver(None, describe_error(exc)))

    def on_handed_over(self, message: HandedOver) -> None:
        self.welcome.set_handing_over(False)
        if message.handover is None:
            # A report that cannot be written stops it before anything is deleted.
            self.notify(f"Could not get ready for the next candidate: {message.error}",
                        title="Next candidate", severity="error", markup=False, timeout=10)
            return
        done = message.handover
        note = "" if done.feedback_complete else " (some feedback was still being written)"
        self.notify(f"Saved {len(done.files)} report file(s){note} and wiped "
                    f"{len(done.candidates)} candidate(s).", title="Next candidate",
                    markup=False, timeout=6)
