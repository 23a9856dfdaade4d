"""The current question: text, difficulty, type, tags and where it came from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from talentsync_tui.models import SessionItem
from talentsync_tui.tui.format import kind_label, literal


class QuestionCard(VerticalScroll, can_focus=False):
    """Shows one SessionItem; bank text is always rendered literally."""

    def compose(self) -> ComposeResult:
        yield Static(id="q-meta")
        yield Static(id="q-text")
        yield Static(id="q-tags")

    def show(self, item: SessionItem | None, total: int) -> None:
        meta = self.query_one("#q-meta", Static)
        text = self.query_one("#q-text", Static)
        tags = self.query_one("#q-tags", Static)
        self.remove_class("-core", "-resume", "-followup")
        if item is None:
            meta.update("")
            text.update(literal("No question: this session is finished."))
            tags.update("")
            return
        self.add_class(f"-{item.kind.value}")
        self.border_title = Content(f"Question {item.position + 1} of {total}")
        meta.update(Content.assemble(
            (f" {'retry' if item.retry_of is not None else kind_label(item.kind)} ", "reverse"),
            "  ",
            (item.difficulty.value, "bold"),
            " · ",
            item.type.value.replace("_", " "),
        ))
        text.update(literal(item.text))
        tags.update(literal("Tags: " + ", ".join(item.tags)) if item.tags else "")
