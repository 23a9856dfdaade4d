"""Private files: the data dir is 0700 and everything TalentSync writes in it is 0600.

Answers, resume text (with e-mail addresses) and reports are personal data, so
modes are set explicitly after creating a file or folder, whatever the umask.
"""

from __future__ import annotations

import logging.handlers
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make it 0700; returns it."""
    path.mkdir(parents=True, exist_ok=True)
    _chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (a missing one is ignored)."""
    _chmod(path, FILE_MODE)


def touch_private(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists; an existing one is made 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (temp file + rename), mode 0600."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _chmod(path: Path, mode: int) -> None:
    try:
        if (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except PermissionError:
        pass  # not ours (a shared folder given as --data-dir): nothing better to do


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files (current and rotated) are 0600."""

    def _open(self):  # type: ignore[override]
        touch_private(Path(self.baseFilename))
        return super()._open()

    def doRollover(self) -> None:  # noqa: N802 - logging's name
        super().doRollover()
        for n in range(1, self.backupCount + 1):
            private_file(Path(f"{self.baseFilename}.{n}"))
