"""Bundles: a coach collects the sessions of several kiosk laptops into one database.

Import is idempotent (a session is known by its UUID), atomic (all sessions or
none) and refuses corrupt or hostile files with one sentence, changing nothing.
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import zipfile
import zlib

import pytest
from report_data import HOSTILE, take_session

from talentsync_tui.config import load_settings
from talentsync_tui.models import SessionStatus
from talentsync_tui.reports import bundle as bundle_format
from talentsync_tui.services import TalentSync, TalentSyncError
from talentsync_tui.store import SCHEMA_VERSION, Store
from talentsync_tui.store.schema import MIGRATIONS

UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


@pytest.fixture
def coach(tmp_path, clock):
    """A second laptop: the coach's, with its own data dir."""
    app = TalentSync.open(load_settings(tmp_path / "coach", feedback_workers=1), start_workers=False, clock=clock)
    yield app
    app.close()


@pytest.fixture
def kiosk_bundle(ts, clock, tmp_path):
    """A kiosk laptop (`ts`) with a finished and an unfinished session, exported to a bundle."""
    take_session(ts, clock, count=5)
    take_session(ts, clock, name="Bob", modules=("sql-databases",), count=4, stop_after=2)
    path, count = ts.export_bundle(tmp_path / "kiosk.jsonl.gz", origin="kiosk-1")
    assert count == 2
    return path


def records(app: TalentSync) -> list[dict]:
    """Every session as its record, without what differs between laptops (ids, origin)."""
    return [r.model_dump(exclude={"origin"}) for r in app.store.session_records()]


def lines(path) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]


def write_lines(path, rows: list, compress: bool = True):
    data = b"".join((row if isinstance(row, bytes) else json.dumps(row).encode()) + b"\n" for row in rows)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def test_sessions_travel_whole_between_laptops(ts, coach, kiosk_bundle):
    report = coach.import_bundle(kiosk_bundle)

    assert len(report.added) == 2 and report.updated == report.unchanged == []
    assert sorted(report.profiles_created) == ["Ada Lovelace", "Bob"]
    assert records(coach) == records(ts)  # config, questions as asked, answers, feedback, follow-ups
    assert {s.origin for s in coach.sessions()} == {"kiosk-1"}
    assert [s.origin for s in ts.sessions()] == [None, None]  # the kiosk's own stay local
    for here, there in zip(ts.sessions(), coach.sessions()):
        assert here.uid == there.uid
        assert coach.render_report(there.id, "md") == ts.render_report(here.id, "md")
    assert HOSTILE in coach.render_report(coach.sessions()[-1].id, "md")


def test_importing_twice_adds_nothing(coach, kiosk_bundle):
    coach.import_bundle(kiosk_bundle)
    before = coach.store.table_counts()

    again = coach.import_bundle(kiosk_bundle)

    assert again.added == again.updated == [] and len(again.unchanged) == 2
    assert coach.store.table_counts() == before


def test_importing_a_laptops_own_bundle_back_changes_nothing(ts, kiosk_bundle):
    before = ts.store.table_counts()
    assert len(ts.import_bundle(kiosk_bundle).unchanged) == 2
    assert ts.store.table_counts() == before


def test_a_later_bundle_replaces_the_copy_an_earlier_one_brought(ts, coach, clock, tmp_path):
    from talentsync_tui.services import default_config

    profile = ts.create_profile("Cleo")
    session = ts.start_session(profile.id, default_config(["python"], count=3, seed=2))
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, "Lists are mutable; tuples are not.")
    ts.workers.run_pending()
    lunch = ts.export_bundle(tmp_path / "lunch.jsonl.gz")[0]
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, "I would use a generator.")
    ts.workers.run_pending()
    evening = ts.export_bundle(tmp_path / "evening.jsonl.gz")[0]

    coach.import_bundle(lunch)
    assert coach.import_bundle(evening).updated == [session.uid or ts.session(session.id).uid]
    assert records(coach) == records(ts)
    assert coach.import_bundle(lunch).unchanged  # an older copy never replaces a newer one
    assert records(coach) == records(ts)
    assert coach.store.table_counts()["sessions"] == 1


