"""Find, read and parse bank files into modules; export modules back to text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..models import Module
from .anki import parse_anki
from .detect import FORMATS, SUPPORTED_EXTENSIONS, detect_format
from .grillkit import parse_grillkit
from .markdown import dump_markdown, parse_markdown
from .native import dump_json, dump_yaml, parse_json, parse_yaml
from .reading import read_text
from .tabular import dump_csv, parse_csv

EXPORT_FORMATS = frozenset({"yaml", "json", "csv", "md"})
_EXPORTERS: dict[str, Callable[[Module], str]] = {
    "yaml": dump_yaml, "json": dump_json, "csv": dump_csv, "md": dump_markdown,
}
_EXPORT_ALIASES = {"yml": "yaml", "markdown": "md"}
# Files that often sit next to banks but are not banks.
_NOT_BANKS = re.compile(r"^(readme|license|licence|changelog|contributing)(\..*)?$|\.schema\.json$", re.IGNORECASE)


def parse_bank(path: Path | str, text: str, *, format: str | None = None, module_id: str | None = None) -> list[Module]:
    """Parse one file's text in the given (or detected) format."""
    path = Path(path)
    fmt = format or detect_format(path, text)
    if fmt == "yaml":
        return parse_yaml(path, text)  # native files name their own modules: module_id is for flat formats
    if fmt == "json":
        return parse_json(path, text)
    if fmt in ("csv", "tsv"):
        return parse_csv(path, text, module_id=module_id, delimiter="\t" if fmt == "tsv" else None)
    if fmt == "anki":
        return parse_anki(path, text, module_id=module_id)
    if fmt == "markdown":
        return parse_markdown(path, text, module_id=module_id)
    if fmt == "grillkit":
        return parse_grillkit(path, text, module_id=module_id)
    raise ValueError(f"unknown bank format {fmt!r} (use one of: {', '.join(FORMATS)})")


def bank_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files named, plus every supported file under the folders named (hidden and ``_`` names skipped)."""
    seen: set[Path] = set()
    for given in map(Path, paths):
        if given.is_dir():
            found = (
                file
                for file in sorted(given.rglob("*"))
                if file.is_file()
                and file.suffix.lower() in SUPPORTED_EXTENSIONS
                and not _NOT_BANKS.search(file.name)
                and not any(part.startswith((".", "_")) for part in file.relative_to(given).parts)
            )
        else:
            found = iter([given])  # named explicitly: the user meant it, so no filtering
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def load_bank_files(
    paths: list[Path],
    *,
    format: str | None = None,
    module_id: str | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> list[tuple[Path, list[Module]]]:
    """Read and parse every bank file (folders recursively); the first problem raises BankError.

    Several files may yield the same module id (``module_id`` aims flat files at one module);
    merging them is the store's job.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown bank format {format!r} (use one of: {', '.join(FORMATS)})")
    results: list[tuple[Path, list[Module]]] = []
    for path in bank_files(paths):
        results.append((path, parse_bank(path, read_text(path), format=format, module_id=module_id)))
        if on_file is not None:
            on_file(path)
    return results


def export_module(module: Module, fmt: str) -> str:
    """The module as text in one of EXPORT_FORMATS (``yaml``, ``json``, ``csv``, ``md``)."""
    key = _EXPORT_ALIASES.get(fmt.lower(), fmt.lower())
    if key not in _EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r} (use one of: {', '.join(sorted(EXPORT_FORMATS))})")
    return _EXPORTERS[key](module)
