"""Sessions, their question queue, answers and drafts."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from talentsync_tui.models import (
    ItemStatus,
    JobStatus,
    Response,
    Session,
    SessionConfig,
    SessionItem,
    SessionStatus,
)
from talentsync_tui.store.connection import Connection, StoreError, _dt, _ts, insert_sql
from talentsync_tui.store.rows import _item, _item_row, _response, _session


class SessionTables(Connection):
    def create_session(self, profile_id: int, config: SessionConfig, seed: int,
                       items: list[dict[str, Any]], now: datetime) -> int:
        """Store a session and its seeded queue in one transaction."""
        try:
            with self.write() as db:
                session_id = db.execute(
                    "INSERT INTO sessions (profile_id, status, config, seed, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [profile_id, SessionStatus.active.value, config.model_dump_json(), seed, _ts(now)],
                ).lastrowid
                for position, item in enumerate(items):
                    row = {**_item_row(item), "session_id": session_id, "position": position}
                    db.execute(insert_sql("session_items", row), list(row.values()))
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise StoreError("The profile was deleted (by another TalentSync window?) "
                                 "before the session could be stored.") from exc
            raise
        return session_id

    def get_session(self, session_id: int) -> Session | None:
        row = self._one("SELECT * FROM sessions WHERE id = ?", [session_id])
        return _session(row) if row else None

    def sessions(self, profile_id: int | None = None, status: SessionStatus | None = None,
                 limit: int = 200) -> list[Session]:
        clauses, params = [], []
        if profile_id is not None:
            clauses.append("profile_id = ?")
            params.append(profile_id)
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._rows(f"SELECT * FROM sessions {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        return [_session(r) for r in rows]

    def set_session_status(self, session_id: int, status: SessionStatus,
                           completed_at: datetime | None = None) -> None:
        with self.write() as db:
            db.execute("UPDATE sessions SET status = ?, completed_at = ? WHERE id = ?",
                       [status.value, _ts(completed_at), session_id])

    def items(self, session_id: int) -> list[SessionItem]:
        rows = self._rows(
            "SELECT * FROM session_items WHERE session_id = ? ORDER BY position", [session_id]
        )
        return [_item(r) for r in rows]

    def get_item(self, item_id: int) -> SessionItem | None:
        row = self._one("SELECT * FROM session_items WHERE id = ?", [item_id])
        return _item(row) if row else None

    def current_item(self, session_id: int) -> SessionItem | None:
        """The first unanswered item of the queue (an indexed lookup)."""
        row = self._one(
            "SELECT * FROM session_items WHERE session_id = ? AND status = 'pending' "
            "ORDER BY position LIMIT 1",
            [session_id],
        )
        return _item(row) if row else None

    def show_current(self, session_id: int, now: datetime) -> SessionItem | None:
        """Start the clock of the first pending item and return it, in one transaction.

        Done atomically so a follow-up inserted concurrently can never slip in
        between choosing the item and starting its clock.
        """
        with self.write() as db:
            row = db.execute(
                "SELECT id FROM session_items WHERE session_id = ? AND status = 'pending' "
                "ORDER BY position LIMIT 1",
                [session_id],
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE session_items SET shown_at = COALESCE(shown_at, :now), resumed_at = :now "
                "WHERE id = :id AND resumed_at IS NULL",
                {"now": _ts(now), "id": row[0]},
            )
            return self.get_item(row[0])

    def complete_if_done(self, session_id: int, now: datetime) -> bool:
        """Mark the session completed when nothing is pending (atomic with follow-up inserts)."""
        with self.write() as db:
            pending = db.execute(
                "SELECT 1 FROM session_items WHERE session_id = ? AND status = 'pending' LIMIT 1",
                [session_id],
            ).fetchone()
            if pending:
                return False
            db.execute("UPDATE sessions SET status = ?, completed_at = ? WHERE id = ?",
                       [SessionStatus.completed.value, _ts(now), session_id])
            return True

    def stop_clock(self, session_id: int, now: datetime) -> None:
        """Bank the running item's time (pause): the clock stops until it is shown again."""
        with self.write() as db:
            for row in db.execute(
                "SELECT id, resumed_at FROM session_items "
                "WHERE session_id = ? AND resumed_at IS NOT NULL",
                [session_id],
            ).fetchall():
                spent = max(0.0, (now - _dt(row[1])).total_seconds())
                db.execute(
                    "UPDATE session_items SET spent_seconds = spent_seconds + ?, resumed_at = NULL "
                    "WHERE id = ?",
                    [spent, row[0]],
                )

    def record_response(self, item: SessionItem, text: str, skipped: bool, now: datetime,
                        elapsed: float, word_count: int, job_kind: str = "feedback") -> int:
        """Commit an answer and its pending feedback job in one transaction."""
        stamp = _ts(now)
        with self.write() as db:
            cursor = db.execute(
                "UPDATE session_items SET status = ?, spent_seconds = ?, resumed_at = NULL "
                "WHERE id = ? AND status = 'pending'",
                [ItemStatus.skipped.value if skipped else ItemStatus.answered.value, elapsed, item.id],
            )
            if cursor.rowcount != 1:
                if db.execute("SELECT 1 FROM session_items WHERE id = ?", [item.id]).fetchone() is None:
                    raise StoreError(f"Question {item.id} no longer exists: its session or profile "
                                     "was deleted (by another TalentSync window?).")
                raise StoreError(f"Question {item.id} was already answered.")
            db.execute("DELETE FROM drafts WHERE item_id = ?", [item.id])
            response_id = db.execute(
                "INSERT INTO responses (item_id, session_id, text, skipped, shown_at, submitted_at, "
                "elapsed_seconds, word_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [item.id, item.session_id, text, int(skipped), _ts(item.shown_at), stamp, elapsed,
                 word_count],
            ).lastrowid
            db.execute(
                "INSERT INTO jobs (kind, response_id, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [job_kind, response_id, JobStatus.pending.value, stamp, stamp],
            )
        return response_id

    def insert_item_after(self, after_item_id: int, item: dict[str, Any],
                          max_children: int | None = None) -> int | None:
        """Insert a queue item right after the question on screen, shifting the rest down.

        Returns None (and inserts nothing) when the session is already completed or
        the parent already has `max_children` follow-ups: checked in the same
        transaction, so a session that just finished never gains a question.
        """
        with self.write() as db:
            anchor = db.execute(
                "SELECT i.session_id, i.position, s.status FROM session_items i "
                "JOIN sessions s ON s.id = i.session_id WHERE i.id = ?",
                [after_item_id],
            ).fetchone()
            if anchor is None:
                raise StoreError(f"Unknown session item {after_item_id}")
            session_id, anchor_position, session_status = anchor
            if session_status == SessionStatus.completed.value:
                return None
            if max_children is not None:
                children = db.execute(
                    "SELECT COUNT(*) FROM session_items WHERE parent_item_id = ?", [after_item_id]
                ).fetchone()[0]
                if children >= max_children:
                    return None
            # Never displace the question the candidate is looking at: go after the
            # first pending item if it has been shown, else take its place.
            current = db.execute(
                "SELECT position, shown_at FROM session_items WHERE session_id = ? "
                "AND status = 'pending' ORDER BY position LIMIT 1",
                [session_id],
            ).fetchone()
            if current is None:
                last = db.execute(
                    "SELECT MAX(position) FROM session_items WHERE session_id = ?", [session_id]
                ).fetchone()[0]
                target = last + 1
            else:
                target = current[0] + 1 if current[1] else current[0]
            target = max(target, anchor_position + 1)
            db.execute(
                "UPDATE session_items SET position = position + 1 "
                "WHERE session_id = ? AND position >= ?",
                [session_id, target],
            )
            row = {**_item_row(item), "session_id": session_id, "position": target,
                   "parent_item_id": after_item_id}
            return db.execute(insert_sql("session_items", row), list(row.values())).lastrowid

    def add_retry(self, item_id: int) -> int:
        """Queue an answered question again, at the end of its session, linked to its first
        attempt; a finished session opens again (active) for it. One transaction."""
        with self.write() as db:
            rows = list(db.query("SELECT * FROM session_items WHERE id = ?", [item_id]))
            if not rows:
                raise StoreError(f"There is no question {item_id}.")
            original = _item(rows[0])
            if original.status is ItemStatus.pending:
                raise StoreError("That question has not been answered yet: answer it first.")
            first = original.retry_of or original.id
            waiting = db.execute(
                "SELECT position FROM session_items WHERE (retry_of = ? OR id = ?) AND status = 'pending'",
                [first, first]).fetchone()
            if waiting is not None:
                raise StoreError(f"A retry of that question is already waiting (question {waiting[0] + 1}).")
            last = db.execute("SELECT MAX(position) FROM session_items WHERE session_id = ?",
                              [original.session_id]).fetchone()[0]
            fields = original.model_dump(include={
                "kind", "question_key", "text", "difficulty", "type", "tags", "expected_seconds",
                "expected_points", "follow_ups"})
            item = {**_item_row(fields), "session_id": original.session_id, "position": last + 1,
                    "retry_of": first}
            new_id = db.execute(insert_sql("session_items", item), list(item.values())).lastrowid
            db.execute("UPDATE sessions SET status = ?, completed_at = NULL WHERE id = ? AND status = ?",
                       [SessionStatus.active.value, original.session_id, SessionStatus.completed.value])
        return new_id

    def attempts(self, item_id: int) -> list[SessionItem]:
        """A question's first attempt and its retries, in order."""
        item = self.get_item(item_id)
        if item is None:
            return []
        first = item.retry_of or item.id
        rows = self._rows("SELECT * FROM session_items WHERE id = ? OR retry_of = ? ORDER BY position",
                          [first, first])
        return [_item(r) for r in rows]

    def save_draft(self, item_id: int, text: str, now: datetime) -> None:
        """Keep unsubmitted text; a draft for an item deleted meanwhile is dropped."""
        with self.write() as db:
            if text.strip():
                db.execute(
                    "INSERT INTO drafts (item_id, text, updated_at) SELECT ?, ?, ? "
                    "WHERE EXISTS (SELECT 1 FROM session_items WHERE id = ?) "
                    "ON CONFLICT (item_id) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    [item_id, text, _ts(now), item_id],
                )
            else:
                db.execute("DELETE FROM drafts WHERE item_id = ?", [item_id])

    def draft(self, item_id: int) -> str | None:
        row = self._one("SELECT text FROM drafts WHERE item_id = ?", [item_id])
        return row["text"] if row else None

    def follow_up_count(self, parent_item_id: int) -> int:
        row = self._one(
            "SELECT COUNT(*) AS n FROM session_items WHERE parent_item_id = ?", [parent_item_id]
        )
        return row["n"] if row else 0

    def responses(self, session_id: int) -> list[Response]:
        rows = self._rows("SELECT * FROM responses WHERE session_id = ? ORDER BY id", [session_id])
        return [_response(r) for r in rows]

    def get_response(self, response_id: int) -> Response | None:
        row = self._one("SELECT * FROM responses WHERE id = ?", [response_id])
        return _response(row) if row else None