def test_profiles_are_matched_by_name_and_ungraded_answers_get_graded_here(ts, coach, clock, tmp_path):
    coach.create_profile("ada lovelace")
    profile = ts.create_profile("Ada Lovelace")
    from talentsync_tui.services import default_config

    session = ts.start_session(profile.id, default_config(["python"], count=2, seed=4))
    item = ts.current_question(session.id)
    ts.submit_answer(session.id, item.id, "Tuples are immutable.")  # no feedback yet: its job is pending
    path = ts.export_bundle(tmp_path / "b.jsonl.gz")[0]

    report = coach.import_bundle(path)

    assert report.profiles_created == [] and [p.name for p in coach.profiles()] == ["ada lovelace"]
    assert coach.store.job_counts()["pending"] == 1
    coach.workers.run_pending()
    imported = coach.sessions()[0]
    assert coach.report(imported.id).items[0].feedback is not None


def test_a_quick_preview_travels_as_a_preview_and_is_graded_on_the_coachs_laptop(ts, coach, clock, tmp_path):
    from talentsync_tui.models import Feedback
    from talentsync_tui.services import default_config

    profile = ts.create_profile("Ada")
    session = ts.start_session(profile.id, default_config(["python"], count=2, seed=4))
    item = ts.current_question(session.id)
    response_id = ts.submit_answer(session.id, item.id, "Tuples are immutable.").response_id
    ts.store.save_feedback_preview(Feedback(response_id=response_id, score=41, coverage=0.5,
                                            details={"quick": True}), clock())
    early = ts.export_bundle(tmp_path / "early.jsonl.gz")[0]

    coach.import_bundle(early)

    assert coach.store.job_counts()["pending"] == 1
    assert coach.report(coach.sessions()[0].id).items[0].feedback.score == 41  # the preview, shown meanwhile
    ts.workers.run_pending()  # the kiosk finishes grading; a later bundle brings the final feedback
    late = ts.export_bundle(tmp_path / "late.jsonl.gz")[0]
    assert coach.import_bundle(late).updated == [ts.session(session.id).uid]
    assert coach.store.job_counts()["pending"] == 0
    assert records(coach) == records(ts)


def test_new_sessions_get_a_uuid_and_an_upgraded_database_gives_old_ones_one(tmp_path, ts):
    from talentsync_tui.services import default_config

    profile = ts.create_profile("Dee")
    a = ts.start_session(profile.id, default_config(["python"], count=1, seed=1))
    assert ts.session(a.id).uid is not None
    import re

    assert re.match(UUID_RE, ts.session(a.id).uid)

    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    conn.executescript("\n".join(MIGRATIONS[:3]) + f"\nPRAGMA user_version = {3};")
    conn.execute("INSERT INTO profiles (name, created_at) VALUES ('Old', '2025-01-01T00:00:00+00:00')")
    for n in range(3):
        conn.execute("INSERT INTO sessions (profile_id, status, config, seed, created_at) VALUES "
                     "(1, 'completed', '{\"module_ids\": [\"python\"]}', ?, '2025-01-01T00:00:00+00:00')", [n])
    conn.commit()
    conn.close()
    store = Store(path)
    uids = [s.uid for s in store.sessions()]
    assert store.schema_version == SCHEMA_VERSION
    assert len(set(uids)) == 3 and all(re.match(UUID_RE, u) for u in uids)
    store.close()


def test_export_can_be_limited_to_one_candidate_and_refuses_when_there_is_nothing(ts, clock, tmp_path):
    take_session(ts, clock, count=2)
    take_session(ts, clock, name="Bob", count=2, seed=9)
    path, count = ts.export_bundle(tmp_path / "bob.jsonl.gz", profile="Bob")
    assert count == 1 and [row["profile_name"] for row in lines(path)[1:]] == ["Bob"]
    assert (path.stat().st_mode & 0o777) == 0o600
    ts.create_profile("Empty")
    with pytest.raises(TalentSyncError, match="no sessions to export for Empty"):
        ts.export_bundle(tmp_path / "none.jsonl.gz", profile="Empty")


