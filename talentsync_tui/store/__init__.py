"""SQLite persistence: schema, migrations and every query."""

from talentsync_tui.store.schema import SCHEMA_VERSION
from talentsync_tui.store.store import (
    ImportReport,
    JobGone,
    RecordImport,
    ScoreRow,
    Store,
    StoreBusy,
    StoreClosed,
    StoreError,
    question_hash,
    utcnow,
)

__all__ = ["SCHEMA_VERSION", "ImportReport", "JobGone", "RecordImport", "ScoreRow", "Store", "StoreBusy",
           "StoreClosed", "StoreError", "question_hash", "utcnow"]
