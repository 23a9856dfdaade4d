"""The one exception the resume package raises for bad input."""

from __future__ import annotations

from pathlib import Path


class ResumeError(Exception):
    """A resume could not be read.

    ``str(error)`` is a complete, user-facing sentence that names the file, so a
    caller can show it as-is (no traceback, no exception class name).
    """

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return self.message