def test_control_characters_in_a_bundle_are_removed_on_import(coach, kiosk_bundle, tmp_path):
    rows = lines(kiosk_bundle)
    answered = next(i for i in rows[1]["items"] if i["response"] and not i["response"]["skipped"])
    answered["response"]["text"] = "I used \x1b[31mred\x1b[0m text\x07 and \x1b]52;c;aGk=\x07 a clipboard write."
    coach.import_bundle(write_lines(tmp_path / "esc.jsonl.gz", rows))
    texts = [i.response.text for r in coach.store.session_records() for i in r.items if i.response]
    assert "I used red text and  a clipboard write." in texts
    assert not any("\x1b" in t or "\x07" in t for t in texts)


def test_one_bad_session_means_nothing_is_imported(coach, kiosk_bundle, tmp_path):
    rows = lines(kiosk_bundle)
    rows[2]["items"][0]["expected_seconds"] = -5
    before = coach.store.table_counts()
    with pytest.raises(TalentSyncError, match=r"line 3 \(session 2\): items\.0\.expected_seconds"):
        coach.import_bundle(write_lines(tmp_path / "bad.jsonl.gz", rows))
    assert coach.store.table_counts() == before


def test_a_failure_while_writing_rolls_back_every_session(coach, kiosk_bundle, monkeypatch):
    real = Store._insert_record
    calls = []

    def fail_on_second(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite3.IntegrityError("FOREIGN KEY constraint failed (simulated)")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "_insert_record", fail_on_second)
    before = coach.store.table_counts()
    with pytest.raises(TalentSyncError, match="nothing was imported"):
        coach.import_bundle(kiosk_bundle)
    assert len(calls) == 2
    assert coach.store.table_counts() == before and coach.profiles() == []


def _header(**changes) -> dict:
    header = {"format": "talentsync-bundle", "version": 1, "created_at": "2026-01-05T09:00:00+00:00",
              "app_version": "0.1.0", "origin": "kiosk", "sessions": 1}
    header.update(changes)
    return header


def _session_row(kiosk_bundle) -> dict:
    return lines(kiosk_bundle)[1]


def _mutate(kiosk_bundle, tmp_path, change) -> object:
    row = _session_row(kiosk_bundle)
    change(row)
    return write_lines(tmp_path / "mutated.jsonl.gz", [_header(), row])


