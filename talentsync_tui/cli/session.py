"""`talentsync session ...`: plan, list, inspect and export practice sessions; bundles and the coach view."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from talentsync_tui.cli.common import fail, id_in_range, opened
from talentsync_tui.console import console, err, progress_bar

if TYPE_CHECKING:
    from talentsync_tui.services import TalentSync

session_id_ok = id_in_range("SESSION_ID")

session_app = typer.Typer(help="List, inspect and export practice sessions.", no_args_is_help=True)


@session_app.command("new")
def session_new(
    modules: Annotated[list[str], typer.Argument(help="Module ids to draw questions from.")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or id.")] = "Demo Candidate",
    minutes: Annotated[Optional[int], typer.Option("--minutes", help="Target length in minutes (1-600).")] = None,
    count: Annotated[Optional[int], typer.Option("--count", help="Number of questions instead of minutes (1-500).")] = None,
    min_difficulty: Annotated[str, typer.Option("--min", help="Easiest difficulty.")] = "easy",
    max_difficulty: Annotated[str, typer.Option("--max", help="Hardest difficulty.")] = "hard",
    seed: Annotated[Optional[int], typer.Option("--seed", help="Same seed, same questions.")] = None,
) -> None:
    """Plan a session and store it; answer it in the app (`talentsync`).

    Example: `talentsync session new python sql-databases --minutes 20 --seed 7`
    """
    with opened() as ts:
        from talentsync_tui.services import TalentSyncError, default_config, describe_config_error

        p = ts.create_profile(profile) if profile == "Demo Candidate" else ts.profile(profile)
        try:
            config = default_config(modules, minutes=minutes, count=count, min_difficulty=min_difficulty,
                                    max_difficulty=max_difficulty, seed=seed, settings=ts.settings)
        except ValueError as exc:  # pydantic's report, in our words and one line
            raise TalentSyncError(describe_config_error(exc).replace("the length in minutes", "--minutes")
                                  .replace("the question count", "--count")
                                  .replace("the seed", "--seed")) from None
        s = ts.start_session(p.id, config)
        print_queue(ts, s.id)


def print_queue(ts: TalentSync, session_id: int) -> None:
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
    all_candidates: Annotated[bool, typer.Option(
        "--all", help="The coach view: every candidate with their sessions and average score per module.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --all: the same as JSON.")] = False,
) -> None:
    """List sessions, newest first; `--all` groups them by candidate with scores per module.

    Example: `talentsync session list --all` (or `session list --profile "Demo Candidate"`)
    """
    if as_json and not all_candidates:
        raise fail("--json goes with --all (the coach view).")
    with opened() as ts:
        if all_candidates:
            _print_overview(ts, profile, as_json)
            return
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


def _scores(by_module) -> str:
    """One module a line: `python 72.5`."""
    return "\n".join(f"{m.module} {m.average:g}" for m in by_module) or "-"


def _print_overview(ts: TalentSync, profile: str | None, as_json: bool) -> None:
    candidates = ts.coach_overview(profile)
    if as_json:
        sys.stdout.write(json.dumps([c.model_dump(mode="json") for c in candidates], indent=2) + "\n")
        return
    imported = any(s.origin for c in candidates for s in c.sessions)
    table = Table(title="Candidates")
    table.add_column("Candidate", overflow="fold")
    table.add_column("Id", no_wrap=True, justify="right")
    table.add_column("Created", no_wrap=True)
    table.add_column("Progress")
    table.add_column("Score", no_wrap=True, justify="right")
    table.add_column("Score per module", overflow="fold")
    if imported:
        table.add_column("From", overflow="fold")
    for candidate in candidates:
        n = len(candidate.sessions)
        average = f"{candidate.average:g}" if candidate.average is not None else "-"
        row = [Text(candidate.name, style="bold"), "", "", f"{n} session{'s' if n != 1 else ''}",
               Text(average, style="bold"), Text(_scores(candidate.by_module), style="bold")]
        table.add_row(*row, *([""] if imported else []))
        for s in candidate.sessions:
            row = ["", str(s.id), f"{s.created_at:%Y-%m-%d %H:%M}", f"{s.status.value} {s.done}/{s.total}",
                   f"{s.average:g}" if s.average is not None else "-", Text(_scores(s.by_module))]
            table.add_row(*row, *([Text(s.origin or "here")] if imported else []))
        table.add_section()
    console.print(table)


@session_app.command("show")
def session_show(session_id: Annotated[int, typer.Argument(help="Session id.", callback=session_id_ok)]) -> None:
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
        print_queue(ts, session_id)


@session_app.command("retry")
def session_retry(
    session_id: Annotated[int, typer.Argument(help="Session id.", callback=session_id_ok)],
    question: Annotated[int, typer.Argument(help="Question number in the session (as `session show` lists it).")],
) -> None:
    """Queue an answered question again at the end of its session; answer it in the app.

    The new answer is graded like the first and the summary shows both with the change.

    Example: `talentsync session retry 3 2`
    """
    with opened() as ts:
        from talentsync_tui.services import TalentSyncError

        items = ts.items(ts.session(session_id).id)
        if not 1 <= question <= len(items):
            raise TalentSyncError(f"Session {session_id} has questions 1 to {len(items)}, not {question}.")
        retry = ts.retry_question(session_id, items[question - 1].id)
        console.print(f"Question {question} is queued again as question {retry.position + 1} of "
                      f"session {session_id}: answer it in the app (`talentsync`, then Resume).")


@session_app.command("export")
def session_export(
    session_id: Annotated[Optional[int], typer.Argument(help="Session id (or --all --bundle).",
                                                        callback=session_id_ok)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json or html.")] = "md",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    all_sessions: Annotated[bool, typer.Option("--all", help="Every session, into one bundle (needs --bundle).")] = False,
    bundle: Annotated[Optional[Path], typer.Option(
        "--bundle", help="With --all: the bundle file to write, for `talentsync session import` on "
                         "the coach's machine.")] = None,
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", help="With --all: only this candidate's sessions.")] = None,
    origin: Annotated[Optional[str], typer.Option(
        "--origin", help="With --all: the name of this machine in the bundle (default: its host name).")] = None,
) -> None:
    """Export a session report (each question, answer, timing, feedback, model answer and
    follow-up), or every session into one bundle a coach imports elsewhere.

    Examples: `talentsync session export 3 --format html -o report.html`;
    `talentsync session export --all --bundle kiosk-1.jsonl.gz`
    """
    if all_sessions or bundle is not None:
        if session_id is not None:
            raise fail("Give a SESSION_ID or --all, not both.")
        if not (all_sessions and bundle is not None):
            raise fail("A bundle needs both --all and --bundle FILE.")
        _export_bundle(bundle, profile, origin)
        return
    if session_id is None:
        raise fail("Missing SESSION_ID (or use --all --bundle FILE). See `talentsync session export --help`.")
    if profile is not None or origin is not None:
        raise fail("--profile and --origin go with --all --bundle.")
    with opened(start_workers=False) as ts:
        from talentsync_tui.services import REPORT_FORMATS

        ts.session(session_id)
        if fmt not in REPORT_FORMATS:
            raise fail(f"Unknown report format {fmt!r}: use md, json or html.")
        pending = ts.store.job_counts()["pending"] + ts.store.job_counts()["running"]
        if pending and err.is_terminal:
            err.print(f"Grading {pending} answer(s) that have no final feedback yet...")
        ts.run_pending_jobs(coach=True)  # also those a crashed process left running
        if output is None:
            sys.stdout.write(ts.render_report(session_id, fmt))
        else:
            path = ts.export_report(session_id, fmt, output)
            err.print(f"Wrote {escape(str(path))}")


def _export_bundle(path: Path, profile: str | None, origin: str | None) -> None:
    with opened() as ts, progress_bar() as progress:
        task = progress.add_task("Writing sessions", total=None)
        written, count = ts.export_bundle(path, profile=profile, origin=origin,
                                          on_start=lambda n: progress.update(task, total=n),
                                          on_session=lambda: progress.advance(task))
    console.print(f"Wrote {count} session{'s' if count != 1 else ''} to {escape(str(written))}")


@session_app.command("import")
def session_import(
    path: Annotated[Path, typer.Argument(help="A bundle written by `session export --all --bundle`.")],
) -> None:
    """Import the sessions of a bundle (from a kiosk laptop): all of them or none. Importing the
    same bundle again adds nothing; candidates are matched by name and created when missing.

    Example: `talentsync session import kiosk-1.jsonl.gz`
    """
    with opened() as ts, progress_bar() as progress:
        reading = progress.add_task("Checking sessions", total=None)
        writing = progress.add_task("Writing sessions", total=None, visible=False)

        def read(done: int, total: int) -> None:
            progress.update(reading, completed=done, total=total)
            progress.update(writing, total=total, visible=done == total)

        report = ts.import_bundle(path, on_read=read, on_session=lambda: progress.advance(writing))
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.unchanged)} already here"]
    console.print(f"Imported {escape(str(path))}: " + ", ".join(parts) + ".")
    if report.profiles_created:
        console.print("New candidates: " + escape(", ".join(report.profiles_created)), soft_wrap=True)
