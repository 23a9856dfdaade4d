"""Shared plumbing for screens: typed access to the facade and error reporting."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual.events import Mount
from textual.screen import ModalScreen, Screen

from talentsync_tui.tui.format import describe_error
from talentsync_tui.tui.messages import TaskFailed

if TYPE_CHECKING:
    from talentsync_tui.services import TalentSync
    from talentsync_tui.tui.app import TalentSyncApp

log = logging.getLogger(__name__)


class _Shared:
    """Mixin for screens and modals (plain handler names: Textual walks the MRO)."""

    @property
    def tsapp(self) -> TalentSyncApp:
        return self.app  # type: ignore[attr-defined,return-value]

    @property
    def ts(self) -> TalentSync:
        return self.tsapp.ts

    def _on_mount(self, event: Mount) -> None:
        # Snapshot tests switch blinking off so screenshots are deterministic.
        if not self.tsapp.cursor_blink:
            # By name: importing TextArea here would slow the first screen down.
            for widget in self.query("Input, TextArea"):  # type: ignore[attr-defined]
                widget.cursor_blink = False  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The kiosk hides what leaves the candidate's flow (exports, going home...).
        return self.tsapp.screen_allows(self, action)  # type: ignore[arg-type]

    def fail(self, what: str, exc: BaseException) -> None:
        """Call from an `except` block (any thread): log the traceback, notify the user."""
        log.exception("%s", what)
        self.post_message(TaskFailed(what, describe_error(exc)))  # type: ignore[attr-defined]

    def on_task_failed(self, message: TaskFailed) -> None:
        message.stop()
        self.app.notify(  # type: ignore[attr-defined]
            message.text, title=message.what, severity="error", markup=False, timeout=8
        )


class TalentScreen(_Shared, Screen[Any]):
    """A full screen of the app."""


class TalentModal(_Shared, ModalScreen[Any]):
    """A dialog over the current screen."""
