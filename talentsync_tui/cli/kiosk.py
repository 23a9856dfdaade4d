"""`talentsync kiosk`: the locked-down practice app for hiring events, and its passphrase."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from talentsync_tui.cli.common import fail, opened, state
from talentsync_tui.console import console

kiosk_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
)


@kiosk_app.callback()
def kiosk(ctx: typer.Context) -> None:
    """Open the practice app locked down for a hiring event (needs a coach passphrase).

    Candidates only see welcome, session setup, interview and summary; F12 and the coach
    passphrase open the coach menu (sessions, export, next candidate, end). Set the
    passphrase first with `talentsync kiosk set-passphrase`.

    Example: `talentsync --data-dir ~/event-kiosk kiosk`
    """
    if ctx.invoked_subcommand is not None:
        return
    from talentsync_tui.config import SettingsError, load_settings
    from talentsync_tui.services import TalentSync, TalentSyncError

    try:
        settings = load_settings(state.data_dir)
        ready = TalentSync.kiosk_passphrase_is_set(settings)
    except (SettingsError, TalentSyncError) as exc:
        raise fail(str(exc)) from None
    if not ready:
        raise fail("No coach passphrase is set for this data dir: run "
                   "`talentsync kiosk set-passphrase` first.")
    from talentsync_tui.tui.app import run_app

    raise typer.Exit(run_app(settings, kiosk=True) or 0)


@kiosk_app.command("set-passphrase")
def set_passphrase(
    passphrase_file: Annotated[
        Optional[Path],
        typer.Option("--passphrase-file", help="Read the passphrase from the first line of "
                     "this file (`-` reads standard input) instead of prompting.",
                     dir_okay=False, allow_dash=True),
    ] = None,
) -> None:
    """Set (or replace) the coach passphrase that unlocks the kiosk's coach menu and quitting.
    It is stored as an argon2id hash in the data dir's database; at least 8 characters.

    Example: `talentsync kiosk set-passphrase` (asks twice, hidden), or in a script
    `talentsync kiosk set-passphrase --passphrase-file - < secret.txt`
    """
    if passphrase_file is not None:
        passphrase = _read_passphrase(passphrase_file)
    else:
        passphrase = typer.prompt("Coach passphrase", hide_input=True, default="",
                                  show_default=False)
        _check(passphrase)
        again = typer.prompt("Type it again", hide_input=True, default="", show_default=False)
        if again != passphrase:
            raise fail("The two passphrases differ; nothing was changed.")
    _check(passphrase)
    with opened() as ts:
        replaced = ts.kiosk_set_passphrase(passphrase)
    console.print("Replaced the coach passphrase." if replaced else
                  "Coach passphrase set: `talentsync kiosk` can start now.")


def _check(passphrase: str) -> None:
    from talentsync_tui.kiosk import check_new_passphrase

    try:
        check_new_passphrase(passphrase)
    except ValueError as exc:
        raise fail(f"{exc} Nothing was changed.") from None


def _read_passphrase(path: Path) -> str:
    """The first line of a file or of stdin, without its line ending."""
    try:
        if str(path) == "-":
            text = sys.stdin.readline()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.readline()
    except OSError as exc:
        raise fail(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text.") from None
    return text.rstrip("\r\n")
