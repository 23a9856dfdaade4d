"""`talentsync grade`: grade written answers with the coach, exactly as the app does.

    talentsync grade behavioral/helped-stuck-teammate --answer "Last spring ..." [--seconds 150] [--json]
    talentsync grade --batch answers.jsonl --json > graded.jsonl

`cli/__init__.py` registers `grade`; the data dir comes from the root command's
`--data-dir` / `TALENTSYNC_HOME`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from talentsync_tui.cli.common import EXIT_USAGE, fail
from talentsync_tui.console import console, err, progress_bar

MAX_BATCH_BYTES = 50 * 1024 * 1024
MAX_BATCH_ROWS = 10_000
MAX_ANSWER_CHARS = 20_000
MAX_SECONDS = 24 * 3600


@dataclass
class Row:
    number: int
    question_key: str | None = None
    answer: str | None = None
    seconds: float | None = None
    error: str | None = None


def _seconds(value: Any, where: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: seconds must be a number, not {str(value)[:40]!r}") from None
    if not 0 <= number <= MAX_SECONDS or number != number:
        raise ValueError(f"{where}: seconds must be between 0 and {MAX_SECONDS}")
    return number


def _row(number: int, record: Any, where: str) -> Row:
    if not isinstance(record, dict):
        return Row(number, error=f"{where}: expected an object with question_key and answer")
    key = record.get("question_key")
    answer = record.get("answer")
    if not isinstance(key, str) or not key.strip():
        return Row(number, error=f"{where}: question_key is missing")
    if not isinstance(answer, str):
        return Row(number, key.strip(), error=f"{where}: answer is missing")
    if len(answer) > MAX_ANSWER_CHARS:
        return Row(number, key.strip(), error=f"{where}: the answer is longer than {MAX_ANSWER_CHARS:,} characters")
    try:
        seconds = _seconds(record.get("seconds"), where)
    except ValueError as exc:
        return Row(number, key.strip(), error=str(exc))
    return Row(number, key.strip(), answer, seconds)


def read_batch(path: Path) -> list[Row]:
    """Rows of a JSON Lines or CSV/TSV file; a row that cannot be read carries its error."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    if not path.is_file():
        raise ValueError(f"{path}: not a regular file")
    if size > MAX_BATCH_BYTES:
        raise ValueError(f"{path}: {size / 1e6:.0f} MB is more than the {MAX_BATCH_BYTES // 2**20} MB a batch may be")
    raw = path.read_bytes()
    if b"\0" in raw[:8192]:
        raise ValueError(f"{path}: this is a binary file, not JSON Lines or CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    stripped = text.lstrip()
    rows: list[Row] = []
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or stripped.startswith("{"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                rows.append(Row(number, error=f"{where}: not valid JSON ({exc.msg})"))
            else:
                rows.append(_row(number, record, where))
            if len(rows) > MAX_BATCH_ROWS:
                raise ValueError(f"{path}: more than {MAX_BATCH_ROWS:,} rows")
        return rows
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" or "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    if not {"question_key", "answer"} <= fields:
        raise ValueError(f"{path}:1: the header needs question_key and answer columns "
                         f"(found: {', '.join(sorted(fields)) or 'none'})")
    try:
        for record in reader:
            number = reader.line_num
            clean = {(k or "").strip().lower(): v for k, v in record.items() if k is not None}
            rows.append(_row(number, clean, f"{path.name}:{number}"))
            if len(rows) > MAX_BATCH_ROWS:
                raise ValueError(f"{path}: more than {MAX_BATCH_ROWS:,} rows")
    except csv.Error as exc:
        raise ValueError(f"{path}:{reader.line_num}: {exc}") from None
    return rows


def feedback_json(feedback: Any, key: str, latency_ms: float) -> dict[str, Any]:
    """The stable `--json` shape of one graded answer."""
    details = feedback.details
    return {
        "question_key": key,
        "score": feedback.score,
        "covered": [{"index": c["index"], "point": c["point"], "evidence": c.get("evidence"),
                     "confidence": c.get("confidence")} for c in details.get("covered", [])],
        "missed": [{"index": m["index"], "point": m["point"], "advice": m.get("advice"),
                    "example": m.get("example")} for m in details.get("missed", [])],
        "on_topic": details.get("on_topic"),
        "star": feedback.star,
        "ownership": details.get("ownership"),
        "summary": feedback.summary,
        "improvements": feedback.improvements,
        "strengths": feedback.strengths,
        "scorer": details.get("scorer"),
        "model": details.get("model"),
        "latency_ms": round(latency_ms, 1),
    }


def render(feedback: Any, key: str, latency_ms: float) -> None:
    details = feedback.details
    body = Text()
    body.append(f"{feedback.summary}\n", style="bold")
    if details.get("covered"):
        body.append("\nCovered\n", style="green bold")
        for c in details["covered"]:
            body.append(f"  \u2713 {c['point']}\n")
            if c.get("evidence"):
                body.append(f"      \u201c{c['evidence']}\u201d\n", style="dim")
    if details.get("missed"):
        body.append("\nMissed\n", style="yellow bold")
        for m in details["missed"]:
            body.append(f"  \u2717 {m['point']}\n")
    if feedback.improvements:
        body.append("\nTo improve\n", style="bold")
        for line in feedback.improvements:
            body.append(f"  \u2022 {line}\n")
    if feedback.star:
        parts = "  ".join(("\u2713 " if v else "\u2717 ") + k for k, v in feedback.star.items())
        body.append(f"\nSTAR  {parts}\n", style="dim")
    who = details.get("model") or "quick check, no coach model"
    title = f"{escape(key)} \u2014 {feedback.score}/100"
    console.print(Panel(body, title=title, subtitle=f"{escape(who)} \u00b7 {latency_ms / 1000:.1f} s",
                        title_align="left", subtitle_align="right"))


def grade_command(
    question: Annotated[Optional[str], typer.Argument(help="MODULE/QUESTION_ID (see `talentsync bank show MODULE`).",
                                                      show_default=False)] = None,
    answer: Annotated[Optional[str], typer.Option("--answer", "-a", help="The answer text.")] = None,
    answer_file: Annotated[Optional[Path], typer.Option("--answer-file", help="Read the answer from this text file.")] = None,
    seconds: Annotated[Optional[float], typer.Option("--seconds", min=0, max=MAX_SECONDS,
                                                     help="How long the candidate took (default: the question's expected time).")] = None,
    batch: Annotated[Optional[Path], typer.Option("--batch", help="JSON Lines or CSV with question_key, answer and optional seconds.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per answer per line, in input order.")] = False,
) -> None:
    """Grade written answers with the coach model, exactly as the practice app grades them.

    Each expected point gets a verdict with the sentence that supports it; missed
    points come with a suggestion; off-topic answers and non-answers are called out.

    Examples:

      `talentsync grade python/list-vs-tuple --answer "Lists are mutable, tuples are not..."`

      `talentsync grade --batch answers.csv --json > graded.jsonl`
    """
    from talentsync_tui.cli.common import opened

    if batch is not None and (question or answer is not None or answer_file is not None):
        _usage("use either --batch FILE or MODULE/QUESTION_ID with --answer / --answer-file, not both")
    if batch is None:
        if not question:
            _usage("name the question (MODULE/QUESTION_ID) or give --batch FILE")
        if (answer is None) == (answer_file is None):
            _usage("give the answer with exactly one of --answer TEXT or --answer-file FILE")
        if answer_file is not None:
            answer = _read_answer(answer_file)
        if len(answer or "") > MAX_ANSWER_CHARS:
            _usage(f"the answer is longer than {MAX_ANSWER_CHARS:,} characters")
        rows = [Row(1, question, answer, seconds)]
    else:
        try:
            rows = read_batch(batch)
        except ValueError as exc:
            _usage(str(exc))
        if not rows:
            _usage(f"{batch}: no rows to grade")
    with opened() as ts:
        # Unknown questions fail before the model loads (a batch reports them on their row).
        for row in rows:
            if row.error is None:
                try:
                    ts.question(row.question_key or "")
                except Exception as exc:  # TalentSyncError: one line for that row
                    row.error = f"{batch.name}:{row.number}: {exc}" if batch else str(exc)
        if batch is None and rows[0].error:
            _usage(rows[0].error)
        with _loading() as on_progress, ts.grader(on_progress=on_progress) as grader:
            if grader.problem:
                err.print(f"[yellow]No coach model ({escape(grader.problem)}): quick checks only.[/]")
            failures = _grade_rows(ts, grader, rows, as_json, show_progress=batch is not None)
    if failures:
        err.print(f"[yellow]{failures} of {len(rows)} row(s) could not be graded (see above).[/]")
        raise typer.Exit(EXIT_USAGE)


def _grade_rows(ts: Any, grader: Any, rows: list[Row], as_json: bool, *, show_progress: bool) -> int:
    import time

    failures = 0
    with progress_bar() as progress:
        task = progress.add_task("Grading", total=len(rows)) if show_progress else None
        for row in rows:
            if row.error is not None:
                failures += 1
                _print_row_error(row, as_json)
            else:
                question = ts.question(row.question_key)
                started = time.perf_counter()
                feedback = ts.grade(question, row.answer or "", row.seconds, grader)
                latency = (time.perf_counter() - started) * 1000
                if as_json:
                    console.file.write(json.dumps(feedback_json(feedback, row.question_key, latency)) + "\n")
                    console.file.flush()
                else:
                    render(feedback, row.question_key, latency)
            if task is not None:
                progress.advance(task)
    return failures


def _print_row_error(row: Row, as_json: bool) -> None:
    if as_json:
        console.file.write(json.dumps({"row": row.number, "question_key": row.question_key,
                                       "error": row.error}) + "\n")
        console.file.flush()
    err.print(f"[bold red]Error:[/] {escape(row.error or '')}")


def _read_answer(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_ANSWER_CHARS * 4:
            _usage(f"{path}: too large for one answer (more than {MAX_ANSWER_CHARS:,} characters)")
        data = path.read_bytes()
    except OSError as exc:
        _usage(f"{path}: {exc.strerror or exc}")
    if b"\0" in data[:4096]:
        _usage(f"{path}: this is a binary file, not an answer")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _usage(f"{path}: not UTF-8 text")
    raise AssertionError("unreachable")


def _usage(message: str) -> None:
    raise fail(message)


class _loading:
    """A progress bar on stderr while the coach model loads (and is assembled, on first use)."""

    def __enter__(self) -> Callable[[int, int], None]:
        self._progress = progress_bar()
        self._progress.__enter__()
        self._task = self._progress.add_task("Loading the coach model", total=None)

        def on_progress(done: int, total: int) -> None:
            self._progress.update(self._task, description="Preparing the coach model (first use only)",
                                  completed=done, total=total)

        return on_progress

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)
