"""Find, read and parse bank files into modules; export modules back to text."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..models import Module
from .anki import parse_anki
from .apkg import parse_apkg
from .detect import FORMATS, INDEX, PACKAGE_EXTENSIONS, SUPPORTED_EXTENSIONS, detect_format
from .errors import NotABank
from .grillkit import GrillKitFile, GrillKitIndex, group_grillkit, parse_grillkit, read_grillkit, read_grillkit_index
from .markdown import dump_markdown, parse_markdown
from .native import dump_json, dump_yaml, load_yaml, parse_json, parse_yaml
from .reading import read_text
from .tabular import dump_csv, parse_csv

EXPORT_FORMATS = frozenset({"yaml", "json", "csv", "md"})
_EXPORTERS: dict[str, Callable[[Module], str]] = {
    "yaml": dump_yaml, "json": dump_json, "csv": dump_csv, "md": dump_markdown,
}
_EXPORT_ALIASES = {"yml": "yaml", "markdown": "md"}
# Files that often sit next to banks but are not banks. Only names no bank would take: a
# "security.yaml" or "history.md" may well be a bank, and content decides for those.
_NOT_BANKS = re.compile(
    r"^(readme|license|licence|copying|changelog|contributing|code_of_conduct)(\..*)?$|\.schema\.json$",
    re.IGNORECASE,
)
_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico", ".tif", ".tiff"})
Skip = Callable[[Path, str], None]


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
    if fmt == INDEX:
        raise NotABank(path, "this is GrillKit's index (track -> level -> category), not a bank; "
                             "import the folder that holds it")
    raise ValueError(f"unknown bank format {fmt!r} (use one of: {', '.join(FORMATS)})")


def _skip_reason(name: str) -> str | None:
    """Why a file found inside a folder is not even read, or None when it may be a bank."""
    if name.startswith("."):
        return "hidden file"
    if name.startswith("_"):
        return "name starts with _ (drafts)"
    if match := _NOT_BANKS.search(name):
        return "a JSON Schema, not a bank" if match.group(1) is None else f"a {match.group(1).upper()} file, not a bank"
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if f".{suffix}" in _IMAGES:
        return f"an image (.{suffix}), not a bank"
    if f".{suffix}" not in SUPPORTED_EXTENSIONS:
        return f"not a bank file type ({'.' + suffix if suffix else 'no extension'})"
    return None


def scan_bank_files(paths: Iterable[Path | str]) -> tuple[list[tuple[Path, bool]], list[tuple[Path, str]]]:
    """(file, named explicitly) for every file to read, and (path, reason) for what a folder held besides.

    Hidden and ``_`` folders are reported once each, not walked file by file.
    """
    files: list[tuple[Path, bool]] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        if not given.is_dir():
            found = [(given, True)]  # named explicitly: the user meant it, so no filtering
        else:
            found = []
            quiet: set[Path] = set()  # hidden and draft folders: reported once, not walked
            for file in sorted(given.rglob("*")):
                relative = file.relative_to(given)
                if any(parent in quiet for parent in relative.parents):
                    continue
                if file.is_dir():
                    if relative.name.startswith((".", "_")):
                        quiet.add(relative)
                        hidden = relative.name.startswith(".")
                        skipped.append((file, "hidden folder, not searched" if hidden
                                        else "folder starting with _ (drafts), not searched"))
                    continue
                reason = _skip_reason(relative.name)
                if reason is None:
                    found.append((file, False))
                else:
                    skipped.append((file, reason))
        for file, explicit in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append((file, explicit))
    return files, skipped


def bank_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """The files named, plus every file under the folders named that may be a bank (see scan_bank_files)."""
    for file, _ in scan_bank_files(paths)[0]:
        yield file


def load_bank_files(
    paths: list[Path],
    *,
    format: str | None = None,
    module_id: str | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_skip: Skip | None = None,
) -> list[tuple[Path, list[Module]]]:
    """Read and parse every bank file (folders recursively); the first problem raises BankError.

    Files found in folders that are not banks (a README, an image, GrillKit's index) are passed
    to ``on_skip(path, reason)`` instead. GrillKit files are grouped into one module per track,
    listed under the folder that holds the track's files. Several files may yield the same
    module id (``module_id`` aims flat files at one module); merging them is the store's job.
    """
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown bank format {format!r} (use one of: {', '.join(FORMATS)})")
    files, skipped = scan_bank_files(paths)
    for path, reason in skipped:
        if on_skip is not None:
            on_skip(path, reason)

    results: list[tuple[Path, list[Module]] | None] = []
    grillkit: list[GrillKitFile] = []
    grillkit_slot: int | None = None  # where the grouped tracks go in the results: at the first file
    index: GrillKitIndex | None = None
    for path, explicit in files:
        fmt = format
        if fmt is None and path.suffix.lower() in PACKAGE_EXTENSIONS:
            fmt = "apkg"
        try:
            if fmt == "apkg":
                results.append((path, parse_apkg(path, module_id=module_id)))
            else:
                text = read_text(path)
                fmt = fmt or detect_format(path, text)
                if fmt == INDEX and not explicit:
                    index = read_grillkit_index(path, load_yaml(path, text)[0].data)
                    if on_skip is not None:
                        on_skip(path, "GrillKit's index of tracks, levels and categories: used for their order")
                elif fmt == "grillkit":
                    grillkit.append(read_grillkit(path, text))
                    if grillkit_slot is None:
                        grillkit_slot = len(results)
                        results.append(None)
                else:
                    results.append((path, parse_bank(path, text, format=fmt, module_id=module_id)))
        except NotABank as exc:
            if explicit:
                raise
            if on_skip is not None:
                on_skip(path, exc.message)
        if on_file is not None:
            on_file(path)

    if grillkit_slot is not None:
        tracks = [(_folder_of(group), [module]) for group, module in group_grillkit(grillkit, index, module_id)]
        results[grillkit_slot : grillkit_slot + 1] = tracks
    return [entry for entry in results if entry is not None]


def _folder_of(files: list[GrillKitFile]) -> Path:
    """The file itself, or the deepest folder holding all the files of a track."""
    if len(files) == 1:
        return files[0].path
    return Path(os.path.commonpath([file.path.parent for file in files]))


def export_module(module: Module, fmt: str) -> str:
    """The module as text in one of EXPORT_FORMATS (``yaml``, ``json``, ``csv``, ``md``)."""
    key = _EXPORT_ALIASES.get(fmt.lower(), fmt.lower())
    if key not in _EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r} (use one of: {', '.join(sorted(EXPORT_FORMATS))})")
    return _EXPORTERS[key](module)
