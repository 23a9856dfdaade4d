"""The multi-line answer editor with a live word count."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from talentsync_tui.tui.format import words


class AnswerEditor(Vertical):
    """A TextArea for the answer and a word counter under it."""

    def compose(self) -> ComposeResult:
        area = TextArea(id="answer", soft_wrap=True, tab_behavior="focus",
                        show_line_numbers=False, placeholder="Type your answer here…")
        area.border_title = "Your answer"
        yield area
        yield Static("0 words", id="word-count")

    @property
    def area(self) -> TextArea:
        return self.query_one("#answer", TextArea)

    @property
    def text(self) -> str:
        return self.area.text

    def load(self, text: str) -> None:
        self.area.load_text(text)
        self._count(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Counting is cheap and runs on every keystroke; the event keeps bubbling.
        self._count(event.text_area.text)

    def _count(self, text: str) -> None:
        n = words(text)
        self.query_one("#word-count", Static).update(f"{n} word{'s' if n != 1 else ''}")
