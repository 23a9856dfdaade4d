"""A dialog asking for a new profile's name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Label

from talentsync_tui.tui.screens.base import TalentModal


class NewProfileScreen(TalentModal):
    """Returns the typed name, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = "Add a profile"
            yield Label("Candidate name")
            yield Input(placeholder="e.g. Ada Lovelace", id="profile-name", max_length=200)
            yield Button("Add", id="add", variant="primary")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._done(self.query_one("#profile-name", Input).value)

    def _done(self, name: str) -> None:
        if not name.strip():
            self.notify("Type a name first.", severity="warning")
            return
        self.dismiss(name.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
