"""`talentsync index ...`: the retrieval index (Chroma), derived from the database."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from talentsync_tui.cli.common import EXIT_FAILED, fail, kv_table, settings_from
from talentsync_tui.console import console, err, progress_bar

index_app = typer.Typer(help="The semantic search index of the question banks (Chroma).",
                        no_args_is_help=True)


def _open_index(ctx: typer.Context) -> tuple[Any, Any]:
    from talentsync_tui.ai.embeddings import MiniLMEmbedding
    from talentsync_tui.ai.index import AIIndex
    from talentsync_tui.services import TalentSync, TalentSyncError
    from talentsync_tui.store import StoreError

    settings = settings_from(ctx)
    try:
        app = TalentSync.open(settings, start_workers=False, ai=False)
    except (TalentSyncError, StoreError) as exc:
        raise fail(str(exc)) from None
    embedder = MiniLMEmbedding(threads=settings.model_threads)
    index = AIIndex(app.store, embedder, path=None if settings.chroma_url else settings.chroma_dir,
                    url=settings.chroma_url)
    return app, index


def _print_status(info: dict[str, Any], as_json: bool) -> None:
    if as_json:
        console.print_json(json.dumps(info, default=str))
        return
    kinds = info.get("by_kind") or {}
    rows = [
        ("Backend", f"{info['backend']} ({info['location']})"),
        ("Questions in banks", str(info["questions"])),
        ("Documents indexed", str(info.get("documents"))),
        ("  questions / points / follow-ups",
         f"{kinds.get('question', 0)} / {kinds.get('point', 0)} / {kinds.get('followup', 0)}"),
        ("Up to date", "no: run `talentsync index rebuild` (or just start the app)" if info["stale"] else "yes"),
    ]
    if info.get("error"):
        rows.append(("Error", str(info["error"])))
    console.print(kv_table("Search index", rows))


@index_app.command("status")
def index_status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Show where the index lives, how many documents it holds and whether it is up to date.

    Example: `talentsync index status`
    """
    app, index = _open_index(ctx)
    try:
        _print_status(index.status(open_index=True), as_json)
    finally:
        index.close()
        app.close()


def _write_index(ctx: typer.Context, rebuild: bool, as_json: bool) -> None:
    from talentsync_tui.ai.index import IndexUnavailable

    app, index = _open_index(ctx)
    try:
        with progress_bar() as progress:
            task = progress.add_task("Loading the embedding model", total=None)
            index.embedder.load()

            def report(done: int, total: int, what: str) -> None:
                progress.update(task, description="Embedding documents", completed=done, total=total)

            progress.update(task, description="Comparing with the banks")
            result = index.rebuild(progress=report) if rebuild else index.sync(progress=report)
        if as_json:
            console.print_json(json.dumps(result.as_dict()))
        else:
            verb = "Rebuilt" if result.rebuilt else "Synced"
            console.print(f"[green]{verb}[/]: {result.documents} documents "
                          f"({result.added} questions added, {result.updated} updated, "
                          f"{result.removed} removed) in {result.seconds:.1f} s")
    except IndexUnavailable as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        index.close()
        app.close()


@index_app.command("rebuild")
def index_rebuild(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Throw the index away and embed every question, point and follow-up again.

    Example: `talentsync index rebuild`
    """
    _write_index(ctx, rebuild=True, as_json=as_json)


@index_app.command("sync")
def index_sync(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Add, update and delete only what changed in the banks since the last sync.

    Example: `talentsync index sync`
    """
    _write_index(ctx, rebuild=False, as_json=as_json)
