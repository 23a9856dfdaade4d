"""The TalentSync Textual app and `run_app`, the entry point the CLI calls."""

from __future__ import annotations

import logging
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from talentsync_tui.config import Settings
from talentsync_tui.services import TalentSync
from talentsync_tui.tui.commands import TalentSyncCommands
from talentsync_tui.tui.format import describe_error
from talentsync_tui.tui.messages import CoreEvent
from talentsync_tui.tui.screens.home import HomeScreen

log = logging.getLogger(__name__)


class TalentSyncApp(App[int]):
    """Practice interviews: profiles, modules, timed sessions, feedback and reports."""

    CSS_PATH = "app.tcss"
    TITLE = "TalentSync"
    SUB_TITLE = "interview practice"
    COMMANDS = App.COMMANDS | {TalentSyncCommands}
    # Narrow terminals stack panels instead of placing them side by side.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, ts: TalentSync, *, demo: bool = False, cursor_blink: bool = True,
                 resume_dir: Any = None) -> None:
        super().__init__()
        self.ts = ts
        self.demo = demo
        self.cursor_blink = cursor_blink
        self.resume_dir = resume_dir
        """Where the resume picker starts (default: the home folder)."""
        self.profile_id: int | None = None
        self.profile_name: str = ""
        self.drafts: dict[int, str] = {}
        """Unsubmitted answers by item id; kept in memory only (lost when the app quits)."""
        self._unsubscribe = None

    # -- lifecycle -------------------------------------------------------------

    def on_mount(self) -> None:
        self._unsubscribe = self.ts.subscribe(self._from_worker_thread)
        self.push_screen(HomeScreen())

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _from_worker_thread(self, event: object) -> None:
        # Runs on a feedback thread: post_message is thread-safe, widgets are not.
        self.post_message(CoreEvent(event))

    def on_core_event(self, message: CoreEvent) -> None:
        for screen in self.screen_stack:
            screen.post_message(CoreEvent(message.event))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Safety net: a worker error the screen did not catch becomes a notification.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            log.error("worker %s failed", event.worker.name, exc_info=error)
            self.notify(describe_error(error), title="Something went wrong",
                        severity="error", markup=False, timeout=8)

    # -- navigation ------------------------------------------------------------

    def set_profile(self, profile_id: int | None, name: str = "") -> None:
        self.profile_id = profile_id
        self.profile_name = name
        self.sub_title = name or "interview practice"

    def go_home(self) -> None:
        """Pop everything above the home screen."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def show_screen(self, screen: Screen[Any]) -> None:
        """Show a screen from anywhere (palette, keys): on top of home, not of a dialog."""
        self.go_home()
        self.push_screen(screen)

    def needs_profile(self) -> bool:
        if self.profile_id is None:
            self.notify("Choose or add a profile first (a on the home screen).",
                        severity="warning")
            return True
        return False

    def action_help(self) -> None:
        from talentsync_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        self.go_home()

    def action_new_session(self) -> None:
        from talentsync_tui.tui.screens.setup import SetupScreen

        if not self.needs_profile():
            self.show_screen(SetupScreen())

    def action_modules(self) -> None:
        from talentsync_tui.tui.screens.modules import ModulesScreen

        self.show_screen(ModulesScreen())

    def action_history(self) -> None:
        from talentsync_tui.tui.screens.history import HistoryScreen

        if not self.needs_profile():
            self.show_screen(HistoryScreen())

    def open_session(self, session_id: int, finished: bool) -> None:
        """Continue an unfinished session, or show a finished one's summary."""
        if finished:
            from talentsync_tui.tui.screens.summary import SummaryScreen

            self.show_screen(SummaryScreen(session_id))
        else:
            from talentsync_tui.tui.screens.interview import InterviewScreen

            self.show_screen(InterviewScreen(session_id))

    def current_session_id(self) -> int | None:
        """The session the visible screen is about (for 'export' in the palette)."""
        for screen in reversed(self.screen_stack):
            session_id = getattr(screen, "session_id", None)
            if session_id is not None:
                return session_id
        return None

    def action_export(self, fmt: str) -> None:
        from talentsync_tui.tui.screens.summary import SummaryScreen

        session_id = self.current_session_id()
        if session_id is None:
            self.notify("Open a session first: exports are made from its summary.",
                        severity="warning")
            return
        if isinstance(self.screen, SummaryScreen):
            self.screen.start_export(fmt)
        else:
            self.show_screen(SummaryScreen(session_id, export=fmt))


def run_app(settings: Settings, demo: bool = False) -> int:
    """Open TalentSync, run the app, and always close TalentSync (quitting pauses the clock)."""
    try:
        ts = TalentSync.open(settings)
    except Exception as exc:  # corrupt database, unreadable data dir...
        log.exception("could not open TalentSync")
        from talentsync_tui.tui.screens.startup_error import StartupErrorApp

        StartupErrorApp(describe_error(exc), settings.log_dir / "talentsync.log").run()
        return 2
    try:
        app = TalentSyncApp(ts, demo=demo)
        app.run()
        return app.return_code or 0
    finally:
        ts.close()
