"""History: the profile's past sessions and a trend chart of average scores."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header

from talentsync_tui.models import Session, SessionStatus
from talentsync_tui.tui.format import cell
from talentsync_tui.tui.screens.base import TalentScreen
from talentsync_tui.tui.widgets.charts import TrendChart


@dataclass
class HistoryLoaded(Message):
    history: list[tuple[Session, float | None]]


class HistoryScreen(TalentScreen):
    """Sessions newest first; enter opens one (its summary, or the interview if unfinished)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("n", "app.new_session", "New session"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: dict[str, Session] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield TrendChart(id="trend")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "History"
        self.query_one(DataTable).add_columns("#", "Started", "Status", "Average", "Modules")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def load(self) -> None:
        try:
            profile_id = self.tsapp.profile_id
            history = self.ts.score_history(profile_id) if profile_id is not None else []
        except Exception as exc:
            self.fail("Could not load the history", exc)
            return
        self.post_message(HistoryLoaded(history))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._sessions = {}
        for session, score in reversed(message.history):
            table.add_row(
                cell(session.id), cell(f"{session.created_at:%Y-%m-%d %H:%M}"),
                cell(session.status.value), cell("-" if score is None else f"{score:g}"),
                cell(", ".join(session.config.module_ids)), key=str(session.id),
            )
            self._sessions[str(session.id)] = session
        table.border_title = f"{len(message.history)} sessions"
        scored = [(s, score) for s, score in message.history if score is not None]
        self.query_one(TrendChart).plot([f"#{s.id}" for s, _ in scored],
                                        [float(score) for _, score in scored])
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        session = self._sessions.get(str(event.row_key.value))
        if session is not None:
            self.tsapp.open_session(session.id, finished=session.status is SessionStatus.completed)