def _zip_with_traversal(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", "* * * * * root rm -rf /")
    return path


def _bomb(tmp_path):
    """A 600 KB gzip file that unpacks to 600 MB (more than the cap) (one compressed MB, repeated)."""
    chunk = b" " * ((1 << 20) - 1) + b"\n"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    path = tmp_path / "bomb.jsonl.gz"
    with path.open("wb") as out:
        out.write(header)
        for _ in range(600):
            out.write(block)
    return path


HOSTILE_BUNDLES = {
    "truncated gzip": (lambda b, t: _write(t, b.read_bytes()[: len(b.read_bytes()) // 2]),
                       "truncated or damaged"),
    "truncated text": (lambda b, t: _write(t, gzip.decompress(b.read_bytes()).split(b"\n", 2)[0] + b"\n"
                                           + gzip.decompress(b.read_bytes()).split(b"\n", 2)[1] + b"\n"),
                       "truncated: the header promises 2 session(s), the file holds 1"),
    "wrong version": (lambda b, t: write_lines(t / "v.gz", [_header(version=2)]),
                      "format version 2 is not one this TalentSync reads"),
    "not a bundle": (lambda b, t: _write(t, b"question,answer\nWhat?,That.\n"), "not a TalentSync bundle"),
    "empty": (lambda b, t: _write(t, b""), "the file is empty"),
    "binary": (lambda b, t: _write(t, bytes(range(256)) * 4), "not a TalentSync bundle"),
    "zip with path traversal": (lambda b, t: _zip_with_traversal(t), "not a TalentSync bundle"),
    "gzip bomb": (lambda b, t: _bomb(t), "unpacks to more than 256 MB"),
    "folder": (lambda b, t: t, "not a regular file"),
    "missing": (lambda b, t: t / "nope.jsonl.gz", "file not found"),
    "string for a number": (lambda b, t: _mutate(b, t, lambda r: r["items"][0].update(expected_seconds="90")),
                            "items.0.expected_seconds: Input should be a valid integer"),
    "list for text": (lambda b, t: _mutate(b, t, lambda r: r.update(profile_name=["Ada"])),
                      "profile_name"),
    "absurd answer": (lambda b, t: _mutate(b, t, lambda r: r["items"][0]["response"].update(text="x" * 200_001)),
                      "at most 200000 characters"),
    "absurd duration": (lambda b, t: _mutate(b, t, lambda r: r["items"][0].update(expected_seconds=10**12)),
                        "expected_seconds"),
    "too many items": (lambda b, t: _mutate(b, t, lambda r: r.update(items=[
        dict(r["items"][0], position=n, status="pending", response=None) for n in range(5001)])),
                       "items: List should have at most 5000 items"),
    "NaN": (lambda b, t: _write(t, json.dumps(_header()).encode() + b"\n"
                               + json.dumps(_session_row(b)).replace('"spent_seconds": 45.0', '"spent_seconds": NaN',
                                                                      1).encode() + b"\n"),
            "NaN is not a number JSON allows"),
    "nested too deeply": (lambda b, t: _write(t, json.dumps(_header()).encode() + b"\n"
                                             + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
                          "nested too deeply"),
    "a follow-up of nothing": (lambda b, t: _mutate(b, t, lambda r: r["items"][0].update(parent_position=999)),
                               "follows up a question that is not in the session"),
    "answered without an answer": (lambda b, t: _mutate(b, t, lambda r: r["items"][0].update(response=None)),
                                   "is answered but has no answer"),
    "not a uuid": (lambda b, t: _mutate(b, t, lambda r: r.update(uid="../../etc/passwd")), "uid: must be a UUID"),
    "unknown field": (lambda b, t: _mutate(b, t, lambda r: r.update(run="rm -rf /")),
                      "run: Extra inputs are not permitted"),
    "the same session twice": (lambda b, t: write_lines(t / "d.gz", [_header(sessions=2), _session_row(b),
                                                                      _session_row(b)]), "appears twice"),
    "more than promised": (lambda b, t: write_lines(t / "m.gz", [_header(sessions=0), _session_row(b)]),
                           "more sessions than the 0 the header promises"),
}


def _write(tmp_path, data: bytes):
    path = tmp_path / "hostile.jsonl.gz"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(HOSTILE_BUNDLES))
def test_a_corrupt_or_hostile_bundle_is_refused_in_one_line_and_changes_nothing(case, coach, kiosk_bundle,
                                                                                  tmp_path):
    make, expected = HOSTILE_BUNDLES[case]
    folder = tmp_path / "case"
    folder.mkdir()
    path = make(kiosk_bundle, folder)
    before = coach.store.table_counts()

    with pytest.raises(TalentSyncError) as caught:
        coach.import_bundle(path)

    message = str(caught.value)
    assert expected in message, message
    assert "\n" not in message and len(message) < 400
    assert coach.store.table_counts() == before


def test_caps_apply_to_the_file_and_each_line(coach, kiosk_bundle, monkeypatch):
    monkeypatch.setattr(bundle_format, "MAX_LINE_BYTES", 1000)
    with pytest.raises(TalentSyncError, match="line 2 is longer than"):
        coach.import_bundle(kiosk_bundle)
    monkeypatch.setattr(bundle_format, "MAX_FILE_BYTES", 100)
    with pytest.raises(TalentSyncError, match="the file is too large"):
        coach.import_bundle(kiosk_bundle)


def test_an_uncompressed_bundle_is_read_too(coach, kiosk_bundle, tmp_path):
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(gzip.decompress(kiosk_bundle.read_bytes()))
    assert len(coach.import_bundle(plain).added) == 2


def test_the_bundle_is_one_gzip_json_lines_file_with_a_versioned_header(kiosk_bundle):
    rows = lines(kiosk_bundle)
    assert rows[0]["format"] == "talentsync-bundle" and rows[0]["version"] == 1
    assert rows[0]["origin"] == "kiosk-1" and rows[0]["sessions"] == len(rows) - 1 == 2
    first = rows[1]
    assert set(first) >= {"uid", "profile_name", "config", "items", "status"}
    follow = next(i for i in first["items"] if i["kind"] == "followup")
    assert follow["parent_position"] is not None
    assert any(i["response"] and i["response"]["feedback"] for i in first["items"])
    with io.BytesIO(kiosk_bundle.read_bytes()) as raw:
        assert raw.read(2) == b"\x1f\x8b"
    assert first["status"] == SessionStatus.completed.value
