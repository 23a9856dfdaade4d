"""CSV and TSV banks: one question per row, columns found by their (many) usual names."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from ..models import Module, slugify
from . import fields
from .errors import BankError

# Header names (lower-cased, spaces and dashes as '_') for each field we read.
_ALIASES = {
    "text": ("question", "prompt", "text"),
    "category": ("category", "topic", "module"),
    "difficulty": ("difficulty", "level"),
    "model_answer": ("answer", "notes", "model_answer"),
    "tags": ("tags", "tag"),
    "type": ("type",),
    "id": ("id",),
    "expected_points": ("expected_points", "points"),
    "follow_ups": ("follow_ups", "followups"),
    "expected_seconds": ("expected_seconds", "seconds", "time"),
    "minutes": ("minutes",),
}
_LIST_FIELDS = {"tags", "expected_points", "follow_ups"}
_DUMP_COLUMNS = (
    ("id", "id"),
    ("question", "text"),
    ("difficulty", "difficulty"),
    ("type", "type"),
    ("tags", "tags"),
    ("expected_seconds", "expected_seconds"),
    ("expected_points", "expected_points"),
    ("model_answer", "model_answer"),
    ("follow_ups", "follow_ups"),
)


def _normalise(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().strip('"').lower())


def _sniff_delimiter(path: Path, text: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = next((line for line in text.split("\n") if line.strip()), "")
    header = re.sub(r'"[^"]*"', "", header)  # a quoted header may hold any character
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _columns(path: Path, header: list[str], line: int) -> dict[str, tuple[int, str]]:
    by_name = {_normalise(name): (index, name.strip()) for index, name in reversed(list(enumerate(header)))}
    columns: dict[str, tuple[int, str]] = {}
    for field, aliases in _ALIASES.items():  # first alias present wins
        for alias in aliases:
            if alias in by_name:
                columns[field] = by_name[alias]
                break
    if "text" not in columns:
        shown = ", ".join(repr(name.strip()) for name in header if name.strip()) or "none"
        expected = "expected one of: question, prompt, text"
        raise BankError(path, f"no question column ({expected}); columns found: {shown}", line)
    return columns


def _question_data(path: Path, line: int, cell: dict[str, str], columns: dict[str, tuple[int, str]]) -> dict[str, Any]:
    def fail(field: str, message: str) -> BankError:
        return BankError(path, f"{columns[field][1]}: {message}", line)

    data: dict[str, Any] = {"text": cell["text"]}
    if not cell["text"]:
        raise fail("text", "the question is empty")
    if cell.get("id"):
        data["id"] = fields.coerce_id(cell["id"])

    difficulty = cell.get("difficulty", "")
    data["difficulty"] = fields.parse_difficulty(difficulty) if difficulty else "medium"
    if data["difficulty"] is None:
        raise fail("difficulty", f"unknown difficulty {difficulty!r} (use {fields.DIFFICULTY_CHOICES})")

    data["tags"] = fields.split_tags(cell.get("tags", ""))
    if cell.get("type"):
        data["type"] = fields.parse_type(cell["type"])
        if data["type"] is None:
            raise fail("type", f"unknown question type {cell['type']!r} (use {fields.TYPE_CHOICES})")
    else:
        behavioral = fields.mentions_behavioral(cell.get("category", ""), *data["tags"])
        data["type"] = "behavioral" if behavioral else "technical"

    for field, unit in (("expected_seconds", "s"), ("minutes", "m")):
        if cell.get(field):
            seconds = fields.parse_seconds(cell[field], unit)
            if seconds is None:
                raise fail(field, f"cannot read {cell[field]!r} as a duration (e.g. 180, 3m, 2.5 min)")
            data["expected_seconds"] = seconds
            break

    answer = cell.get("model_answer", "")
    if answer:
        data["model_answer"] = answer
    if "expected_points" in columns:
        data["expected_points"] = fields.split_items(cell["expected_points"])
    elif answer:
        data["expected_points"] = fields.split_sentences(answer)
    data["follow_ups"] = fields.split_items(cell.get("follow_ups", ""))
    return data


def parse_csv(
    path: Path | str, text: str, module_id: str | None = None, delimiter: str | None = None
) -> list[Module]:
    """Modules from a CSV/TSV file: one per category, or one named by ``module_id`` or the file stem."""
    path = Path(path)
    delimiter = delimiter or _sniff_delimiter(path, text)
    rows = ((line, cells) for line, cells in fields.csv_rows(path, text, delimiter) if any(c.strip() for c in cells))
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise BankError(path, "file has no header row") from None
    columns = _columns(path, header, header_line)

    default_key = module_id or slugify(path.stem)
    groups: dict[str, dict[str, Any]] = {}
    for line, cells in rows:
        # List cells keep their edges: a trailing newline is how a lone item holding '|' is written.
        cell = {
            field: (cells[index] if index < len(cells) else "") if field in _LIST_FIELDS
            else (cells[index].strip() if index < len(cells) else "")
            for field, (index, _) in columns.items()
        }
        category = cell.get("category", "")
        key = slugify(category) if category else default_key
        group = groups.setdefault(key, {"name": category, "rows": []})
        group["rows"].append((line, _question_data(path, line, cell, columns)))
    if not groups:
        raise BankError(path, "no questions below the header row", header_line)
    renames = {field: column for field, (_, column) in columns.items()}
    modules = []
    for key, group in groups.items():
        name = group["name"] or fields.humanize(module_id or path.stem)
        modules.append(
            fields.build_module(
                path, group["rows"], id=key, name=name, category=name,
                description=f"Imported from {path.name}.", renames=renames,
            )
        )
    return modules


def dump_csv(module: Module) -> str:
    """The module's questions as CSV (lists joined with `` | ``); module details are not kept."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header for header, _ in _DUMP_COLUMNS])
    for question in module.questions:
        row = []
        for _, field in _DUMP_COLUMNS:
            value = getattr(question, field)
            if isinstance(value, list):
                value = fields.join_items(value, tags=field == "tags")
            elif hasattr(value, "value"):
                value = value.value
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return out.getvalue()
