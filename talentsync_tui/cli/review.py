"""`talentsync review ...`: what is due for practice, a practice session of it, and study
material to take away from the app (an Anki deck)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.cli.common import fail, opened
from talentsync_tui.console import console

review_app = typer.Typer(help="Reviews: what your answers missed, practised until it sticks, or "
                              "exported to study away from the app.", no_args_is_help=True)


@review_app.command("list")
def review_list(
    profile: Annotated[Optional[str], typer.Option("--profile", "-p", help="Only this profile (name or id).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also the reviews not due yet.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output (one JSON array).")] = False,
) -> None:
    """List the reviews due now (most overdue first), for one profile or all of them.

    A review is an expected point an answer missed, or a question answered weakly
    (score under 60); practise them with `talentsync review start` or `p` in the app.

    Example: `talentsync review list --profile "Ada Lovelace" --json`
    """
    with opened() as ts:
        profiles = [ts.profile(profile)] if profile else ts.profiles()
        rows = []
        for p in profiles:
            items = ts.review_items(p.id) if show_all else ts.due_reviews(p.id)
            rows += [(p, item) for item in items]
        if as_json:
            console.file.write(json.dumps([{
                "profile": p.name, "question_key": r.question_key, "point": r.point or None,
                "point_text": r.point_text, "question": r.question_text, "tags": r.tags,
                "due": r.due.isoformat(), "reviews": r.reviews, "lapses": r.lapses,
            } for p, r in rows], indent=2) + "\n")
            return
        title = f"{len(rows)} review{'s' if len(rows) != 1 else ''} {'in all' if show_all else 'due'}"
        if len(profiles) == 1:
            title += f" for {profiles[0].name}"
        table = Table(title=escape(title))
        several = len(profiles) > 1
        if several:
            table.add_column("Profile")
        table.add_column("Due", no_wrap=True)
        table.add_column("Question", overflow="fold")
        table.add_column("What to practise", ratio=3)
        table.add_column("Reviews", justify="right")
        for p, r in rows:
            what = r.point_text or "the whole question (scored under 60)"
            cells = [f"{r.due:%Y-%m-%d %H:%M}", escape(r.question_key), escape(what), f"{r.reviews}" + (f", {r.lapses} missed" if r.lapses else "")]
            table.add_row(*([escape(p.name)] if several else []), *cells)
        console.print(table)


@review_app.command("start")
def review_start(
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or id.")] = "Demo Candidate",
    minutes: Annotated[Optional[int], typer.Option("--minutes", help="Target length in minutes (1-600).")] = None,
    count: Annotated[Optional[int], typer.Option("--count", help="Number of questions instead of minutes (1-500).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Same seed, same related questions.")] = None,
) -> None:
    """Plan a practice session of weak areas and store it; answer it in the app (`talentsync`).

    The questions of the reviews due come first (most overdue first), then questions of
    the same modules sharing their tags. Without --minutes or --count: every due question
    (at most 10) and two related ones.

    Example: `talentsync review start --profile "Ada Lovelace" --count 6 --seed 7`
    """
    from talentsync_tui.cli.session import print_queue

    with opened() as ts:
        p = ts.profile(profile)
        session = ts.start_review_session(p.id, minutes=minutes, count=count, seed=seed)
        print_queue(ts, session.id)


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
