"""A resume file picker: a filtered DirectoryTree plus an Input for a typed path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Footer, Input, Label

from talentsync_tui.tui.screens.base import TalentModal

RESUME_SUFFIXES = (".txt", ".md", ".pdf", ".docx")


class ResumeTree(DirectoryTree):
    """Folders and resume-like files only; file names are shown literally."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".")
                and (p.is_dir() or p.suffix.lower() in RESUME_SUFFIXES)]

    def process_label(self, label: str | Text) -> Text:
        # Tree parses str labels as markup; a file called "[b]cv.pdf" must show as is.
        return super().process_label(Text(label) if isinstance(label, str) else label)


class FilePickerScreen(TalentModal):
    """Returns the chosen Path, or None when cancelled; the caller reads the file."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: Path | str | None = None) -> None:
        super().__init__()
        self.start = Path(start) if start is not None else Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="dialog") as box:
            box.border_title = "Choose a resume (.txt .md .pdf .docx)"
            yield ResumeTree(self.start, id="picker-tree")
            yield Label("…or type a path and press enter")
            yield Input(placeholder="~/Documents/resume.pdf", id="picker-path")
        yield Footer()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify("Type a path, or pick a file in the tree.", severity="warning")
            return
        # The caller reads the file in a worker; a missing file becomes a notification there.
        self.dismiss(Path(value).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
