"""Summary: per-question scores, points covered and missed, timing, a chart and export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Collapsible, DataTable, Footer, Header, Static

from talentsync_tui.tui.format import cell, clock, kind_label
from talentsync_tui.tui.messages import CoreEvent, SessionMade
from talentsync_tui.tui.screens.base import TalentScreen
from talentsync_tui.tui.widgets.charts import ScoreBars

if TYPE_CHECKING:  # the facade's report types, for annotations only
    from talentsync_tui.feedback.report import ReportItem, SessionReport


@dataclass
class ReportLoaded(Message):
    report: SessionReport


@dataclass
class Exported(Message):
    path: Path


class SummaryScreen(TalentScreen):
    """The report of one session, refreshed as late feedback arrives."""

    BINDINGS = [
        # Out of the footer (full at 80 columns): the detail pane names the key.
        Binding("t", "retry", "Retry", show=False, tooltip="Answer the highlighted question again"),
        Binding("e", "export('md')", "Export MD", tooltip="Export the report as Markdown"),
        Binding("j", "export('json')", "Export JSON", tooltip="Export the report as JSON"),
        Binding("w", "export('html')", "Export HTML",
                tooltip="Export a printable, self-contained HTML report (opens in any browser)"),
        Binding("h", "app.history", "History"),
        Binding("escape", "app.home", "Home"),
    ]

    def __init__(self, session_id: int, export: str | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self._export_on_open = export
        self._items: dict[str, ReportItem] = {}
        self._report: SessionReport | None = None
        self._model_answer_of: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary-head")
        with Horizontal(id="summary-body"):
            with Vertical(id="summary-left"):
                yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="summary-detail-pane", classes="pane", can_focus=False):
                    with Horizontal(id="summary-compare"):
                        yield Static(id="compare-first", classes="attempt")
                        yield Static(id="compare-last", classes="attempt")
                    yield Static(id="summary-detail")
                    with Collapsible(title="Model answer", collapsed=True, id="summary-model"):
                        yield Static(id="summary-model-answer")
            yield ScoreBars(id="summary-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Summary · session {self.session_id}"
        self.query_one(DataTable).add_columns("#", "Kind", "Score", "Time / expected", "Points",
                                              "Question")
        self.load()
        if self._export_on_open:
            self.start_export(self._export_on_open)

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary")
    def load(self) -> None:
        try:
            report = self.ts.report(self.session_id)
        except Exception as exc:
            self.fail("Could not build the report", exc)
            return
        self.post_message(ReportLoaded(report))

    def on_report_loaded(self, message: ReportLoaded) -> None:
        report = message.report
        average = "-" if report.average_score is None else f"{report.average_score:g}/100"
        self.query_one("#summary-head", Static).update(Content.assemble(
            (report.profile_name, "bold"), f" · {', '.join(report.modules)} · {report.session.status.value}\n",
            f"Answered {report.answered}, skipped {report.skipped}, not reached {report.pending} · ",
            ("Average ", "dim"), (average, "bold"),
            ("  · Time ", "dim"), clock(report.total_seconds),
        ))
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self._items = {}
        self._report = report
        for item in report.items:
            fb = item.feedback
            total = len(fb.covered_points) + len(fb.missed_points) if fb else 0
            points = f"{len(fb.covered_points)}/{total}" if fb and total else "-"
            score = _score(item)
            chain = attempts(report, item)
            if item.retry_of is None and len(chain) > 1:  # the first attempt: the change since
                score = f"{score} → {_score(chain[-1])}" + _delta(item, chain[-1])
            kind = f"retry of {item.retry_of}" if item.retry_of is not None else kind_label(item.kind)
            table.add_row(
                cell(item.position), cell(kind), cell(score, "bold"),
                cell(f"{clock(item.elapsed_seconds)} / {clock(item.expected_seconds)}"),
                cell(points), cell(item.question), key=str(item.position),
            )
            self._items[str(item.position)] = item
        if report.items:
            table.move_cursor(row=min(cursor, len(report.items) - 1))
        scored = [(f"Q{i.position}", float(i.feedback.score)) for i in report.items if i.feedback]
        self.query_one(ScoreBars).plot([s[0] for s in scored], [s[1] for s in scored])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self._items.get(str(event.row_key.value))
        if item is not None:
            self.query_one("#summary-detail", Static).update(self._detail(item))
            self._show_attempts(item)
            self._show_model_answer(item)

    def _show_attempts(self, item: ReportItem) -> None:
        """A retried question: its first and latest attempts side by side, with the change."""
        chain = attempts(self._report, item) if self._report is not None else [item]
        box = self.query_one("#summary-compare", Horizontal)
        box.display = len(chain) > 1
        if len(chain) < 2:
            return
        first, last = chain[0], chain[-1]
        self.query_one("#compare-first", Static).update(_attempt(first, None, f"First try (Q{first.position})"))
        label = f"Retry (Q{last.position})" if len(chain) == 2 else f"Try {len(chain)} (Q{last.position})"
        self.query_one("#compare-last", Static).update(_attempt(last, first, label))

    # -- retry -----------------------------------------------------------------

    def action_retry(self) -> None:
        table = self.query_one(DataTable)
        if not self._items or table.cursor_row < 0:
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        item = self._items.get(str(key))
        if item is None or item.item_id is None:
            return
        if item.status.value == "pending":
            self.notify("That question has not been answered yet.", severity="warning")
            return
        self.retry(item.item_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retry")
    def retry(self, item_id: int) -> None:
        try:
            self.ts.retry_question(self.session_id, item_id)
        except Exception as exc:
            self.fail("Could not retry the question", exc)
            return
        self.post_message(SessionMade(self.session_id))

    def on_session_made(self, message: SessionMade) -> None:
        message.stop()
        if message.session_id is not None:
            self.tsapp.open_session(message.session_id, finished=False)

    def _show_model_answer(self, item: ReportItem) -> None:
        """After a weak answer the bank's model answer can be opened (collapsed by default)."""
        from talentsync_tui.feedback.report import WEAK_SCORE

        box = self.query_one("#summary-model", Collapsible)
        weak = item.feedback is not None and item.feedback.score < WEAK_SCORE and bool(item.answer)
        show = bool(item.model_answer) and (weak or item.status.value == "skipped")
        if show and self._model_answer_of != item.position:
            self.query_one("#summary-model-answer", Static).update(Content(item.model_answer or ""))
            box.collapsed = True  # collapsed by default for every answer
        self._model_answer_of = item.position if show else None
        box.display = show

    @staticmethod
    def _detail(item: ReportItem) -> Content:
        parts: list[Any] = [(f"Q{item.position}. ", "bold"), (item.question, "bold")]
        if item.status.value != "pending":
            parts.append(("  t: try it again", "dim"))
        if item.answer:
            parts += ["\n", ("Your answer: ", "dim"), item.answer]
        elif item.status.value == "skipped":
            parts += ["\n", ("Skipped.", "italic")]
        fb = item.feedback
        if fb is None:
            parts += ["\n", ("Feedback: not ready yet." if item.answer else "", "dim")]
            return Content.assemble(*parts)
        from talentsync_tui.feedback.report import covered_with_evidence, missed_with_advice

        if fb.summary:
            parts += ["\n", fb.summary]
        covered = covered_with_evidence(fb)
        if covered:
            parts += ["\n", ("Covered:", "bold")]
            for point, evidence in covered:
                parts += [f"\n ✓ {point}"]
                if evidence:
                    parts += ["\n   ", (f"“{evidence}”", "italic dim")]
        missed = missed_with_advice(fb)
        if missed:
            parts += ["\n", ("Missed:", "bold")]
            for point, advice, example in missed:
                parts += [f"\n ✗ {advice or point}"]
                if example:
                    parts += ["\n   ", ("e.g. ", "dim"), (f"“{example}”", "italic dim")]
        others = [p for p in fb.improvements if not any(p.startswith(a or "\0") for _, a, _ in missed)]
        if others:
            parts += ["\n", ("To improve:", "bold")] + [f"\n • {p}" for p in others]
        return Content.assemble(*parts)

    def on_core_event(self, message: CoreEvent) -> None:
        from talentsync_tui.services import FeedbackReady

        event: Any = message.event
        if isinstance(event, FeedbackReady) and event.session_id == self.session_id:
            self.load()

    # -- export ----------------------------------------------------------------

    def action_export(self, fmt: str) -> None:
        self.start_export(fmt)

    def start_export(self, fmt: str) -> None:
        self.export(fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export(self, fmt: str) -> None:
        try:
            path = self.ts.export_report(self.session_id, fmt)
        except Exception as exc:
            self.fail("Could not export the report", exc)
            return
        self.post_message(Exported(path))

    def on_exported(self, message: Exported) -> None:
        self.notify(f"Saved {message.path}", title="Report exported", markup=False, timeout=8)


def attempts(report: SessionReport, item: ReportItem) -> list[ReportItem]:
    """The attempts at `item`'s question in this session: the first, then its retries."""
    first = item.retry_of if item.retry_of is not None else item.position
    return [i for i in report.items if i.position == first or i.retry_of == first]


def _score(item: ReportItem) -> str:
    if item.status.value == "skipped":
        return "skip"
    if item.feedback is not None:
        return str(item.feedback.score)
    return "-" if item.status.value == "pending" else "…"


def _delta(before: ReportItem, after: ReportItem) -> str:
    """" (+19)" when both attempts are scored; else nothing."""
    if before.feedback is None or after.feedback is None or after.status.value == "pending":
        return ""
    change = after.feedback.score - (0 if before.status.value == "skipped" else before.feedback.score)
    return f" ({change:+d})"


def _attempt(item: ReportItem, earlier: ReportItem | None, label: str) -> Content:
    """One column of the comparison: score (and its change), then each point ✓ or ✗."""
    parts: list[Any] = [(label, "bold"), " · ", (_score(item), "bold")]
    if earlier is not None:
        parts.append(_delta(earlier, item))
    fb = item.feedback
    if fb is None:
        parts += ["\n", ("not answered yet" if item.status.value == "pending" else "feedback pending", "dim")]
        return Content.assemble(*parts)
    before = set(earlier.feedback.covered_points) if earlier is not None and earlier.feedback else set()
    new = [p for p in fb.covered_points if earlier is not None and p not in before]
    for point in new:  # the news first
        parts += ["\n ✓ ", ("now covered: ", "bold"), point]
    for point in fb.covered_points:
        if point not in new:
            parts += [f"\n ✓ {point}"]
    for point in fb.missed_points:
        parts += [f"\n ✗ {point}"]
    return Content.assemble(*parts)
