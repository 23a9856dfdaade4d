"""The paused overlay: the question's clock is stopped until the candidate resumes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Static

from talentsync_tui.tui.screens.base import TalentModal


class PausedScreen(TalentModal):
    """Returns 'resume' or 'home'; quitting from here keeps the session paused."""

    BINDINGS = [
        Binding("ctrl+t,f9,enter", "resume", "Resume"),
        Binding("escape", "resume", "Resume", show=False),
        Binding("h", "home", "Home"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        with Vertical(id="paused", classes="dialog") as box:
            box.border_title = "Paused"
            yield Static("The clock is stopped.\n\nctrl+t or enter resumes where you were; "
                         "h goes home and ctrl+q quits. The session stays paused "
                         "and can be resumed from the home screen (r).", id="paused-text")
            yield Button("Resume", id="resume", variant="primary")
            yield Button("Home", id="home")
        yield Footer()

    def on_mount(self) -> None:
        if self.tsapp.kiosk:  # a candidate at the kiosk can only carry on
            self.query_one("#home", Button).display = False
            self.query_one("#paused-text", Static).update(
                "The clock is stopped.\n\nctrl+t or enter resumes where you were.")
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "home" and not self.tsapp.screen_allows(self, "home"):
            return
        self.dismiss(event.button.id)

    def action_resume(self) -> None:
        self.dismiss("resume")

    def action_home(self) -> None:
        self.dismiss("home")
