"""A study deck for Anki: the questions a candidate missed points on, to practise away from the app.

One note per question, from its latest graded attempt: front the question, back
the bank's model answer and the expected points with the missed ones marked.
Ids are derived from hashes, not drawn at random: the deck and note type of a
candidate keep their ids, and each note's GUID depends only on the candidate
and the question, so importing a newer export into Anki updates the notes in
place instead of adding copies. Every field is HTML-escaped (Anki renders HTML).

genanki builds the collection; we write the package ourselves so the temporary
SQLite file (which holds the candidate's data) lives in a folder we delete.
"""

from __future__ import annotations

import hashlib
import html
import os
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import genanki

from talentsync_tui.feedback.report import WEAK_SCORE
from talentsync_tui.files import FILE_MODE
from talentsync_tui.models import ItemKind, SessionRecord, StoredQuestion

MODEL_NAME = "TalentSync review"
FIELDS = ["Question", "Model answer", "Expected points", "Last score"]
CSS = """.card { font-family: system-ui, Arial, sans-serif; font-size: 18px; text-align: left; color: #1d2430; }
.points li { margin: .3em 0; }
.missed { color: #b3261e; }
.covered { color: #1f7a4d; }
.score { color: #5b6472; font-size: 14px; }
"""
FRONT = "{{Question}}"
BACK = ("{{FrontSide}}<hr id=answer>{{#Model answer}}<h4>Model answer</h4>{{Model answer}}{{/Model answer}}"
        "<h4>Expected points</h4>{{Expected points}}<p class=score>{{Last score}}</p>")


@dataclass
class ReviewCard:
    """One question to study: its latest graded attempt."""

    identity: str
    """The bank question's key, or a hash of a resume question's text."""
    question: str
    model_answer: str | None
    points: list[tuple[str, bool]]
    """(expected point, missed in the latest attempt)."""
    score: int
    tags: list[str]


def stable_id(*parts: str) -> int:
    """An id in the range genanki recommends (2^30..2^31), the same for the same parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def review_cards(records: list[SessionRecord], bank: dict[str, StoredQuestion],
                 threshold: int = WEAK_SCORE) -> list[ReviewCard]:
    """The questions whose latest graded attempt scored below `threshold` or missed an expected point.

    Bank and resume questions count; follow-ups are part of their question's topic and
    have no expected points or model answer of their own.
    """
    latest: dict[str, tuple[object, ReviewCard]] = {}
    for record in records:
        for item in record.items:
            response = item.response
            if item.kind is ItemKind.followup or response is None or response.feedback is None:
                continue
            fb = response.feedback
            identity = item.question_key or "resume:" + hashlib.sha256(item.text.encode()).hexdigest()[:20]
            question = bank.get(item.question_key) if item.question_key else None
            missed = set(fb.missed_points)
            card = ReviewCard(
                identity=identity, question=item.text,
                model_answer=question.model_answer if question is not None else None,
                points=[(point, point in missed) for point in item.expected_points],
                score=fb.score,
                tags=_tags(item.question_key, item.difficulty.value, item.type.value, item.kind),
            )
            when = response.submitted_at
            if identity not in latest or when >= latest[identity][0]:  # type: ignore[operator]
                latest[identity] = (when, card)
    cards = [card for _, card in latest.values()
             if card.score < threshold or any(missed for _, missed in card.points)]
    return sorted(cards, key=lambda c: (c.score, c.identity))


def _tags(key: str | None, difficulty: str, kind_type: str, kind: ItemKind) -> list[str]:
    module = key.split("/", 1)[0] if key and "/" in key else "resume" if kind is ItemKind.resume else "other"
    return ["talentsync", module.replace(" ", "_"), f"difficulty::{difficulty}", f"type::{kind_type}"]


def _paragraphs(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.strip().splitlines())


def _points_html(points: list[tuple[str, bool]]) -> str:
    if not points:
        return "<p>(no expected points)</p>"
    items = "".join(
        f'<li class="missed">\u2717 missed: {html.escape(point)}</li>' if missed
        else f'<li class="covered">\u2713 {html.escape(point)}</li>'
        for point, missed in points
    )
    return f'<ul class="points">{items}</ul>'


def build_deck(profile_name: str, cards: list[ReviewCard]) -> genanki.Deck:
    key = profile_name.casefold()
    model = genanki.Model(
        stable_id("talentsync-review-model", "v1"), MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    deck = genanki.Deck(stable_id("talentsync-review-deck", key), f"TalentSync review::{profile_name}")
    for card in cards:
        deck.add_note(genanki.Note(
            model=model,
            fields=[
                _paragraphs(card.question),
                _paragraphs(card.model_answer) if card.model_answer else "",
                _points_html(card.points),
                f"Last score: {card.score}/100",
            ],
            tags=card.tags,
            guid=genanki.guid_for("talentsync-review", key, card.identity),
        ))
    return deck


def write_deck(deck: genanki.Deck, path: Path) -> Path:
    """Write an .apkg atomically, mode 0600; the temporary collection is removed whatever happens."""
    package = genanki.Package(deck)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="talentsync-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(database)
        try:
            now = time.time()
            package.write_to_db(conn.cursor(), now, count(int(now * 1000)))
            conn.commit()
        finally:
            conn.close()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(database, "collection.anki2")
                archive.writestr("media", "{}")
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    os.replace(tmp, path)
    return path
