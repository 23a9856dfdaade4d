"""The kiosk's first screen: a candidate types their name and gets a fresh profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Static

from talentsync_tui.tui.screens.base import TalentScreen

if TYPE_CHECKING:  # painted before the core (and pydantic) is imported
    from talentsync_tui.models import Profile

LOADING = "Loading question banks…"
INTRO = ("Practise a job interview: choose a topic, answer a few questions in writing, "
         "and get feedback on each answer.\n\nYour answers stay on this computer and are "
         "deleted before the next candidate starts.")


@dataclass
class CandidateReady(Message):
    profile: Profile


@dataclass
class CandidateRefused(Message):
    text: str


class KioskWelcomeScreen(TalentScreen):
    """The bottom of the kiosk's stack; everything returns here (idle timeout, next candidate)."""

    def __init__(self) -> None:
        super().__init__()
        self._starting = False
        self.handing_over = False
        """True while the coach's "Next candidate" saves and wipes (the form waits)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="welcome", classes="dialog") as box:
            box.border_title = "Welcome"
            yield Static(INTRO, id="welcome-intro")
            yield Label("Your name")
            yield Input(placeholder="e.g. Ada Lovelace", id="candidate-name", max_length=120)
            yield Button("Start", id="start-practice", variant="primary")
            yield Static(id="welcome-status", classes="dim")
        yield Footer()

    def on_mount(self) -> None:
        self._enable()

    def on_screen_resume(self) -> None:
        # Back here (finished, idle, next candidate): nothing of the last candidate stays.
        self.tsapp.set_profile(None)
        self._starting = False
        self.query_one("#candidate-name", Input).value = ""
        self._enable()

    def core_ready(self) -> None:
        """TalentSync is open: the name can be typed."""
        self._enable()

    def set_handing_over(self, busy: bool) -> None:
        self.handing_over = busy
        self._enable()

    def _enable(self) -> None:
        ready = self.tsapp.core_ready and not self.handing_over
        name = self.query_one("#candidate-name", Input)
        name.disabled = not ready
        self.query_one("#start-practice", Button).disabled = not ready
        status = self.query_one("#welcome-status", Static)
        if not self.tsapp.core_ready:
            status.update(LOADING)
        elif self.handing_over:
            status.update("Getting ready for the next candidate…")
        else:
            status.update("Type your name and press enter.")
            name.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._start(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-practice":
            self._start(self.query_one("#candidate-name", Input).value)

    def _start(self, name: str) -> None:
        if self._starting or not self.tsapp.core_ready or self.handing_over:
            return
        if not name.strip():
            self.notify("Type your name first.", severity="warning")
            return
        self._starting = True
        self.create_candidate(name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kiosk-candidate")
    def create_candidate(self, name: str) -> None:
        try:
            self.post_message(CandidateReady(self.ts.kiosk_new_candidate(name)))
        except Exception as exc:
            self.fail("Could not start", exc)
            self.post_message(CandidateRefused(str(exc)))

    def on_candidate_refused(self, message: CandidateRefused) -> None:
        self._starting = False

    def on_candidate_ready(self, message: CandidateReady) -> None:
        from talentsync_tui.tui.screens.setup import SetupScreen

        profile = message.profile
        assert profile.id is not None
        self.tsapp.set_profile(profile.id, profile.name)
        self.query_one("#welcome-status", Static).update(Content(""))
        self.app.push_screen(SetupScreen())
