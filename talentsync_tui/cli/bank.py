"""`talentsync bank ...`: import, validate, list, show, export and delete question banks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.cli.common import opened
from talentsync_tui.console import console, err, progress_bar

bank_app = typer.Typer(help="Import, export and inspect question banks.", no_args_is_help=True)


@bank_app.command("import")
def bank_import(
    paths: Annotated[list[Path], typer.Argument(help="Bank files or folders (searched recursively).")],
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", "-f",
                     help="Force a format: yaml, json, csv, tsv, anki, apkg, markdown, grillkit "
                          "(default: detected per file)."),
    ] = None,
    module: Annotated[
        Optional[str],
        typer.Option("--module", "-m", help="Target module id for flat formats (CSV, Anki, Markdown) and GrillKit."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and validate only; list what would be imported and skipped.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete questions of the imported modules that the files no longer contain.")
    ] = False,
) -> None:
    """Import question banks. All files land in one transaction, or none do.

    Re-importing a file updates its questions and never duplicates them. Files in the
    folders that are not banks (a README, images, GrillKit's index) are listed as skipped.

    Example: `talentsync bank import coaching/python.yaml anki-deck.apkg grillkit/data/questions`
    """
    from talentsync_tui.banks import bank_files

    skipped: list[tuple[Path, str]] = []
    with opened() as ts:
        files = list(bank_files(paths))
        with progress_bar() as progress:
            reading = progress.add_task("Reading files", total=len(files))
            writing = progress.add_task("Writing questions", total=None, visible=False)
            report = ts.import_banks(
                paths, fmt=fmt, module_id=module, dry_run=dry_run, replace=replace,
                on_file=lambda path: progress.advance(reading),
                on_skip=lambda path, reason: skipped.append((path, reason)),
                on_parsed=lambda total: progress.update(writing, total=total, visible=not dry_run),
                on_question=lambda: progress.advance(writing),
            )
        if skipped:
            console.print(f"Skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} that "
                          f"{'are' if len(skipped) != 1 else 'is'} not a bank:")
            for path, reason in sorted(skipped):
                console.print(f"  {escape(str(path))}: {escape(reason)}", soft_wrap=True)
        table = Table(title="Dry run: nothing was written" if dry_run else "Imported")
        table.add_column("Module")
        for column in ("Added", "Updated", "Unchanged", "Removed"):
            table.add_column(column, justify="right")
        for module_id in report.modules:
            table.add_row(
                escape(module_id), str(report.added.get(module_id, 0)),
                str(report.updated.get(module_id, 0)), str(report.unchanged.get(module_id, 0)),
                str(report.removed.get(module_id, 0)),
            )
        console.print(table)
        total = sum(report.added.values()) + sum(report.updated.values()) + sum(report.unchanged.values())
        read = len(set(files) - {path for path, _ in skipped})
        modules = len(report.modules)
        console.print(f"{read} bank file{'s' if read != 1 else ''}, {modules} module{'s' if modules != 1 else ''}, "
                      f"{total} questions; {len(skipped)} skipped")


@bank_app.command("validate")
def bank_validate(
    paths: Annotated[list[Path], typer.Argument(help="Bank files or folders to check.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="Force a format.")] = None,
    module: Annotated[Optional[str], typer.Option("--module", "-m", help="Module id for flat formats.")] = None,
) -> None:
    """Check bank files without importing them; the first problem is reported with its line.

    Example: `talentsync bank validate question_banks/`
    """
    with opened() as ts:
        parsed = ts.read_banks(paths, fmt=fmt, module_id=module)
        for path, modules in parsed:
            for m in modules:
                console.print(f"[green]ok[/] {escape(str(path))}: module {escape(m.id)}, "
                              f"{len(m.questions)} questions")


@bank_app.command("list")
def bank_list() -> None:
    """List modules with their question counts and difficulty mix.

    Example: `talentsync bank list`
    """
    with opened() as ts:
        table = Table(title="Question banks")
        table.add_column("Module", no_wrap=True)
        table.add_column("Name")
        table.add_column("Category")
        table.add_column("Qs", justify="right")
        table.add_column("E/M/H", no_wrap=True)
        table.add_column("Min", justify="right")
        for m in ts.modules():
            mix = m.difficulty_mix
            table.add_row(escape(m.id), escape(m.name), escape(m.category), str(m.question_count),
                          f"{mix['easy']}/{mix['medium']}/{mix['hard']}", str(m.default_minutes))
        console.print(table)


@bank_app.command("show")
def bank_show(module: Annotated[str, typer.Argument(help="Module id (see `bank list`).")]) -> None:
    """Show a module's questions.

    Example: `talentsync bank show python`
    """
    with opened() as ts:
        m = ts.module(module)
        console.print(f"[bold]{escape(m.name)}[/] ({escape(m.category)}): {escape(m.description)}")
        table = Table()
        for column in ("Id", "Difficulty", "Type", "Tags", "Question"):
            table.add_column(column)
        for q in m.questions:
            table.add_row(escape(q.id), q.difficulty.value, q.type.value,
                          escape(", ".join(q.tags)), escape(q.text))
        console.print(table)


@bank_app.command("export")
def bank_export(
    module: Annotated[str, typer.Argument(help="Module id to export.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml, json, csv or md.")] = "yaml",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export a module; YAML and JSON round-trip losslessly through `bank import`.

    Example: `talentsync bank export python --format yaml -o python.yaml`
    """
    with opened() as ts:
        from talentsync_tui.banks import EXPORT_FORMATS
        from talentsync_tui.services import TalentSyncError

        if fmt not in EXPORT_FORMATS:
            raise TalentSyncError(f"Unknown export format {fmt!r}: use one of {', '.join(sorted(EXPORT_FORMATS))}.")
        text = ts.export_module(module, fmt)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
            err.print(f"Wrote {escape(str(output))}")


@bank_app.command("delete")
def bank_delete(
    module: Annotated[str, typer.Argument(help="Module id to delete.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a module and its questions (past sessions keep their copy of the questions).

    Example: `talentsync bank delete old-module --yes`
    """
    with opened() as ts:
        ts.module(module)
        if not yes and not typer.confirm(f"Delete module {module}?", default=False):
            raise typer.Exit(1)
        ts.delete_module(module)
        console.print(f"Deleted module {escape(module)}.")
