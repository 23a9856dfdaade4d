"""The side panel where feedback on earlier answers appears as the workers finish."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from talentsync_tui.models import Feedback


class FeedbackPanel(VerticalScroll, can_focus=False):
    """One entry per answered question, newest at the bottom; never takes focus."""

    def on_mount(self) -> None:
        self.border_title = "Feedback"
        self.mount(Static("Feedback on your answers appears here as it is ready.",
                          id="feedback-empty", classes="dim"))

    def add(self, position: int, feedback: Feedback | None, skipped: bool = False) -> None:
        """Add or replace the entry of question `position` (1-based)."""
        self.query("#feedback-empty").remove()
        body = self._entry(position, feedback, skipped)
        entry_id = f"fb-{position}"
        existing = self.query(f"#{entry_id}")
        if existing:
            existing.first(Static).update(body)
            return
        later = [w for w in self.query(".feedback-entry") if int(w.id.split("-")[1]) > position]
        widget = Static(body, id=entry_id, classes="feedback-entry")
        if later:
            self.mount(widget, before=later[0])
        else:
            self.mount(widget)
            self.scroll_end(animate=False)

    @staticmethod
    def _entry(position: int, feedback: Feedback | None, skipped: bool) -> Content:
        if feedback is None:
            return Content.assemble((f"Q{position}", "bold"), " skipped" if skipped else " …scoring")
        covered, missed = len(feedback.covered_points), len(feedback.missed_points)
        quick = bool(feedback.details.get("quick"))
        parts: list[Content | str | tuple[str, str]] = [
            (f"Q{position}", "bold"), "  ", (f"{feedback.score}/100", "dim reverse" if quick else "bold reverse"),
        ]
        if covered or missed:
            parts.append(f"  ✓{covered} ✗{missed}")
        if quick:
            parts += ["  ", ("quick check", "italic dim")]
        if feedback.summary:
            summary = feedback.summary.split(": ", 1)[1] if quick and ": " in feedback.summary else feedback.summary
            parts += ["\n", Content(summary)]
        if quick and "still reading" in feedback.summary:
            parts += ["\n", ("The coach is reading your answer…", "italic dim")]
        return Content.assemble(*parts)
