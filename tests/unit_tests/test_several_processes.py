"""Four processes on one data dir for a few seconds: nothing acknowledged is lost.

Two candidates (answers, drafts, feedback workers), a coach (bank imports and
deletes, report exports) and an exporter (runs pending jobs like `session export`)
start together on a fresh data dir, so they also race to create and migrate it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from talentsync_tui.config import load_settings
from talentsync_tui.services import TalentSync

CHILD = Path(__file__).with_name("multiprocess_child.py")
SECONDS = 6.0


def run_processes(home: Path, tmp_path: Path, roles: list[str]) -> list[dict]:
    env = {**os.environ, "TALENTSYNC_AI_ENABLED": "false", "TALENTSYNC_HOME": str(home)}
    procs = []
    for n, role in enumerate(roles):
        out = tmp_path / f"{role}-{n}.json"
        procs.append((out, subprocess.Popen([sys.executable, str(CHILD), role, str(home),
                                             str(SECONDS), str(out)], env=env,
                                            stderr=subprocess.PIPE, text=True)))
    results = []
    for out, proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        results.append(json.loads(out.read_text()))
    return results


def done_without_feedback(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT COUNT(*) FROM jobs j LEFT JOIN feedback f ON f.response_id = j.response_id "
            "WHERE j.status = 'done' AND f.id IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()


def test_four_processes_on_one_data_dir_lose_nothing(tmp_path):
    home = tmp_path / "home"
    roles = ["candidate", "candidate", "coach", "exporter"]
    results = run_processes(home, tmp_path, roles)

    errors = [e for r in results for e in r["errors"]]
    answers = [a for r in results if r["role"] == "candidate" for a in r["answers"]]
    print(f"\n{len(roles)} processes x {SECONDS:g} s: {len(answers)} answers, "
          f"{sum(len(r['drafts']) for r in results)} kept drafts, "
          f"{sum(len(r['imported']) for r in results)} imports, "
          f"{sum(r['exports'] for r in results)} exports, {len(errors)} errors, "
          f"{done_without_feedback(home / 'talentsync.db')} jobs done without feedback")
    assert errors == [], errors[:3]  # not one "database is locked", FOREIGN KEY or other error
    assert len(answers) > 20, "the candidates did too little to prove anything"
    assert sum(r["draft_mismatches"] for r in results) == 0
    coach = next(r for r in results if r["role"] == "coach")
    assert len(coach["imported"]) >= 3

    db = home / "talentsync.db"
    assert done_without_feedback(db) == 0  # as the processes left it, before any clean-up

    settings = load_settings(home, feedback_workers=1)
    ts = TalentSync.open(settings, start_workers=False, ai=False)
    try:
        ts.run_pending_jobs()  # what a next start does with jobs left pending by quitting
        store = ts.store
        stored = {r["item_id"]: r for r in store._rows("SELECT item_id, text FROM responses")}
        lost = [a for a in answers if stored.get(a["item_id"], {}).get("text") != a["text"]]
        assert lost == []
        assert len(stored) == len({a["item_id"] for a in answers}) == len(answers)  # no duplicates
        for r in results:
            for item_id, text in r["drafts"].items():
                assert store.draft(int(item_id)) == text
        modules = set(store.module_ids())
        kept = set(coach["imported"]) - set(coach["deleted"])
        assert kept <= modules and not (set(coach["deleted"]) & modules)
        counts = store.job_counts()
        assert counts["failed"] == 0 and counts["running"] == 0 and counts["pending"] == 0
        assert counts["done"] == len(answers)
        assert done_without_feedback(db) == 0
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        ts.close()
