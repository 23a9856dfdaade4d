"""Unsubmitted answers, kept in the database through the facade (`ts.save_draft` / `ts.draft`).

The interview screen notes every change on the UI thread (cheap, no I/O) and flushes
later: debounced in a thread worker while typing, and on pause, leaving and quitting.
Writes are serialised by `write_lock`, and each flush takes the newest text, so an
older write can never land after a newer one. Submit and skip take the same lock and
forget the item first, so a late flush cannot bring back the draft of an answered
question (the facade deletes it in the answer's transaction).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talentsync_tui.services import TalentSync


class Drafts:
    """Pending draft text per item id, and what the database is known to hold."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        """Guards the two dicts; held only for dict operations (the UI thread takes it)."""
        self.write_lock = threading.Lock()
        """Held while writing drafts, and by submit/skip around the answer's write."""
        self._pending: dict[int, str] = {}
        self._stored: dict[int, str] = {}

    def note(self, item_id: int, text: str) -> bool:
        """Record the editor's text (UI thread); True when a write is now due."""
        with self._lock:
            if self._stored.get(item_id) == text:
                self._pending.pop(item_id, None)  # typed back to what is stored
            else:
                self._pending[item_id] = text
            return bool(self._pending)

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def flush(self, ts: TalentSync) -> None:
        """Write every pending draft (any thread; a few small writes)."""
        with self.write_lock:
            with self._lock:
                batch, self._pending = self._pending, {}
            for n, (item_id, text) in enumerate(batch.items()):
                try:
                    ts.save_draft(item_id, text)
                except Exception:
                    with self._lock:  # keep what was not written, unless newer text came in
                        for later_id, later_text in list(batch.items())[n:]:
                            self._pending.setdefault(later_id, later_text)
                    raise
                with self._lock:
                    self._stored[item_id] = text

    def read(self, ts: TalentSync, item_id: int) -> str:
        """The draft to show for an item (worker thread): unsaved text, else the stored one."""
        with self.write_lock:
            with self._lock:
                if item_id in self._pending:
                    return self._pending[item_id]
            text = ts.draft(item_id) or ""
            with self._lock:
                self._stored[item_id] = text
            return text

    def forget(self, item_id: int) -> None:
        """The item is being answered or skipped: drop its unsaved text (hold `write_lock`)."""
        with self._lock:
            self._pending.pop(item_id, None)
            self._stored.pop(item_id, None)
