"""One module's questions, filterable by text, difficulty and type."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from talentsync_tui.models import Difficulty, Module, Question, QuestionType
from talentsync_tui.tui.format import cell
from talentsync_tui.tui.screens.base import TalentScreen


@dataclass
class ModuleLoaded(Message):
    module: Module


class QuestionsScreen(TalentScreen):
    """Drill-down from Modules; the detail pane shows the highlighted question in full."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "focus_filter", "Filter"),
    ]

    def __init__(self, module_id: str) -> None:
        super().__init__()
        self.module_id = module_id
        self._questions: dict[str, Question] = {}
        self._module: Module | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Filter text or tag…", id="filter-text", compact=True)
            yield Select([(d.value, d.value) for d in Difficulty], prompt="Any difficulty",
                         id="filter-difficulty", compact=True)
            yield Select([(t.value.replace("_", " "), t.value) for t in QuestionType],
                         prompt="Any type", id="filter-type", compact=True)
        yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        yield VerticalScroll(Static(id="question-detail"), id="detail-pane", classes="pane",
                             can_focus=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Module {self.module_id}"
        self.query_one(DataTable).add_columns("Level", "Type", "Question")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="module")
    def load(self) -> None:
        try:
            module = self.ts.module(self.module_id)
        except Exception as exc:
            self.fail("Could not load the module", exc)
            return
        self.post_message(ModuleLoaded(module))

    def on_module_loaded(self, message: ModuleLoaded) -> None:
        self._module = message.module
        self.title = message.module.name
        self._questions = {q.id: q for q in message.module.questions}
        self._fill()
        self.query_one(DataTable).focus()

    def _matches(self, q: Question, text: str, difficulty: object, qtype: object) -> bool:
        if difficulty is not Select.NULL and q.difficulty.value != difficulty:
            return False
        if qtype is not Select.NULL and q.type.value != qtype:
            return False
        haystack = " ".join([q.id, q.text, *q.tags]).lower()
        return all(word in haystack for word in text.lower().split())

    def _fill(self) -> None:
        text = self.query_one("#filter-text", Input).value
        difficulty = self.query_one("#filter-difficulty", Select).value
        qtype = self.query_one("#filter-type", Select).value
        table = self.query_one(DataTable)
        table.clear()
        shown = [q for q in self._questions.values() if self._matches(q, text, difficulty, qtype)]
        for q in shown:
            table.add_row(cell(q.difficulty.value), cell(q.type.value.replace("_", " ")),
                          cell(q.text), key=q.id)
        table.border_title = Content(f"{len(shown)} of {len(self._questions)} questions")
        if not shown:
            self.query_one("#question-detail", Static).update("No question matches the filters.")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._fill()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        q = self._questions.get(str(event.row_key.value))
        if q is None:
            return
        parts: list[str | tuple[str, str] | Content] = [
            (f"{q.id} · {q.difficulty.value} · {q.type.value.replace('_', ' ')} · "
             f"about {q.expected_seconds // 60 or 1} min", "dim"),
            "\n", (q.text, "bold"),
        ]
        if q.tags:
            parts += ["\n", ("Tags: " + ", ".join(q.tags), "italic")]
        if q.expected_points:
            parts += ["\n\nA good answer covers:"] + [f"\n • {p}" for p in q.expected_points]
        if q.follow_ups:
            parts += ["\n\nPossible follow-ups:"] + [f"\n • {f}" for f in q.follow_ups]
        self.query_one("#question-detail", Static).update(Content.assemble(*parts))

    def action_focus_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()
