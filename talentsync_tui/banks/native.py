"""The native format: one Module per YAML or JSON mapping, exactly the model's fields."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..models import Module
from .errors import BankError, field_path, summarize

MAX_DEPTH = 50
MAX_ITEMS = 50_000
"""Most entries one list or mapping may hold (a module holds at most 50,000 questions).

Checked while streaming, before anything is built: a 12 MB file of a million tiny
entries used to take 53 s and 1.4 GB before validation said no."""
MAX_VALUES = 3_000_000

# libyaml when available (fast on big banks); the pure-Python classes behave the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
_SCALARS = SafeConstructor()


@dataclass
class YamlDocument:
    """One YAML document: its plain Python data and the node tree that knows line numbers."""

    data: Any
    node: Node


def _check_events(path: Path, text: str) -> None:
    # Streamed before composing so an alias bomb or a 10,000-deep nest fails at its first line.
    depth = 0
    sizes: list[int] = []  # entries so far in each open list/mapping
    limits: list[int] = []  # a mapping counts keys and values
    values = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            values += 1
            if values > MAX_VALUES:
                raise BankError(path, f"holds more than {MAX_VALUES:,} values; split it into smaller banks",
                                line)
            if sizes:
                sizes[-1] += 1
                if sizes[-1] > limits[-1]:
                    raise BankError(path, f"a list or mapping has more than {MAX_ITEMS:,} entries "
                                          "(a module holds at most 50,000 questions)", line)
        if isinstance(event, yaml.AliasEvent):
            raise BankError(path, f"YAML aliases (*{event.anchor}) are not allowed in bank files", line)
        if getattr(event, "anchor", None):
            raise BankError(path, f"YAML anchors (&{event.anchor}) are not allowed in bank files", line)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise BankError(path, f"YAML tag {shown} is not allowed in bank files (they hold plain data only)", line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            sizes.append(0)
            limits.append(2 * MAX_ITEMS if isinstance(event, yaml.MappingStartEvent) else MAX_ITEMS)
            if depth > MAX_DEPTH:
                raise BankError(path, f"nesting is deeper than {MAX_DEPTH} levels", line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            sizes.pop()
            limits.pop()


def _to_python(path: Path, node: Node) -> Any:
    if isinstance(node, MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _to_python(path, key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise BankError(path, "mapping keys must be plain text", key_node.start_mark.line + 1)
            if key in out:
                # PyYAML silently keeps the last one; a coach would lose the first without noticing.
                raise BankError(path, f"duplicate key {key!r}", key_node.start_mark.line + 1)
            out[key] = _to_python(path, value_node)
        return out
    if isinstance(node, SequenceNode):
        return [_to_python(path, item) for item in node.value]
    construct = SafeConstructor.yaml_constructors.get(node.tag)
    if construct is None:  # e.g. a bare '<<' merge key: keep it as text and let validation name it
        return node.value
    return construct(_SCALARS, node)


def load_yaml(path: Path | str, text: str) -> list[YamlDocument]:
    """Parse YAML safely: no aliases, anchors or custom tags; errors name the line."""
    path = Path(path)
    try:
        _check_events(path, text)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(part for part in (exc.context, exc.problem) if part)
        raise BankError(path, f"YAML syntax error: {problem}", mark.line + 1 if mark else None) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise BankError(
            path, f"contains a raw control character (0x{exc.character:02x}) that YAML does not allow; remove it", line
        ) from exc
    except yaml.YAMLError as exc:
        raise BankError(path, f"YAML error: {exc}") from exc
    return [YamlDocument(_to_python(path, node), node) for node in nodes if node is not None]


def node_at(node: Node, loc: tuple[int | str, ...]) -> Node:
    """The deepest node along a pydantic error location (as far as the file has it)."""
    for part in loc:
        if isinstance(node, MappingNode):
            match = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    return node


def line_at(node: Node, loc: tuple[int | str, ...]) -> int:
    return node_at(node, loc).start_mark.line + 1


def _precise_loc(data: Any, error: dict) -> tuple[int | str, ...]:
    """Point a duplicate-id error at the second question carrying that id."""
    loc = tuple(error["loc"])
    match = re.search(r"duplicate question id '(.*)'", error["msg"])
    if match and loc == ("questions",) and isinstance(data, dict) and isinstance(data.get("questions"), list):
        seen = 0
        for index, item in enumerate(data["questions"]):
            if isinstance(item, dict) and str(item.get("id", "")).strip() == match.group(1):
                seen += 1
                if seen == 2:
                    return ("questions", index, "id")
    return loc


def _validate(path: Path, data: Any, prefix: tuple[int | str, ...], node: Node | None) -> Module:
    line = node.start_mark.line + 1 if node is not None else None
    if not isinstance(data, dict):
        where = f"{field_path(prefix)}: " if prefix else ""
        expected = "expected a module mapping (id, name, category, questions)"
        raise BankError(path, f"{where}{expected}, got {type(data).__name__}", line)
    try:
        return Module.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        loc = _precise_loc(data, errors[0])
        message = summarize([{**errors[0], "loc": loc}, *errors[1:]], prefix)
        raise BankError(path, message, line_at(node, loc) if node is not None else None) from exc


def _modules(path: Path, data: Any, node: Node | None, seq_items: list[Node | None]) -> list[Module]:
    if isinstance(data, list):
        return [_validate(path, item, (i,), seq_items[i]) for i, item in enumerate(data)]
    return [_validate(path, data, (), node)]


def parse_yaml(path: Path | str, text: str) -> list[Module]:
    """Modules from native YAML: a mapping, a list of mappings, or several ``---`` documents."""
    path = Path(path)
    modules: list[Module] = []
    for doc in load_yaml(path, text):
        items = doc.node.value if isinstance(doc.node, SequenceNode) else []
        modules.extend(_modules(path, doc.data, doc.node, items))
    if not modules:
        raise BankError(path, "no module found (the file holds only comments)")
    return modules


def _json_too_deep(text: str) -> int | None:
    """Line of the first bracket nested deeper than MAX_DEPTH, found without recursion."""
    stripped = re.sub(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"', '""', text)  # brackets inside strings don't count
    depth = 0
    for match in re.finditer(r"[\[\]{}]", stripped):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return stripped.count("\n", 0, match.start()) + 1
        else:
            depth -= 1
    return None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_json(path: Path | str, text: str) -> list[Module]:
    """Modules from native JSON: a module object or a list of them."""
    path = Path(path)
    line = _json_too_deep(text)
    if line is not None:
        raise BankError(path, f"nesting is deeper than {MAX_DEPTH} levels", line)
    try:
        # strict=False accepts raw control characters in strings; the models strip them anyway.
        data = json.loads(text, strict=False, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise BankError(path, f"JSON syntax error: {exc.msg} (column {exc.colno})", exc.lineno) from exc
    except ValueError as exc:
        raise BankError(path, str(exc)) from exc
    _check_sizes(path, data)
    items: list[Node | None] = [None] * len(data) if isinstance(data, list) else []
    return _modules(path, data, None, items)


def _check_sizes(path: Path, data: Any) -> None:
    """No list or object with more than MAX_ITEMS entries (checked before validating)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, (list, dict)):
            if len(value) > MAX_ITEMS:
                raise BankError(path, f"a list or object has more than {MAX_ITEMS:,} entries "
                                      "(a module holds at most 50,000 questions)")
            stack.extend(value.values() if isinstance(value, dict) else value)


def _plain(module: Module) -> dict[str, Any]:
    return module.model_dump(mode="json", exclude_none=True)


class _BankDumper(yaml.SafeDumper):
    """Block style, with multi-line text written as readable ``|`` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the hand-written example bank does.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The emitter falls back to quoting by itself when a block cannot hold the text exactly.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_BankDumper.add_representer(str, _represent_str)


def dump_yaml(module: Module) -> str:
    """The module as native YAML, keys in model order."""
    body = yaml.dump(
        _plain(module), Dumper=_BankDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )
    return "# TalentSync question bank (native format)\n" + body


def dump_json(module: Module) -> str:
    """The module as native JSON (indented, UTF-8 kept readable)."""
    return json.dumps(_plain(module), indent=2, ensure_ascii=False) + "\n"
