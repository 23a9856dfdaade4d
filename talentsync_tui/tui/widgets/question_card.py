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
        yield Static(id="q-parent")
        yield Static(id="q-text")
        yield Static(id="q-tags")

    def show(self, item: SessionItem | None, total: int, parent: SessionItem | None = None) -> None:
        """Show `item`; a follow-up shows its original question (`parent`) small above it."""
        meta = self.query_one("#q-meta", Static)
        text = self.query_one("#q-text", Static)
        tags = self.query_one("#q-tags", Static)
        self._show_parent(parent if item is not None and item.kind.value == "followup" else None)
        self.remove_class("-core", "-resume", "-followup", "-writing")
        if item is None:
            meta.update("")
            text.update(literal("No question: this session is finished."))
            tags.update("")
            return
        self.add_class(f"-{item.kind.value}")
        if item.kind.value == "followup" and parent is not None:
            self.border_title = Content(f"Follow-up to Q{parent.position + 1} · {item.position + 1} of {total}")
        else:
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

    def writing(self, parent: SessionItem, text: str, total: int) -> None:
        """The follow-up to `parent` while the interviewer writes it (streamed `text`)."""
        self.remove_class("-core", "-resume")
        self.add_class("-followup", "-writing")
        self.border_title = Content(f"Follow-up to Q{parent.position + 1}")
        self.query_one("#q-meta", Static).update(Content.assemble(
            (f" {kind_label('followup')} ", "reverse"), "  ", ("the interviewer is asking…", "italic")))
        self._show_parent(parent)
        self.query_one("#q-text", Static).update(literal(text or "…"))
        self.query_one("#q-tags", Static).update("")

    def _show_parent(self, parent: SessionItem | None) -> None:
        line = self.query_one("#q-parent", Static)
        line.update(literal(f"Q{parent.position + 1}: {parent.text}") if parent is not None else "")
        line.display = parent is not None
