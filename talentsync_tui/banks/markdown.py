"""Markdown decks: ``# Title``, then one ``## Question`` heading per question, its body the answer."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import Module, slugify
from . import fields
from .errors import BankError

# Patterns are anchored and free of nested or adjacent quantifiers over the same characters:
# a hostile line must cost linear time, never catastrophic backtracking.
_HEADING = re.compile(r"(#{1,6})(?=[ \t]|$)")
_BULLET = re.compile(r" ?(?:[-*+]|\d{1,3}[.)])[ \t]+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})[^`]*$")
_PREAMBLE_KEY = re.compile(r"(id|name|title|category|description|minutes|default[ _]minutes)[ \t]*:", re.I)
_META_KEY = re.compile(r"\s*(difficulty|level|type|tags|seconds|time|minutes|id)[ \t]*:", re.I)
_SECTIONS = {
    "points": re.compile(r"expected points|key points|points|rubric", re.I),
    "follow_ups": re.compile(r"follow[- ]?ups?|follow[- ]?up questions", re.I),
    "answer": re.compile(r"model answer|sample answer|answer", re.I),
}


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading such as ``## Why?``, else None."""
    match = _HEADING.match(line)
    return (len(match.group(1)), line[match.end() :].strip()) if match else None


def _heading_level(line: str) -> int:
    heading = _heading(line)
    return heading[0] if heading else 0


def _key_value(pattern: re.Pattern[str], line: str) -> tuple[str, str] | None:
    match = pattern.match(line)
    return (match.group(1).lower(), line[match.end() :].strip()) if match else None


def _section_kind(line: str) -> str | None:
    """``### Expected points``, ``**Follow-ups:**``, ``Answer:`` ... -> "points", "follow_ups", "answer"."""
    if not line or line[0].isspace():
        return None  # indented lines continue list items
    heading = _heading(line)
    if heading:
        if heading[0] < 3:
            return None
        name = heading[1].rstrip("#").strip().removesuffix(":").strip()
    else:
        bold = line.startswith(("**", "__"))
        name = line.replace("**", "").replace("__", "").strip()
        if not name.endswith(":") and not bold:
            return None
        name = name.removesuffix(":").strip()
    return next((kind for kind, pattern in _SECTIONS.items() if pattern.fullmatch(name)), None)


def _preamble_structural(line: str) -> bool:
    return _heading_level(line) in (1, 2) or _key_value(_PREAMBLE_KEY, line) is not None


def _body_structural(line: str) -> bool:
    return _heading_level(line) in (1, 2) or _section_kind(line) is not None


def _closing_run(line: str) -> str | None:
    """The fence run of a line that could close a fence (```` ``` ```` or ``~~~``, alone on the line)."""
    stripped = line.strip()
    if len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= 3 and stripped[0] in "`~":
        if stripped == stripped[0] * len(stripped):
            return stripped
    return None


def _closes(line: str, marker: str) -> bool:
    run = _closing_run(line)
    return run is not None and run[0] == marker[0] and len(run) >= len(marker)


class _Fences:
    """Which lines open a code fence that a later line closes; an unclosed fence is plain text.

    Answers "is there a long enough closing run later?" from a suffix maximum, so a file of
    thousands of unclosed fences costs linear time instead of a scan per fence.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.closers: dict[str, list[int]] = {"`": [], "~": []}
        self.longest_after: dict[str, list[int]] = {"`": [], "~": []}
        runs = [(index, run) for index, line in enumerate(lines) if (run := _closing_run(line))]
        for char in "`~":
            mine = [(index, len(run)) for index, run in runs if run[0] == char]
            self.closers[char] = [index for index, _ in mine]
            longest, suffix = 0, []
            for _, length in reversed(mine):
                longest = max(longest, length)
                suffix.append(longest)
            self.longest_after[char] = suffix[::-1]

    def opens(self, index: int) -> str | None:
        """The fence marker when lines[index] opens a fence that is closed later."""
        match = _FENCE.match(self.lines[index])
        if not match:
            return None
        marker = match.group(1)
        position = bisect.bisect_right(self.closers[marker[0]], index)
        suffix = self.longest_after[marker[0]]
        return marker if position < len(suffix) and suffix[position] >= len(marker) else None


def _unescape(line: str, structural: Callable[[str], bool]) -> tuple[str, bool]:
    """Undo dump's backslash escape; returns (line, is_literal_text)."""
    if line.startswith("\\"):
        rest = line[1:]
        if rest.startswith("\\") or structural(rest) or _FENCE.match(rest):
            return rest, True
    return line, False


