"""`talentsync doctor`: database, integrity, banks, paths, versions, job queue, model source."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.cli.common import opened
from talentsync_tui.console import console


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Check the database, banks, paths and versions.

    Example: `talentsync doctor`
    """
    with opened() as ts:
        checks = ts.doctor()
        if as_json:
            console.print_json(json.dumps([c.__dict__ for c in checks]))
        else:
            table = Table(title="TalentSync doctor")
            for column in ("Check", "", "Detail"):
                table.add_column(column)
            for c in checks:
                table.add_row(c.name, "[green]ok[/]" if c.ok else "[red]problem[/]", escape(c.detail))
            console.print(table)
        if not all(c.ok for c in checks):
            raise typer.Exit(1)
