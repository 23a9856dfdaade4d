"""Whole sessions as records: read for a bundle, written by an import, scored for the coach view.

A session's `uid` (a UUID given on insert, see schema v4) is the same on every
laptop, so importing a session that is already here adds nothing. An imported
copy is replaced only by a copy that got further (more answers, more feedback,
more coach verdicts); a session taken on this machine is never overwritten.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlite_utils

from talentsync_tui.models import (
    Feedback,
    JobStatus,
    RecordedItem,
    RecordedResponse,
    SessionConfig,
    SessionRecord,
)
from talentsync_tui.store.connection import Connection, StoreError, _dt, _ts, insert_sql

ITEM_COLUMNS = ["session_id", "position", "kind", "question_key", "text", "difficulty", "type", "tags",
                "expected_seconds", "expected_points", "follow_ups", "parent_item_id", "status",
                "shown_at", "spent_seconds", "source", "latency_ms", "retry_of"]
INSERT_ITEM = insert_sql("session_items", ITEM_COLUMNS)
RESPONSE_COLUMNS = ["item_id", "session_id", "text", "skipped", "shown_at", "submitted_at",
                    "elapsed_seconds", "word_count"]
INSERT_RESPONSE = insert_sql("responses", RESPONSE_COLUMNS)


@dataclass
class RecordImport:
    """What one `session import` did: session uids by outcome, profiles created by name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    profiles_created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreRow:
    """One answered question with its score, for the coach overview."""

    profile_id: int
    session_id: int
    kind: str
    question_key: str | None
    score: int


def progress(record: SessionRecord) -> tuple[int, int, int]:
    """How far a copy of a session got: (answers, final feedback, coach verdicts)."""
    responses = [i.response for i in record.items if i.response is not None]
    graded = [r.feedback for r in responses if r.feedback is not None and not r.grading]
    coached = [f for f in graded if not f.details.get("quick")]
    return len(responses), len(graded), len(coached)