def _escape_block(text: str, structural: Callable[[str], bool]) -> list[str]:
    """Lines of free text, with a backslash before any line the parser would read as structure."""
    lines = text.split("\n")
    fences = _Fences(lines)
    out: list[str] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        if fence:
            out.append(line)
            fence = None if _closes(line, fence) else fence
        elif marker := fences.opens(index):
            fence = marker
            out.append(line)
        elif line.startswith("\\") or structural(line) or _FENCE.match(line):
            out.append("\\" + line)  # in Markdown a leading backslash also shows the line literally
        else:
            out.append(line)
    return out


@dataclass
class _Draft:
    line: int
    text: list[str]
    data: dict[str, Any] = field(default_factory=dict)
    answer: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)


class _Parser:
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.fences = _Fences(lines)
        self.module: dict[str, str] = {}
        self.description: list[str] = []
        self.drafts: list[_Draft] = []
        self.mode = "preamble"
        self.blank_run = 0

    def fail(self, line: int, message: str) -> BankError:
        return BankError(self.path, message, line)

    def run(self) -> None:
        start = self._front_matter()
        fence: str | None = None
        for index in range(start, len(self.lines)):
            raw, number = self.lines[index], index + 1
            if fence:
                self._text(raw)
                fence = None if _closes(raw, fence) else fence
                continue
            structural = _preamble_structural if self.mode == "preamble" else _body_structural
            line, literal = _unescape(raw, structural)
            if literal:
                self._text(line)
            elif _heading_level(line) == 2:
                text = _heading(line)[1]
                if not text:
                    raise self.fail(number, "question heading '##' has no text")
                self.drafts.append(_Draft(number, [text]))
                self.mode = "quote"
            elif self.mode == "preamble":
                self._preamble(line, number)
                fence = self.fences.opens(index)
            elif self._body(line, number):
                fence = self.fences.opens(index)

    def _front_matter(self) -> int:
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for index in range(1, len(self.lines)):
            line = self.lines[index]
            if line.strip() == "---":
                return index + 1
            if pair := _key_value(_PREAMBLE_KEY, line.strip()):
                self._module_key(pair, index + 1)
        raise self.fail(1, "front matter opened with '---' is never closed")

    def _module_key(self, pair: tuple[str, str], number: int) -> None:
        key, value = pair
        key = key.replace(" ", "_")
        key = {"title": "name", "minutes": "default_minutes"}.get(key, key)
        if key == "default_minutes" and not value.isdigit():
            raise self.fail(number, f"minutes: expected a whole number, got {value!r}")
        self.module[key] = value

    def _preamble(self, line: str, number: int) -> None:
        if _heading_level(line) == 1 and "name" not in self.module:
            self.module["name"] = _heading(line)[1]
        elif pair := _key_value(_PREAMBLE_KEY, line):
            self._module_key(pair, number)
        else:
            self.description.append(line)

    def _text(self, line: str) -> None:
        """A line that is plain text wherever it appears."""
        if self.mode == "preamble":
            self.description.append(line)
        else:
            self._answer(line)

    def _answer(self, line: str) -> None:
        self.mode = "answer"
        self.drafts[-1].answer.append(line)

    def _body(self, line: str, number: int) -> bool:
        """Handle one body line; True when it went to the answer text (so it may open a fence)."""
        draft = self.drafts[-1]
        if self.mode == "quote":
            if line.startswith(">"):
                rest = line[1:]
                draft.text.append(rest[1:] if rest.startswith(" ") else rest)
                return False
            self.mode = "meta-wait"
        if self.mode in ("meta-wait", "meta"):
            meta = _meta_pairs(line)
            if meta is not None:
                self._apply_meta(draft, meta, number)
                self.mode = "meta"
                return False
            if self.mode == "meta-wait" and not line.strip():
                return False
            self.mode = "answer"
        kind = _section_kind(line)
        if kind == "answer":
            self.mode = "answer"
            return False
        if kind:
            draft.sections.setdefault(kind, [])
            self.mode, self.blank_run = kind, 0
            return False
        if self.mode in ("points", "follow_ups") and self._section_line(draft.sections[self.mode], line):
            return False
        self._answer(line)
        return True

    def _section_line(self, items: list[str], line: str) -> bool:
        """Add a list line to a section; False when the line ends the section."""
        if not line.strip():
            self.blank_run += 1
            return True
        blanks, self.blank_run = self.blank_run, 0
        if bullet := _BULLET.match(line):
            if line[bullet.end() :].strip():
                items.append(line[bullet.end() :].strip())
            return True
        if line.startswith("  ") and items:  # continuation of a multi-line item
            items[-1] += "\n" * (blanks + 1) + line[2:]
            return True
        return False

    def _apply_meta(self, draft: _Draft, pairs: list[tuple[str, str]], number: int) -> None:
        for key, value in pairs:
            if not value:  # "Tags:" with nothing after it changes nothing
                continue
            if key in ("difficulty", "level"):
                draft.data["difficulty"] = fields.parse_difficulty(value)
                if draft.data["difficulty"] is None:
                    raise self.fail(number, f"unknown difficulty {value!r} (use {fields.DIFFICULTY_CHOICES})")
            elif key == "type":
                draft.data["type"] = fields.parse_type(value)
                if draft.data["type"] is None:
                    raise self.fail(number, f"unknown question type {value!r} (use {fields.TYPE_CHOICES})")
            elif key == "tags":
                draft.data["tags"] = fields.split_items(value, ",;")
            elif key == "id":
                draft.data["id"] = fields.coerce_id(value)
            else:
                seconds = fields.parse_seconds(value, "m" if key == "minutes" else "s")
                if seconds is None:
                    raise self.fail(number, f"{key}: cannot read {value!r} as a duration (e.g. 180, 3m)")
                draft.data["expected_seconds"] = seconds


