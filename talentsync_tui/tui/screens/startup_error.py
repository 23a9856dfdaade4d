"""The dialog shown when TalentSync cannot open (corrupt database, newer schema, unwritable dir).

`TalentSyncApp` shows `StartupErrorScreen` over its first screen when opening fails in
its worker; `StartupErrorApp` is the same dialog as a stand-alone app, for failures
before any app runs. Either way quitting exits with code 2.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class StartupErrorScreen(ModalScreen[None]):
    """Explains the problem in words and where the log is; no traceback on screen."""

    DEFAULT_CSS = """
    StartupErrorScreen { align: center middle; }
    #startup-error { width: 70; max-width: 100%; height: auto; border: thick $error;
                     padding: 1 2; background: $panel; }
    #startup-error Button { margin-top: 1; }
    """
    BINDINGS = [Binding("q,escape,enter", "quit", "Quit")]

    def __init__(self, message: str, log_file: Path | None) -> None:
        super().__init__()
        self.message = message
        self.log_file = log_file

    def compose(self) -> ComposeResult:
        where: list[str | tuple[str, str]] = []
        if self.log_file is not None:
            where = [("\n\nDetails are in ", "dim"), str(self.log_file)]
        with Vertical(id="startup-error"):
            yield Static(Content.assemble(
                ("TalentSync could not start\n\n", "bold"), self.message, *where,
            ), id="startup-message")
            yield Button("Quit", variant="error")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self) -> None:
        self.action_quit()

    def action_quit(self) -> None:
        self.app.exit(2, return_code=2)


class StartupErrorApp(App[int]):
    """The dialog on its own, for a failure before the main app runs."""

    def __init__(self, message: str, log_file: Path | None) -> None:
        super().__init__()
        self.message = message
        self.log_file = log_file

    def on_mount(self) -> None:
        self.push_screen(StartupErrorScreen(self.message, self.log_file))

    def action_quit(self) -> None:  # type: ignore[override]  # ctrl+q
        self.exit(2, return_code=2)
