"""GrillKit-style YAML banks: multilingual questions with 1-5 difficulty levels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yaml.nodes import Node

from ..models import Difficulty, Module, slugify
from . import fields
from .errors import BankError
from .native import line_at, load_yaml

_LEVELS = {1: Difficulty.easy, 2: Difficulty.easy, 3: Difficulty.medium, 4: Difficulty.hard, 5: Difficulty.hard}


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


def parse_grillkit(path: Path | str, text: str, module_id: str | None = None) -> list[Module]:
    """One module from a GrillKit bank (``category``, ``track``, ``level``, ``questions``)."""
    path = Path(path)
    docs = load_yaml(path, text)
    if not docs or not isinstance(docs[0].data, dict):
        line = docs[0].node.start_mark.line + 1 if docs else None
        raise BankError(path, "expected a mapping with category, track and questions", line)
    data, node = docs[0].data, docs[0].node
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        raise BankError(path, "questions: expected a non-empty list of questions", line_at(node, ("questions",)))

    rows = []
    for index, item in enumerate(questions):
        line = line_at(node, ("questions", index))
        if not isinstance(item, dict):
            raise BankError(path, f"questions[{index}]: expected a mapping with id, question, difficulty", line)
        rows.append((line, _question(path, node, index, item)))

    category = str(data.get("category") or "").strip()
    track = str(data.get("track") or "").strip()
    name = track or category or fields.humanize(module_id or path.stem)
    about = str(_english(data.get("description")) or "").strip()
    level = f"Level: {data['level']}." if data.get("level") else ""  # the model has no level: keep it visible
    module_fields: dict[str, Any] = {
        "id": module_id or slugify("-".join(part for part in (category, track) if part) or path.stem),
        "name": name,
        "category": category or name,
    }
    if about or level:
        module_fields["description"] = "\n\n".join(part for part in (about, level) if part)
    return [fields.build_module(path, rows, **module_fields)]


def _question(path: Path, node: Node, index: int, item: dict[str, Any]) -> dict[str, Any]:
    def fail(field: str, message: str) -> BankError:
        return BankError(path, f"questions[{index}].{field}: {message}", line_at(node, ("questions", index, field)))

    question = item.get("question")
    text = _english(question.get("text") if isinstance(question, dict) else question)
    if not isinstance(text, str) or not text.strip():
        raise fail("question", "missing question text (question.text)")
    code = question.get("code") if isinstance(question, dict) else None
    if isinstance(code, str) and code.strip():
        text = f"{text.strip()}\n\n```\n{code.rstrip()}\n```"

    level = item.get("difficulty", 3)
    if isinstance(level, bool) or not isinstance(level, int) or level not in _LEVELS:
        raise fail("difficulty", f"expected a level from 1 to 5, got {level!r}")

    raw_tags = item.get("tags") or []
    tags = fields.split_tags(raw_tags) if isinstance(raw_tags, str) else _strings(raw_tags)
    kind = fields.parse_type(item["type"]) if item.get("type") else None
    if kind is None:
        kind = "behavioral" if fields.mentions_behavioral(*tags) else "technical"

    data: dict[str, Any] = {
        "text": text,
        "difficulty": _LEVELS[level],
        "type": kind,
        "tags": tags,
        "expected_points": _strings(item.get("expected_points")),
        "follow_ups": _strings(item.get("follow_ups")),
    }
    if item.get("id") is not None:
        data["id"] = fields.coerce_id(str(item["id"]))
    answer = _english(item.get("answer") or item.get("model_answer"))
    if isinstance(answer, str) and answer.strip():
        data["model_answer"] = answer
    return data
