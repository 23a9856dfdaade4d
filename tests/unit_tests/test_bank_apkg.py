"""Anki packages (.apkg / .colpkg) built in the test with genanki, and hostile variants of them."""

from __future__ import annotations

import html
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
import zstandard

from talentsync_tui.banks import BankError, load_bank_files, parse_anki, parse_apkg
from talentsync_tui.banks import apkg as apkg_module
from talentsync_tui.models import Difficulty, Module, QuestionType

from test_bank_native import realistic_module

BASIC = genanki.Model(
    1607392319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
)
# What an export of TalentSync modules would write: the lists get fields of their own.
EXPORT_MODEL = genanki.Model(
    1607392320, "TalentSync question",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Expected points"}, {"name": "Follow-ups"}],
    templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}<br>{{Expected points}}"}],
)
NOTES = [
    ("Ab1$x", "What does <b>GIL</b> stand for?<script>alert('front')</script>",
     "Global Interpreter Lock.<br>Only one thread runs bytecode at a time.<div>It is released during I/O.</div>"
     "<img src=\"gil.png\"><style>div {color: red}</style>",
     ["python::concurrency", "difficulty::hard"]),
    ("Cd2%y", "Explain &quot;duck typing&quot; &amp; give an example",
     "If it walks like a duck&nbsp;and quacks like a duck, it is a duck. [sound:duck.mp3]",
     ["easy", "python"]),
    ("Ef3&z", "Tell me about a <i>conflict</i> in your team", "", ["behavioral"]),
]


def build_apkg(path: Path, notes=NOTES, deck_name: str = "Interview::Python", media: list[str] | None = None) -> Path:
    deck = genanki.Deck(2059400110, deck_name)
    for guid, front, back, tags in notes:
        deck.add_note(genanki.Note(model=BASIC, fields=[front, back], tags=tags, guid=guid))
    genanki.Package(deck, media_files=media or []).write_to_file(str(path), timestamp=1_700_000_000)
    return path


def test_an_apkg_becomes_a_module_named_after_its_deck(tmp_path):
    picture = tmp_path / "gil.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    [module] = parse_apkg(build_apkg(tmp_path / "python.apkg", media=[str(picture)]))

    assert (module.id, module.name, module.category) == ("interview-python", "Python", "Interview")
    gil, duck, conflict = module.questions
    assert gil.text == "What does GIL stand for?"  # markup read as text, the script dropped
    assert gil.model_answer == (
        "Global Interpreter Lock.\nOnly one thread runs bytecode at a time.\nIt is released during I/O."
    )
    assert gil.expected_points == [
        "Global Interpreter Lock.", "Only one thread runs bytecode at a time.", "It is released during I/O."
    ]
    assert (gil.difficulty, gil.tags) == (Difficulty.hard, ["concurrency"])
    assert duck.text == 'Explain "duck typing" & give an example'
    assert duck.model_answer == "If it walks like a duck and quacks like a duck, it is a duck."  # sound dropped
    assert (duck.difficulty, duck.tags, duck.type) == (Difficulty.easy, ["python"], QuestionType.technical)
    assert conflict.model_answer is None and conflict.type is QuestionType.behavioral


def test_apkg_and_plain_text_export_of_the_same_notes_give_the_same_ids(tmp_path):
    [package] = parse_apkg(build_apkg(tmp_path / "python.apkg"))
    rows = "".join(f"{guid}\t{front}\t{back}\t{' '.join(tags)}\n" for guid, front, back, tags in NOTES)
    text = "#separator:tab\n#html:true\n#guid column:1\n#deck:Interview::Python\n#tags column:4\n" + rows
    [export] = parse_anki(tmp_path / "python.txt", text)
    assert [q.id for q in package.questions] == [q.id for q in export.questions]
    assert all(q.id.startswith("anki-") for q in package.questions)


