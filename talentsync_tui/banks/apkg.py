"""Anki packages (``.apkg`` decks, ``.colpkg`` collections), read without trusting them.

An Anki package is a zip holding the collection as SQLite: ``collection.anki21b`` (zstd-compressed,
Anki 2.1.50+), ``collection.anki21`` or ``collection.anki2`` (older), plus media we ignore. No
reader library on PyPI is both maintained and small (the official ``anki`` package is the whole
desktop backend and imports by writing a collection and its media), so this reads the format
with the stdlib: only the collection member is extracted, to a temporary file we name, under
size caps; it is opened read-only and immutable, with a time budget on every query. Field HTML
is reduced to text by ``htmltext`` (never interpreted). One module per deck, as the text export.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..models import MAX_LONG, Module, slugify
from . import fields
from .anki import field_text, note_question
from .errors import BankError

MAX_PACKAGE_BYTES = 2 * 1024**3  # decks with media are large; only the collection is read
MAX_COLLECTION_BYTES = 256 * 1024**2  # uncompressed: a zip bomb stops here, whatever the zip claims
MAX_MEMBERS = 200_000
MAX_NOTES = 50_000  # what one module may hold
MAX_FIELD = 5 * MAX_LONG  # HTML included; the text left must still fit the question's limits
QUERY_SECONDS = 10.0
PROGRESS_STEPS = 10_000  # SQLite VM steps between two looks at the clock
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1024 * 1024


def _check_members(path: Path, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BankError(path, f"the package holds {len(infos):,} files (at most {MAX_MEMBERS:,}); refusing it")
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or ":" in name or "\x00" in name:
            raise BankError(path, f"the package holds a file named {name!r} that points outside it; refusing it")
    return {info.filename: info for info in infos}


def _copy_capped(path: Path, source: Any, target: Any, member: str) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > MAX_COLLECTION_BYTES:
            raise BankError(
                path,
                f"{member} unpacks to more than {MAX_COLLECTION_BYTES // 1024**2} MB; refusing it (a zip bomb?)",
            )
        target.write(chunk)


def _extract_collection(path: Path, folder: Path) -> tuple[Path, str]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BankError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if size > MAX_PACKAGE_BYTES:
        raise BankError(path, f"file is too large ({size / 1024**3:.1f} GB, at most 2 GB)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = _check_members(path, archive)
            name = next((name for name in _COLLECTIONS if name in members), None)
            if name is None:
                raise BankError(path, "no collection.anki2, .anki21 or .anki21b inside: not an Anki package")
            info = members[name]
            if info.flag_bits & 0x1:
                raise BankError(path, f"{name} is encrypted; Anki packages never are")
            if info.file_size > MAX_COLLECTION_BYTES:
                raise BankError(path, f"{name} unpacks to {info.file_size / 1024**2:.0f} MB "
                                      f"(at most {MAX_COLLECTION_BYTES // 1024**2} MB); refusing it")
            target = folder / "collection.sqlite"  # our name, never the member's
            with archive.open(info) as source, target.open("wb") as out:
                if name.endswith(".anki21b"):
                    _unzstd(path, source, out, name)
                else:
                    _copy_capped(path, source, out, name)
    except zipfile.BadZipFile as exc:
        raise BankError(path, f"not a readable zip archive ({exc}); an Anki package is a zip file") from exc
    except (NotImplementedError, RuntimeError, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise BankError(path, f"cannot unpack the package: {exc}") from exc
    with target.open("rb") as check:
        if check.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
            raise BankError(path, f"{name} inside the package is not an SQLite database")
    return target, name


def _unzstd(path: Path, source: Any, out: Any, name: str) -> None:
    try:
        import zstandard
    except ImportError:  # a declared dependency; only a broken install gets here
        raise BankError(path, f"{name} is zstd-compressed and the zstandard package is missing") from None
    try:
        with zstandard.ZstdDecompressor().stream_reader(source) as reader:
            _copy_capped(path, reader, out, name)
    except zstandard.ZstdError as exc:
        raise BankError(path, f"{name} is not valid zstd data ({exc})") from exc


def _connect(path: Path, database: Path) -> sqlite3.Connection:
    uri = database.resolve().as_uri() + "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    deadline = time.monotonic() + QUERY_SECONDS
    # A hostile "notes" view could run forever; returning non-zero aborts the running statement.
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _json_column(path: Path, conn: sqlite3.Connection, column: str) -> dict[str, Any]:
    row = conn.execute(f"SELECT {column} FROM col LIMIT 1").fetchone()  # noqa: S608 - fixed column names
    try:
        data = json.loads(row[0]) if row and row[0] else {}
    except (TypeError, ValueError) as exc:
        raise BankError(path, f"the collection's {column} are not valid JSON") from exc
    return data if isinstance(data, dict) else {}


def _note_types(path: Path, conn: sqlite3.Connection, tables: set[str]) -> dict[int, list[str]]:
    """Note type id -> field names in order (schema 11 keeps them as JSON, 18 in a table)."""
    if "fields" in tables:
        names: dict[int, list[tuple[int, str]]] = {}
        for ntid, ord_, name in conn.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
            names.setdefault(int(ntid), []).append((int(ord_), str(name)))
        return {ntid: [name for _, name in sorted(items)] for ntid, items in names.items()}
    out: dict[int, list[str]] = {}
    for mid, model in _json_column(path, conn, "models").items():
        flds = model.get("flds") if isinstance(model, dict) else None
        if isinstance(flds, list) and str(mid).lstrip("-").isdigit():
            ordered = sorted((f for f in flds if isinstance(f, dict)), key=lambda f: f.get("ord", 0))
            out[int(mid)] = [str(f.get("name", "")) for f in ordered]
    return out


def _decks(path: Path, conn: sqlite3.Connection, tables: set[str]) -> dict[int, str]:
    if "decks" in tables:  # schema 18 separates deck path parts with \x1f
        return {int(did): str(name).replace("\x1f", "::") for did, name in conn.execute("SELECT id, name FROM decks")}
    return {
        int(did): str(deck.get("name", ""))
        for did, deck in _json_column(path, conn, "decks").items()
        if isinstance(deck, dict) and str(did).lstrip("-").isdigit()
    }


_ROLES = {
    "front": ("front", "question", "text"),
    "back": ("back", "answer", "back extra", "extra", "model answer"),
    "points": ("expected points", "expected_points", "points", "key points"),
    "follow_ups": ("follow-ups", "follow_ups", "follow ups", "followups"),
}


def _roles(names: list[str], values: list[str]) -> dict[str, str]:
    """Field values by role: front and back by name, else the first two fields; points and follow-ups by name."""
    lowered = [name.strip().lower() for name in names]
    found: dict[str, int] = {}
    for role, wanted in _ROLES.items():
        index = next((i for i, name in enumerate(lowered) if name in wanted and i < len(values)), None)
        if index is not None:
            found[role] = index
    rest = [i for i in range(len(values)) if i not in found.values()]
    for role in ("front", "back"):
        if role not in found and rest:
            found[role] = rest.pop(0)
    return {role: values[index] for role, index in found.items()}


def _lines(html_value: str) -> list[str]:
    text = field_text(html_value, True)
    return [line.removeprefix("- ").strip() for line in text.split("\n") if line.removeprefix("- ").strip()]


def _read_notes(path: Path, conn: sqlite3.Connection) -> list[tuple[str, int, dict[str, Any]]]:
    """(deck, note number, question data) for every note, in the collection's order."""
    tables = _tables(conn)
    for needed in ("notes", "cards", "col"):
        if needed not in tables:
            raise BankError(path, f"the collection has no {needed} table: not an Anki collection")
    (count,) = conn.execute("SELECT count(*) FROM notes").fetchone()
    if count > MAX_NOTES:
        raise BankError(path, f"the package holds {count:,} notes, more than the {MAX_NOTES:,} one module may hold")
    types = _note_types(path, conn, tables)
    decks = _decks(path, conn, tables)
    deck_of: dict[int, int] = {}
    for nid, did in conn.execute("SELECT nid, did FROM cards ORDER BY nid, ord"):
        deck_of.setdefault(int(nid), int(did))

    notes = []
    for number, (nid, guid, mid, tags, flds) in enumerate(
        conn.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"), start=1
    ):
        values = str(flds or "").split("\x1f")
        if max(map(len, values)) > MAX_FIELD:
            raise BankError(path, f"note {number}: a field holds more than {MAX_FIELD:,} characters")
        roles = _roles(types.get(int(mid), []), values)
        deck = decks.get(deck_of.get(int(nid), -1), "")
        front_text, back_text = field_text(roles.get("front", ""), True), field_text(roles.get("back", ""), True)
        if not front_text:
            raise BankError(path, f"note {number}: the front has no text (images and sounds are not imported)")
        question = note_question(front_text, back_text, str(tags or "").split(), deck, str(guid or "").strip())
        if points := _lines(roles.get("points", "")):
            question["expected_points"] = points
        if follow_ups := _lines(roles.get("follow_ups", "")):
            question["follow_ups"] = follow_ups
        notes.append((deck, number, question))
    return notes


