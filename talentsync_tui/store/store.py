"""The SQLite store: the only place that writes SQL.

One connection guarded by one re-entrant lock: the TUI, the feedback workers
and the CLI in one process all go through it, and every write is a single
`atomic()` transaction, so an answer is either fully stored or not at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from talentsync_tui.models import (
    Feedback,
    ItemStatus,
    Job,
    JobStatus,
    Module,
    ModuleSummary,
    Profile,
    Question,
    Response,
    Session,
    SessionConfig,
    SessionItem,
    SessionStatus,
    StoredQuestion,
)
from talentsync_tui.store.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)


class StoreError(Exception):
    """A database problem explained for a user (corrupt file, newer schema...)."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def question_hash(question: Question) -> str:
    """Fingerprint of a question's content (drives index staleness checks)."""
    payload = question.model_dump_json(exclude={"id"})
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass
class ImportReport:
    """What one bank import did, module by module."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def modules(self) -> list[str]:
        return sorted(set(self.added) | set(self.updated) | set(self.unchanged))


class Store:
    """Typed access to the TalentSync database."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if path != ":memory:" else None
        self._lock = threading.RLock()
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(path), check_same_thread=False, timeout=10.0
            )
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 10000")
            if self.path is not None:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"Cannot open the database {path}: {exc}. "
                "If the file is corrupt, move it aside and TalentSync will create a new one."
            ) from exc

    # -- plumbing -----------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One transaction under the writer lock: all of it lands or none of it."""
        with self._lock, self.db.atomic():
            yield self.db

    def _rows(self, sql: str, params: Iterable[Any] | dict = ()) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.db.query(sql, params))

    def _one(self, sql: str, params: Iterable[Any] | dict = ()) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The database {self.path} was written by a newer TalentSync "
                f"(schema v{version}; this version knows up to v{SCHEMA_VERSION}). "
                "Upgrade TalentSync or point --data-dir at another folder."
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            log.info("migrating database to schema v%d", number)
            with self._lock:
                self.db.conn.executescript(
                    f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
                )

    # -- meta ----------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # -- banks ---------------------------------------------------------------

    def import_modules(self, modules: list[Module], *, replace: bool = False,
                       source: str | None = None,
                       on_question: Callable[[], None] | None = None) -> ImportReport:
        """Upsert modules and their questions in one transaction.

        Re-importing the same content changes nothing; with `replace`, questions
        missing from the incoming module are deleted.
        """
        report = ImportReport()
        now = _ts(utcnow())
        with self.write() as db:
            for module in _merge_same_id(modules):
                db["modules"].upsert(
                    {
                        "id": module.id,
                        "name": module.name,
                        "category": module.category,
                        "description": module.description,
                        "default_minutes": module.default_minutes,
                        "source": source,
                        "updated_at": now,
                    },
                    pk="id",
                )
                existing = {
                    row["qid"]: row["content_hash"]
                    for row in db.query(
                        "SELECT qid, content_hash FROM questions WHERE module_id = ?", [module.id]
                    )
                }
                added = updated = unchanged = 0
                offset = 0 if replace else _next_position(db, module.id, existing)
                for position, question in enumerate(module.questions):
                    if on_question is not None:
                        on_question()
                    digest = question_hash(question)
                    old = existing.get(question.id)
                    if old == digest:
                        unchanged += 1
                        continue
                    if old is None:
                        added += 1
                    else:
                        updated += 1
                    self._write_question(db, module.id, question, position + offset, digest)
                removed = 0
                if replace:
                    gone = set(existing) - {q.id for q in module.questions}
                    for qid in gone:
                        db.execute("DELETE FROM questions WHERE key = ?", [f"{module.id}/{qid}"])
                    removed = len(gone)
                    for position, question in enumerate(module.questions):
                        db.execute(
                            "UPDATE questions SET position = ? WHERE key = ?",
                            [position, f"{module.id}/{question.id}"],
                        )
                report.added[module.id] = added
                report.updated[module.id] = updated
                report.unchanged[module.id] = unchanged
                report.removed[module.id] = removed
        return report

    @staticmethod
    def _write_question(db: sqlite_utils.Database, module_id: str, q: Question,
                        position: int, digest: str) -> None:
        key = f"{module_id}/{q.id}"
        old = db.execute("SELECT position FROM questions WHERE key = ?", [key]).fetchone()
        db["questions"].upsert(
            {
                "key": key,
                "module_id": module_id,
                "qid": q.id,
                "position": old[0] if old else position,
                "text": q.text,
                "difficulty": q.difficulty.value,
                "type": q.type.value,
                "tags": json.dumps(q.tags),
                "expected_seconds": q.expected_seconds,
                "model_answer": q.model_answer,
                "content_hash": digest,
            },
            pk="key",
        )
        db.execute("DELETE FROM expected_points WHERE question_key = ?", [key])
        db.execute("DELETE FROM followup_templates WHERE question_key = ?", [key])
        db["expected_points"].insert_all(
            {"question_key": key, "position": i, "text": text}
            for i, text in enumerate(q.expected_points)
        )
        db["followup_templates"].insert_all(
            {"question_key": key, "position": i, "text": text}
            for i, text in enumerate(q.follow_ups)
        )

    def delete_module(self, module_id: str) -> bool:
        with self.write() as db:
            cursor = db.execute("DELETE FROM modules WHERE id = ?", [module_id])
            return cursor.rowcount > 0

    def module_summaries(self) -> list[ModuleSummary]:
        rows = self._rows(
            """
            SELECT m.*, COUNT(q.key) AS question_count,
                   SUM(q.difficulty = 'easy') AS easy,
                   SUM(q.difficulty = 'medium') AS medium,
                   SUM(q.difficulty = 'hard') AS hard
            FROM modules m LEFT JOIN questions q ON q.module_id = m.id
            GROUP BY m.id ORDER BY m.category, m.name
            """
        )
        return [
            ModuleSummary(
                id=r["id"],
                name=r["name"],
                category=r["category"],
                description=r["description"],
                default_minutes=r["default_minutes"],
                question_count=r["question_count"],
                difficulty_mix={k: r[k] or 0 for k in ("easy", "medium", "hard")},
            )
            for r in rows
        ]

    def module_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM modules ORDER BY id")]

    def get_module(self, module_id: str) -> Module | None:
        row = self._one("SELECT * FROM modules WHERE id = ?", [module_id])
        if row is None:
            return None
        questions = self.questions(module_ids=[module_id])
        return Module(
            id=row["id"],
            name=row["name"],
            category=row["category"],
            description=row["description"],
            default_minutes=row["default_minutes"],
            questions=[Question.model_validate(q.model_dump(exclude={"module_id"})) for q in questions],
        )

    def questions(self, module_ids: list[str] | None = None) -> list[StoredQuestion]:
        """Questions (with points and follow-up templates) of some or all modules, in bank order."""
        if module_ids is None:
            return self._questions_where("", [])
        where = f"WHERE q.module_id IN ({','.join('?' * len(module_ids))})"
        return self._questions_where(where, list(module_ids))

    def _questions_where(self, where: str, params: list[Any]) -> list[StoredQuestion]:
        with self._lock:
            rows = list(self.db.query(
                f"SELECT q.* FROM questions q {where} ORDER BY q.module_id, q.position", params
            ))
            points = self._children("expected_points", where, params)
            follow_ups = self._children("followup_templates", where, params)
        return [
            StoredQuestion(
                module_id=r["module_id"],
                id=r["qid"],
                text=r["text"],
                difficulty=r["difficulty"],
                type=r["type"],
                tags=json.loads(r["tags"]),
                expected_seconds=r["expected_seconds"],
                expected_points=points.get(r["key"], []),
                model_answer=r["model_answer"],
                follow_ups=follow_ups.get(r["key"], []),
            )
            for r in rows
        ]

    def question_stubs(self, module_ids: list[str]) -> list[tuple[str, str, str, int]]:
        """(key, difficulty, type, expected_seconds) of many questions: just what choosing needs."""
        marks = ",".join("?" * len(module_ids))
        with self._lock:
            return self.db.execute(
                f"SELECT key, difficulty, type, expected_seconds FROM questions "
                f"WHERE module_id IN ({marks})",
                list(module_ids),
            ).fetchall()

    def banks_fingerprint(self, module_ids: list[str]) -> tuple:
        """Changes whenever any of these modules is (re)imported or deleted, by any process."""
        marks = ",".join("?" * len(module_ids))
        with self._lock:
            return tuple(self.db.execute(
                f"SELECT COUNT(*), MAX(updated_at), GROUP_CONCAT(id) FROM modules WHERE id IN ({marks})",
                list(module_ids),
            ).fetchone())

    def questions_by_key(self, keys: list[str]) -> dict[str, StoredQuestion]:
        """Full questions for a few keys (the ones a session actually asks)."""
        if not keys:
            return {}
        where = f"WHERE q.key IN ({','.join('?' * len(keys))})"
        return {q.key: q for q in self._questions_where(where, list(keys))}

    def _children(self, table: str, where: str, params: list[Any]) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for row in self.db.query(
            f"SELECT c.question_key, c.text FROM {table} c "
            f"JOIN questions q ON q.key = c.question_key {where} "
            "ORDER BY c.question_key, c.position",
            params,
        ):
            result.setdefault(row["question_key"], []).append(row["text"])
        return result

    def question_hashes(self) -> dict[str, str]:
        return {r["key"]: r["content_hash"] for r in self._rows("SELECT key, content_hash FROM questions")}

    def all_tags(self) -> set[str]:
        tags: set[str] = set()
        for row in self._rows("SELECT DISTINCT tags FROM questions"):
            tags.update(json.loads(row["tags"]))
        return tags

    # -- profiles ------------------------------------------------------------

    def save_profile(self, profile: Profile, resume_path: str | None = None) -> Profile:
        data = {
            "name": profile.name,
            "resume_text": profile.resume_text,
            "skills": json.dumps(profile.skills),
            "roles": json.dumps(profile.roles),
            "employers": json.dumps(profile.employers),
            "projects": json.dumps(profile.projects),
            "years_experience": profile.years_experience,
        }
        if resume_path is not None:
            data["resume_path"] = resume_path
        with self.write() as db:
            if profile.id is None:
                data["created_at"] = _ts(utcnow())
                profile_id = db["profiles"].insert(data).last_pk
            else:
                db["profiles"].update(profile.id, data)
                profile_id = profile.id
        saved = self.get_profile(profile_id)
        assert saved is not None
        return saved

    def get_profile(self, profile_id: int) -> Profile | None:
        row = self._one("SELECT * FROM profiles WHERE id = ?", [profile_id])
        return _profile(row) if row else None

    def find_profile(self, name: str) -> Profile | None:
        row = self._one("SELECT * FROM profiles WHERE name = ? COLLATE NOCASE", [name])
        return _profile(row) if row else None

    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self._rows("SELECT * FROM profiles ORDER BY name COLLATE NOCASE")]

    # -- sessions and the queue ---------------------------------------------

    def create_session(self, profile_id: int, config: SessionConfig, seed: int,
                       items: list[dict[str, Any]], now: datetime) -> int:
        """Store a session and its seeded queue in one transaction."""
        with self.write() as db:
            session_id = db["sessions"].insert(
                {
                    "profile_id": profile_id,
                    "status": SessionStatus.active.value,
                    "config": config.model_dump_json(),
                    "seed": seed,
                    "created_at": _ts(now),
                }
            ).last_pk
            db["session_items"].insert_all(
                {**_item_row(item), "session_id": session_id, "position": position}
                for position, item in enumerate(items)
            )
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
            db["sessions"].update(
                session_id, {"status": status.value, "completed_at": _ts(completed_at)}
            )

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
            db["sessions"].update(
                session_id, {"status": SessionStatus.completed.value, "completed_at": _ts(now)}
            )
            return True

    def stop_clock(self, session_id: int, now: datetime) -> None:
        """Bank the running item's time (pause): the clock stops until it is shown again."""
        with self.write() as db:
            for row in db.query(
                "SELECT id, resumed_at FROM session_items "
                "WHERE session_id = ? AND resumed_at IS NOT NULL",
                [session_id],
            ):
                spent = max(0.0, (now - _dt(row["resumed_at"])).total_seconds())
                db.execute(
                    "UPDATE session_items SET spent_seconds = spent_seconds + ?, resumed_at = NULL "
                    "WHERE id = ?",
                    [spent, row["id"]],
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
                raise StoreError(f"Question {item.id} was already answered.")
            db.execute("DELETE FROM drafts WHERE item_id = ?", [item.id])
            response_id = db["responses"].insert(
                {
                    "item_id": item.id,
                    "session_id": item.session_id,
                    "text": text,
                    "skipped": int(skipped),
                    "shown_at": _ts(item.shown_at),
                    "submitted_at": stamp,
                    "elapsed_seconds": elapsed,
                    "word_count": word_count,
                }
            ).last_pk
            db["jobs"].insert(
                {
                    "kind": job_kind,
                    "response_id": response_id,
                    "status": JobStatus.pending.value,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
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
            return db["session_items"].insert(
                {**_item_row(item), "session_id": session_id, "position": target,
                 "parent_item_id": after_item_id}
            ).last_pk

    def save_draft(self, item_id: int, text: str, now: datetime) -> None:
        with self.write() as db:
            if text.strip():
                db["drafts"].upsert({"item_id": item_id, "text": text, "updated_at": _ts(now)},
                                    pk="item_id")
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

    # -- feedback and jobs ---------------------------------------------------

    def save_feedback(self, job_id: int, feedback: Feedback, now: datetime) -> None:
        """Store feedback and finish its job in one transaction."""
        with self.write() as db:
            db["feedback"].upsert(
                {
                    "response_id": feedback.response_id,
                    "score": feedback.score,
                    "coverage": feedback.coverage,
                    "data": feedback.model_dump_json(),
                    "created_at": _ts(now),
                },
                pk="response_id",
            )
            db.execute(
                "UPDATE jobs SET status = 'done', error = NULL, updated_at = ? WHERE id = ?",
                [_ts(now), job_id],
            )

    def save_feedback_preview(self, feedback: Feedback, now: datetime) -> None:
        """Store a quick check for an answer whose job is still running (the job stays open).

        Never overwrites final feedback: a preview only lands while the job is not done.
        """
        with self.write() as db:
            db.execute(
                "INSERT INTO feedback (response_id, score, coverage, data, created_at) "
                "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE response_id = ? "
                "AND status = 'done') "
                "ON CONFLICT(response_id) DO UPDATE SET score = excluded.score, "
                "coverage = excluded.coverage, data = excluded.data, created_at = excluded.created_at",
                [feedback.response_id, feedback.score, feedback.coverage, feedback.model_dump_json(),
                 _ts(now), feedback.response_id],
            )

    def feedback_for_session(self, session_id: int) -> dict[int, Feedback]:
        """Feedback keyed by response id."""
        rows = self._rows(
            "SELECT f.data FROM feedback f JOIN responses r ON r.id = f.response_id "
            "WHERE r.session_id = ?",
            [session_id],
        )
        result = {}
        for row in rows:
            fb = Feedback.model_validate_json(row["data"])
            result[fb.response_id] = fb
        return result

    def claim_job(self, now: datetime) -> Job | None:
        """Atomically take the oldest pending job for this process."""
        with self.write() as db:
            row = db.execute(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, owner_pid = ?, "
                "updated_at = ? WHERE id = (SELECT id FROM jobs WHERE status = 'pending' "
                "ORDER BY id LIMIT 1) RETURNING id, kind, response_id, status, attempts, error",
                [os.getpid(), _ts(now)],
            ).fetchone()
        if row is None:
            return None
        return Job(id=row[0], kind=row[1], response_id=row[2], status=row[3],
                   attempts=row[4], error=row[5])

    def fail_job(self, job_id: int, error: str, now: datetime, retry: bool) -> None:
        with self.write() as db:
            db.execute(
                "UPDATE jobs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                [JobStatus.pending.value if retry else JobStatus.failed.value,
                 error[:2000], _ts(now), job_id],
            )

    def recover_jobs(self, now: datetime) -> int:
        """Requeue jobs left 'running' by a process that no longer exists (a crash)."""
        with self.write() as db:
            stale = [
                row[0]
                for row in db.execute("SELECT id, owner_pid FROM jobs WHERE status = 'running'")
                if not _pid_alive(row[1]) or row[1] == os.getpid()
            ]
            for job_id in stale:
                db.execute(
                    "UPDATE jobs SET status = 'pending', updated_at = ? WHERE id = ?",
                    [_ts(now), job_id],
                )
        return len(stale)

    def jobs(self, session_id: int | None = None) -> list[Job]:
        if session_id is None:
            rows = self._rows("SELECT * FROM jobs ORDER BY id")
        else:
            rows = self._rows(
                "SELECT j.* FROM jobs j JOIN responses r ON r.id = j.response_id "
                "WHERE r.session_id = ? ORDER BY j.id",
                [session_id],
            )
        return [Job(id=r["id"], kind=r["kind"], response_id=r["response_id"], status=r["status"],
                    attempts=r["attempts"], error=r["error"]) for r in rows]

    def job_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in JobStatus}
        for row in self._rows("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status"):
            counts[row["status"]] = row["n"]
        return counts

    def table_counts(self) -> dict[str, int]:
        with self._lock:
            return {name: self.db[name].count for name in sorted(self.db.table_names())}


# -- row <-> model helpers -----------------------------------------------------


def _merge_same_id(modules: list[Module]) -> list[Module]:
    """Modules with the same id (e.g. two CSVs imported with --module) become one."""
    merged: dict[str, Module] = {}
    for module in modules:
        if module.id in merged:
            base = merged[module.id]
            by_id = {q.id: q for q in base.questions}
            by_id.update({q.id: q for q in module.questions})
            merged[module.id] = base.model_copy(update={"questions": list(by_id.values())})
        else:
            merged[module.id] = module
    return list(merged.values())


def _next_position(db: sqlite_utils.Database, module_id: str, existing: dict[str, str]) -> int:
    if not existing:
        return 0
    row = db.execute("SELECT MAX(position) FROM questions WHERE module_id = ?", [module_id]).fetchone()
    return (row[0] or 0) + 1


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _item_row(item: dict[str, Any]) -> dict[str, Any]:
    row = dict(item)
    for key in ("tags", "expected_points", "follow_ups"):
        row[key] = json.dumps(row.get(key) or [])
    for key in ("kind", "difficulty", "type", "status"):
        if key in row and hasattr(row[key], "value"):
            row[key] = row[key].value
    return row


def _item(row: dict[str, Any]) -> SessionItem:
    return SessionItem(
        id=row["id"],
        session_id=row["session_id"],
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
        parent_item_id=row["parent_item_id"],
        status=row["status"],
        shown_at=_dt(row["shown_at"]),
        spent_seconds=row["spent_seconds"],
        resumed_at=_dt(row["resumed_at"]),
        source=row["source"],
        latency_ms=row["latency_ms"],
    )


def _profile(row: dict[str, Any]) -> Profile:
    return Profile(
        id=row["id"],
        name=row["name"],
        created_at=_dt(row["created_at"]),
        resume_text=row["resume_text"],
        skills=json.loads(row["skills"]),
        roles=json.loads(row["roles"]),
        employers=json.loads(row["employers"]),
        projects=json.loads(row["projects"]),
        years_experience=row["years_experience"],
    )


def _session(row: dict[str, Any]) -> Session:
    return Session(
        id=row["id"],
        profile_id=row["profile_id"],
        status=row["status"],
        config=SessionConfig.model_validate_json(row["config"]),
        seed=row["seed"],
        created_at=_dt(row["created_at"]),
        completed_at=_dt(row["completed_at"]),
    )


def _response(row: dict[str, Any]) -> Response:
    return Response(
        id=row["id"],
        item_id=row["item_id"],
        session_id=row["session_id"],
        text=row["text"],
        skipped=bool(row["skipped"]),
        shown_at=_dt(row["shown_at"]),
        submitted_at=_dt(row["submitted_at"]),
        elapsed_seconds=row["elapsed_seconds"],
        word_count=row["word_count"],
    )
