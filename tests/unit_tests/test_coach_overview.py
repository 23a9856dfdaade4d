"""The coach's overview: candidates, their sessions, and average score per module."""

from __future__ import annotations

from collections import defaultdict

from report_data import take_session

from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync


def module_averages(reports) -> dict[str, float]:
    """Average score per module over some session reports, computed from the reports themselves."""
    scores = defaultdict(list)
    for report in reports:
        for item in report.items:
            if item.feedback is not None:
                scores[item.question_key.split("/")[0] if item.question_key else "resume"].append(item.feedback.score)
    return {m: round(sum(v) / len(v), 1) for m, v in scores.items()}


def test_each_candidate_with_sessions_newest_first_and_scores_per_module(ts, clock):
    first = take_session(ts, clock, modules=("python", "sql-databases"), count=6)
    second = take_session(ts, clock, modules=("sql-databases",), count=3, seed=8, plan="weak,good")
    bob = take_session(ts, clock, name="Bob", modules=("dsa",), count=2, stop_after=1)
    ts.create_profile("Cleo")  # no sessions yet

    overview = {c.name: c for c in ts.coach_overview()}

    assert list(overview) == ["Ada Lovelace", "Bob", "Cleo"]
    ada = overview["Ada Lovelace"]
    assert [s.id for s in ada.sessions] == [second, first]
    reports = [ts.report(first), ts.report(second)]
    assert {m.module: m.average for m in ada.by_module} == module_averages(reports)
    assert {m.module for m in ada.by_module} == {"python", "sql-databases"}
    all_scores = [i.feedback.score for r in reports for i in r.items if i.feedback]
    assert ada.average == round(sum(all_scores) / len(all_scores), 1)
    for session in ada.sessions:
        report = ts.report(session.id)
        assert session.average == report.average_score
        assert {m.module: m.average for m in session.by_module} == module_averages([report])
        assert (session.done, session.total) == (report.answered + report.skipped, len(report.items))
        assert session.origin is None and session.uid
    assert overview["Bob"].sessions[0].id == bob and overview["Bob"].sessions[0].done == 1
    assert overview["Cleo"].sessions == [] and overview["Cleo"].average is None


def test_imported_sessions_say_which_laptop_they_came_from(ts, clock, tmp_path):
    take_session(ts, clock, count=2)
    path, _ = ts.export_bundle(tmp_path / "k.jsonl.gz", origin="kiosk-7")
    coach = TalentSync.open(load_settings(tmp_path / "coach"), start_workers=False, clock=clock)
    try:
        coach.import_bundle(path)
        (candidate,) = coach.coach_overview()
        assert candidate.sessions[0].origin == "kiosk-7"
        assert candidate.by_module == ts.coach_overview()[0].by_module
    finally:
        coach.close()


def test_one_candidate_only(ts, clock):
    take_session(ts, clock, count=2)
    take_session(ts, clock, name="Bob", count=2)
    (only,) = ts.coach_overview("Bob")
    assert only.name == "Bob" and len(only.sessions) == 1
