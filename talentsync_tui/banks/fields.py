"""What the flat formats share: difficulty and type words, list cells, ids, and rows -> Module."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models import MAX_ID, MAX_TEXT, Difficulty, Module, Question, QuestionType, clean_text, slugify
from .errors import BankError, describe_error, summarize

_DIFFICULTY_WORDS = {
    Difficulty.easy: {"easy", "e", "1", "2", "beginner", "junior", "basic", "low"},
    Difficulty.medium: {"medium", "m", "3", "intermediate", "mid", "middle", "moderate"},
    Difficulty.hard: {"hard", "h", "4", "5", "advanced", "senior", "expert", "high"},
}
DIFFICULTY_CHOICES = "easy, medium, hard, e/m/h, 1-5, beginner/intermediate/advanced or junior/mid/senior"

_TYPE_WORDS = {
    QuestionType.technical: {"technical", "tech", "theory", "concept", "conceptual", "knowledge", "trivia"},
    QuestionType.coding: {
        "coding", "code", "practice", "practical", "live-coding", "livecoding", "algorithm", "algorithms"
    },
    QuestionType.system_design: {"system-design", "systemdesign", "design", "architecture"},
    QuestionType.behavioral: {"behavioral", "behavioural", "soft-skills", "softskills", "soft", "hr", "culture"},
    QuestionType.situational: {"situational", "scenario", "case", "hypothetical"},
}
TYPE_CHOICES = ", ".join(t.value for t in QuestionType)


def parse_difficulty(value: object) -> Difficulty | None:
    """Map a difficulty word, letter or 1-5 level to a Difficulty; None if unknown."""
    word = str(value).strip().lower()
    if re.fullmatch(r"[1-5]\.0", word):  # spreadsheets write levels as floats
        word = word[0]
    for difficulty, words in _DIFFICULTY_WORDS.items():
        if word in words:
            return difficulty
    return None


def parse_type(value: object) -> QuestionType | None:
    """Map a question-type word (ours or a common synonym) to a QuestionType; None if unknown."""
    word = re.sub(r"[\s_]+", "-", str(value).strip().lower())
    for qtype, words in _TYPE_WORDS.items():
        if word == qtype.value.replace("_", "-") or word in words:
            return qtype
    return None


def mentions_behavioral(*texts: str) -> bool:
    """True when a category or tag names behavioural interviewing."""
    return any("behavio" in text.lower() for text in texts)


def parse_seconds(value: str, default_unit: str = "s") -> int | None:
    """Read a duration such as ``240``, ``4m``, ``2.5 min`` or ``90s`` as whole seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", value.lower())
    if not match:
        return None
    unit = match.group(2) or default_unit
    if unit in {"s", "sec", "secs", "second", "seconds"}:
        factor = 1
    elif unit in {"m", "min", "mins", "minute", "minutes"}:
        factor = 60
    else:
        return None
    return round(float(match.group(1)) * factor)


def split_items(cell: str, separators: str = "|;") -> list[str]:
    """Split a list cell: newlines win, then the first of ``separators`` present (``|`` before ``;``)."""
    if "\n" in cell:
        parts = cell.split("\n")
    else:
        parts = [cell]
        for sep in separators:
            if sep in cell:
                parts = cell.split(sep)
                break
    return [part.strip() for part in parts if part.strip()]


def split_tags(cell: str) -> list[str]:
    """Tags separated by newlines, ``|``, ``;`` or ``,``; a cell with none of those splits on spaces."""
    items = split_items(cell, "|;,")
    if len(items) == 1 and not re.search(r"[|;,\n]", cell):
        items = items[0].split()
    return items


def join_items(items: list[str], *, tags: bool = False) -> str:
    """Inverse of split_items/split_tags: ``a | b``, or one item per line when an item holds ``|``."""
    if not items:
        return ""
    flat = [" ".join(item.split("\n")) if "\n" in item else item for item in items]  # cells are one line per item
    if not any("|" in item for item in flat):
        text = " | ".join(flat)
        ambiguous = r"[;,\s]" if tags else r";"
        # A lone item holding a weaker separator would be split again: a trailing '|' pins it.
        if len(flat) == 1 and re.search(ambiguous, flat[0]):
            text += " |"
        return text
    return "\n".join(flat) + ("\n" if len(flat) == 1 else "")


