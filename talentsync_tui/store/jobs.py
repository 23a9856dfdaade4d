"""Feedback and the job queue the background workers drain (from any process)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection
from datetime import datetime

from talentsync_tui.models import Feedback, Job, JobStatus, ReviewTarget
from talentsync_tui.store.connection import StoreError, _ts
from talentsync_tui.store.reviews import Replay, ReviewTables
from talentsync_tui.processes import pid_alive


class JobGone(StoreError):
    """The job's answer was deleted meanwhile (its profile or session went)."""


class JobTables(ReviewTables):
    def save_feedback(self, job_id: int, feedback: Feedback, now: datetime,
                      reviews: tuple[list[ReviewTarget], Replay] | None = None) -> None:
        """Store feedback and finish its job in one transaction: a job is never done without it.

        `reviews` (targets, replay) makes or reviews the profile's review items in the same
        transaction, so they survive exactly when the feedback does.
        """
        stamp = _ts(now)
        try:
            with self.write() as db:
                db.execute(
                    "INSERT INTO feedback (response_id, score, coverage, data, created_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (response_id) DO UPDATE SET "
                    "score = excluded.score, coverage = excluded.coverage, data = excluded.data, "
                    "created_at = excluded.created_at",
                    [feedback.response_id, feedback.score, feedback.coverage,
                     feedback.model_dump_json(), stamp],
                )
                if reviews is not None and feedback.response_id is not None:
                    targets, replay = reviews
                    self._apply_reviews(db, feedback.response_id, targets, replay, now)
                db.execute(
                    "UPDATE jobs SET status = 'done', error = NULL, updated_at = ? WHERE id = ?",
                    [stamp, job_id],
                )
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise JobGone(f"The answer of job {job_id} was deleted before its feedback "
                              "was stored.") from exc
            raise

    def save_feedback_preview(self, feedback: Feedback, now: datetime) -> None:
        """Store a quick check for an answer whose job is still open (the job is not finished).

        Never overwrites final feedback: a preview lands only while the job is not done,
        and an answer deleted meanwhile is simply skipped.
        """
        try:
            with self.write() as db:
                db.execute(
                    "INSERT INTO feedback (response_id, score, coverage, data, created_at) "
                    "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE response_id = ? "
                    "AND status = 'done') "
                    "ON CONFLICT (response_id) DO UPDATE SET score = excluded.score, "
                    "coverage = excluded.coverage, data = excluded.data, created_at = excluded.created_at",
                    [feedback.response_id, feedback.score, feedback.coverage, feedback.model_dump_json(),
                     _ts(now), feedback.response_id],
                )
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" not in str(exc):
                raise

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

    def release_jobs(self, job_ids: Collection[int], now: datetime) -> int:
        """Put jobs this process started back to pending, uncounted (quit mid-job)."""
        if not job_ids:
            return 0
        with self.write() as db:
            released = 0
            for job_id in job_ids:
                released += db.execute(
                    "UPDATE jobs SET status = 'pending', attempts = MAX(attempts - 1, 0), "
                    "owner_pid = NULL, updated_at = ? "
                    "WHERE id = ? AND status = 'running' AND owner_pid = ?",
                    [_ts(now), job_id, os.getpid()],
                ).rowcount
        return released

    def recover_jobs(self, now: datetime, in_flight: Collection[int] | None = None) -> int:
        """Requeue jobs left 'running' by a process that no longer exists (a crash).

        Jobs of this process count as left over too, except those in `in_flight`
        (being worked right now by this process's threads). With `in_flight=None`
        (the default, for a process that has no pool running) all of ours are.
        """
        me = os.getpid()
        busy = set(in_flight or ())
        with self.write() as db:
            stale = [
                job_id
                for job_id, owner in db.execute(
                    "SELECT id, owner_pid FROM jobs WHERE status = 'running'").fetchall()
                if (owner == me and job_id not in busy) or (owner != me and not pid_alive(owner))
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
