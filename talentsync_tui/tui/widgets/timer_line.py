"""Question timer against the expected time, plus session elapsed and remaining."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from talentsync_tui.tui.format import clock


class TimerLine(Static):
    """One line of clocks; turns to the warning colour when the question runs over."""

    def show(self, question: float, expected: int, session: float, remaining: float,
             paused: bool = False) -> None:
        self.set_class(question > expected, "-overtime")
        self.set_class(paused, "-paused")
        self.update(Content.assemble(
            ("Time ", "dim"),
            (f"{clock(question)} / {clock(expected)}", "bold"),
            (" · session ", "dim"),
            clock(session),
            (" · left ~", "dim"),
            clock(remaining),
            (" · paused", "bold") if paused else "",
        ))
