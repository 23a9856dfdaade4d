"""GrillKit question banks: ``track/level/category.yaml`` files, grouped into one module per track.

A GrillKit checkout holds one small file per (track, level, category), e.g.
``python/junior/basics.yaml`` with ``track: python``, ``level: junior``, ``category: Basics``,
plus ``questions_map.yaml``, its index (track -> level -> category -> question texts). GrillKit
users pick a track and a level, so the files of one track become one module: the category is a
tag on each question and the level sets the difficulty (junior easy, middle medium, senior hard).
The index is not a bank; it only gives the order of tracks and categories.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import Node

from ..models import MAX_TEXT, Difficulty, Module, Question, slugify
from . import fields
from .errors import BankError, describe_error
from .native import line_at, load_yaml

_LEVELS = {1: Difficulty.easy, 2: Difficulty.easy, 3: Difficulty.medium, 4: Difficulty.hard, 5: Difficulty.hard}
_LEVEL_ORDER = {Difficulty.easy: 0, Difficulty.medium: 1, Difficulty.hard: 2}
MODULE_PREFIX = "grillkit-"  # GrillKit's "python" track must not merge into the bundled "python" module
MAX_TAGS = 30


def _english(value: Any) -> Any:
    """English when the value is a language map, else the first language given; other values as is."""
    if isinstance(value, dict):
        if value.get("en"):
            return value["en"]
        return next((item for item in value.values() if item), None)
    return value


def _strings(value: Any) -> list[str]:
    value = _english(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if item is not None and str(item).strip()]
    return [str(value)]


@dataclass
class GrillKitFile:
    """One GrillKit file, read and checked but not yet grouped with the rest of its track."""

    path: Path
    track: str
    level: str
    category: str
    rows: list[tuple[int, dict[str, Any]]]  # (line, question data) for fields.build_module

    @property
    def level_difficulty(self) -> Difficulty | None:
        return fields.parse_difficulty(self.level) if self.level else None


@dataclass
class GrillKitIndex:
    """What ``questions_map.yaml`` says about order: tracks, and categories per (track, level)."""

    path: Path
    tracks: list[str] = field(default_factory=list)
    categories: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def is_grillkit_index(data: Any) -> bool:
    """True for GrillKit's index: track -> level -> category -> list of question texts, nothing else."""
    if not isinstance(data, dict) or not data or "questions" in data:
        return False
    for levels in data.values():
        if not isinstance(levels, dict) or not levels:
            return False
        for categories in levels.values():
            if not isinstance(categories, dict) or not categories:
                return False
            if not all(isinstance(texts, list) and all(isinstance(t, str) for t in texts)
                       for texts in categories.values()):
                return False
    return True


def read_grillkit_index(path: Path | str, data: dict[str, Any]) -> GrillKitIndex:
    index = GrillKitIndex(Path(path), tracks=[slugify(str(track)) for track in data])
    for track, levels in data.items():
        for level, categories in levels.items():
            index.categories[(slugify(str(track)), str(level).strip().lower())] = [str(c).strip() for c in categories]
    return index


def read_grillkit(path: Path | str, text: str) -> GrillKitFile:
    """Read and check one GrillKit file (``category``, ``track``, ``level``, ``questions``)."""
    path = Path(path)
    docs = load_yaml(path, text)
    if not docs or not isinstance(docs[0].data, dict):
        line = docs[0].node.start_mark.line + 1 if docs else None
        raise BankError(path, "expected a mapping with category, track and questions", line)
    data, node = docs[0].data, docs[0].node
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise BankError(path, "questions: expected a non-empty list of questions", line_at(node, ("questions",)))

    category = str(_english(data.get("category")) or "").strip()
    level = str(data.get("level") or "").strip()
    level_difficulty = fields.parse_difficulty(level) if level else None
    rows = []
    for index, item in enumerate(questions):
        line = line_at(node, ("questions", index))
        if not isinstance(item, dict):
            raise BankError(path, f"questions[{index}]: expected a mapping with id, question, difficulty", line)
        rows.append((line, _question(path, node, index, item, category, level_difficulty)))
    return GrillKitFile(path, str(data.get("track") or "").strip(), level, category, rows)


def _question(path: Path, node: Node, index: int, item: dict[str, Any], category: str,
              level: Difficulty | None) -> dict[str, Any]:
    def fail(field: str, message: str) -> BankError:
        return BankError(path, f"questions[{index}].{field}: {message}", line_at(node, ("questions", index, field)))

    question = item.get("question")
    text = _english(question.get("text") if isinstance(question, dict) else question)
    if not isinstance(text, str) or not text.strip():
        raise fail("question", "missing question text (question.text)")
    code = question.get("code") if isinstance(question, dict) else None
    if isinstance(code, str) and code.strip():
        text = f"{text.strip()}\n\n```\n{code.rstrip()}\n```"

    number = item.get("difficulty", 3)
    if isinstance(number, bool) or not isinstance(number, int) or number not in _LEVELS:
        raise fail("difficulty", f"expected a level from 1 to 5, got {number!r}")

    raw_tags = item.get("tags") or []
    tags = fields.split_tags(raw_tags) if isinstance(raw_tags, str) else _strings(raw_tags)
    if category:
        tags = [slugify(category)[:60], *tags]  # the category is how GrillKit users find a topic
    kind = fields.parse_type(item["type"]) if item.get("type") else None
    if kind is None:
        kind = "behavioral" if fields.mentions_behavioral(*tags) else "technical"

    data: dict[str, Any] = {
        "text": text,
        # GrillKit users choose a level (junior/middle/senior); the 1-5 number only counts without one.
        "difficulty": level or _LEVELS[number],
        "type": kind,
        "tags": list(dict.fromkeys(tag.lower() for tag in tags))[:MAX_TAGS],
        "expected_points": _strings(item.get("expected_points")),
        "follow_ups": _strings(item.get("follow_ups")),
    }
    if item.get("id") is not None:
        data["id"] = fields.coerce_id(str(item["id"]))
    answer = _english(item.get("answer") or item.get("model_answer"))
    if isinstance(answer, str) and answer.strip():
        data["model_answer"] = answer
    return data


