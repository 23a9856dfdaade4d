"""`talentsync session ...`: plan, list, inspect and export practice sessions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.cli.common import id_in_range, opened
from talentsync_tui.console import console, err

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
                                    max_difficulty=max_difficulty, seed=seed)
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
    session_id: Annotated[int, typer.Argument(help="Session id.", callback=session_id_ok)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Export a session report: each question, answer, timing and feedback.

    Example: `talentsync session export 3 --format md -o report.md`
    """
    with opened(start_workers=False) as ts:
        pending = ts.store.job_counts()["pending"] + ts.store.job_counts()["running"]
        if pending and err.is_terminal:
            err.print(f"Grading {pending} answer(s) that have no final feedback yet...")
        ts.run_pending_jobs(coach=True)  # also those a crashed process left running
        if output is None:
            sys.stdout.write(ts.render_report(session_id, fmt))
        else:
            path = ts.export_report(session_id, fmt, output)
            err.print(f"Wrote {escape(str(path))}")
