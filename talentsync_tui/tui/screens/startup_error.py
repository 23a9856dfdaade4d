"""A one-dialog app shown when TalentSync cannot open (corrupt database, unwritable dir)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static


class StartupErrorApp(App[int]):
    """Explains the problem in words and where the log is; no traceback on screen."""

    CSS = """
    Screen { align: center middle; }
    #startup-error { width: 70; max-width: 100%; height: auto; border: thick $error;
                     padding: 1 2; background: $panel; }
    #startup-error Button { margin-top: 1; }
    """
    BINDINGS = [Binding("q,escape,enter", "quit", "Quit")]

    def __init__(self, message: str, log_file: Path) -> None:
        super().__init__()
        self.message = message
        self.log_file = log_file

    def compose(self) -> ComposeResult:
        with Vertical(id="startup-error"):
            yield Static(Content.assemble(
                ("TalentSync could not start\n\n", "bold"), self.message,
                ("\n\nDetails are in ", "dim"), str(self.log_file),
            ))
            yield Button("Quit", variant="error")

    def on_button_pressed(self) -> None:
        self.exit(2)

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit(2)
