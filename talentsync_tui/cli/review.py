"""`talentsync review ...`: study material to take away from the app (an Anki deck)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from talentsync_tui.cli.common import fail, opened
from talentsync_tui.console import console

review_app = typer.Typer(help="Study material for away from the app.", no_args_is_help=True)


@review_app.command("export")
def review_export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="anki (an .apkg deck).")] = "anki",
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (default: review-ID.apkg in the data dir's exports/, ID being the profile's id).")] = None,
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", help="The candidate (default: the only one with sessions).")] = None,
    threshold: Annotated[int, typer.Option(
        "--threshold", min=1, max=100, help="Also include answers scoring below this.")] = 60,
) -> None:
    """Export an Anki deck of the questions a candidate missed points on: the question on the
    front; the model answer and the expected points, missed ones marked, on the back. Export
    again later and Anki updates the same notes instead of adding copies.

    Example: `talentsync review export --format anki --profile "Ada Lovelace" -o ada.apkg`
    """
    if fmt != "anki":
        raise fail(f"Unknown review format {fmt!r}: use anki.")
    with opened() as ts:
        path, candidate, cards = ts.export_review(profile, output, threshold)
    console.print(f"Wrote {cards} card{'s' if cards != 1 else ''} for {escape(candidate.name)} "
                  f"to {escape(str(path))}", soft_wrap=True)
