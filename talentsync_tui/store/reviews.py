"""Review items (spaced repetition across sessions), their log, and the answer history.

Review items are written only inside the transaction that stores an answer's final
feedback (`JobTables.save_feedback` calls `_apply_reviews`): a crash either keeps both
or neither, and grading the same answer again rewrites that answer's log rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any, Protocol

import sqlite_utils

from talentsync_tui.models import AnswerRecord, Feedback, ReviewItem, ReviewTarget
from talentsync_tui.store.connection import Connection, _dt, _ts


class CardLike(Protocol):
    card_json: str
    due: datetime
    reviews: int
    lapses: int
    stability: float | None


Replay = Callable[[Sequence[tuple[int, bool, datetime]]], CardLike | None]
"""Rows (rating, creates, time) in answer order -> the card, or None (no item)."""


def due_text(value: datetime) -> str:
    """A due date as fixed-width UTC text: text order is time order, so SQL compares it."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _review_item(row: dict[str, Any]) -> ReviewItem:
    return ReviewItem(
        id=row["id"], profile_id=row["profile_id"], question_key=row["question_key"], point=row["point"],
        question_text=row["question_text"], point_text=row["point_text"], tags=json.loads(row["tags"]),
        due=_dt(row["due"]), reviews=row["reviews"], lapses=row["lapses"], stability=row["stability"],
        created_at=_dt(row["created_at"]), updated_at=_dt(row["updated_at"]),
    )


ASKABLE = "EXISTS (SELECT 1 FROM questions q WHERE q.key = review_items.question_key)"
"""Only items whose question is still in a bank are due: a deleted module's cannot be practised."""

REVIEW_COLUMNS = ("id, profile_id, question_key, point, question_text, point_text, tags, due, reviews, "
                  "lapses, stability, created_at, updated_at")