def _track_name(track: str, categories: Iterable[str]) -> str:
    """``rabbitmq`` -> ``RabbitMQ`` when a category spells it so, else ``System design`` style."""
    words = track.replace("_", "-").split("-")
    wanted = " ".join(words).lower()
    for category in categories:
        start = " ".join(category.replace("-", " ").split()).lower().find(wanted)
        if start >= 0 and wanted:
            spaced = " ".join(category.replace("-", " ").split())
            return spaced[start : start + len(wanted)]
    return fields.humanize(track)


def _describe(track: str, files: list[GrillKitFile], questions: list[Question]) -> str:
    per_level: dict[str, int] = {}
    for file in files:
        level = file.level or "no level"
        per_level[level] = per_level.get(level, 0) + len(file.rows)
    levels = ", ".join(
        f"{level} {count}" + (f" ({fields.parse_difficulty(level).value})" if fields.parse_difficulty(level) else "")
        for level, count in per_level.items()
    )
    categories = list(dict.fromkeys(file.category for file in files if file.category))
    text = (
        f"GrillKit track {track or 'without a name'}: {len(questions)} questions from {len(files)} "
        f"file{'s' if len(files) != 1 else ''}. By level: {levels}."
    )
    if categories:
        text += " Categories (tags): " + ", ".join(categories) + "."
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def _order(file: GrillKitFile, index: GrillKitIndex | None) -> tuple:
    difficulty = file.level_difficulty
    level_rank = _LEVEL_ORDER[difficulty] if difficulty else len(_LEVEL_ORDER)
    listed = index.categories.get((slugify(file.track), file.level.lower()), []) if index else []
    category_rank = listed.index(file.category) if file.category in listed else len(listed)
    return (level_rank, file.level.lower(), category_rank, file.path.as_posix())


def grillkit_modules(files: list[GrillKitFile], index: GrillKitIndex | None = None,
                     module_id: str | None = None) -> list[Module]:
    """One module per track (or one ``module_id`` for all), in the index's order when there is one.

    Within a module, questions run junior -> middle -> senior and by category in index order.
    The same question id in two files of a track is an error naming both files.
    """
    return [module for _, module in group_grillkit(files, index, module_id)]


def group_grillkit(files: list[GrillKitFile], index: GrillKitIndex | None = None,
                   module_id: str | None = None) -> list[tuple[list[GrillKitFile], Module]]:
    """grillkit_modules, each module with the files it came from (in module order)."""
    groups: dict[str, list[GrillKitFile]] = {}
    for file in files:
        key = module_id or MODULE_PREFIX + slugify(file.track or file.category or file.path.stem)
        groups.setdefault(key, []).append(file)

    def track_rank(key: str) -> int:
        if index is None:
            return 0
        track = slugify(groups[key][0].track or "")
        return index.tracks.index(track) if track in index.tracks else len(index.tracks)

    modules = []
    for key in sorted(groups, key=track_rank):  # stable: tracks missing from the index keep file order
        group = sorted(groups[key], key=lambda file: _order(file, index))
        modules.append((group, _track_module(key, group)))
    return modules


def _track_module(module_id: str, files: list[GrillKitFile]) -> Module:
    taken = {data["id"] for file in files for _, data in file.rows if data.get("id")}
    ids = fields.UniqueIds(taken)
    seen: dict[str, tuple[Path, int]] = {}
    track = files[0].track
    name = _track_name(track, (file.category for file in files)) if track else (files[0].category or
                                                                                 fields.humanize(files[0].path.stem))
    module_fields = {"id": module_id, "name": f"{name[:180]} (GrillKit)", "category": "GrillKit"}
    questions: list[Question] = []
    for file in files:
        for line, data in file.rows:
            if not data.get("id"):  # stable across re-imports: text-derived, unique across the whole track
                data["id"] = ids.make(fields.id_from_text(str(data.get("text", ""))))
            elif data["id"] in seen:
                first_path, first_line = seen[data["id"]]
                raise BankError(
                    file.path,
                    f"id: duplicate question id {data['id']!r} in track {track or module_id!r} "
                    f"(first in {first_path}:{first_line})",
                    line,
                )
            seen[data["id"]] = (file.path, line)
        questions.extend(fields.build_module(file.path, file.rows, **module_fields).questions)
    try:
        return Module(**module_fields, description=_describe(track, files, questions), questions=questions)
    except ValidationError as exc:
        raise BankError(files[0].path, f"module {module_id!r}: {describe_error(exc.errors()[0])}") from exc


def parse_grillkit(path: Path | str, text: str, module_id: str | None = None) -> list[Module]:
    """The module one GrillKit file makes on its own (its track's module, with only its questions)."""
    return grillkit_modules([read_grillkit(path, text)], module_id=module_id)
