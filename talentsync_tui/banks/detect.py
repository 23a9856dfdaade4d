"""Tell a bank file's format from its extension and, where that is ambiguous, its content."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import BankError, NotABank

FORMATS = ("yaml", "json", "csv", "tsv", "anki", "apkg", "markdown", "grillkit")
PACKAGE_EXTENSIONS = frozenset({".apkg", ".colpkg"})  # binary: read by banks.apkg, never as text
SUPPORTED_EXTENSIONS = frozenset({".yaml", ".yml", ".json", ".csv", ".tsv", ".txt", ".md", ".markdown"}) | PACKAGE_EXTENSIONS
INDEX = "grillkit-index"  # not a bank format: GrillKit's questions_map.yaml, used for order only

_EXTENSIONS = {".json": "json", ".csv": "csv", ".tsv": "tsv", ".md": "markdown", ".markdown": "markdown"}
# Native banks never use these keys, so only files that have them need a full parse.
_GRILLKIT_HINT = re.compile(r"^(?:track[ \t]*:|[ \t]*(?:-[ \t]+)?question[ \t]*:)", re.MULTILINE)
# A native bank has top-level id/name/questions keys (or is a list or flow mapping of modules).
_NATIVE_HINT = re.compile(r"^(?:(?:-[ \t]+)?(?:id|name|questions)[ \t]*:|-[ \t]*$|[{\[])", re.MULTILINE)
_JSON_HINT = re.compile(r'"(?:id|questions)"\s*:')
_ANKI_HEADER = re.compile(r"^#(?:separator|html|tags column|notetype|deck|columns|guid column)\s*:", re.IGNORECASE)


def _is_grillkit(path: Path, text: str) -> bool:
    if not _GRILLKIT_HINT.search(text):
        return False
    from .native import load_yaml  # late: detection of other formats needs no YAML

    try:
        docs = load_yaml(path, text)
    except BankError:
        return False  # let the native parser report the problem with its line
    data = docs[0].data if docs else None
    if not isinstance(data, dict):
        return False
    questions = data.get("questions")
    items = questions if isinstance(questions, list) else []
    return "track" in data or any(isinstance(item, dict) and isinstance(item.get("question"), dict) for item in items)


def _yaml_format(path: Path, text: str) -> str:
    if _is_grillkit(path, text):
        return "grillkit"
    if _NATIVE_HINT.search(text):
        return "yaml"
    from .grillkit import is_grillkit_index
    from .native import load_yaml

    try:
        docs = load_yaml(path, text)
    except BankError:
        return "yaml"  # broken YAML: the native parser reports the problem with its line
    if len(docs) == 1 and is_grillkit_index(docs[0].data):
        return INDEX
    if not docs:
        return "yaml"
    raise NotABank(path, "YAML without id:, questions: or track: keys, so not a question bank")


def _is_anki(text: str) -> bool:
    lines = text.split("\n")
    header = [line for line in lines[:20] if line.startswith("#")]
    if any(_ANKI_HEADER.match(line) for line in header):
        return True
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    return len(first.split("\t")) >= 2


def detect_format(path: Path | str, text: str) -> str:
    """One of FORMATS (or INDEX), from the extension first and the content when needed.

    Raises NotABank for files that are plainly something else, with the reason.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in PACKAGE_EXTENSIONS:
        return "apkg"
    if suffix == ".json" and text.lstrip().startswith("{") and not _JSON_HINT.search(text):
        raise NotABank(path, 'JSON without "id" or "questions" keys, so not a question bank')
    if suffix in (".md", ".markdown") and not re.search(r"^## \S", text, re.MULTILINE):
        raise NotABank(path, "Markdown without '## ' question headings, so not a question deck")
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix in (".yaml", ".yml"):
        return _yaml_format(path, text)
    if suffix == ".txt":
        if _is_anki(text):
            return "anki"
        if re.search(r"^## \S", text, re.MULTILINE):
            return "markdown"
        raise NotABank(
            path,
            "cannot tell the format of this .txt file: expected an Anki export "
            "(tab-separated, #separator: header) or Markdown '## ' question headings",
        )
    if text.lstrip().startswith(("{", "[")):
        return "json"
    kind = suffix or "(no extension)"
    raise NotABank(
        path, f"unsupported file type {kind!r}; use .yaml, .json, .csv, .tsv, .md, an Anki .txt export or .apkg"
    )
