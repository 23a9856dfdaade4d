"""Session bundles: the sessions of one laptop in one file, for a coach to collect.

A bundle is gzip-compressed JSON Lines: a header line (format, version, origin,
how many sessions follow), then one `SessionRecord` per line. It is read without
trusting it: a size cap on the file and on what it unpacks to (a gzip bomb stops
there, whatever it claims), a cap per line, strict pydantic validation of every
field (no "5" for 5), the promised session count checked against what is there
(a truncated file is caught even uncompressed), duplicate sessions refused.
Terminal control characters in any text are removed before validation.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from talentsync_tui.files import FILE_MODE
from talentsync_tui.models import MAX_SHORT, SessionRecord

FORMAT = "talentsync-bundle"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024**2
MAX_UNPACKED_BYTES = 256 * 1024**2  # parsed whole before writing: bounds memory too
MAX_LINE_BYTES = 16 * 1024**2
MAX_SESSIONS = 20_000
_GZIP_MAGIC = b"\x1f\x8b"
_CONTROLS = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
                       r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RAW_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_HINT = "expected a file written by `talentsync session export --all --bundle`"


class BundleError(Exception):
    """A bundle we refuse, with the reason in one sentence."""


class BundleHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal["talentsync-bundle"]
    version: Literal[1]
    created_at: datetime
    app_version: str = Field(max_length=MAX_SHORT)
    origin: str = Field(max_length=MAX_SHORT)
    sessions: int = Field(ge=0, le=MAX_SESSIONS)


class Bundle(BaseModel):
    header: BundleHeader
    sessions: list[SessionRecord]


# -- writing -------------------------------------------------------------------------------------


def write_bundle(path: Path, records: list[SessionRecord], *, origin: str, app_version: str,
                 now: datetime, on_session: Callable[[], None] | None = None) -> Path:
    """Write the records as a bundle, atomically (temp file + rename) and mode 0600."""
    header = BundleHeader(format=FORMAT, version=VERSION, created_at=now, app_version=app_version,
                          origin=origin[:MAX_SHORT], sessions=len(records))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as out:
            out.write(header.model_dump_json().encode() + b"\n")
            for record in records:
                if record.origin is None:  # taken on this machine: say which one it was
                    record = record.model_copy(update={"origin": header.origin})
                out.write(record.model_dump_json().encode() + b"\n")
                if on_session is not None:
                    on_session()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    return path


# -- reading -------------------------------------------------------------------------------------


def read_bundle(path: Path, on_session: Callable[[int, int], None] | None = None) -> Bundle:
    """Read and validate a whole bundle (nothing is written anywhere); `on_session(done, total)`."""
    path = Path(path)
    try:
        if not path.exists():
            raise BundleError("file not found")
        if not path.is_file():
            raise BundleError("not a regular file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BundleError(f"the file is too large ({size / 1024**2:.0f} MB, at most "
                              f"{MAX_FILE_BYTES // 1024**2} MB)")
        with path.open("rb") as raw:
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            return _parse(_lines(stream), on_session)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise BundleError(f"the bundle is truncated or damaged ({exc})") from None
    except OSError as exc:
        raise BundleError(f"cannot read the file: {exc.strerror or exc}") from None


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number, line) with the caps applied as the bytes arrive; blank lines skipped."""
    total = 0
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        total += len(line)
        if total > MAX_UNPACKED_BYTES:
            raise BundleError(f"the bundle unpacks to more than {MAX_UNPACKED_BYTES // 1024**2} MB; "
                              "refusing it (a gzip bomb?)")
        if len(line) > MAX_LINE_BYTES:
            raise BundleError(f"line {number} is longer than {MAX_LINE_BYTES // 1024**2} MB; refusing it")
        if line.strip():
            yield number, line


def _parse(lines: Iterator[tuple[int, bytes]], on_session: Callable[[int, int], None] | None) -> Bundle:
    first = next(lines, None)
    if first is None:
        raise BundleError(f"the file is empty; {_HINT}")
    header = _header(first[1])
    records: list[SessionRecord] = []
    seen: set[str] = set()
    for number, line in lines:
        if len(records) == header.sessions:
            raise BundleError(f"line {number}: more sessions than the {header.sessions} the header promises")
        try:
            data = _json(line, number)  # NaN, deep nesting and bad UTF-8 get our own messages
            if _may_hold_controls(line):
                line = json.dumps(_scrubbed(data)).encode()
            record = SessionRecord.model_validate_json(line, strict=True)
        except ValidationError as exc:
            raise BundleError(f"line {number} (session {len(records) + 1}): {_first_error(exc)}") from None
        if record.uid in seen:
            raise BundleError(f"line {number}: session {record.uid} appears twice")
        seen.add(record.uid)
        records.append(record)
        if on_session is not None:
            on_session(len(records), header.sessions)
    if len(records) != header.sessions:
        raise BundleError(f"the bundle is truncated: the header promises {header.sessions} "
                          f"session(s), the file holds {len(records)}")
    return Bundle(header=header, sessions=records)


def _header(line: bytes) -> BundleHeader:
    data = _json(line, 1, what="not a TalentSync bundle")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"not a TalentSync bundle ({_HINT})")
    if data.get("version") != VERSION:
        raise BundleError(f"bundle format version {str(data.get('version'))[:20]!s} is not one this "
                          f"TalentSync reads (version {VERSION}); upgrade TalentSync on this machine")
    try:
        return BundleHeader.model_validate_json(line)
    except ValidationError as exc:
        raise BundleError(f"line 1 (the header): {_first_error(exc)}") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _json(line: bytes, number: int, what: str = "not valid JSON") -> Any:
    try:
        return json.loads(line, parse_constant=_no_constant)
    except RecursionError:
        raise BundleError(f"line {number}: nested too deeply; refusing it") from None
    except (UnicodeDecodeError, ValueError) as exc:
        message = f"{what} ({_HINT})" if number == 1 else f"{what} ({exc})"
        raise BundleError(f"line {number}: {message}" if number != 1 else message) from None


def _may_hold_controls(line: bytes) -> bool:
    """Whether a JSON line can decode to a control character: a raw one, an escape of one
    (a \\u00XX escape, \\b, \\f) or a UTF-8 C1 control. Plain byte searches, so the lines
    without any (nearly all) skip the slower string-by-string scrub."""
    if len(line.translate(None, _RAW_CONTROLS)) != len(line):
        return True
    if b"\\u00" in line or b"\\b" in line or b"\\f" in line:
        return True
    return b"\xc2" in line and _C1_UTF8.search(line) is not None


def _scrubbed(value: Any, depth: int = 0) -> Any:
    """The same JSON with terminal escapes and control characters removed from every string."""
    if depth > 64:
        raise BundleError("a session is nested too deeply; refusing it")
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, list):
        return [_scrubbed(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {_scrubbed(k, depth + 1): _scrubbed(v, depth + 1) for k, v in value.items()}
    return value


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    value = error.get("input")
    if isinstance(value, (str, int, float, bool)) or value is None:
        got = repr(value)
        message += f", got {got if len(got) <= 40 else got[:37] + '...'}"
    more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
    return f"{where}: {message}{more}" if where else message + more
