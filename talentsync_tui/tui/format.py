"""Small display helpers shared by screens: clocks, labels and literal text."""

from __future__ import annotations

import sys

from rich.text import Text
from textual.content import Content

KIND_LABELS = {"core": "core", "resume": "from your resume", "followup": "follow-up"}


def clock(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour); '-' for unknown."""
    if seconds is None:
        return "-"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes_text(seconds: float) -> str:
    """A rough duration for estimates: 'about 25 min'."""
    return f"about {max(1, round(seconds / 60))} min"


def kind_label(kind: object) -> str:
    value = getattr(kind, "value", kind)
    return KIND_LABELS.get(str(value), str(value))


def words(text: str) -> int:
    """A live word count for the editor (display only; the engine keeps its own)."""
    return len(text.split())


def literal(text: object) -> Content:
    """Bank, answer and user text for Textual widgets: never parsed as markup."""
    return Content(str(text))


def cell(text: object, style: str = "") -> Text:
    """A literal DataTable cell (DataTable parses plain str cells as markup)."""
    return Text(str(text), style=style, end="")


def describe_error(exc: BaseException) -> str:
    """One line for a notification; known errors already read well.

    Never imports the core: if `talentsync_tui.services` is not loaded yet, `exc`
    cannot be one of its errors (the first screen paints before the core loads).
    """
    services = sys.modules.get("talentsync_tui.services")
    known: tuple[type[BaseException], ...] = (OSError, ValueError)
    if services is not None:
        known += (services.TalentSyncError,)
    if isinstance(exc, known):
        return str(exc) or type(exc).__name__
    name = type(exc).__name__
    if name in {"StoreError", "ResumeError", "BankError"}:
        return str(exc)
    return f"{name}: {exc} (details in the log file)"
