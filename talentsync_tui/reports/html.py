"""A session report as one self-contained, printable HTML file.

Everything is inline (CSS, an SVG chart of the per-question scores); nothing is
fetched, and a Content-Security-Policy forbids scripts and every network load
should anything slip in. The page is rendered by Jinja2 with autoescaping on, so
an answer reading `<script>` or `[bold]` shows exactly that, as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from talentsync_tui import __version__
from talentsync_tui.feedback.report import (
    WEAK_SCORE,
    ReportItem,
    SessionReport,
    covered_with_evidence,
    minutes,
    missed_with_advice,
)
from talentsync_tui.models import ItemKind, ItemStatus

TEMPLATES = Path(__file__).parent / "templates"
STRONG_SCORE = 80

# Chart geometry (SVG user units; the chart scales to the page width).
BAR = 22
GAP = 10
LEFT = 34
TOP = 16
PLOT_HEIGHT = 150
BOTTOM = 26
BARS_PER_ROW = 20


@dataclass
class Question:
    """One question of the report as the page shows it: a bank or resume question with its follow-ups."""

    label: str
    item: ReportItem
    covered: list[tuple[str, str | None]] = field(default_factory=list)
    missed: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    follow_ups: list[Question] = field(default_factory=list)

    @property
    def band(self) -> str:
        return band(self.item.feedback.score if self.item.feedback else None)

    @property
    def kind_label(self) -> str:
        return {ItemKind.core: "", ItemKind.resume: "from your resume",
                ItemKind.followup: "follow-up"}[self.item.kind]

    @property
    def timing(self) -> str:
        return f"{minutes(self.item.elapsed_seconds)} of {minutes(self.item.expected_seconds)} expected"


@dataclass
class Bar:
    label: str
    score: int | None
    x: float
    y: float
    height: float
    band: str
    title: str


@dataclass
class Chart:
    width: float
    height: float
    plot_top: float
    plot_bottom: float
    left: float
    weak_y: float
    grid: list[tuple[int, float]]
    bars: list[Bar]
    summary: str


def band(score: int | None) -> str:
    if score is None:
        return "none"
    return "strong" if score >= STRONG_SCORE else "fair" if score >= WEAK_SCORE else "weak"


def questions(report: SessionReport) -> list[Question]:
    """Top-level questions in queue order, each with its follow-ups nested under it."""
    by_position: dict[int, Question] = {}
    top: list[Question] = []
    for item in report.items:
        fb = item.feedback
        entry = Question(label="", item=item,
                         covered=covered_with_evidence(fb) if fb else [],
                         missed=missed_with_advice(fb) if fb else [])
        parent = by_position.get(item.parent_position) if item.parent_position else None
        if item.kind is ItemKind.followup and parent is not None:
            while parent.item.kind is ItemKind.followup and parent.item.parent_position in by_position:
                parent = by_position[parent.item.parent_position]  # a follow-up of a follow-up
            entry.label = f"{parent.label}.{len(parent.follow_ups) + 1}"
            parent.follow_ups.append(entry)
        else:
            entry.label = str(len(top) + 1)
            top.append(entry)
        by_position[item.position] = entry
    return top


def charts(entries: list[Question]) -> list[Chart]:
    """Bars of every question's score (follow-ups beside their question), 0-100, at most
    BARS_PER_ROW to a chart so labels stay readable on a printed page; rows share one scale."""
    flat = [q for top in entries for q in (top, *top.follow_ups)]
    rows = [flat[i:i + BARS_PER_ROW] for i in range(0, len(flat), BARS_PER_ROW)] or [[]]
    widest = max(len(row) for row in rows)
    return [_chart(row, widest) for row in rows]


def _chart(row: list[Question], slots: int) -> Chart:
    bars = []
    for index, q in enumerate(row):
        score = q.item.feedback.score if q.item.feedback else None
        height = PLOT_HEIGHT * (score or 0) / 100
        state = ("not reached" if q.item.status is ItemStatus.pending else
                 "not graded yet" if score is None else f"{score}/100")
        bars.append(Bar(label=q.label, score=score, x=LEFT + GAP + index * (BAR + GAP),
                        y=TOP + PLOT_HEIGHT - height, height=height, band=band(score),
                        title=f"Question {q.label}: {state}"))
    scored = [b.score for b in bars if b.score is not None]
    span = f"questions {row[0].label} to {row[-1].label}" if row else "no questions"
    summary = (f"Scores of {span}: {len(scored)} scored, from {min(scored)} to {max(scored)} out of 100"
               if scored else f"Scores of {span}: no answer has a score yet")
    return Chart(
        width=LEFT + GAP + max(slots, 1) * (BAR + GAP) + GAP,
        height=TOP + PLOT_HEIGHT + BOTTOM,
        plot_top=TOP, plot_bottom=TOP + PLOT_HEIGHT, left=LEFT,
        weak_y=TOP + PLOT_HEIGHT * (1 - WEAK_SCORE / 100),
        grid=[(value, TOP + PLOT_HEIGHT * (1 - value / 100)) for value in (0, 20, 40, 60, 80, 100)],
        bars=bars, summary=summary,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_html(report: SessionReport) -> str:
    """The report as one HTML document (UTF-8 text); every piece of user text is escaped."""
    entries = questions(report)
    return _environment().get_template("session.html.j2").render(
        report=report, session=report.session, questions=entries, charts=charts(entries),
        minutes=minutes, band=band, weak_score=WEAK_SCORE, version=__version__,
        ItemStatus=ItemStatus,
    )
