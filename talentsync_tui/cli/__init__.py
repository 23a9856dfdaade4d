"""The `talentsync` command: the TUI with no arguments, coach and admin tools as subcommands.

One module per command group: `bank`, `session`, `profile`, `review`, `model`, `index`, `kiosk` and
`doctor` (grading and follow-up commands get their own module too); `common` holds what they
share (the data dir, `opened()`, exit codes, one-line errors).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from talentsync_tui import __version__
from talentsync_tui.cli.bank import bank_app
from talentsync_tui.cli.common import EXIT_USAGE, OneLineErrors, opened, state
from talentsync_tui.cli.doctor import doctor
from talentsync_tui.cli.followup import followup_command
from talentsync_tui.cli.grade import grade_command
from talentsync_tui.cli.index import index_app
from talentsync_tui.cli.kiosk import kiosk_app
from talentsync_tui.cli.model import model_app
from talentsync_tui.cli.profile import profile_app
from talentsync_tui.cli.review import review_app
from talentsync_tui.cli.session import session_app
from talentsync_tui.console import console

__all__ = ["EXIT_USAGE", "app", "main", "opened", "state"]

app = typer.Typer(
    name="talentsync",
    cls=OneLineErrors,
    help="Local-first interview practice in the terminal.\n\n"
    "Run `talentsync` alone to open the practice app; the subcommands manage "
    "question banks, profiles and sessions.",
    no_args_is_help=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(bank_app, name="bank")
app.add_typer(session_app, name="session")
app.add_typer(profile_app, name="profile")
app.add_typer(review_app, name="review")
app.add_typer(model_app, name="model", help="The local language model: which one, load time, speed.")
app.add_typer(index_app, name="index", help="The retrieval index (derived from the database).")
app.add_typer(kiosk_app, name="kiosk")
app.command()(doctor)
app.command("grade", no_args_is_help=True)(grade_command)
app.command("follow-up", no_args_is_help=True)(followup_command)


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
    """Open the practice app with the demo profile selected (for a quick demonstration;
    the locked-down hiring-event mode is `talentsync kiosk`).

    Example: `talentsync demo`
    """
    _run_tui(demo=True)


def main() -> None:
    app()
