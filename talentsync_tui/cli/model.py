"""`talentsync model ...`: the local language model from the command line.

The data dir comes from the parent's context (`ctx.obj` as a Path, or a
dict/object with `data_dir`, or the root command's `--data-dir` parameter), else
`TALENTSYNC_HOME`, else the default.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from talentsync_tui.cli.common import EXIT_FAILED, fail, kv_table, settings_from
from talentsync_tui.console import console, err, progress_bar

model_app = typer.Typer(help="The local language model: which one, where from, how fast.",
                        no_args_is_help=True)


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

    settings = settings_from(ctx, model_path=model)
    try:
        setup_logging(settings)  # warnings go to the log file; this command prints its own report
    except OSError as exc:
        raise fail(f"Cannot write the log in {settings.log_dir}: {exc.strerror or exc}. "
                   "Choose a writable folder with --data-dir or TALENTSYNC_HOME.") from None
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
        console.print(kv_table("Local model", rows))
    if not ok:
        raise typer.Exit(EXIT_FAILED)


def _round(value: float | None) -> float | None:
    return round(value, 1) if value else None


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