def write_export(module: Module, path: Path) -> Path:
    """An .apkg as an export of TalentSync questions would write it (the Anki export of issue 8)."""
    def as_html(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    deck = genanki.Deck(2059400111, module.name)
    for q in module.questions:
        fields = [
            as_html(q.text), as_html(q.model_answer or ""),
            "".join(f"<li>{html.escape(point)}</li>" for point in q.expected_points),
            "<br>".join(html.escape(f) for f in q.follow_ups),
        ]
        tags = [*q.tags, f"difficulty::{q.difficulty.value}", f"type::{q.type.value}"]
        deck.add_note(genanki.Note(model=EXPORT_MODEL, fields=fields, tags=tags, guid=q.id))
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_an_exported_apkg_imports_back_to_the_same_questions(tmp_path):
    original = realistic_module()
    [module] = parse_apkg(write_export(original, tmp_path / "export.apkg"), module_id=original.id)

    def content(m: Module) -> list[tuple]:
        return [(q.text, q.model_answer, q.difficulty, q.type, q.tags, q.expected_points, q.follow_ups)
                for q in m.questions]

    assert content(module) == content(original)


def make_v18_collection(path: Path, notes: list[tuple[str, str, str]], deck: str) -> None:
    """A schema-18 collection as Anki 2.1.50+ writes it: note types, fields and decks in tables."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE col (id integer primary key, models text, decks text);"
        "INSERT INTO col VALUES (1, '', '');"
        "CREATE TABLE notetypes (id integer primary key, name text, mtime_secs integer, usn integer, config blob);"
        "CREATE TABLE fields (ntid integer, ord integer, name text, config blob, primary key (ntid, ord));"
        "CREATE TABLE decks (id integer primary key, name text, mtime_secs integer, usn integer, common blob, kind blob);"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer, usn integer, tags text,"
        " flds text, sfld text, csum integer, flags integer, data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer);"
        "INSERT INTO notetypes VALUES (7, 'Basic', 0, 0, x'');"
        "INSERT INTO fields VALUES (7, 1, 'Back', x''), (7, 0, 'Front', x'');"  # stored out of order on purpose
    )
    db.execute("INSERT INTO decks VALUES (5, ?, 0, 0, x'', x'')", [deck.replace("::", "\x1f")])
    for number, (guid, front, back) in enumerate(notes, start=1):
        db.execute("INSERT INTO notes VALUES (?, ?, 7, 0, 0, ' interview ', ?, '', 0, 0, '')",
                   [number, guid, f"{front}\x1f{back}"])
        db.execute("INSERT INTO cards VALUES (?, ?, 5, 0)", [number, number])
    db.commit()
    db.close()


def test_a_new_format_package_reads_the_zstd_collection_not_the_legacy_stub(tmp_path):
    database = tmp_path / "c.db"
    make_v18_collection(database, [("g1", "What is <b>MVCC</b>?", "Readers never block writers.")], "Prep::Databases")
    stub = build_apkg(tmp_path / "stub.apkg", notes=[("s", "Please update to the latest Anki version.", "", [])])
    package = tmp_path / "new.colpkg"
    with zipfile.ZipFile(stub) as old, zipfile.ZipFile(package, "w") as new:
        new.writestr("collection.anki2", old.read("collection.anki2"))  # what old Anki versions would open
        new.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(database.read_bytes()))
        new.writestr("media", b"")
    [module] = parse_apkg(package)
    assert (module.id, module.name, module.category) == ("prep-databases", "Databases", "Prep")
    [q] = module.questions
    assert (q.text, q.model_answer, q.tags) == ("What is MVCC?", "Readers never block writers.", ["interview"])


def test_a_folder_import_picks_up_packages(tmp_path):
    build_apkg(tmp_path / "deck.apkg")
    (tmp_path / "deck.media").mkdir()
    (tmp_path / "deck.media" / "0").write_bytes(b"\x89PNG")
    skipped: list[str] = []
    loaded = load_bank_files([tmp_path], on_skip=lambda path, reason: skipped.append(reason))
    assert [(path.name, [m.id for m in ms]) for path, ms in loaded] == [("deck.apkg", ["interview-python"])]
    assert skipped == ["not a bank file type (no extension)"]


# -- hostile packages: one clear error each, never a crash or a write outside the temp dir --------


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def genanki_collection(tmp_path: Path, notes=NOTES) -> bytes:
    with zipfile.ZipFile(build_apkg(tmp_path / "base.apkg", notes=notes)) as archive:
        return archive.read("collection.anki2")


def hostile(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.apkg"
    if kind == "not-a-zip":
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif kind == "no-collection":
        zip_with(path, {"media": b"{}", "0": b"\x89PNG"})
    elif kind == "escaping-path":
        zip_with(path, {"collection.anki2": genanki_collection(tmp_path), "../../evil.sh": b"rm -rf ~"})
    elif kind == "absolute-path":
        zip_with(path, {"collection.anki2": genanki_collection(tmp_path), "/etc/cron.d/x": b"* * * * *"})
    elif kind == "not-sqlite":
        zip_with(path, {"collection.anki2": b"<html>this is a web page</html>" * 10})
    elif kind == "damaged-sqlite":
        zip_with(path, {"collection.anki2": b"SQLite format 3\x00" + b"\xff" * 4096})
    elif kind == "zip-bomb":
        zip_with(path, {"collection.anki2": b"\x00" * (2 * 1024 * 1024)})  # 2 MB of zeros: ~2 KB zipped
    elif kind == "zstd-bomb":
        zip_with(path, {"collection.anki21b": zstandard.ZstdCompressor().compress(b"\x00" * (2 * 1024 * 1024))})
    elif kind == "bad-zstd":
        zip_with(path, {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"})
    elif kind == "notes-view":  # "notes" as a view that never ends: must not even be queried
        database = tmp_path / "view.db"
        db = sqlite3.connect(database)
        db.executescript(
            "CREATE TABLE col (id integer, models text, decks text); CREATE TABLE cards (nid, did, ord);"
            "CREATE VIEW notes AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)"
            " SELECT x AS id, '' AS guid, 0 AS mid, '' AS tags, 'q' AS flds FROM n;"
        )
        db.close()
        zip_with(path, {"collection.anki2": database.read_bytes()})
    elif kind == "too-many-notes":
        notes = [(f"g{i}", f"Question {i}?", "Answer.", []) for i in range(6)]
        zip_with(path, {"collection.anki2": genanki_collection(tmp_path, notes)})
    elif kind == "image-only-note":
        zip_with(path, {"collection.anki2": genanki_collection(tmp_path, [("g", '<img src="a.png">', "x", [])])})
    return path


HOSTILE = {
    "not-a-zip": "not a readable zip archive",
    "no-collection": "no collection.anki2, .anki21 or .anki21b inside",
    "escaping-path": "a file named '../../evil.sh' that points outside it",
    "absolute-path": "a file named '/etc/cron.d/x' that points outside it",
    "not-sqlite": "collection.anki2 inside the package is not an SQLite database",
    "damaged-sqlite": "collection.anki2 is damaged",
    "zip-bomb": "collection.anki2 unpacks to 2 MB (at most 1 MB); refusing it",
    "zstd-bomb": "collection.anki21b unpacks to more than 1 MB; refusing it (a zip bomb?)",
    "bad-zstd": "collection.anki21b is not valid zstd data",
    "notes-view": "the collection has no notes table",
    "too-many-notes": "the package holds 6 notes, more than the 5 one module may hold",
    "image-only-note": "note 1: the front has no text",
}


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(apkg_module, "MAX_COLLECTION_BYTES", 1024 * 1024)
    monkeypatch.setattr(apkg_module, "MAX_NOTES", 5)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_packages_get_one_clear_error(tmp_path, small_caps, kind):
    path = hostile(tmp_path, kind)
    outside = set(tmp_path.parent.rglob("*"))
    with pytest.raises(BankError) as caught:
        parse_apkg(path)
    assert caught.value.path == path
    assert HOSTILE[kind] in caught.value.message
    assert "\n" not in str(caught.value)
    assert set(tmp_path.parent.rglob("*")) == outside  # nothing extracted next to the package


def test_a_query_that_runs_too_long_is_stopped(tmp_path, monkeypatch):
    path = build_apkg(tmp_path / "deck.apkg")
    monkeypatch.setattr(apkg_module, "QUERY_SECONDS", -1.0)  # every query is already over budget
    monkeypatch.setattr(apkg_module, "PROGRESS_STEPS", 1)
    with pytest.raises(BankError, match="took longer than"):
        parse_apkg(path)


def test_an_oversized_field_is_refused_before_its_html_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(apkg_module, "MAX_FIELD", 100)
    path = build_apkg(tmp_path / "deck.apkg", notes=[("g", "Why?", "<b>x</b>" * 50, [])])
    with pytest.raises(BankError, match="note 1: a field holds more than 100 characters"):
        parse_apkg(path)
