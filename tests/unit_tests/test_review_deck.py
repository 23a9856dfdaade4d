"""`review export --format anki`: the questions a candidate missed points on, as an Anki deck."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest
from report_data import take_session

from talentsync_tui.banks.apkg import parse_apkg
from talentsync_tui.models import ItemKind
from talentsync_tui.services import TalentSyncError, default_config


def collection(path, tmp_path) -> sqlite3.Connection:
    """The SQLite collection inside an .apkg, opened for inspection."""
    folder = tmp_path / f"unzipped-{path.stem}-{len(list(tmp_path.iterdir()))}"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        archive.extract("collection.anki2", folder)
    return sqlite3.connect(folder / "collection.anki2")


def weak_items(ts, threshold=60):
    """(question, missed points) of the latest graded attempt per question that needs review."""
    latest = {}
    for session in reversed(ts.sessions()):
        for item in ts.report(session.id).items:
            if item.kind is ItemKind.followup or item.feedback is None:
                continue
            latest[item.question_key or item.question] = item
    return {i.question: i.feedback.missed_points for i in latest.values()
            if i.feedback.score < threshold or i.feedback.missed_points}


@pytest.fixture
def candidate(ts, clock):
    take_session(ts, clock, count=6, plan="good,weak,skip")
    return "Ada Lovelace"


def test_the_deck_holds_the_weak_questions_and_reads_back_through_the_apkg_importer(ts, candidate, tmp_path):
    expected = weak_items(ts)
    assert expected and len(expected) < len([i for i in ts.report(1).items if i.kind is not ItemKind.followup])

    path, profile, cards = ts.export_review(candidate, tmp_path / "ada.apkg")

    assert profile.name == candidate and cards == len(expected)
    (module,) = parse_apkg(path)
    assert module.name == candidate and module.category == "TalentSync review"
    assert {q.text for q in module.questions} == set(expected)
    bank = {q.text: q for q in ts.store.questions(["python"])}
    for question in module.questions:
        source = bank[question.text]
        assert question.model_answer == (source.model_answer.strip() if source.model_answer else None)
        missed = set(expected[question.text])
        marked = [p.removeprefix("\u2717 missed: ") for p in question.expected_points if p.startswith("\u2717")]
        kept = [p.removeprefix("\u2713 ") for p in question.expected_points if p.startswith("\u2713")]
        assert set(marked) == missed
        assert sorted(marked + kept) == sorted(source.expected_points)
        assert question.difficulty == source.difficulty and question.type == source.type


def test_re_exporting_keeps_deck_note_type_and_note_ids(ts, candidate, clock, tmp_path):
    first, _, _ = ts.export_review(candidate, tmp_path / "one.apkg")
    take_session(ts, clock, count=6, seed=11, plan="weak")  # more practice, more weak answers
    second, _, _ = ts.export_review(candidate, tmp_path / "two.apkg")

    def ids(path):
        conn = collection(path, tmp_path)
        decks = {name for name in json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])}
        models = set(json.loads(conn.execute("SELECT models FROM col").fetchone()[0]))
        notes = {front.split("\x1f")[0]: guid for guid, front in conn.execute("SELECT guid, flds FROM notes")}
        mids = {mid for (mid,) in conn.execute("SELECT DISTINCT mid FROM notes")}
        conn.close()
        return decks, models, notes, mids

    decks1, models1, notes1, mids1 = ids(first)
    decks2, models2, notes2, mids2 = ids(second)
    assert decks1 == decks2 and models1 == models2 and mids1 == mids2 == {int(m) for m in models1}
    shared = set(notes1) & set(notes2)
    assert shared and all(notes1[q] == notes2[q] for q in shared)  # the same question updates, never duplicates
    assert len(set(notes2.values())) == len(notes2)


def test_another_candidate_gets_their_own_deck_and_guids(ts, candidate, clock, tmp_path):
    take_session(ts, clock, name="Bob", count=6, plan="good,weak,skip")
    ada = collection(ts.export_review(candidate, tmp_path / "a.apkg")[0], tmp_path)
    bob = collection(ts.export_review("Bob", tmp_path / "b.apkg")[0], tmp_path)
    guids = lambda conn: {g for (g,) in conn.execute("SELECT guid FROM notes")}  # noqa: E731
    decks = lambda conn: set(json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])) - {"1"}  # noqa: E731
    assert guids(ada) and not guids(ada) & guids(bob)
    assert decks(ada) != decks(bob)


def test_bank_text_with_html_is_escaped_in_the_fields_and_literal_after_reading_back(ts, clock, tmp_path):
    bank = tmp_path / "web.yaml"
    bank.write_text(
        "id: web\nname: Web\ncategory: Web\nquestions:\n"
        "  - id: script-tag\n    text: \"What does <script defer> change? Say [bold]why[/bold].\"\n"
        "    difficulty: easy\n    type: technical\n"
        "    expected_points: [\"Explains that <script defer> waits for parsing\"]\n"
        "    model_answer: \"A <script defer> runs after the document is parsed & in order.\"\n",
        encoding="utf-8",
    )
    ts.import_banks([bank])
    profile = ts.create_profile("Eve")
    session = ts.start_session(profile.id, default_config(["web"], count=1, seed=1, follow_ups=False))
    ts.submit_answer(session.id, ts.current_question(session.id).id, "No idea.")
    ts.workers.run_pending()

    path, _, cards = ts.export_review("Eve", tmp_path / "eve.apkg")

    conn = collection(path, tmp_path)
    (fields,) = [f for (f,) in conn.execute("SELECT flds FROM notes")]
    assert "<script" not in fields and "&lt;script defer&gt;" in fields and "&amp; in order" in fields
    (question,) = parse_apkg(path)[0].questions
    assert question.text == "What does <script defer> change? Say [bold]why[/bold]."
    assert question.model_answer == "A <script defer> runs after the document is parsed & in order."
    assert question.expected_points == ["\u2717 missed: Explains that <script defer> waits for parsing"]


def test_the_candidate_is_the_only_one_with_sessions_else_you_must_choose(ts, clock, candidate, tmp_path):
    ts.create_profile("Nobody Yet")
    path, profile, _ = ts.export_review()
    assert profile.name == candidate and path == ts.settings.exports_dir / f"review-{profile.id}.apkg"
    assert (path.stat().st_mode & 0o777) == 0o600

    take_session(ts, clock, name="Bob", count=2)
    with pytest.raises(TalentSyncError, match=r"2 candidates have sessions \(Ada Lovelace, Bob\): "
                                              r"choose one with --profile NAME"):
        ts.export_review()
    with pytest.raises(TalentSyncError, match="no profile 'Zed'"):
        ts.export_review("Zed")


def test_nothing_to_review_is_said_plainly(ts, clock):
    profile = ts.create_profile("Ada Lovelace")
    session = ts.start_session(profile.id, default_config(["python"], count=1, seed=5, follow_ups=False))
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, " ".join(f"{p}." for p in item.expected_points))
    ts.workers.run_pending()
    feedback = ts.report(session.id).items[0].feedback
    assert feedback.missed_points == [] and feedback.score >= 50  # every point credited

    with pytest.raises(TalentSyncError, match="Nothing to review for Ada Lovelace: no graded answer scored "
                                              "below 50 or missed an expected point"):
        ts.export_review(threshold=50)
    assert ts.export_review(threshold=feedback.score + 1)[2] == 1  # a stricter bar includes it


def test_profile_delete_removes_the_default_deck(ts, candidate):
    path, _, _ = ts.export_review()
    _, _, removed = ts.delete_profile(candidate)
    assert path in removed and not path.exists()
