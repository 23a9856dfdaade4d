"""The `talentsync` command: the TUI with no arguments, coach and admin tools as subcommands."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui import __version__
from talentsync_tui.console import console, err, progress_bar

if TYPE_CHECKING:
    from talentsync_tui.services import TalentSync

# The core (pydantic-settings, sqlite-utils, numpy) is imported inside the
# commands, so `talentsync` alone paints the app's first screen without it.

log = logging.getLogger(__name__)


app = typer.Typer(
    name="talentsync",
    help="Local-first interview practice in the terminal.\n\n"
    "Run `talentsync` alone to open the practice app; the subcommands manage "
    "question banks, profiles and sessions.",
    no_args_is_help=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
bank_app = typer.Typer(help="Import, export and inspect question banks.", no_args_is_help=True)
session_app = typer.Typer(help="List, inspect and export practice sessions.", no_args_is_help=True)
profile_app = typer.Typer(help="Candidate profiles (optionally built from a resume).", no_args_is_help=True)
app.add_typer(bank_app, name="bank")
app.add_typer(session_app, name="session")
app.add_typer(profile_app, name="profile")


def _add_ai_commands() -> None:
    from talentsync_tui.cli_ai import index_app, model_app

    app.add_typer(model_app, name="model", help="The local language model: which one, load time, speed.")
    app.add_typer(index_app, name="index", help="The retrieval index (derived from the database).")


_add_ai_commands()

EXIT_USAGE = 2


class State:
    data_dir: Path | None = None


state = State()


def _version(value: bool) -> None:
    if value:
        console.print(f"talentsync {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    data_dir: Annotated[
        Optional[Path],
        typer.Option("--data-dir", envvar="TALENTSYNC_HOME",
                     help="Where the database, logs and exports live (default: your user data dir)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Open the practice app when no subcommand is given."""
    state.data_dir = data_dir
    if ctx.invoked_subcommand is None:
        _run_tui(demo=False)


@contextmanager
def opened(start_workers: bool = False) -> Iterator[TalentSync]:
    """Open TalentSync for one command; known problems become one clear line and exit code 2."""
    from talentsync_tui.config import load_settings
    from talentsync_tui.services import TalentSync, TalentSyncError
    from talentsync_tui.store import StoreError

    ts = None
    try:
        # CLI commands never load the model: the index is derived from SQLite and
        # re-syncs itself (content hashes) the next time the app starts.
        ts = TalentSync.open(load_settings(state.data_dir), start_workers=start_workers, ai=False)
        yield ts
    except (TalentSyncError, StoreError) as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        err.print("[yellow]Interrupted; nothing was changed by the unfinished step.[/]")
        raise typer.Exit(130) from None
    finally:
        if ts is not None:
            ts.close()


def _run_tui(demo: bool) -> None:
    from talentsync_tui.tui.app import run_app

    def settings():
        from talentsync_tui.config import load_settings

        return load_settings(state.data_dir)

    # run_app opens the core after the first frame and shows any start-up
    # problem (corrupt database, newer schema) in a dialog, exiting with 2.
    raise typer.Exit(run_app(settings, demo=demo) or 0)


@app.command()
def demo() -> None:
    """Open the practice app with the demo profile selected (kiosk / hiring-event mode).

    Example: `talentsync demo`
    """
    _run_tui(demo=True)


# -- banks ---------------------------------------------------------------------


@bank_app.command("import")
def bank_import(
    paths: Annotated[list[Path], typer.Argument(help="Bank files or folders (searched recursively).")],
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", "-f",
                     help="Force a format: yaml, json, csv, tsv, anki, markdown, grillkit "
                          "(default: detected per file)."),
    ] = None,
    module: Annotated[
        Optional[str], typer.Option("--module", "-m", help="Target module id for flat formats (CSV, Anki, Markdown).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Parse and validate only; change nothing.")] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete questions of the imported modules that the files no longer contain.")
    ] = False,
) -> None:
    """Import question banks. All files land in one transaction, or none do.

    Re-importing a file updates its questions and never duplicates them.

    Example: `talentsync bank import coaching/python.yaml anki-export.txt --module python`
    """
    from talentsync_tui.banks import bank_files

    with opened() as ts:
        files = list(bank_files(paths))
        with progress_bar() as progress:
            reading = progress.add_task("Reading files", total=len(files))
            writing = progress.add_task("Writing questions", total=None, visible=False)
            report = ts.import_banks(
                files, fmt=fmt, module_id=module, dry_run=dry_run, replace=replace,
                on_file=lambda path: progress.advance(reading),
                on_parsed=lambda total: progress.update(writing, total=total, visible=not dry_run),
                on_question=lambda: progress.advance(writing),
            )
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


# -- profiles ------------------------------------------------------------------


@profile_app.command("list")
def profile_list() -> None:
    """List candidate profiles.

    Example: `talentsync profile list`
    """
    with opened() as ts:
        table = Table(title="Profiles")
        for column in ("Id", "Name", "Skills", "Years"):
            table.add_column(column)
        for p in ts.profiles():
            table.add_row(str(p.id), escape(p.name), escape(", ".join(p.skills[:8])),
                          f"{p.years_experience:g}" if p.years_experience else "-")
        console.print(table)


