"""`talentsync profile ...`: candidate profiles, optionally from a resume; deleting one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.cli.common import opened
from talentsync_tui.console import console

profile_app = typer.Typer(help="Candidate profiles (optionally built from a resume).", no_args_is_help=True)


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
        if p.certifications:
            console.print(f"Certifications: {escape('; '.join(p.certifications))}")
        if p.achievements:
            console.print(f"Achievements ({len(p.achievements)}), asked about first:")
            for a in p.achievements:
                where = a.employer or a.project
                console.print(f"  - {escape(a.text)}" + (f" ({escape(where)})" if where else ""))


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