def _meta_pairs(line: str) -> list[tuple[str, str]] | None:
    """``Difficulty: hard | Type: coding`` as pairs, or None if the line is not all metadata."""
    if not line.strip():
        return None
    pairs = []
    for part in line.replace("**", "").split("|"):
        pair = _key_value(_META_KEY, part)
        if pair is None:
            return None
        pairs.append(pair)
    return pairs


def _answer_bullets(answer: list[str]) -> list[str]:
    bullets: list[str] = []
    fences = _Fences(answer)
    fence: str | None = None
    for index, line in enumerate(answer):
        if fence:
            fence = None if _closes(line, fence) else fence
        elif marker := fences.opens(index):
            fence = marker
        elif (bullet := _BULLET.match(line)) and line[bullet.end() :].strip():
            bullets.append(line[bullet.end() :].strip())
    return bullets


def parse_markdown(path: Path | str, text: str, module_id: str | None = None) -> list[Module]:
    """One module from a Markdown deck; errors name the line."""
    path = Path(path)
    parser = _Parser(path, text.split("\n"))
    parser.run()
    if not parser.drafts:
        raise BankError(path, "no questions found: start each question with a '## ' heading")

    rows = []
    for draft in parser.drafts:
        answer = "\n".join(draft.answer).strip()
        data: dict[str, Any] = {"text": "\n".join(draft.text), "difficulty": "medium", **draft.data}
        data.setdefault("type", "behavioral" if fields.mentions_behavioral(*data.get("tags", [])) else "technical")
        if answer:
            data["model_answer"] = answer
        if "points" in draft.sections:
            data["expected_points"] = draft.sections["points"]
        elif answer:
            data["expected_points"] = _answer_bullets(draft.answer)[:100] or fields.split_sentences(answer)
        data["follow_ups"] = draft.sections.get("follow_ups", [])
        rows.append((draft.line, data))

    meta = parser.module
    name = meta.get("name") or fields.humanize(module_id or path.stem)
    description = "\n\n".join(part for part in (meta.get("description"), "\n".join(parser.description).strip()) if part)
    if module_id:
        key = module_id
    else:
        key = fields.coerce_id(meta["id"]) if meta.get("id") else slugify(path.stem)
    module_fields: dict[str, Any] = {
        "id": key,
        "name": name,
        "category": meta.get("category") or name,
    }
    if description:
        module_fields["description"] = description
    if meta.get("default_minutes"):
        module_fields["default_minutes"] = int(meta["default_minutes"])
    return [fields.build_module(path, rows, **module_fields)]


def dump_markdown(module: Module) -> str:
    """The module as a Markdown deck that parse_markdown reads back unchanged."""
    out = [f"# {module.name}", ""]
    out += [f"Id: {module.id}", f"Category: {module.category}", f"Minutes: {module.default_minutes}"]
    if module.description != "No description.":
        out += ["", *_escape_block(module.description, _preamble_structural)]
    for q in module.questions:
        first, *rest = q.text.split("\n")
        out += ["", f"## {first}", *[f"> {line}" if line else ">" for line in rest]]
        meta = [f"Id: {q.id}", f"Difficulty: {q.difficulty.value}", f"Type: {q.type.value}"]
        if q.tags:
            meta.append("Tags: " + ", ".join(q.tags))
        out.append(" | ".join(meta + [f"Seconds: {q.expected_seconds}"]))
        if q.model_answer:
            out += ["", *_escape_block(q.model_answer, _body_structural)]
        # An empty list is written too: without it the parser would derive points from the answer.
        if q.expected_points or q.model_answer:
            out += ["", "### Expected points", "", *_bullets(q.expected_points)]
        if q.follow_ups:
            out += ["", "### Follow-ups", "", *_bullets(q.follow_ups)]
    return "\n".join(out) + "\n"


def _bullets(items: list[str]) -> list[str]:
    lines = []
    for item in items:
        first, *rest = item.split("\n")
        lines += [f"- {first}", *[f"  {line}" if line else "" for line in rest]]
    return lines
