"""One process of the several-processes test (run as a script, not collected by pytest).

    python multiprocess_child.py ROLE HOME SECONDS OUT.json

Roles: `candidate` (answers questions, saves drafts, runs feedback workers),
`coach` (imports and deletes bank modules, exports reports) and `exporter` (runs
pending jobs like `session export` and writes reports). Everything the process
was told succeeded is written to OUT.json, with every error it met, so the
parent can check that nothing acknowledged was lost.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.services import TalentSync, TalentSyncError, default_config  # noqa: E402

BANK = """\
id: {module_id}
name: Probe {n}
category: Probe
description: A module imported while other processes work.
questions:
  - id: q1
    text: Probe question {n} one?
    difficulty: easy
    type: technical
    expected_points: [Names a probe]
  - id: q2
    text: Probe question {n} two?
    difficulty: medium
    type: technical
"""


def main() -> None:
    role, home, seconds, out = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
    result: dict = {"role": role, "pid": os.getpid(), "errors": [], "answers": [], "drafts": {},
                    "draft_mismatches": 0, "imported": [], "deleted": [], "exports": 0}
    try:
        settings = load_settings(home, feedback_workers=2, ai_enabled=False)
        ts = TalentSync.open(settings, start_workers=role == "candidate", ai=False)
    except Exception as exc:  # noqa: BLE001 - the parent counts every error
        result["errors"].append(f"open: {type(exc).__name__}: {exc}")
        out.write_text(json.dumps(result))
        return
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                {"candidate": candidate, "coach": coach, "exporter": exporter}[role](ts, result)
            except Exception as exc:  # noqa: BLE001
                result["errors"].append(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    finally:
        try:
            ts.close()
        except Exception as exc:  # noqa: BLE001
            result["errors"].append(f"close: {type(exc).__name__}: {exc}")
    out.write_text(json.dumps(result))


def candidate(ts: TalentSync, result: dict) -> None:
    profile = ts.create_profile(f"Candidate {os.getpid()}")
    session = ts.start_session(profile.id, default_config(["python", "sql-databases"], count=4))
    item = ts.current_question(session.id)
    while item is not None:
        for n in range(3):
            text = f"draft {n} of item {item.id} by {os.getpid()}"
            ts.save_draft(item.id, text)
            if ts.draft(item.id) != text:
                result["draft_mismatches"] += 1
        result["shown"] = result.get("shown", 0) + 1
        if result["shown"] % 7 == 0:
            # Leave this one unsubmitted: its draft must survive the process.
            result["drafts"][str(item.id)] = text
            return
        answer = f"answer to item {item.id} from {os.getpid()}: I would use an index and measure."
        submitted = ts.submit_answer(session.id, item.id, answer)
        result["answers"].append({"item_id": item.id, "response_id": submitted.response_id,
                                  "text": answer})
        item = submitted.next_item


def coach(ts: TalentSync, result: dict) -> None:
    n = len(result["imported"])
    module_id = f"probe-{os.getpid()}-{n}"
    path = Path(ts.settings.home) / f"{module_id}.yaml"
    path.write_text(BANK.format(module_id=module_id, n=n), encoding="utf-8")
    report = ts.import_banks([path])
    if report.added.get(module_id) != 2:
        raise AssertionError(f"import reported {report.added}")
    result["imported"].append(module_id)
    if n % 3 == 2:  # delete an older one while candidates may be reading the banks
        victim = result["imported"][n - 2]
        ts.delete_module(victim)
        result["deleted"].append(victim)
    sessions = ts.sessions(limit=1)
    if sessions:
        ts.export_report(sessions[0].id, "json")
        result["exports"] += 1


def exporter(ts: TalentSync, result: dict) -> None:
    ts.run_pending_jobs()
    for session in ts.sessions(limit=3):
        ts.export_report(session.id, "md")
        result["exports"] += 1
    time.sleep(0.05)


if __name__ == "__main__":
    try:
        main()
    except TalentSyncError as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
