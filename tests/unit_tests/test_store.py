"""The SQLite store: schema, migrations, idempotent and atomic bank writes."""

from __future__ import annotations

import sqlite3

import pytest

from talentsync_tui.models import Difficulty, Module, Question, QuestionType
from talentsync_tui.store import SCHEMA_VERSION, Store, StoreError
from talentsync_tui.store.schema import MIGRATIONS


def make_module(module_id: str = "sql", n: int = 3, **changes) -> Module:
    questions = [
        Question(
            id=f"q{i}",
            text=f"Explain database concept number {i}.",
            difficulty=list(Difficulty)[i % 3],
            type=QuestionType.technical,
            tags=["sql", f"topic{i % 2}"],
            expected_seconds=120 + i,
            expected_points=[f"Mentions index {i}", "Talks about query plans"],
            follow_ups=[f"How would you measure concept {i}?"],
            model_answer=f"Concept {i} is about indexes." if i % 2 else None,
        )
        for i in range(n)
    ]
    return Module(id=module_id, name=module_id.upper(), category="Data", questions=questions, **changes)


def test_new_database_has_current_schema_wal_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "t.db")
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"modules", "questions", "expected_points", "followup_templates", "profiles", "sessions",
            "session_items", "responses", "feedback", "jobs", "meta"} <= set(store.db.table_names())


def test_older_database_is_upgraded_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    conn.execute("INSERT INTO profiles (name, created_at) VALUES ('Old Timer', '2025-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()

    store = Store(path)

    assert store.schema_version == SCHEMA_VERSION
    assert [p.name for p in store.profiles()] == ["Old Timer"]
    store.set_meta("k", "v")
    assert store.get_meta("k") == "v"


def test_newer_database_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer TalentSync"):
        Store(path)


def test_corrupt_database_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="Cannot open the database"):
        Store(path)


def test_import_is_idempotent_and_round_trips(tmp_path):
    store = Store(tmp_path / "t.db")
    module = make_module()
    first = store.import_modules([module])
    second = store.import_modules([module])
    assert first.added == {"sql": 3}
    assert second.added == {"sql": 0} and second.unchanged == {"sql": 3}
    assert store.table_counts()["questions"] == 3
    assert store.table_counts()["expected_points"] == 6
    assert store.get_module("sql") == module


def test_reimport_updates_changed_questions_without_duplicates(tmp_path):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module()])
    changed = make_module()
    changed.questions[1] = changed.questions[1].model_copy(update={"text": "A reworded question?"})
    report = store.import_modules([changed])
    assert report.updated == {"sql": 1} and report.unchanged == {"sql": 2}
    assert store.get_module("sql").questions[1].text == "A reworded question?"
    assert store.table_counts()["questions"] == 3


def test_replace_removes_questions_missing_from_the_file(tmp_path):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module(n=5)])
    report = store.import_modules([make_module(n=2)], replace=True)
    assert report.removed == {"sql": 3}
    assert [q.id for q in store.get_module("sql").questions] == ["q0", "q1"]
    assert store.table_counts()["expected_points"] == 4


def test_failed_import_leaves_the_database_exactly_as_it_was(tmp_path, monkeypatch):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module("before")])
    counts = store.table_counts()
    calls = {"n": 0}
    original = Store._write_question

    def flaky(db, module_id, question, position, digest):
        calls["n"] += 1
        if calls["n"] == 4:
            raise sqlite3.IntegrityError("disk said no")
        original(db, module_id, question, position, digest)

    monkeypatch.setattr(Store, "_write_question", staticmethod(flaky))
    with pytest.raises(sqlite3.IntegrityError):
        store.import_modules([make_module("a"), make_module("b")])
    assert store.table_counts() == counts
    assert store.module_ids() == ["before"]


def test_deleting_a_module_cascades_to_its_questions(tmp_path):
    store = Store(tmp_path / "t.db")
    store.import_modules([make_module()])
    assert store.delete_module("sql")
    assert not store.delete_module("sql")
    counts = store.table_counts()
    assert counts["questions"] == counts["expected_points"] == counts["followup_templates"] == 0


def test_markup_and_escape_sequences_are_stored_as_plain_text(tmp_path):
    store = Store(tmp_path / "t.db")
    q = Question(id="m", text="Is [bold red]x[/] \x1b[31mred\x1b[0m or [link=http://x]y[/link]?",
                 difficulty="easy", type="technical")
    store.import_modules([Module(id="m", name="M", category="C", questions=[q])])
    assert store.questions(["m"])[0].text == "Is [bold red]x[/] red or [link=http://x]y[/link]?"