def parse_apkg(path: Path | str, module_id: str | None = None) -> list[Module]:
    """One module per deck of an ``.apkg``/``.colpkg`` (or one ``module_id`` for all of them)."""
    path = Path(path)
    if not path.exists():
        raise BankError(path, "file not found")
    if path.is_dir():
        raise BankError(path, "is a folder, not a file")
    with tempfile.TemporaryDirectory(prefix="talentsync-apkg-") as folder:
        database, member = _extract_collection(path, Path(folder))
        conn = None
        try:
            conn = _connect(path, database)
            notes = _read_notes(path, conn)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise BankError(path, f"reading {member} took longer than {QUERY_SECONDS:.0f} s; refusing it") from exc
            raise BankError(path, f"{member} is not a readable Anki collection ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise BankError(path, f"{member} is damaged ({exc})") from exc
        finally:
            if conn is not None:
                conn.close()
    if not notes:
        raise BankError(path, "the package holds no notes")

    by_deck: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for deck, number, question in notes:
        by_deck.setdefault("" if module_id else deck, []).append((number, question))
    modules = []
    for deck, rows in by_deck.items():
        name = deck.split("::")[-1].strip() if deck else fields.humanize(module_id or path.stem)
        try:
            modules.append(fields.build_module(
                path, rows,
                id=module_id or slugify(deck or path.stem),
                name=name or fields.humanize(path.stem),
                category=(deck.split("::")[0].strip() if deck else "") or name or "Anki",
                description=f"Imported from the Anki deck {deck}." if deck else f"Imported from {path.name}.",
                renames={"text": "front", "model_answer": "back"},
            ))
        except BankError as exc:  # build_module names a line; in a package it is the note's number
            where = f"note {exc.line}: " if exc.line is not None else ""
            raise BankError(path, where + exc.message) from exc
    return modules
