"""The TalentSync Textual app and `run_app`, the entry point the CLI calls.

Start-up paints before the core loads: this module and the first screen import
Textual only. The app is given either an open `TalentSync` (tests) or a factory
that opens one; a factory runs in a thread worker after the first frame is on
screen, and the home screen fills in when it returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from talentsync_tui.tui.commands import TalentSyncCommands
from talentsync_tui.tui.drafts import Drafts
from talentsync_tui.tui.format import describe_error
from talentsync_tui.tui.messages import AIStatus, CoreEvent, CoreFailed, CoreOpened, SessionMade
from talentsync_tui.tui.screens.home import HomeScreen

if TYPE_CHECKING:  # the core loads in a worker, after the first frame
    from talentsync_tui.config import Settings
    from talentsync_tui.services import TalentSync

log = logging.getLogger(__name__)

NEEDS_CORE = frozenset({"new_session", "practice", "modules", "history", "export", "help"})
"""App actions shown disabled in the footer until TalentSync is open: they read data, or
(help) import every screen, which would race the worker importing the core."""


class TalentSyncApp(App[int]):
    """Practice interviews: profiles, modules, timed sessions, feedback and reports."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "TalentSync"
    SUB_TITLE = "interview practice"
    COMMANDS = App.COMMANDS | {TalentSyncCommands}
    # Narrow terminals stack panels instead of placing them side by side.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]
    kiosk = False
    """True in `KioskApp` (tui/kiosk.py): screens hide what leaves the practice flow."""

    def __init__(self, ts: TalentSync | Callable[[], TalentSync], *, demo: bool = False,
                 cursor_blink: bool = True, resume_dir: Any = None,
                 log_file: Path | None = None) -> None:
        super().__init__()
        # A TalentSync is not callable; a factory (lambda, function, partial) is.
        self._factory: Callable[[], TalentSync] | None = ts if callable(ts) else None
        self._ts: TalentSync | None = None if callable(ts) else ts
        self._core_ready = self._ts is not None
        """True once the UI thread has taken the open TalentSync (subscribed to its events)."""
        self._open_lock = threading.Lock()
        self._open_state = "idle"
        """idle -> running -> done, or idle/running -> abandoned (the app ended first)."""
        self._open_done = threading.Event()
        self._open_requested = False
        self.open_error: str | None = None
        self.demo = demo
        self.cursor_blink = cursor_blink
        self.resume_dir = resume_dir
        """Where the resume picker starts (default: the home folder)."""
        self.log_file = log_file
        """Named in the start-up error dialog."""
        self.profile_id: int | None = None
        self.profile_name: str = ""
        self.drafts = Drafts()
        """Unsubmitted answers: saved through the facade, so they survive quitting."""
        self._unsubscribe: Callable[[], None] | None = None

    # -- the core --------------------------------------------------------------

    @property
    def ts(self) -> TalentSync:
        """The open facade; screens only use it once `core_ready` (home waits for it)."""
        if self._ts is None:
            raise RuntimeError("TalentSync is still opening")
        return self._ts

    @property
    def core_ready(self) -> bool:
        return self._core_ready

    def opened(self, timeout: float = 0.0) -> TalentSync | None:
        """After the app has exited: the TalentSync it opened or was given, for the owner
        to close (`run_app` does). None if opening failed or never ran.

        If the user quit while it was still opening, this waits at most `timeout`
        seconds; after that the opening is abandoned: the thread closes what it opens
        (or dies with the process, which the database survives), so quitting is never
        held up by a slow start. If the thread had not started yet, it never will.
        """
        with self._open_lock:
            if self._open_state == "idle":
                self._open_state = "abandoned"
            running = self._open_state == "running"
        if running and not self._open_done.wait(timeout):
            with self._open_lock:
                if self._open_state == "running":
                    self._open_state = "abandoned"
                    return None
        return self._ts

    def _open_core(self) -> None:
        """Open TalentSync; runs in a daemon thread (not a Textual worker: the app's
        shutdown waits for those, and a first start can take seconds)."""
        assert self._factory is not None
        with self._open_lock:
            if self._open_state != "idle":
                return  # the app ended before this thread ran
            self._open_state = "running"
        try:
            ts = self._factory()
        except Exception as exc:  # corrupt database, newer schema, unwritable dir...
            log.exception("could not open TalentSync")
            self.open_error = describe_error(exc)
            with self._open_lock:
                self._open_state = "done"
                self._open_done.set()
            self.post_message(CoreFailed(self.open_error))
            return
        with self._open_lock:
            abandoned = self._open_state == "abandoned"
            if not abandoned:
                self._ts = ts
                self._open_state = "done"
            self._open_done.set()
        if abandoned:  # the user quit while we were opening
            ts.close()
            return
        self.post_message(CoreOpened())

    def _start_opening(self) -> None:
        """Runs once the first frame is on screen, so importing the core never delays it."""
        if self._factory is not None and not self._exit and not self._open_requested:
            self._open_requested = True
            threading.Thread(target=self._open_core, name="open TalentSync", daemon=True).start()

    @property
    def opening(self) -> bool:
        """True while the thread that opens TalentSync is running."""
        return self._open_state == "running"

    def on_core_opened(self, message: CoreOpened) -> None:
        self._take_core()
        self.refresh_bindings()
        for screen in self.screen_stack:
            if self.is_home(screen):
                screen.core_ready()  # type: ignore[attr-defined]

    def _take_core(self) -> None:
        self._core_ready = True
        stop_events = self.ts.subscribe(self._from_worker_thread)
        # Model/index news may predate us (the model loads in about a second): replay it.
        earlier = list(self.ts.ai_status().get("messages", []))
        stop_ai = self.ts.subscribe_ai(lambda text: self.post_message(AIStatus(text)))
        for text in earlier:
            self.post_message(AIStatus(text))

        def unsubscribe() -> None:
            stop_events()
            stop_ai()

        self._unsubscribe = unsubscribe

    def on_ai_status(self, message: AIStatus) -> None:
        failed = any(word in message.text.lower() for word in ("could not", "unavailable", "failed"))
        self.notify(message.text, title="Local AI", markup=False,
                    severity="warning" if failed else "information", timeout=8 if failed else 4)

    def on_core_failed(self, message: CoreFailed) -> None:
        from talentsync_tui.tui.screens.startup_error import StartupErrorScreen

        self.push_screen(StartupErrorScreen(message.text, self.log_file))

    def waiting_for_core(self) -> bool:
        """True (and says so) while TalentSync is still opening."""
        if self._core_ready:
            return False
        if self.open_error is None:
            self.notify("Still loading the question banks: one moment.", severity="warning")
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: shown in the footer but disabled (dimmed) until the data can be read.
        if action in NEEDS_CORE and not self._core_ready:
            return None
        return True

    def screen_allows(self, screen: Screen[Any], action: str) -> bool:
        """Whether a screen's own action is available (screens ask in `check_action`)."""
        return True

    def is_home(self, screen: Screen[Any]) -> bool:
        """True for the bottom screen of the stack (home; the welcome screen in a kiosk)."""
        return isinstance(screen, HomeScreen)

    # -- lifecycle -------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # Home is the bottom of the stack: composed once, with no blank screen painted first.
        return HomeScreen()

    def on_mount(self) -> None:
        if self._core_ready:
            self._take_core()
        if self._factory is not None:
            self.call_after_refresh(self._start_opening)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def action_quit(self) -> None:
        # A failed start keeps its exit code, however the user quits.
        self.exit(return_code=2 if self.open_error is not None else 0)

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
        """Pop everything above the home screen (the bottom of the stack)."""
        while len(self.screen_stack) > 1 and not self.is_home(self.screen):
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

        if not self.waiting_for_core() and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        self.go_home()

    def action_new_session(self) -> None:
        from talentsync_tui.tui.screens.setup import SetupScreen

        if not self.waiting_for_core() and not self.needs_profile():
            self.show_screen(SetupScreen())

    def action_practice(self) -> None:
        """Practise weak areas: a session with the profile's due reviews first."""
        if not self.waiting_for_core() and not self.needs_profile():
            assert self.profile_id is not None
            self.start_practice(self.profile_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="practice")
    def start_practice(self, profile_id: int) -> None:
        from talentsync_tui.services import TalentSyncError

        try:
            session = self.ts.start_review_session(profile_id)
        except TalentSyncError as exc:  # nothing due: advice, not an error
            self.post_message(SessionMade(None, str(exc)))
            return
        except Exception as exc:
            log.exception("could not start a practice session")
            self.post_message(SessionMade(None, describe_error(exc), failed=True))
            return
        self.post_message(SessionMade(session.id))

    def on_session_made(self, message: SessionMade) -> None:
        if message.session_id is not None:
            self.open_session(message.session_id, finished=False)
        elif message.text:
            self.notify(message.text, title="Practice weak areas", markup=False,
                        severity="error" if message.failed else "warning", timeout=8)

    def action_modules(self) -> None:
        from talentsync_tui.tui.screens.modules import ModulesScreen

        if not self.waiting_for_core():
            self.show_screen(ModulesScreen())

    def action_history(self) -> None:
        from talentsync_tui.tui.screens.history import HistoryScreen

        if not self.waiting_for_core() and not self.needs_profile():
            self.show_screen(HistoryScreen())

    def open_session(self, session_id: int, finished: bool) -> None:
        """Continue an unfinished session, or show a finished one's summary."""
        if self.waiting_for_core():
            return
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

        if self.waiting_for_core():
            return
        session_id = self.current_session_id()
        if session_id is None:
            self.notify("Open a session first: exports are made from its summary.",
                        severity="warning")
            return
        if isinstance(self.screen, SummaryScreen):
            self.screen.start_export(fmt)
        else:
            self.show_screen(SummaryScreen(session_id, export=fmt))


def run_app(settings: Settings | Callable[[], Settings], demo: bool = False,
            kiosk: bool = False) -> int:
    """Run the app; TalentSync opens in a worker after the first frame, and is always closed.

    `settings` may be a callable that loads them, so that even pydantic-settings loads after
    the first frame. An error while opening (corrupt database, newer schema...) is shown in
    a dialog and the exit code is 2. Closing TalentSync on exit pauses running clocks.
    `kiosk` runs the locked-down hiring-event app (`talentsync kiosk`) instead.
    """
    def open_core() -> TalentSync:
        from talentsync_tui.services import TalentSync

        loaded = settings() if callable(settings) else settings
        app.log_file = loaded.log_dir / "talentsync.log"
        return TalentSync.open(loaded)

    if kiosk:
        from talentsync_tui.tui.kiosk import KioskApp

        app: TalentSyncApp = KioskApp(open_core)
    else:
        app = TalentSyncApp(open_core, demo=demo)
    if not callable(settings):
        app.log_file = settings.log_dir / "talentsync.log"
    try:
        app.run()
        return app.return_code or 0
    finally:
        ts = app.opened()  # None if the user quit while it was still opening (it closes itself)
        if ts is not None:
            ts.close()
