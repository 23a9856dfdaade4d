"""Anki "Notes in Plain Text" exports: front is the question, back the model answer."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..models import Module, slugify
from . import fields
from .errors import BankError
from .htmltext import html_to_text

_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_HEADER_RE = re.compile(r"^#([a-z][a-z ]*):(.*)$", re.IGNORECASE)
# The character class stops at the next brace, so unclosed clozes cost linear time.
_CLOZE_RE = re.compile(r"\{\{c\d+::([^{}]*?)(?:::[^{}]*)?\}\}")
_LOOKS_HTML = re.compile(r"<(?:br|div|p|/)\b", re.IGNORECASE)


def strip_html(text: str) -> str:
    """Anki field HTML as plain text: line breaks kept, tags dropped, entities decoded."""
    return html_to_text(text)


@dataclass
class _Layout:
    """What the ``#key:value`` header lines say about the notes below them."""

    separator: str
    html: bool | None  # None: no header, decide per note
    deck: str
    names: list[str]  # from #columns:, lower-cased
    columns: dict[str, int]  # tags/guid/notetype/deck -> 0-based column
    data_line: int  # first line after the headers


def _layout(path: Path, lines: list[str]) -> _Layout:
    headers: dict[str, tuple[str, int]] = {}
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            break
        if match := _HEADER_RE.match(line):  # unknown keys are ignored, as Anki does
            headers[match.group(1).strip().lower()] = (match.group(2).strip(), number)
        count = number

    separator = _separator(path, headers.get("separator"), lines[count:])
    columns = {}
    for key in ("tags", "guid", "notetype", "deck"):
        if f"{key} column" in headers:
            value, number = headers[f"{key} column"]
            if not value.isdigit() or int(value) < 1:
                raise BankError(path, f"#{key} column: expected a column number (1, 2, ...), got {value!r}", number)
            columns[key] = int(value) - 1
    html_value = headers.get("html", ("", 0))[0].lower()
    names = headers["columns"][0].split(separator) if "columns" in headers else []
    return _Layout(
        separator=separator,
        html={"true": True, "false": False}.get(html_value),
        deck=headers.get("deck", ("", 0))[0],
        names=[name.strip().lower() for name in names],
        columns=columns,
        data_line=count + 1,
    )


def _separator(path: Path, header: tuple[str, int] | None, data: list[str]) -> str:
    if header is None:  # no header: guess from the first note
        first = next((line for line in data if line.strip()), "")
        return next((sep for sep in ("\t", ";", ",") if sep in first), "\t")
    value, number = header
    if value.lower() in _SEPARATORS:
        return _SEPARATORS[value.lower()]
    if len(value) == 1:
        return value
    choices = "tab, comma, semicolon, pipe, space or one character"
    raise BankError(path, f"#separator: unknown separator {value!r} (use {choices})", number)


def _front_back(layout: _Layout, width: int) -> tuple[int | None, int | None]:
    """Front and back columns: by ``#columns:`` name when given, else the first two note fields."""
    indexes = [i for i in range(max(width, 2)) if i not in layout.columns.values()]

    def named(*wanted: str) -> int | None:
        return next((i for i in indexes if i < len(layout.names) and layout.names[i] in wanted), None)

    front = named("front", "question", "text")
    back = named("back", "answer", "back extra", "extra")
    rest = [i for i in indexes if i not in (front, back)]
    if front is None:
        front = rest.pop(0) if rest else None
    if back is None:
        back = rest.pop(0) if rest else None
    return front, back


def _tag_meta(tags: list[str], deck: str) -> tuple[list[str], dict[str, Any]]:
    """Split Anki tags into plain tags and the difficulty/type some of them carry."""
    plain: list[str] = []
    meta: dict[str, Any] = {}
    for tag in tags:
        parts = tag.split("::")
        leaf, parent = parts[-1], (parts[-2].lower() if len(parts) > 1 else "")
        if parent in {"difficulty", "level"} and fields.parse_difficulty(leaf):
            meta["difficulty"] = fields.parse_difficulty(leaf)
        elif leaf.lower() in {"easy", "medium", "hard"}:
            meta["difficulty"] = leaf.lower()
        elif parent == "type" and fields.parse_type(leaf):
            meta["type"] = fields.parse_type(leaf)
        elif leaf:
            plain.append(leaf)
    if "type" not in meta:
        named = [fields.parse_type(tag) for tag in plain if tag.lower() in {"coding", "system_design", "situational"}]
        behavioral = fields.mentions_behavioral(deck, *plain)
        meta["type"] = "behavioral" if behavioral else (named[0] if named else "technical")
    return plain, meta


def _note(path: Path, line: int, cells: list[str], layout: _Layout) -> dict[str, Any]:
    def cell(index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    front_i, back_i = _front_back(layout, len(cells))
    is_html = layout.html if layout.html is not None else bool(_LOOKS_HTML.search(cell(front_i) + cell(back_i)))
    front, back = field_text(cell(front_i), is_html), field_text(cell(back_i), is_html)
    if not front:
        raise BankError(path, "the front of this note has no text (images and sounds are not imported)", line)

    return note_question(front, back, cell(layout.columns.get("tags")).split(), layout.deck,
                         cell(layout.columns.get("guid")).strip())


def note_question(front: str, back: str, tags: list[str], deck: str, guid: str) -> dict[str, Any]:
    """Question data from a note's plain front and back text, Anki tags, deck and guid."""
    plain, meta = _tag_meta(tags, deck)
    question: dict[str, Any] = {"text": front, "tags": plain, "difficulty": "medium", **meta}
    if back:
        question["model_answer"] = back
        question["expected_points"] = fields.split_sentences(back)
    if guid:  # Anki's note id survives edits to the text: re-imports update instead of duplicating
        question["id"] = "anki-" + hashlib.sha1(guid.encode()).hexdigest()[:12]
    return question


def field_text(value: str, is_html: bool) -> str:
    """A note field as plain text: clozes opened, sound references dropped, HTML read as text."""
    value = _CLOZE_RE.sub(r"\1", value)
    value = re.sub(r"\[sound:[^\[\]]*\]", "", value)  # media files are not imported
    return strip_html(value) if is_html else value.strip()


def parse_anki(path: Path | str, text: str, module_id: str | None = None) -> list[Module]:
    """One module from an Anki plain-text export (``#separator:``, ``#html:``, ``#tags column:`` ...)."""
    path = Path(path)
    lines = text.split("\n")
    layout = _layout(path, lines)
    data = "\n".join(lines[layout.data_line - 1 :])
    rows = [
        (line, _note(path, line, cells, layout))
        for line, cells in fields.csv_rows(path, data, layout.separator, first_line=layout.data_line)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise BankError(path, "no notes found below the # header lines", layout.data_line)

    deck = layout.deck
    name = deck.split("::")[-1].strip() if deck else fields.humanize(module_id or path.stem)
    return [
        fields.build_module(
            path,
            rows,
            id=module_id or slugify(deck or path.stem),
            name=name,
            category=deck.split("::")[0].strip() if deck else name,
            description=f"Imported from the Anki deck {deck}." if deck else f"Imported from {path.name}.",
            renames={"text": "front", "model_answer": "back"},
        )
    ]