def split_sentences(text: str, limit: int = 5) -> list[str]:
    """The first ``limit`` lines or sentences of a text, for use as expected points."""
    points: list[str] = []
    for line in clean_text(text).split("\n"):
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
        if not line or line.startswith("```"):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+(?=\S)", line):
            if sentence.strip():
                points.append(sentence.strip()[:MAX_TEXT])
            if len(points) == limit:
                return points
    return points


def id_from_text(text: str, words: int = 6) -> str:
    """A readable id from the first words of a question."""
    slug = slugify(" ".join(clean_text(text).split()[:words]))
    return slug[:40].strip("-") or "question"


class UniqueIds:
    """Hands out ``base``, ``base-2``, ``base-3``... never repeating an id already taken."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)
        self.next_suffix: dict[str, int] = {}  # so 50,000 identical questions stay linear

    def make(self, base: str) -> str:
        n = self.next_suffix.get(base, 1)
        candidate = base
        while candidate in self.taken:
            n += 1
            suffix = f"-{n}"
            candidate = base[: MAX_ID - len(suffix)] + suffix
        self.next_suffix[base] = n
        self.taken.add(candidate)
        return candidate


def coerce_id(value: str) -> str:
    """Keep a valid id as is; turn a free-form one (``Q1``, ``Joins 101``) into a slug."""
    value = value.strip()
    if re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", value) and len(value) <= MAX_ID:
        return value
    return slugify(value)


def humanize(stem: str) -> str:
    """A module name from a file stem: ``python_basics`` -> ``Python basics``."""
    words = re.sub(r"[_\-]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) or "Imported questions"


MAX_ROWS = 50_000


def csv_rows(path: Path, text: str, delimiter: str, first_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """Yield (line where the row starts, cells); quoted cells may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    try:
        for count, cells in enumerate(reader):
            if count > MAX_ROWS:  # checked as rows stream in, before any is validated
                raise BankError(path, f"has more than {MAX_ROWS:,} rows (a module holds at most "
                                      "50,000 questions); split the file", first_line + previous)
            yield first_line + previous, cells
            previous = reader.line_num
    except csv.Error as exc:
        problem = str(exc)
        if "field larger than field limit" in problem:
            problem = f"a cell is longer than {csv.field_size_limit():,} characters"
        raise BankError(path, f"cannot read row: {problem}", first_line + previous) from exc


def build_module(
    path: Path,
    rows: list[tuple[int, dict[str, Any]]],
    *,
    renames: dict[str, str] | None = None,
    **module_fields: Any,
) -> Module:
    """Validate (line, question data) rows into a Module; errors name the row's line.

    Rows without an id get one from their text, unique and stable in file order.
    ``renames`` maps model field names to what the file calls them, for messages.
    """
    renames = renames or {}
    ids = UniqueIds({data["id"] for _, data in rows if data.get("id")})
    for _, data in rows:
        if not data.get("id"):
            data["id"] = ids.make(id_from_text(str(data.get("text", ""))))

    questions = []
    for line, data in rows:
        try:
            questions.append(Question.model_validate(data))
        except ValidationError as exc:
            errors = exc.errors()
            loc = list(errors[0]["loc"])
            if loc and loc[0] in renames:  # say the column name the coach used
                loc[0] = renames[loc[0]]
            raise BankError(path, summarize([{**errors[0], "loc": tuple(loc)}, *errors[1:]]), line) from exc

    try:
        return Module(questions=questions, **module_fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        duplicate = re.search(r"duplicate question id '(.*)'", error["msg"])
        if duplicate:
            second = [row[0] for row, q in zip(rows, questions) if q.id == duplicate.group(1)][1]
            raise BankError(path, f"id: duplicate question id {duplicate.group(1)!r}", second) from exc
        line = rows[0][0] if rows else None
        where = f"module {module_fields.get('id')!r}"
        raise BankError(path, f"{where}: {describe_error(error)}", line) from exc