class RecordTables(Connection):
    def session_records(self, session_ids: list[int] | None = None,
                        profile_id: int | None = None) -> list[SessionRecord]:
        """Sessions with everything in them, oldest first, read in one snapshot."""
        clauses, params = [], []
        if session_ids is not None:
            if not session_ids:
                return []
            clauses.append(f"s.id IN ({','.join('?' * len(session_ids))})")
            params += list(session_ids)
        if profile_id is not None:
            clauses.append("s.profile_id = ?")
            params.append(profile_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.read() as db:
            sessions = list(db.query(
                f"SELECT s.*, p.name AS profile_name FROM sessions s "
                f"JOIN profiles p ON p.id = s.profile_id {where} ORDER BY s.id", params))
            items: dict[int, list[dict[str, Any]]] = {}
            for row in db.query(
                f"SELECT i.* FROM session_items i JOIN sessions s ON s.id = i.session_id {where} "
                "ORDER BY i.session_id, i.position", params):
                items.setdefault(row["session_id"], []).append(row)
            responses = {
                row["item_id"]: row for row in db.query(
                    f"SELECT r.*, f.data AS feedback, EXISTS (SELECT 1 FROM jobs j WHERE j.response_id = r.id "
                    f"AND j.status IN ('pending', 'running')) AS grading FROM responses r "
                    f"JOIN sessions s ON s.id = r.session_id "
                    f"LEFT JOIN feedback f ON f.response_id = r.id {where}", params)
            }
        return [_record(row, items.get(row["id"], []), responses) for row in sessions]

    def import_records(self, records: list[SessionRecord], now: datetime,
                       on_session: Callable[[], None] | None = None) -> RecordImport:
        """Write sessions from another laptop in one transaction: all of them or none.

        Profiles are matched by name (case-insensitively) and created when missing.
        """
        report = RecordImport()
        try:
            with self.write() as db:
                for record in records:
                    row = db.execute("SELECT id, origin FROM sessions WHERE uid = ?",
                                     [record.uid]).fetchone()
                    if row is None:
                        self._insert_record(db, record, now, report)
                        report.added.append(record.uid)
                    elif row[1] is not None and progress(record) > progress(
                            self.session_records([row[0]])[0]):
                        db.execute("DELETE FROM sessions WHERE id = ?", [row[0]])
                        self._insert_record(db, record, now, report, session_id=row[0])
                        report.updated.append(record.uid)
                    else:
                        report.unchanged.append(record.uid)
                    if on_session is not None:
                        on_session()
        except sqlite3.IntegrityError as exc:  # validation should make this unreachable
            raise StoreError(f"The sessions could not be stored ({exc}); nothing was imported.") from exc
        return report

    def _insert_record(self, db: sqlite_utils.Database, record: SessionRecord, now: datetime,
                       report: RecordImport, session_id: int | None = None) -> None:
        profile = db.execute("SELECT id FROM profiles WHERE name = ? COLLATE NOCASE",
                             [record.profile_name]).fetchone()
        if profile is None:
            profile_id = db.execute("INSERT INTO profiles (name, created_at) VALUES (?, ?)",
                                    [record.profile_name, _ts(now)]).lastrowid
            report.profiles_created.append(record.profile_name)
        else:
            profile_id = profile[0]
        session_id = db.execute(
            "INSERT INTO sessions (id, profile_id, status, config, seed, created_at, completed_at, "
            "uid, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [session_id, profile_id, record.status.value, record.config.model_dump_json(), record.seed,
             _ts(record.created_at), _ts(record.completed_at), record.uid, record.origin or "unknown"],
        ).lastrowid
        item_ids: dict[int, int] = {}
        stamp = _ts(now)
        for item in sorted(record.items, key=lambda i: i.position):
            parent = item_ids[item.parent_position] if item.parent_position is not None else None
            first = item_ids.get(item.retry_of_position) if item.retry_of_position is not None else None
            item_id = db.execute(INSERT_ITEM, [
                session_id, item.position, item.kind.value, item.question_key, item.text,
                item.difficulty.value, item.type.value, json.dumps(item.tags),
                item.expected_seconds, json.dumps(item.expected_points), json.dumps(item.follow_ups),
                parent, item.status.value, _ts(item.shown_at), item.spent_seconds, item.source,
                item.latency_ms, first,
            ]).lastrowid
            item_ids[item.position] = item_id
            response = item.response
            if response is None:
                continue
            response_id = db.execute(INSERT_RESPONSE, [
                item_id, session_id, response.text, int(response.skipped), _ts(response.shown_at),
                _ts(response.submitted_at), response.elapsed_seconds, response.word_count,
            ]).lastrowid
            if response.feedback is not None:
                feedback = response.feedback.model_copy(update={"response_id": response_id})
                db.execute(
                    "INSERT INTO feedback (response_id, score, coverage, data, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [response_id, feedback.score, feedback.coverage, feedback.model_dump_json(), stamp],
                )
            # An answer that arrives ungraded (or with only its quick preview) is graded here.
            status = JobStatus.done if response.feedback is not None and not response.grading else JobStatus.pending
            db.execute(
                "INSERT INTO jobs (kind, response_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                ["feedback", response_id, status.value, stamp, stamp],
            )

    def score_rows(self) -> list[ScoreRow]:
        """Every scored answer with its profile, session and question (the coach overview)."""
        rows = self._rows(
            "SELECT s.profile_id, s.id AS session_id, i.kind, i.question_key, f.score "
            "FROM feedback f JOIN responses r ON r.id = f.response_id "
            "JOIN session_items i ON i.id = r.item_id JOIN sessions s ON s.id = r.session_id "
            "ORDER BY s.id, i.position"
        )
        return [ScoreRow(r["profile_id"], r["session_id"], r["kind"], r["question_key"], r["score"])
                for r in rows]

    def item_counts(self) -> dict[int, tuple[int, int]]:
        """Session id -> (questions answered or skipped, questions in the queue)."""
        rows = self._rows("SELECT session_id, SUM(status != 'pending') AS done, COUNT(*) AS total "
                          "FROM session_items GROUP BY session_id")
        return {r["session_id"]: (r["done"] or 0, r["total"]) for r in rows}


def _record(session: dict[str, Any], items: list[dict[str, Any]],
            responses: dict[int, dict[str, Any]]) -> SessionRecord:
    positions = {row["id"]: row["position"] for row in items}
    recorded = []
    for row in items:
        response = responses.get(row["id"])
        recorded.append(RecordedItem(
            position=row["position"],
            kind=row["kind"],
            question_key=row["question_key"],
            text=row["text"],
            difficulty=row["difficulty"],
            type=row["type"],
            tags=json.loads(row["tags"]),
            expected_seconds=row["expected_seconds"],
            expected_points=json.loads(row["expected_points"]),
            follow_ups=json.loads(row["follow_ups"]),
            parent_position=positions.get(row["parent_item_id"]),
            retry_of_position=positions.get(row.get("retry_of")),
            status=row["status"],
            shown_at=_dt(row["shown_at"]),
            spent_seconds=row["spent_seconds"],
            source=row["source"],
            latency_ms=row["latency_ms"],
            response=None if response is None else RecordedResponse(
                text=response["text"],
                skipped=bool(response["skipped"]),
                shown_at=_dt(response["shown_at"]),
                submitted_at=_dt(response["submitted_at"]),
                elapsed_seconds=response["elapsed_seconds"],
                word_count=response["word_count"],
                feedback=(Feedback.model_validate_json(response["feedback"])
                          .model_copy(update={"response_id": None}) if response["feedback"] else None),
                grading=bool(response["grading"]),
            ),
        ))
    return SessionRecord(
        uid=session["uid"],
        profile_name=session["profile_name"],
        status=session["status"],
        config=SessionConfig.model_validate_json(session["config"]),
        seed=session["seed"],
        created_at=_dt(session["created_at"]),
        completed_at=_dt(session["completed_at"]),
        origin=session["origin"],
        items=recorded,
    )
