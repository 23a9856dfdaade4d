"""The kiosk's coach menu (behind the passphrase): sessions, export, next candidate, end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Static

from talentsync_tui.tui.format import cell
from talentsync_tui.tui.screens.base import TalentScreen

if TYPE_CHECKING:
    from talentsync_tui.services import KioskSessionRow


@dataclass
class CoachSessions(Message):
    rows: list[KioskSessionRow]
    folder: str
    """Where reports go, relative to the data dir when inside it."""


@dataclass
class CoachExported(Message):
    files: list[Path]
    folder: Path
    failed: bool = False


class CoachMenuScreen(TalentScreen):
    """Returns 'next' (save and wipe, then welcome), 'end' (quit the kiosk) or None (back)."""

    BINDINGS = [
        Binding("n", "next_candidate", "Next candidate",
                tooltip="Save every kiosk candidate's reports, wipe them, show the welcome screen"),
        Binding("x", "export", "Export all", tooltip="Save every kiosk candidate's reports now"),
        Binding("q", "end", "End kiosk", tooltip="Quit the kiosk (data stays in the database)"),
        Binding("escape", "back", "Back", tooltip="Lock again and return to the candidate"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.exporting = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="coach-head")
        yield DataTable(id="coach-sessions", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="coach-buttons"):
            yield Button("Next candidate", id="coach-next", variant="primary")
            yield Button("Export all", id="coach-export")
            yield Button("End kiosk", id="coach-end", variant="error")
            yield Button("Back", id="coach-back")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Coach menu"
        table = self.query_one(DataTable)
        table.add_columns("Candidate", "#", "Started", "Status", "Answered", "Score")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="coach-sessions")
    def load(self) -> None:
        try:
            folder = self.ts.kiosk_export_dir
            if folder.is_relative_to(self.ts.settings.home):
                shown = f"{folder.relative_to(self.ts.settings.home)}/ in the data dir"
            else:
                shown = str(folder)
            self.post_message(CoachSessions(self.ts.kiosk_sessions(), shown))
        except Exception as exc:
            self.fail("Could not list the sessions", exc)

    def on_coach_sessions(self, message: CoachSessions) -> None:
        rows = message.rows
        candidates = len({r.profile_id for r in rows})
        scores = [r.score for r in rows if r.score is not None]
        average = f", average score {sum(scores) / len(scores):.0f}/100" if scores else ""
        self.query_one("#coach-head", Static).update(Content.assemble(
            ("Unlocked. ", "bold"),
            f"{len(rows)} session(s) from {candidates} candidate(s) at this kiosk{average}.\n",
            ("Reports are saved to ", "dim"), message.folder,
        ))
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                cell(row.candidate), cell(row.session.id),
                cell(f"{row.session.created_at:%H:%M}"), cell(row.session.status.value),
                cell(f"{row.answered}/{row.total}" + (f" ({row.skipped} skipped)" if row.skipped else "")),
                cell("-" if row.score is None else f"{row.score:g}", "bold"),
            )
        table.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"coach-next": self.action_next_candidate, "coach-export": self.action_export,
                   "coach-end": self.action_end, "coach-back": self.action_back}
        actions[str(event.button.id)]()

    def action_next_candidate(self) -> None:
        if not self.exporting:
            self.dismiss("next")

    def action_end(self) -> None:
        if not self.exporting:
            self.dismiss("end")

    def action_back(self) -> None:
        if not self.exporting:
            self.dismiss(None)

    def action_export(self) -> None:
        if self.exporting:
            return
        self.exporting = True
        self.notify("Saving the reports (waiting for feedback still being written)…",
                    title="Export", timeout=4)
        self.export()

    @work(thread=True, exclusive=True, exit_on_error=False, group="coach-export")
    def export(self) -> None:
        try:
            files = self.ts.kiosk_export_all()
            self.post_message(CoachExported(files, self.ts.kiosk_export_dir))
        except Exception as exc:
            self.fail("Could not export the reports", exc)
            self.post_message(CoachExported([], self.ts.kiosk_export_dir, failed=True))

    def on_coach_exported(self, message: CoachExported) -> None:
        self.exporting = False
        if message.files:
            self.notify(f"Saved {len(message.files)} file(s) to {message.folder}",
                        title="Export", markup=False, timeout=8)
        elif not message.failed:
            self.notify("No kiosk sessions to export yet.", title="Export")
        self.load()
