"""`talentsync follow-up`: the follow-up question the interviewer would ask, exactly as a session asks it.

    talentsync follow-up behavioral/helped-stuck-teammate --answer "A new hire ..." [--json]
    talentsync follow-up --question "How do you roll out a risky migration?" --answer-file answer.txt

`cli/__init__.py` registers `follow-up`; the data dir comes from the root command's
`--data-dir` / `TALENTSYNC_HOME`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.text import Text

from talentsync_tui.cli.common import fail
from talentsync_tui.cli.grade import MAX_ANSWER_CHARS, _loading, _read_answer
from talentsync_tui.console import console, err


class _streaming:
    """On a terminal, the model's words as it writes them (a transient line: a draft the
    interviewer rejects disappears, and the question asked is printed after it)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._live: Any = None

    def __enter__(self) -> Callable[[str], None] | None:
        if not self.enabled:
            return None
        from rich.live import Live

        self._live = Live(Text(""), console=console, transient=True, auto_refresh=False)
        self._live.__enter__()

        def on_text(text: str) -> None:
            self._live.update(Text(text, style="bold dim"), refresh=True)

        return on_text

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)


def followup_json(asked: Any) -> dict[str, Any]:
    """The stable `--json` shape of one follow-up."""
    follow_up, gap = asked.follow_up, asked.gap
    targets = [] if gap is None else [{"kind": gap.kind, "text": gap.text, "index": gap.index}]
    return {
        "question_key": asked.item.question_key,
        "question": asked.item.text,
        "text": follow_up.text,
        "source": follow_up.source,
        "targets": targets,
        "latency_ms": follow_up.latency_ms,
        "model": asked.model,
        "fallback_reason": asked.fallback_reason,
    }


def followup_command(
    question_key: Annotated[Optional[str], typer.Argument(
        metavar="[MODULE/QUESTION_ID]", help="A bank question (see `talentsync bank show MODULE`).",
        show_default=False)] = None,
    question: Annotated[Optional[str], typer.Option(
        "--question", "-q", help="Any question text instead of a bank question (no expected points: "
        "the follow-up digs into the answer's most specific claim).")] = None,
    answer: Annotated[Optional[str], typer.Option("--answer", "-a", help="The answer text.")] = None,
    answer_file: Annotated[Optional[Path], typer.Option("--answer-file", help="Read the answer from this text file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (text, source, targets, "
                                                         "latency_ms, model).")] = False,
) -> None:
    """Ask the follow-up question an interviewer would ask after this answer, as a session does.

    The quick check finds what the answer left out (else its most specific claim);
    the coach model asks one short question about it. When the model is off or its
    draft is rejected, the question's template closest to that gap is used, and
    stderr says why.

    Examples:

      `talentsync follow-up behavioral/helped-stuck-teammate --answer "I paired with a new hire on flaky Cypress tests..."`

      `talentsync follow-up --question "How do you roll out a risky schema change?" --answer-file answer.txt --json`
    """
    from talentsync_tui.cli.common import opened

    if (question_key is None) == (question is None):
        raise fail("name the question with exactly one of MODULE/QUESTION_ID or --question TEXT")
    if (answer is None) == (answer_file is None):
        raise fail("give the answer with exactly one of --answer TEXT or --answer-file FILE")
    if answer_file is not None:
        answer = _read_answer(answer_file)
    assert answer is not None
    if not answer.strip():
        raise fail("the answer is empty: there is nothing to follow up on")
    if len(answer) > MAX_ANSWER_CHARS:
        raise fail(f"the answer is longer than {MAX_ANSWER_CHARS:,} characters")
    if question is not None and not question.strip():
        raise fail("the question is empty")
    with opened() as ts:
        target = question_key if question_key is not None else " ".join(question.split())  # type: ignore[union-attr]
        if question_key is not None:
            ts.question(question_key)  # an unknown key fails before the model loads
        with _loading() as on_progress, ts.interviewer(on_progress=on_progress) as interviewing:
            if interviewing.problem:
                err.print(f"[yellow]No coach model ({escape(interviewing.problem)}): "
                          "the follow-up comes from a template.[/]", soft_wrap=True)
            with _streaming(enabled=not as_json and console.is_terminal) as on_text:
                asked = ts.follow_up_for(target, answer, interviewing, on_text=on_text)
    if asked.follow_up.source != "model" and asked.fallback_reason and not interviewing.problem:
        err.print(f"[yellow]Template used: {escape(asked.fallback_reason)}.[/]", soft_wrap=True)
    if as_json:
        sys.stdout.write(json.dumps(followup_json(asked)) + "\n")
        sys.stdout.flush()
        return
    follow_up = asked.follow_up
    console.print(Text(follow_up.text, style="bold"))
    aim = asked.gap.describe() if asked.gap is not None else "nothing specific"
    who = asked.model if follow_up.source == "model" and asked.model else follow_up.source
    ms = follow_up.latency_ms
    took = f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"
    console.print(Text(f"{who} \u00b7 {aim} \u00b7 {took}", style="dim"))
