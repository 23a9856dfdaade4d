"""`talentsync model ...` and `talentsync index ...`: the local AI from the command line.

The parent CLI adds these with `app.add_typer(model_app, name="model")` and
`app.add_typer(index_app, name="index")`. The data dir comes from the parent's
context (`ctx.obj` as a Path, or a dict/object with `data_dir`, or the root
command's `--data-dir` parameter), else `TALENTSYNC_HOME`, else the default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from talentsync_tui.console import console, err, progress_bar


model_app = typer.Typer(help="The local language model: which one, where from, how fast.",
                        no_args_is_help=True)
index_app = typer.Typer(help="The semantic search index of the question banks (Chroma).",
                        no_args_is_help=True)

EXIT_FAILED = 1
EXIT_USAGE = 2


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


def _settings(ctx: typer.Context, **overrides: Any) -> Any:
    from talentsync_tui.config import load_settings

    return load_settings(data_dir_from(ctx), **{k: v for k, v in overrides.items() if v is not None})


def _kv_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in rows:
        table.add_row(escape(key), escape(value))
    return table


# -- model ------------------------------------------------------------------------------


@model_app.command("status")
def model_status(
    ctx: typer.Context,
    model: Annotated[Optional[Path], typer.Option("--model", help="Use this GGUF file instead of the configured one.")] = None,
    speed: Annotated[bool, typer.Option("--speed/--no-speed", help="Measure generation speed (tokens/s).")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Load the model and show which one it is, where it came from, load time and tokens/s.

    The first run assembles the bundled coach model (1.1 GB) into the cache, with a
    progress bar. Prompt and generation speed are measured on this machine.

    Example: `talentsync model status --model ~/models/qwen2.5-1.5b-instruct-q4_k_m.gguf`
    """
    from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model

    from talentsync_tui.config import setup_logging

    settings = _settings(ctx, model_path=model)
    setup_logging(settings)  # warnings go to the log file; this command prints its own report
    if settings.llm_url:
        from talentsync_tui.ai.remote import RemoteLLM

        llm: Any = RemoteLLM(settings.llm_url, model=settings.llm_model, timeout=settings.llm_timeout)
    else:
        choice = resolve_model(settings, "--model" if model else None)
        llm = LocalLLM(choice, n_threads=settings.model_threads, n_ctx=settings.model_ctx,
                       cache_dir=default_cache_dir(settings), probe=settings.model_probe)
    with progress_bar() as progress:
        task = progress.add_task("Loading the model", total=None)

        def assembling(done: int, total: int) -> None:
            progress.update(task, description="Preparing the coach model (first use only)",
                            completed=done, total=total)

        if hasattr(llm, "on_progress"):
            llm.on_progress = assembling
        ok = llm.load()
    info = llm.status()
    if ok and speed:
        with err.status("Measuring speed...", spinner="dots") if err.is_terminal else _null():
            if hasattr(llm, "speed"):
                measured = llm.speed()
                info["prompt_tokens_per_second"] = _round(measured["prompt_tokens_per_second"])
                info["tokens_per_second"] = _round(measured["generation_tokens_per_second"])
            else:
                info["tokens_per_second"] = _round(llm.tokens_per_second())
    llm.close()
    if as_json:
        console.print_json(json.dumps(info, default=str))
    else:
        rows = [
            ("Model", info.get("path") or info.get("url") or "-"),
            ("Source", str(info.get("source"))),
            ("State", "loaded" if ok else str(info.get("state"))),
        ]
        details = info.get("model") or {}
        if details:
            rows.append(("Architecture", f"{details.get('name')} ({details.get('architecture')}), "
                                         f"{details.get('size_mb')} MB, GGUF v{details.get('gguf_version')}"))
        if info.get("load_seconds") is not None:
            rows.append(("Load time", f"{info['load_seconds']:.2f} s"))
        if info.get("threads"):
            rows.append(("Threads", str(info["threads"])))
        if "prompt_tokens_per_second" in info:
            rows.append(("Prompt", f"{info['prompt_tokens_per_second']} tokens/s"
                         if info["prompt_tokens_per_second"] else "not measured"))
        if "tokens_per_second" in info:
            rows.append(("Generation", f"{info['tokens_per_second']} tokens/s"
                         if info["tokens_per_second"] else "not measured"))
        if info.get("error"):
            rows.append(("Error", info["error"]))
        console.print(_kv_table("Local model", rows))
    if not ok:
        raise typer.Exit(EXIT_FAILED)


def _round(value: float | None) -> float | None:
    return round(value, 1) if value else None


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# -- index ------------------------------------------------------------------------------


def _open_index(ctx: typer.Context) -> tuple[Any, Any]:
    from talentsync_tui.ai.embeddings import MiniLMEmbedding
    from talentsync_tui.ai.index import AIIndex
    from talentsync_tui.services import TalentSync, TalentSyncError
    from talentsync_tui.store import StoreError

    settings = _settings(ctx)
    try:
        app = TalentSync.open(settings, start_workers=False, ai=False)
    except (TalentSyncError, StoreError) as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
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
    console.print(_kv_table("Search index", rows))


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
