"""The coach's passphrase prompt: argon2 is checked in a thread, wrong answers are rate-limited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Static

from talentsync_tui.tui.screens.base import TalentModal

if TYPE_CHECKING:
    from talentsync_tui.kiosk import Unlock


@dataclass
class Checked(Message):
    result: Unlock


class PassphraseScreen(TalentModal):
    """Returns True once the right passphrase is typed, False when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose
        self.checking = False

    def compose(self) -> ComposeResult:
        with Vertical(id="passphrase", classes="dialog") as box:
            box.border_title = "Coach only"
            yield Static(Content(self.purpose), id="passphrase-purpose")
            yield Label("Coach passphrase")
            yield Input(password=True, id="passphrase-input", max_length=1024)
            with Horizontal(id="passphrase-buttons"):
                yield Button("Unlock", id="unlock", variant="primary")
                yield Button("Cancel", id="cancel")
            yield Static(id="passphrase-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase-input", Input).focus()
        self.set_interval(1, self._show_wait)
        self._show_wait()

    def _show_wait(self) -> None:
        """While locked out, count down (reads the gate's clock; no hashing)."""
        if self.checking:
            return
        wait = self.ts.kiosk_gate.wait_seconds()
        status = self.query_one("#passphrase-status", Static)
        if wait > 0:
            status.add_class("-error", "-locked")
            status.update(Content(f"Too many wrong passphrases: try again in {wait:.0f} s."))
        elif status.has_class("-locked"):
            status.set_class(False, "-locked")
            status.update(Content("You can try again now."))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._try(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "unlock":
            self._try(self.query_one("#passphrase-input", Input).value)
        else:
            self.action_cancel()

    def _try(self, passphrase: str) -> None:
        if self.checking:
            return
        if not passphrase:
            self.query_one("#passphrase-status", Static).update("Type the passphrase first.")
            return
        self.checking = True
        self.query_one("#passphrase-input", Input).disabled = True
        self.query_one("#passphrase-status", Static).update("Checking…")
        self.check(passphrase)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kiosk-passphrase")
    def check(self, passphrase: str) -> None:
        # argon2 takes ~50-100 ms on purpose: never on the UI thread.
        from talentsync_tui.kiosk import Unlock

        try:
            result = self.ts.kiosk_unlock(passphrase)
        except Exception as exc:
            self.fail("Could not check the passphrase", exc)
            result = Unlock(False)
        self.post_message(Checked(result))

    def on_checked(self, message: Checked) -> None:
        self.checking = False
        result = message.result
        if result.ok:
            self.dismiss(True)
            return
        field = self.query_one("#passphrase-input", Input)
        field.disabled = False
        field.value = ""
        field.focus()
        status = self.query_one("#passphrase-status", Static)
        status.set_class(True, "-error")
        status.set_class(result.wait_seconds > 0, "-locked")
        status.update(Content(result.message))

    def action_cancel(self) -> None:
        self.dismiss(False)
