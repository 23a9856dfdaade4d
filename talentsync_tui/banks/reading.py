"""Read a bank file as text, rejecting what is not a text file we can trust."""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import BankError

MAX_BYTES = 20 * 1024 * 1024


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text(path: Path | str) -> str:
    """Return the file's text (UTF-8, BOM stripped, newlines normalised) or raise BankError."""
    path = Path(path)
    if not path.exists():
        raise BankError(path, "file not found")
    if path.is_dir():
        raise BankError(path, "is a folder, not a file")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # /dev/zero, a FIFO, a terminal: their size says nothing and reading may never end.
            raise BankError(path, "is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_BYTES:
            raise BankError(path, f"file is too large ({info.st_size / 1024 / 1024:.1f} MB, at most 20 MB)")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # never more, even if the file grows meanwhile
        if len(data) > MAX_BYTES:
            raise BankError(path, "file is too large (at most 20 MB)")
    except OSError as exc:
        raise BankError(path, f"cannot read file: {exc.strerror or exc}") from exc

    # Excel's "Unicode text" export is UTF-16 with a BOM: text, even though it holds NUL bytes.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BankError(path, "file has a UTF-16 byte order mark but is not valid UTF-16") from exc
    else:
        if b"\x00" in data:
            line = _line_of(data, data.index(b"\x00"))
            raise BankError(path, "looks like a binary file (contains NUL bytes), not text", line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BankError(
                path,
                f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                _line_of(data, exc.start),
            ) from exc
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BankError(path, "file is empty")
    return text
