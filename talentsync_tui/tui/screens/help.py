"""Help: every key binding of every screen, generated from their BINDINGS."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

from talentsync_tui.tui.format import cell
from talentsync_tui.tui.screens.base import TalentScreen

GENERAL = [
    ("ctrl+p", "Command palette: new session, modules, history, help, export, theme"),
    ("tab / shift+tab", "Move between fields"),
    ("enter / space", "Choose the highlighted item; space toggles a module in setup"),
    ("arrows, pgup/pgdn", "Move in lists and tables"),
]


def _screens() -> list[tuple[str, type]]:
    from talentsync_tui.tui.app import TalentSyncApp
    from talentsync_tui.tui.screens.file_picker import FilePickerScreen
    from talentsync_tui.tui.screens.history import HistoryScreen
    from talentsync_tui.tui.screens.home import HomeScreen
    from talentsync_tui.tui.screens.interview import InterviewScreen
    from talentsync_tui.tui.screens.modules import ModulesScreen
    from talentsync_tui.tui.screens.new_profile import NewProfileScreen
    from talentsync_tui.tui.screens.paused import PausedScreen
    from talentsync_tui.tui.screens.questions import QuestionsScreen
    from talentsync_tui.tui.screens.setup import SetupScreen
    from talentsync_tui.tui.screens.summary import SummaryScreen

    return [
        ("Everywhere", TalentSyncApp), ("Home", HomeScreen), ("Add profile", NewProfileScreen),
        ("Modules", ModulesScreen), ("Questions", QuestionsScreen), ("Session setup", SetupScreen),
        ("Resume picker", FilePickerScreen), ("Interview", InterviewScreen),
        ("Paused", PausedScreen), ("Summary", SummaryScreen), ("History", HistoryScreen),
        ("Help", HelpScreen),
    ]


def _key(binding: Binding) -> str:
    return binding.key_display or binding.key.replace("slash", "/")


class HelpScreen(TalentScreen):
    """A table of keys; the footer always shows the keys of the current screen."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Help · keys"
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Does")
        for key, does in GENERAL:
            table.add_row(cell("Everywhere"), cell(key, "bold"), cell(does))
        for where, cls in _screens():
            for binding in cls.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    does = binding.tooltip or binding.description
                    table.add_row(cell(where), cell(_key(binding), "bold"), cell(does))
        table.focus()
