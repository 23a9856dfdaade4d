"""The SQLite store: the only place that writes SQL.

`Store` is one class assembled from one module per table group:

- `connection`: the connection, transactions (`BEGIN IMMEDIATE`), migrations, meta
- `banks`: modules, questions, expected points, follow-up templates
- `profiles`: candidate profiles (and deleting a candidate's data)
- `sessions`: sessions, their queue, answers and drafts
- `jobs`: feedback and the job queue
- `records`: whole sessions read for a bundle and written by an import; scores for the coach view
- `reviews`: review items (spaced repetition), their log, a profile's answer history

One connection guarded by one re-entrant lock: the TUI, the feedback workers
and the CLI in one process all go through it, and every write is a single
transaction, so an answer is either fully stored or not at all. Several
processes may share the file (see `connection`).
"""

from __future__ import annotations

from talentsync_tui.store.banks import BankTables, ImportReport
from talentsync_tui.store.connection import StoreBusy, StoreClosed, StoreError, utcnow
from talentsync_tui.store.jobs import JobGone, JobTables
from talentsync_tui.store.profiles import ProfileTables
from talentsync_tui.store.records import RecordImport, RecordTables, ScoreRow
from talentsync_tui.store.reviews import ReviewTables
from talentsync_tui.store.rows import question_hash
from talentsync_tui.store.sessions import SessionTables

__all__ = ["ImportReport", "JobGone", "RecordImport", "ScoreRow", "Store", "StoreBusy", "StoreClosed",
           "StoreError", "question_hash", "utcnow"]


class Store(BankTables, ProfileTables, SessionTables, JobTables, ReviewTables, RecordTables):
    """Typed access to the TalentSync database."""
