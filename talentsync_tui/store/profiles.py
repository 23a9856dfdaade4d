"""Candidate profiles, and deleting everything a candidate left behind."""

from __future__ import annotations

import json
import logging
import sqlite3

from talentsync_tui.models import Profile
from talentsync_tui.store.connection import Connection, StoreError, _ts, insert_sql, utcnow
from talentsync_tui.store.rows import _profile

log = logging.getLogger(__name__)


class ProfileTables(Connection):
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
