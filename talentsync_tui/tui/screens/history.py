"""History: the profile's past sessions, score trends (per session, module or tag) and the
expected points most often missed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from talentsync_tui.models import Progress, Session, SessionStatus
from talentsync_tui.tui.format import cell
from talentsync_tui.tui.screens.base import TalentScreen
from talentsync_tui.tui.widgets.charts import TrendChart

VIEWS = ("sessions", "modules", "tags")
TITLES = {"sessions": "Average score per session", "modules": "Score by module",
          "tags": "Score by tag (most practised)"}


@dataclass
class HistoryLoaded(Message):
    history: list[tuple[Session, float | None]]
    progress: Progress | None = None


class HistoryScreen(TalentScreen):
    """Sessions newest first; enter opens one (its summary, or the interview if unfinished)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("v", "next_view", "Trend by", tooltip="Chart the trend per session, per module or per tag"),
        Binding("n", "app.new_session", "New session"),
        Binding("p", "app.practice", "Practice", tooltip="Practise weak areas: the reviews due first"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._sessions: dict[str, Session] = {}
        self._history: list[tuple[Session, float | None]] = []
        self._progress: Progress | None = None
        self.view = "sessions"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-top"):
            yield TrendChart(id="trend")
            with VerticalScroll(id="missed-pane", classes="pane", can_focus=False) as pane:
                pane.border_title = "Most missed points"
                yield Static(id="missed")
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
            progress = self.ts.progress(profile_id) if profile_id is not None else None
        except Exception as exc:
            self.fail("Could not load the history", exc)
            return
        self.post_message(HistoryLoaded(history, progress))

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
        self._history = message.history
        self._progress = message.progress
        self._plot()
        self._show_missed()
        table.focus()

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self._plot()

    def _plot(self) -> None:
        chart = self.query_one(TrendChart)
        chart.border_title = f"{TITLES[self.view]} · v: next"
        if self.view == "sessions" or self._progress is None:
            scored = [(s, score) for s, score in self._history if score is not None]
            chart.plot([f"#{s.id}" for s, _ in scored], [float(score) for _, score in scored])
            return
        series = self._progress.modules if self.view == "modules" else self._progress.tags
        sessions = [p.session_id for p in self._progress.overall]
        at = {sid: n for n, sid in enumerate(sessions, start=1)}
        chart.plot_series([f"#{sid}" for sid in sessions],
                          {name: [(at[p.session_id], p.score) for p in points]
                           for name, points in series.items()})

    def _show_missed(self) -> None:
        missed = self._progress.missed if self._progress is not None else []
        box = self.query_one("#missed", Static)
        if not missed:
            box.update(Content("Nothing missed yet.") if self._history else Content("No answers yet."))
            return
        parts: list[Any] = []
        for n, point in enumerate(missed):
            if n:
                parts.append("\n")
            parts += [(f"{point.missed}/{point.answered} ", "bold"), point.point]
            if point.covered_last:
                parts.append((" ✓ covered last time", "dim"))
        box.update(Content.assemble(*parts))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        session = self._sessions.get(str(event.row_key.value))
        if session is not None:
            self.tsapp.open_session(session.id, finished=session.status is SessionStatus.completed)
