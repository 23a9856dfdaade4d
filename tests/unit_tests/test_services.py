"""The facade as a user meets it: bundled banks, atomic imports, round trips, reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync, TalentSyncError, default_config

BANKS = Path(__file__).resolve().parents[2] / "question_banks"


def test_a_new_database_gets_the_bundled_banks_once(ts, settings, clock):
    modules = ts.modules()
    assert len(modules) >= 8
    assert all(m.question_count >= 25 for m in modules)
    ts.delete_module("python")
    ts.close()
    reopened = TalentSync.open(settings, start_workers=False, clock=clock)
    try:
        # A coach's deletion sticks: bundled banks load into new databases only.
        assert "python" not in {m.id for m in reopened.modules()}
    finally:
        reopened.close()


def test_bundled_banks_meet_the_content_bar(ts):
    for summary in ts.modules():
        module = ts.module(summary.id)
        for q in module.questions:
            assert q.expected_points and q.follow_ups, (module.id, q.id)
        assert set(summary.difficulty_mix) == {"easy", "medium", "hard"}
        assert all(summary.difficulty_mix.values()), summary.id


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_native_export_then_import_is_lossless(ts, tmp_path, clock, fmt):
    original = ts.module("python")
    path = tmp_path / f"python.{fmt}"
    path.write_text(ts.export_module("python", fmt), encoding="utf-8")

    fresh = TalentSync.open(load_settings(tmp_path / "other", load_bundled_banks=False),
                            start_workers=False, clock=clock)
    try:
        fresh.import_banks([path])
        assert fresh.module("python") == original
        again = fresh.import_banks([path])
        assert again.unchanged == {"python": len(original.questions)}
    finally:
        fresh.close()


def test_one_bad_file_means_nothing_is_imported(ts, tmp_path):
    before = ts.store.table_counts()
    good = tmp_path / "good.yaml"
    good.write_text(ts.export_module("sql-databases", "yaml").replace("id: sql-databases", "id: copy", 1))
    bad = tmp_path / "bad.csv"
    bad.write_text("question,difficulty\nWhat is a join?,extreme\n", encoding="utf-8")
    with pytest.raises(TalentSyncError, match=r"bad\.csv:2"):
        ts.import_banks([good, bad])
    assert ts.store.table_counts() == before
    assert "copy" not in {m.id for m in ts.modules()}


def test_dry_run_changes_nothing(ts):
    before = ts.store.table_counts()
    report = ts.import_banks([BANKS / "dsa.yaml"], dry_run=True)
    assert report.added == {"dsa": 28}
    assert ts.store.table_counts() == before


def test_full_session_through_the_facade_and_report_export(ts, clock):
    profile = ts.create_profile("Grace")
    session = ts.start_session(profile.id, default_config(["python"], count=3, seed=5))
    item = ts.current_question(session.id)
    clock.advance(60)
    ts.submit_answer(session.id, item.id, "I would use a generator expression with yield to stream rows.")
    ts.workers.run_pending()
    nxt = ts.current_question(session.id)
    ts.skip(session.id, nxt.id)
    ts.workers.run_pending()
    path = ts.export_report(session.id, "md")
    text = path.read_text()
    assert path.parent == ts.settings.exports_dir
    assert "generator expression with yield" in text
    assert "Skipped" in text
    assert "Score:" in text
    json_path = ts.export_report(session.id, "json")
    assert '"answer": "I would use a generator expression' in json_path.read_text()


def test_resume_profile_drives_questions(ts, tmp_path):
    resume = tmp_path / "cv.md"
    resume.write_text(
        "# Jordan Lee\nSenior Backend Engineer at Acme Corp (2018 - 2024)\n\n"
        "Skills: Python, PostgreSQL, Kubernetes, Redis\n\n## Projects\n- Atlas: a billing pipeline\n",
        encoding="utf-8",
    )
    profile = ts.create_profile("Jordan", resume)
    assert {"python", "postgresql", "kubernetes"} <= set(profile.skills)
    session = ts.start_session(profile.id, default_config(["system-design"], count=8, seed=1))
    resume_items = [i for i in ts.items(session.id) if i.kind.value == "resume"]
    assert resume_items
    named = " ".join(i.text for i in resume_items).lower()
    assert any(word in named for word in ("postgresql", "kubernetes", "atlas", "redis", "python"))


def test_missing_resume_is_a_clear_error(ts, tmp_path):
    with pytest.raises(TalentSyncError, match="nope.pdf"):
        ts.create_profile("Sam", tmp_path / "nope.pdf")


def test_doctor_reports_healthy_install(ts):
    checks = {c.name: c for c in ts.doctor()}
    assert checks["Database integrity"].ok
    assert checks["Question banks"].ok and "8 modules" in checks["Question banks"].detail