class ReviewTables(Connection):
    def _apply_reviews(self, db: sqlite_utils.Database, response_id: int, targets: list[ReviewTarget],
                       replay: Replay, now: datetime) -> None:
        """Make or review the items an answer's targets name; runs inside the caller's write."""
        found = db.execute(
            "SELECT s.profile_id, r.submitted_at FROM responses r JOIN sessions s ON s.id = r.session_id "
            "WHERE r.id = ?", [response_id]).fetchone()
        if found is None:
            return
        profile_id, submitted_at = found
        answered_at = due_text(_dt(submitted_at))  # fixed width: the log sorts by it
        stamp = _ts(now)
        for target in targets:
            row = db.execute(
                "SELECT id FROM review_items WHERE profile_id = ? AND question_key = ? AND point = ?",
                [profile_id, target.question_key, target.point]).fetchone()
            if row is None:
                if not target.creates:
                    continue
                item_id = db.execute(
                    "INSERT INTO review_items (profile_id, question_key, point, question_text, point_text, "
                    "tags, card, due, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)",
                    [profile_id, target.question_key, target.point, target.question_text, target.point_text,
                     json.dumps(target.tags), answered_at, stamp, stamp]).lastrowid
            else:
                item_id = row[0]
            db.execute(
                "INSERT INTO review_log (review_item_id, response_id, rating, creates, reviewed_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (review_item_id, response_id) DO UPDATE SET "
                "rating = excluded.rating, creates = excluded.creates, reviewed_at = excluded.reviewed_at",
                [item_id, response_id, int(target.rating), int(target.creates), answered_at])
            log = [(rating, bool(creates), _dt(when)) for rating, creates, when in db.execute(
                "SELECT rating, creates, reviewed_at FROM review_log WHERE review_item_id = ? "
                "ORDER BY reviewed_at, response_id", [item_id]).fetchall()]
            state = replay(log)
            if state is None:  # regraded: the answer that made it no longer misses it
                db.execute("DELETE FROM review_items WHERE id = ?", [item_id])
                continue
            db.execute(
                "UPDATE review_items SET card = ?, due = ?, reviews = ?, lapses = ?, stability = ?, "
                "question_text = ?, point_text = ?, tags = ?, updated_at = ? WHERE id = ?",
                [state.card_json, due_text(state.due), state.reviews, state.lapses, state.stability,
                 target.question_text, target.point_text, json.dumps(target.tags), stamp, item_id])

    def due_reviews(self, profile_id: int, now: datetime, limit: int | None = None) -> list[ReviewItem]:
        """Items due at `now` whose question is still in a bank, most overdue first (an indexed
        range scan)."""
        rows = self._rows(
            f"SELECT {REVIEW_COLUMNS} FROM review_items WHERE profile_id = ? AND due <= ? AND {ASKABLE} "
            "ORDER BY due, id LIMIT ?", [profile_id, due_text(now), -1 if limit is None else limit])
        return [_review_item(r) for r in rows]

    def due_topics(self, profile_id: int, now: datetime) -> list[tuple[str, str]]:
        """(question key, topic: the first tag, else the module) of every due item, most
        overdue first: what the home screen's line and a practice session need, in SQL."""
        with self._lock:
            self._check_open()
            return self.conn.execute(
                "SELECT question_key, COALESCE(json_extract(tags, '$[0]'), "
                "substr(question_key, 1, instr(question_key, '/') - 1)) FROM review_items "
                f"WHERE profile_id = ? AND due <= ? AND {ASKABLE} ORDER BY due, id",
                [profile_id, due_text(now)]).fetchall()

    def review_items(self, profile_id: int) -> list[ReviewItem]:
        """Every review item of a profile, soonest due first."""
        rows = self._rows(f"SELECT {REVIEW_COLUMNS} FROM review_items WHERE profile_id = ? "
                          "ORDER BY due, id", [profile_id])
        return [_review_item(r) for r in rows]

    def review_counts(self, profile_id: int, now: datetime) -> tuple[int, int, datetime | None]:
        """(due now, total, the earliest due date) of a profile's review items still askable."""
        row = self._one(
            "SELECT SUM(due <= ?) AS due, COUNT(*) AS total, MIN(due) AS first FROM review_items "
            f"WHERE profile_id = ? AND {ASKABLE}", [due_text(now), profile_id])
        if row is None or not row["total"]:
            return 0, 0, None
        return row["due"] or 0, row["total"], _dt(row["first"])

    def review_card(self, review_item_id: int) -> str | None:
        """The fsrs card of an item, as JSON."""
        row = self._one("SELECT card FROM review_items WHERE id = ?", [review_item_id])
        return row["card"] if row else None

    def review_log(self, review_item_id: int) -> list[tuple[int, int, bool, datetime]]:
        """(response id, rating, creates, time) of every answer that made or reviewed an item."""
        return [(r["response_id"], r["rating"], bool(r["creates"]), _dt(r["reviewed_at"])) for r in self._rows(
            "SELECT response_id, rating, creates, reviewed_at FROM review_log WHERE review_item_id = ? "
            "ORDER BY reviewed_at, response_id", [review_item_id])]

    def answer_history(self, profile_id: int) -> list[AnswerRecord]:
        """Every scored answer of a profile, oldest session first (progress over time)."""
        rows = self._rows(
            "SELECT s.id AS session_id, s.created_at AS started, i.question_key, i.text, i.kind, i.tags, "
            "i.retry_of, r.skipped, r.submitted_at, f.data FROM responses r "
            "JOIN session_items i ON i.id = r.item_id JOIN sessions s ON s.id = r.session_id "
            "JOIN feedback f ON f.response_id = r.id WHERE s.profile_id = ? ORDER BY s.id, r.submitted_at, r.id",
            [profile_id])
        return [AnswerRecord(session_id=r["session_id"], session_started=_dt(r["started"]),
                             question_key=r["question_key"], question_text=r["text"], kind=r["kind"],
                             tags=json.loads(r["tags"]), retry=r["retry_of"] is not None,
                             skipped=bool(r["skipped"]), submitted_at=_dt(r["submitted_at"]),
                             feedback=Feedback.model_validate_json(r["data"]))
                for r in rows]
