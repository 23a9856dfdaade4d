"""Review items: what a graded answer adds to a candidate's practice, and when it is due.

An answer to a bank question makes or reviews these items (one per profile, question
and point, plus one for the whole question):

- every expected point it **missed** becomes an item (rating Again when it exists);
- every point it **covered** reviews that point's item, if there is one: Good, or Easy
  when the whole answer scored `EASY_SCORE` or more;
- the **whole question** becomes an item when the answer scored under `LOW_SCORE`, and
  an existing one is reviewed by score: under 40 Again, under `LOW_SCORE` Hard, under
  `EASY_SCORE` Good, else Easy;
- a **skipped** question becomes a whole-question item (Again); its points' existing
  items are reviewed Again, but a skip makes no point items (no point was tried).

Follow-ups (their text is not the bank's question) and resume-driven questions (no
bank key to ask again) make none.

A new item is due at once (it is a fsrs card that was never reviewed): the next
practice session asks it. Every later answer to the question is a fsrs review at the
time the answer was submitted. The card is always *replayed* from the item's log of
(rating, time) rows, one row per answer, so grading an answer again (a job re-run, the
coach replacing a quick check) changes that answer's row instead of adding one: no
duplicates, and the same card whatever the order of events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from fsrs import Card, Rating, Scheduler

from talentsync_tui.models import Feedback, ItemKind, ReviewTarget, SessionItem

LOW_SCORE = 60
"""An answer scoring under this makes a whole-question review item (the summary's 'weak')."""
EASY_SCORE = 85
"""An answer scoring this or more reviews its items as Easy."""
AGAIN_BELOW = 40


def question_rating(score: int) -> Rating:
    """The fsrs rating of a whole-question review from the answer's 0-100 score."""
    if score < AGAIN_BELOW:
        return Rating.Again
    if score < LOW_SCORE:
        return Rating.Hard
    if score < EASY_SCORE:
        return Rating.Good
    return Rating.Easy


def _point_indexes(feedback: Feedback, points: Sequence[str]) -> tuple[set[int], set[int]]:
    """(covered, missed) 0-based point indexes: from the feedback's details, else by text."""
    details = feedback.details or {}
    covered: set[int] = set()
    missed: set[int] = set()
    for key, into in (("covered", covered), ("missed", missed)):
        for entry in details.get(key) or []:
            index = entry.get("index") if isinstance(entry, dict) else None
            if isinstance(index, int) and 0 <= index < len(points):
                into.add(index)
    if covered or missed:
        return covered, missed
    for text, into in ((feedback.covered_points, covered), (feedback.missed_points, missed)):
        for point in text:
            if point in points:
                into.add(points.index(point))
    return covered, missed


def review_targets(item: SessionItem, feedback: Feedback, skipped: bool) -> list[ReviewTarget]:
    """Every review item this graded answer makes or reviews (see the module docstring)."""
    if item.question_key is None or item.kind is ItemKind.followup:
        return []
    base = {"question_key": item.question_key, "question_text": item.text, "tags": list(item.tags)}
    points = list(item.expected_points)
    targets: list[ReviewTarget] = []
    if skipped:
        for index, text in enumerate(points):
            targets.append(ReviewTarget(point=index + 1, point_text=text, rating=Rating.Again,
                                        creates=False, **base))
        targets.append(ReviewTarget(point=0, rating=Rating.Again, creates=True, **base))
        return targets
    covered, missed = _point_indexes(feedback, points)
    good = Rating.Easy if feedback.score >= EASY_SCORE else Rating.Good
    for index, text in enumerate(points):
        if index in missed:
            targets.append(ReviewTarget(point=index + 1, point_text=text, rating=Rating.Again,
                                        creates=True, **base))
        elif index in covered:
            targets.append(ReviewTarget(point=index + 1, point_text=text, rating=good,
                                        creates=False, **base))
    targets.append(ReviewTarget(point=0, rating=question_rating(feedback.score),
                                creates=feedback.score < LOW_SCORE, **base))
    return targets


@dataclass(frozen=True)
class CardState:
    """A review item's fsrs card after replaying its log."""

    card_json: str
    due: datetime
    reviews: int
    lapses: int
    stability: float | None


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc)


class ReviewScheduler:
    """fsrs with settings for practice spread over weeks, deterministic for tests and benches.

    No learning steps (minutes apart, meant for flashcards drilled in one sitting): a
    review goes straight to a days-long interval (Again about 1 day, Good about 2, Easy
    about 8 on a first review, growing as answers keep covering it). Fuzzing is off so
    the same answers always give the same due dates.
    """

    def __init__(self, desired_retention: float = 0.9) -> None:
        self.scheduler = Scheduler(desired_retention=desired_retention, learning_steps=(),
                                   relearning_steps=(), enable_fuzzing=False)

    def new_card(self, created: datetime) -> Card:
        """A card due at once (the id is derived from the time: fsrs would sleep to make one)."""
        created = _utc(created)
        return Card(card_id=int(created.timestamp() * 1000), due=created)

    def review(self, card: Card, rating: int, when: datetime) -> Card:
        reviewed, _ = self.scheduler.review_card(card, Rating(rating), review_datetime=_utc(when))
        return reviewed

    def replay(self, log: Sequence[tuple[int, bool, datetime]]) -> CardState | None:
        """The card from a log of (rating, creates, time) rows in answer order: the first row
        that `creates` makes it (due at once), each later row reviews it. None when no row
        creates (the item should not exist)."""
        card: Card | None = None
        reviews = lapses = 0
        for rating, creates, when in log:
            if card is None:  # rows before the first miss: the item did not exist yet
                if creates:
                    card = self.new_card(when)
                continue
            card = self.review(card, rating, when)
            reviews += 1
            lapses += rating == Rating.Again
        if card is None:
            return None
        return CardState(card_json=card.to_json(), due=_utc(card.due), reviews=reviews, lapses=lapses,
                         stability=card.stability)
