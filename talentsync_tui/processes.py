"""Is a process still there? (Stale feedback jobs and half-assembled model files name their owner.)"""

from __future__ import annotations

import os


def pid_alive(pid: int | None) -> bool:
    """True while process `pid` exists and is not a zombie; False for None or 0."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) holds nothing: count it as dead.
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True
