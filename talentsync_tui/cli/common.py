"""What every command shares: the data dir, `opened()`, exit codes and one-line errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table
from typer._click import exceptions as click_errors  # this Typer vendors its own click
from typer.core import TyperGroup

from talentsync_tui.console import err

if TYPE_CHECKING:
    from talentsync_tui.services import TalentSync

# The core (pydantic-settings, sqlite-utils, numpy) is imported inside the
# commands, so `talentsync` alone paints the app's first screen without it.

EXIT_FAILED = 1
EXIT_USAGE = 2
MAX_ID = 2**63 - 1
"""Largest id SQLite can hold: bigger ones are refused as arguments, not as tracebacks."""


class State:
    data_dir: Path | None = None


state = State()


def fail(message: str) -> typer.Exit:
    """Print one error line; `raise fail(...)` exits with code 2."""
    err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)  # one line, never wrapped
    return typer.Exit(EXIT_USAGE)


class OneLineErrors(TyperGroup):
    """Usage errors (a bad number, an unknown option) as one line naming the problem and
    where help is, not a box; exit code 2 as before. `--help` and bare groups still show help."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError:
            if not standalone_mode:
                raise
            raise_help = super().main
            return raise_help(args=args, prog_name=prog_name, complete_var=complete_var,
                              standalone_mode=True, **extra)
        except click_errors.ClickException as exc:
            if not standalone_mode:
                raise
            where = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "talentsync"
            hint = f" See `{where} --help`." if isinstance(exc, click_errors.UsageError) else ""
            message = exc.format_message().strip().rstrip(".")
            err.print(f"[bold red]Error:[/] {escape(message)}.{escape(hint)}", soft_wrap=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            err.print("Aborted.")
            sys.exit(EXIT_FAILED)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def id_in_range(name: str):
    """A parameter callback: ids are whole numbers from 1 to what SQLite can store."""
    def check(value: int | None) -> int | None:
        if value is not None and not 1 <= value <= MAX_ID:
            raise typer.BadParameter(f"{name} must be a positive whole number up to {MAX_ID}, "
                                     f"got {value}")
        return value
    return check


@contextmanager
def opened(start_workers: bool = False) -> Iterator[TalentSync]:
    """Open TalentSync for one command; known problems become one clear line and exit code 2."""
    from talentsync_tui.config import SettingsError, load_settings
    from talentsync_tui.services import TalentSync, TalentSyncError
    from talentsync_tui.store import StoreError

    ts = None
    try:
        # CLI commands never load the model: the index is derived from SQLite and
        # re-syncs itself (content hashes) the next time the app starts.
        ts = TalentSync.open(load_settings(state.data_dir), start_workers=start_workers, ai=False)
        yield ts
    except (TalentSyncError, StoreError, SettingsError) as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        err.print("[yellow]Interrupted; nothing was changed by the unfinished step.[/]")
        raise typer.Exit(130) from None
    finally:
        if ts is not None:
            ts.close()


def data_dir_from(ctx: typer.Context) -> Path | None:
    """The data dir the parent CLI was given, if any (else None: TALENTSYNC_HOME/default)."""
    node: Any = ctx
    while node is not None:
        obj = node.obj
        if isinstance(obj, (str, Path)):
            return Path(obj)
        if isinstance(obj, dict) and obj.get("data_dir"):
            return Path(obj["data_dir"])
        if obj is not None and getattr(obj, "data_dir", None):
            return Path(obj.data_dir)
        value = node.params.get("data_dir") if node.params else None
        if value:
            return Path(value)
        node = node.parent
    env = os.environ.get("TALENTSYNC_HOME")
    return Path(env) if env else None


def settings_from(ctx: typer.Context, **overrides: Any) -> Any:
    """Settings for the data dir the parent CLI was given; a bad setting is one clear line."""
    from talentsync_tui.config import SettingsError, load_settings

    try:
        return load_settings(data_dir_from(ctx),
                             **{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        raise fail(str(exc)) from None


def kv_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in rows:
        table.add_row(escape(key), escape(value))
    return table