@profile_app.command("create")
def profile_create(
    name: Annotated[str, typer.Argument(help="The candidate's name.")],
    resume: Annotated[Optional[Path], typer.Option("--resume", "-r", help="Resume (.txt, .md, .pdf, .docx).")] = None,
) -> None:
    """Create a profile; with a resume, its skills, roles and projects drive extra questions.

    Example: `talentsync profile create "Ada Lovelace" --resume ~/cv.pdf`
    """
    with opened() as ts:
        p = ts.create_profile(name, resume)
        console.print(f"Profile {p.id}: {escape(p.name)}")
        if p.skills:
            console.print(f"Skills: {escape(', '.join(p.skills))}")
        if p.projects:
            console.print(f"Projects: {escape(', '.join(p.projects))}")


@profile_app.command("delete")
def profile_delete(
    name: Annotated[str, typer.Argument(help="The candidate's name (or profile id).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a candidate's profile, resume text, sessions, answers, feedback and exported
    reports, and vacuum the database so the text does not linger in the file.

    Example: `talentsync profile delete "Ada Lovelace" --yes`
    """
    with opened() as ts:
        p = ts.profile(name)
        if not yes and not typer.confirm(f"Delete {p.name} and all their answers?", default=False):
            raise typer.Exit(1)
        profile, sessions, exports = ts.delete_profile(p.id)
        console.print(f"Deleted profile {escape(profile.name)}: {len(sessions)} session(s), "
                      f"{len(exports)} exported report(s).")


# -- sessions ------------------------------------------------------------------


@session_app.command("new")
def session_new(
    modules: Annotated[list[str], typer.Argument(help="Module ids to draw questions from.")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or id.")] = "Demo Candidate",
    minutes: Annotated[Optional[int], typer.Option("--minutes", help="Target length in minutes.")] = None,
    count: Annotated[Optional[int], typer.Option("--count", help="Number of questions instead of minutes.")] = None,
    min_difficulty: Annotated[str, typer.Option("--min", help="Easiest difficulty.")] = "easy",
    max_difficulty: Annotated[str, typer.Option("--max", help="Hardest difficulty.")] = "hard",
    seed: Annotated[Optional[int], typer.Option("--seed", help="Same seed, same questions.")] = None,
) -> None:
    """Plan a session and store it; answer it in the app (`talentsync`).

    Example: `talentsync session new python sql-databases --minutes 20 --seed 7`
    """
    with opened() as ts:
        from talentsync_tui.services import TalentSyncError, default_config

        p = ts.create_profile(profile) if profile == "Demo Candidate" else ts.profile(profile)
        try:
            config = default_config(modules, minutes=minutes, count=count, min_difficulty=min_difficulty,
                                    max_difficulty=max_difficulty, seed=seed)
        except ValueError as exc:
            raise TalentSyncError(f"Invalid session settings: {exc}") from exc
        s = ts.start_session(p.id, config)
        _print_queue(ts, s.id)


def _print_queue(ts: TalentSync, session_id: int) -> None:
    table = Table(title=f"Session {session_id}")
    for column in ("#", "Kind", "Difficulty", "Type", "Status", "Question"):
        table.add_column(column)
    for item in ts.items(session_id):
        table.add_row(str(item.position + 1), item.kind.value, item.difficulty.value, item.type.value,
                      item.status.value, escape(item.text))
    console.print(table)


@session_app.command("list")
def session_list(
    profile: Annotated[Optional[str], typer.Option("--profile", "-p", help="Only this profile (name or id).")] = None,
) -> None:
    """List sessions, newest first.

    Example: `talentsync session list --profile "Demo Candidate"`
    """
    with opened() as ts:
        profile_id = ts.profile(profile).id if profile else None
        names = {p.id: p.name for p in ts.profiles()}
        table = Table(title="Sessions")
        for column in ("Id", "Profile", "Modules", "Status", "Created", "Answered", "Score"):
            table.add_column(column)
        for s in ts.sessions(profile_id):
            report = ts.report(s.id)
            table.add_row(str(s.id), escape(names.get(s.profile_id, "?")), escape(", ".join(s.config.module_ids)),
                          s.status.value, f"{s.created_at:%Y-%m-%d %H:%M}",
                          f"{report.answered}/{len(report.items)}",
                          f"{report.average_score:g}" if report.average_score is not None else "-")
        console.print(table)


@session_app.command("show")
def session_show(session_id: Annotated[int, typer.Argument(help="Session id.")]) -> None:
    """Show a session's status and queue.

    Example: `talentsync session show 3`
    """
    with opened() as ts:
        st = ts.status(session_id)
        console.print(
            f"Session {st.session_id}: {st.status.value}; answered {st.answered}, skipped {st.skipped}, "
            f"remaining {st.remaining} of {st.total}; elapsed {st.elapsed_seconds:.0f}s, "
            f"about {st.estimated_remaining_seconds // 60} min left"
        )
        jobs = ts.store.jobs(session_id)
        if jobs:
            counts: dict[str, int] = {}
            for job in jobs:
                counts[job.status.value] = counts.get(job.status.value, 0) + 1
            console.print("Feedback jobs: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        _print_queue(ts, session_id)


@session_app.command("export")
def session_export(
    session_id: Annotated[int, typer.Argument(help="Session id.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export a session report: each question, answer, timing and feedback.

    Example: `talentsync session export 3 --format md -o report.md`
    """
    with opened(start_workers=False) as ts:
        ts.run_pending_jobs()  # also those a crashed process left running
        if output is None:
            sys.stdout.write(ts.render_report(session_id, fmt))
        else:
            path = ts.export_report(session_id, fmt, output)
            err.print(f"Wrote {escape(str(path))}")


@app.command()
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


def main() -> None:
    app()
