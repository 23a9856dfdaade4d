"""Modules: every question bank with its size, difficulty mix and default length."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from talentsync_tui.models import ModuleSummary
from talentsync_tui.tui.format import cell, literal
from talentsync_tui.tui.screens.base import TalentScreen


@dataclass
class ModulesLoaded(Message):
    modules: list[ModuleSummary]


class ModulesScreen(TalentScreen):
    """A DataTable of modules; enter drills into the highlighted module's questions."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        # Priority: the focused DataTable would otherwise take enter and hide it from the footer.
        Binding("enter", "open", "Questions", priority=True),
        Binding("n", "app.new_session", "New session"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._modules: dict[str, ModuleSummary] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[object] = DataTable(id="modules", cursor_type="row", zebra_stripes=True)
        table.border_title = "Question banks"
        yield table
        yield Static(id="module-desc", classes="pane")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Modules"
        self.query_one(DataTable).add_columns(
            "Module", "Category", "Qs", "E/M/H", "Min")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="modules")
    def load(self) -> None:
        try:
            modules = self.ts.modules()
        except Exception as exc:
            self.fail("Could not load the modules", exc)
            return
        self.post_message(ModulesLoaded(modules))

    def on_modules_loaded(self, message: ModulesLoaded) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self._modules = {m.id: m for m in message.modules}
        for m in message.modules:
            mix = m.difficulty_mix
            table.add_row(
                cell(m.name), cell(m.category), cell(m.question_count),
                cell(f"{mix.get('easy', 0)}/{mix.get('medium', 0)}/{mix.get('hard', 0)}"),
                cell(m.default_minutes), key=m.id,
            )
        if not message.modules:
            self.query_one("#module-desc", Static).update(
                "No question banks yet: import some with `talentsync bank import`.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        module = self._modules.get(str(event.row_key.value))
        if module is not None:
            self.query_one("#module-desc", Static).update(
                literal(f"{module.id}: {module.description}"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(str(event.row_key.value))  # a mouse click on a row

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            self._open(str(key.value))

    def _open(self, module_id: str) -> None:
        from talentsync_tui.tui.screens.questions import QuestionsScreen

        self.app.push_screen(QuestionsScreen(module_id))
