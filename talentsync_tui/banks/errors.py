"""The one error every bank reader raises: a file, an optional line, a message."""

from __future__ import annotations

from pathlib import Path


class BankError(Exception):
    """A bank file could not be read; ``str()`` is ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):  # picklable, e.g. across a process pool
        return (type(self), (self.path, self.message, self.line))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``questions[3].difficulty``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def describe_error(error: dict, prefix: tuple[int | str, ...] = ()) -> str:
    """One pydantic error as ``field.path: message`` (without pydantic's noise)."""
    message = error["msg"].removeprefix("Value error, ")
    where = field_path(prefix + tuple(error["loc"]))
    return f"{where}: {message}" if where else message


def summarize(errors: list[dict], prefix: tuple[int | str, ...] = ()) -> str:
    """The first validation problem (as ``ValidationError.errors()`` lists them), plus how many more."""
    text = describe_error(errors[0], prefix)
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text


class NotABank(BankError):
    """The file is something else (a README, an image, an index): a folder import skips it.

    Named on the command line it is still an error, since the user meant it as a bank.
    """
