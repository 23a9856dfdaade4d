"""The connection under the store: transactions, migrations, file modes, errors.

Several processes share one data dir (the app, a coach's CLI command, a second
app opened by mistake), so every write:

- opens with `BEGIN IMMEDIATE`, which takes the write lock up front and waits on
  SQLite's busy timeout. A deferred transaction that starts as a reader and then
  writes gets `SQLITE_BUSY` at once in WAL mode when another process committed in
  between, whatever the timeout: that was the "database is locked" after 1 ms.
- uses explicit SQL (`INSERT ... ON CONFLICT ... DO UPDATE`): sqlite-utils probes
  once per connection whether upserts work, and a probe that meets a lock makes it
  use a legacy upsert for good, which stores nothing on tables with NOT NULL
  columns and raises nothing.

Inside one process, one connection is guarded by one re-entrant lock; a write
inside a write joins the outer transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from talentsync_tui.files import private_file, touch_private
from talentsync_tui.store.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 10.0


class StoreError(Exception):
    """A database problem explained for a user (corrupt file, newer schema...)."""


class StoreBusy(StoreError):
    """Another process held the database for longer than the busy timeout."""


class StoreClosed(StoreError):
    """The store was closed (the app is quitting) while a thread still wanted it."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _busy_error(exc: BaseException) -> StoreBusy:
    return StoreBusy(
        f"The database is busy: another TalentSync process kept it locked for more than "
        f"{BUSY_TIMEOUT_S:g} s ({exc}). Try again in a moment."
    )


def insert_sql(table: str, columns: Iterable[str], conflict: str | None = None,
               keep: Iterable[str] = ()) -> str:
    """`INSERT INTO table (...) VALUES (...)`, with an explicit upsert on `conflict`.

    Columns in `keep` are not overwritten when the row exists. Names are code
    constants, never user input.
    """
    cols = list(columns)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    if conflict is not None:
        keys = {c.strip() for c in conflict.split(",")} | set(keep)
        updates = [c for c in cols if c not in keys]
        sql += (f" ON CONFLICT ({conflict}) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in updates)
                if updates else f" ON CONFLICT ({conflict}) DO NOTHING")
    return sql


def split_statements(script: str) -> list[str]:
    """A schema script as single statements (to run them inside our own transaction)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


class Connection:
    """One SQLite connection, its lock and its transactions."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if path != ":memory:" else None
        self._lock = threading.RLock()
        self._depth = 0  # >0 while this connection is inside a transaction
        self._closed = False
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # Created 0600 before SQLite sees it; the WAL and SHM files SQLite
                # makes next inherit the database file's mode.
                touch_private(self.path)
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None)  # we open every transaction ourselves
            self.conn = conn
            self.db = sqlite_utils.Database(conn)
            self._setup()
            self._migrate()
        except PermissionError as exc:
            raise StoreError(f"Cannot open the database {path}: permission denied "
                             f"({exc.strerror}).") from exc
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise _busy_error(exc) from exc
            raise StoreError(
                f"Cannot open the database {path}: {exc}. "
                "If the file is corrupt, move it aside and TalentSync will create a new one."
            ) from exc
        self._private_files()

    def _setup(self) -> None:
        execute = self.conn.execute
        execute("PRAGMA foreign_keys = ON")
        execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if self.path is None:
            return
        # Switching a new file to WAL needs a moment alone with it; another process
        # opening the same new file at the same instant can make this report busy.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        execute("PRAGMA synchronous = NORMAL")

    def _private_files(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            private_file(self.path.with_name(self.path.name + suffix))

    # -- plumbing -----------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the connection; later calls from any thread raise StoreClosed."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self.conn.close()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed("The database is closed (TalentSync is shutting down).")

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction (BEGIN IMMEDIATE): all of it lands or none of it."""
        with self._transaction("BEGIN IMMEDIATE", rollback_on_error=True) as db:
            yield db

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """Several reads that must see one snapshot (another process may write in between)."""
        with self._transaction("BEGIN", rollback_on_error=False) as db:
            yield db

    @contextmanager
    def _transaction(self, begin: str, *, rollback_on_error: bool) -> Iterator[sqlite_utils.Database]:
        """The outermost `write()`/`read()` opens the transaction; nested ones join it."""
        with self._lock:
            self._check_open()
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            self._begin(begin)
            self._depth = 1
            try:
                yield self.db
            except BaseException:
                self._depth = 0
                self._end("ROLLBACK" if rollback_on_error else "COMMIT")
                raise
            self._depth = 0
            self._end("COMMIT")

    def _begin(self, statement: str) -> None:
        try:
            self.conn.execute(statement)
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise _busy_error(exc) from exc
            raise

    def _end(self, statement: str) -> None:
        if self._closed or not self.conn.in_transaction:
            return
        try:
            self.conn.execute(statement)
        except sqlite3.OperationalError as exc:
            if statement == "ROLLBACK":
                log.warning("rollback failed: %s", exc)
                return
            if _is_busy(exc):
                self.conn.execute("ROLLBACK")
                raise _busy_error(exc) from exc
            raise

    def _rows(self, sql: str, params: Iterable[Any] | dict = ()) -> list[dict[str, Any]]:
        with self._lock:
            self._check_open()
            try:
                return list(self.db.query(sql, params))
            except OverflowError:
                return []  # an id beyond SQLite's 64-bit integers matches no row
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise _busy_error(exc) from exc
                raise

    def _one(self, sql: str, params: Iterable[Any] | dict = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    @property
    def schema_version(self) -> int:
        with self._lock:
            self._check_open()
            return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise self._too_new(version)
        if version == SCHEMA_VERSION:
            return
        with self._lock:
            # Two processes may open a new data dir at once: take the write lock, then
            # look again, so each migration runs exactly once.
            self._begin("BEGIN IMMEDIATE")
            try:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise self._too_new(version)
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    log.info("migrating database to schema v%d", number)
                    for statement in split_statements(MIGRATIONS[number - 1]):
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version = {number}")
            except BaseException:
                self._end("ROLLBACK")
                raise
            self._end("COMMIT")

    def _too_new(self, version: int) -> StoreError:
        return StoreError(
            f"The database {self.path} was written by a newer TalentSync "
            f"(schema v{version}; this version knows up to v{SCHEMA_VERSION}). "
            "Upgrade TalentSync or point --data-dir at another folder."
        )

    # -- meta ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute(insert_sql("meta", ["key", "value"], conflict="key"), [key, value])

    def meta_with_prefix(self, prefix: str) -> dict[str, str]:
        """Every meta key starting with `prefix` (kiosk candidates, say), with its value."""
        rows = self._rows("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
                          [len(prefix), prefix])
        return {row["key"]: row["value"] for row in rows}

    def delete_meta(self, key: str) -> None:
        with self.write() as db:
            db.execute("DELETE FROM meta WHERE key = ?", [key])

    def table_counts(self) -> dict[str, int]:
        with self.read() as db:
            return {name: db.execute(f"SELECT COUNT(*) FROM [{name}]").fetchone()[0]
                    for name in sorted(db.table_names())}
