"""Modules, questions, expected points and follow-up templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from talentsync_tui.models import Module, ModuleSummary, Question, StoredQuestion
from talentsync_tui.store.connection import Connection, _ts, insert_sql, utcnow
from talentsync_tui.store.rows import question_hash

MODULE_COLUMNS = ["id", "name", "category", "description", "default_minutes", "source", "updated_at"]
QUESTION_COLUMNS = ["key", "module_id", "qid", "position", "text", "difficulty", "type", "tags",
                    "expected_seconds", "model_answer", "content_hash"]
# A re-imported question keeps its place in the module (a --replace import renumbers after).
UPSERT_QUESTION = insert_sql("questions", QUESTION_COLUMNS, conflict="key", keep=["position"])
UPSERT_MODULE = insert_sql("modules", MODULE_COLUMNS, conflict="id")


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


class BankTables(Connection):
    """Question banks: written by imports, read by seeding, the index and the screens."""

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
                db.execute(UPSERT_MODULE, [module.id, module.name, module.category, module.description,
                                           module.default_minutes, source, now])
                existing = {
                    row[0]: row[1]
                    for row in db.execute(
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
                    db.conn.executemany(
                        "UPDATE questions SET position = ? WHERE key = ?",
                        [(position, f"{module.id}/{q.id}") for position, q in enumerate(module.questions)],
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
        db.execute(UPSERT_QUESTION, [key, module_id, q.id, position, q.text, q.difficulty.value,
                                     q.type.value, json.dumps(q.tags), q.expected_seconds,
                                     q.model_answer, digest])
        db.execute("DELETE FROM expected_points WHERE question_key = ?", [key])
        db.execute("DELETE FROM followup_templates WHERE question_key = ?", [key])
        db.conn.executemany(
            "INSERT INTO expected_points (question_key, position, text) VALUES (?, ?, ?)",
            [(key, i, text) for i, text in enumerate(q.expected_points)],
        )
        db.conn.executemany(
            "INSERT INTO followup_templates (question_key, position, text) VALUES (?, ?, ?)",
            [(key, i, text) for i, text in enumerate(q.follow_ups)],
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
        with self.read():
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
        with self.read() as db:
            rows = list(db.query(
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
        with self.read() as db:
            return db.execute(
                f"SELECT key, difficulty, type, expected_seconds FROM questions "
                f"WHERE module_id IN ({marks})",
                list(module_ids),
            ).fetchall()

    def question_tags(self, module_ids: list[str]) -> dict[str, list[str]]:
        """Each question's tags, for many questions (related questions for practice)."""
        marks = ",".join("?" * len(module_ids))
        with self.read() as db:
            return {key: json.loads(tags) for key, tags in db.execute(
                f"SELECT key, tags FROM questions WHERE module_id IN ({marks})", list(module_ids))}

    def banks_fingerprint(self, module_ids: list[str]) -> tuple:
        """Changes whenever any of these modules is (re)imported or deleted, by any process."""
        marks = ",".join("?" * len(module_ids))
        with self.read() as db:
            return tuple(db.execute(
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
