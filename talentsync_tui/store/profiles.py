"""Candidate profiles, and deleting everything a candidate left behind."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from talentsync_tui.models import Achievement, Profile, Question
from talentsync_tui.store.connection import Connection, StoreError, _ts, insert_sql, utcnow
from talentsync_tui.store.rows import _profile


@dataclass(frozen=True)
class StoredResumeQuestion:
    """A resume-driven question kept for a profile: from a template, or written by the model."""

    question: Question
    source: str  # "template" | "model"
    achievement: Achievement | None = None
    polished: bool = False
    """The coach model has been asked about it (whatever it answered)."""

log = logging.getLogger(__name__)


class ProfileTables(Connection):
    def save_profile(self, profile: Profile, resume_path: str | None = None,
                     resume_questions: list[tuple[Question, Achievement | None]] | None = None) -> Profile:
        """Insert or update a profile; with `resume_questions`, replace its stored resume-driven
        questions (template wording, not yet polished) in the same transaction."""
        data = {
            "name": profile.name,
            "resume_text": profile.resume_text,
            "skills": json.dumps(profile.skills),
            "roles": json.dumps(profile.roles),
            "employers": json.dumps(profile.employers),
            "projects": json.dumps(profile.projects),
            "years_experience": profile.years_experience,
            "certifications": json.dumps(profile.certifications),
            "achievements": json.dumps([a.model_dump(mode="json") for a in profile.achievements]),
        }
        if resume_path is not None:
            data["resume_path"] = resume_path
        with self.write() as db:
            if profile.id is None:
                data["created_at"] = _ts(utcnow())
                try:
                    profile_id = db.execute(insert_sql("profiles", data), list(data.values())).lastrowid
                except sqlite3.IntegrityError as exc:
                    raise StoreError(f"There is already a profile named {profile.name!r}.") from exc
            else:
                cursor = db.execute(
                    f"UPDATE profiles SET {', '.join(f'{k} = ?' for k in data)} WHERE id = ?",
                    [*data.values(), profile.id],
                )
                if cursor.rowcount != 1:
                    raise StoreError(f"The profile {profile.name!r} was deleted meanwhile.")
                profile_id = profile.id
            if resume_questions is not None:
                db.execute("DELETE FROM resume_questions WHERE profile_id = ?", [profile_id])
                for position, (question, achievement) in enumerate(resume_questions):
                    row = {"profile_id": profile_id, "position": position, "qid": question.id,
                           "data": question.model_dump_json(),
                           "achievement": achievement.model_dump_json() if achievement else None,
                           "source": "template"}
                    db.execute(insert_sql("resume_questions", row), list(row.values()))
            saved = self.get_profile(profile_id)
        assert saved is not None
        return saved

    def resume_questions(self, profile_id: int) -> list[StoredResumeQuestion]:
        """The resume-driven questions stored for a profile, in their order ([] if none)."""
        rows = self._rows("SELECT * FROM resume_questions WHERE profile_id = ? ORDER BY position",
                          [profile_id])
        return [StoredResumeQuestion(
            question=Question.model_validate_json(row["data"]), source=row["source"],
            achievement=Achievement.model_validate_json(row["achievement"]) if row["achievement"] else None,
            polished=row["polished_at"] is not None,
        ) for row in rows]

    def profiles_to_polish(self) -> list[int]:
        """Profiles with achievement questions the coach model has not been asked about yet."""
        return [row["profile_id"] for row in self._rows(
            "SELECT DISTINCT profile_id FROM resume_questions "
            "WHERE achievement IS NOT NULL AND polished_at IS NULL ORDER BY profile_id")]

    def polish_resume_question(self, profile_id: int, qid: str, expected_text: str,
                               question: Question | None, now: datetime | None = None) -> bool:
        """Store the model's wording of one question (None: the template stays, marked as tried).

        Compare-and-set: nothing changes if the stored text is no longer `expected_text`
        (the resume was read again meanwhile). Returns whether a row was updated.
        """
        stamp = _ts(now or utcnow())
        with self.write() as db:
            row = db.execute("SELECT data FROM resume_questions WHERE profile_id = ? AND qid = ?",
                             [profile_id, qid]).fetchone()
            if row is None or Question.model_validate_json(row[0]).text != expected_text:
                return False
            if question is None:
                db.execute("UPDATE resume_questions SET polished_at = ? WHERE profile_id = ? AND qid = ?",
                           [stamp, profile_id, qid])
            else:
                db.execute("UPDATE resume_questions SET data = ?, source = 'model', polished_at = ? "
                           "WHERE profile_id = ? AND qid = ?",
                           [question.model_dump_json(), stamp, profile_id, qid])
        return True

    def get_profile(self, profile_id: int) -> Profile | None:
        row = self._one("SELECT * FROM profiles WHERE id = ?", [profile_id])
        return _profile(row) if row else None

    def find_profile(self, name: str) -> Profile | None:
        row = self._one("SELECT * FROM profiles WHERE name = ? COLLATE NOCASE", [name])
        return _profile(row) if row else None

    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self._rows("SELECT * FROM profiles ORDER BY name COLLATE NOCASE")]

    def delete_profile(self, profile_id: int) -> list[int]:
        """Delete a profile with its sessions, answers, feedback, jobs and drafts.

        Deleted content is overwritten in the file (secure_delete), then the database
        is vacuumed and the WAL truncated, so the text does not linger on disk.
        Returns the ids of the sessions that were deleted (their exports go too).
        """
        with self._lock:
            self._check_open()
            self.conn.execute("PRAGMA secure_delete = ON")
            try:
                with self.write() as db:
                    sessions = [r[0] for r in db.execute(
                        "SELECT id FROM sessions WHERE profile_id = ?", [profile_id])]
                    cursor = db.execute("DELETE FROM profiles WHERE id = ?", [profile_id])
                    if cursor.rowcount != 1:
                        raise StoreError(f"There is no profile {profile_id}.")
            finally:
                self.conn.execute("PRAGMA secure_delete = OFF")
            self.compact()
        return sessions

    def compact(self) -> None:
        """VACUUM and truncate the WAL (best effort: another process may be reading)."""
        with self._lock:
            self._check_open()
            try:
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError as exc:
                log.warning("could not compact the database: %s", exc)
