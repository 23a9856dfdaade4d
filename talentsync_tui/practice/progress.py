"""Progress over time: average scores per session, per module and per tag, and missed points."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from talentsync_tui.models import AnswerRecord, MissedPoint, Progress, TrendPoint

TOP_TAGS = 5
"""Tag trends are drawn for the most answered tags only (a chart with 40 lines says nothing)."""
TOP_MISSED = 10


def _trend(records: Iterable[AnswerRecord]) -> list[TrendPoint]:
    """One point per session: the average score of these answers in it."""
    by_session: dict[int, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        by_session[record.session_id].append(record)
    return [TrendPoint(session_id=sid, started=rs[0].session_started, answers=len(rs),
                       score=round(sum(r.feedback.score for r in rs) / len(rs), 1))
            for sid, rs in sorted(by_session.items())]


def module_of(record: AnswerRecord) -> str:
    return record.question_key.split("/")[0] if record.question_key else "resume"


def missed_points(records: Sequence[AnswerRecord], limit: int = TOP_MISSED) -> list[MissedPoint]:
    """Expected points missed at least once, most often missed first. Skipped answers do not
    count (nothing was tried); `covered_last` says whether the latest answer covered it."""
    stats: dict[tuple[str, str], list] = {}
    for record in records:  # oldest first
        if record.skipped or not record.question_key:
            continue
        fb = record.feedback
        for point, covered in [(p, True) for p in fb.covered_points] + [(p, False) for p in fb.missed_points]:
            entry = stats.setdefault((record.question_key, point), [record.question_text, 0, 0, False])
            entry[1] += not covered
            entry[2] += 1
            entry[3] = covered
    found = [MissedPoint(question_key=key, question_text=text, point=point, missed=missed,
                         answered=answered, covered_last=last)
             for (key, point), (text, missed, answered, last) in stats.items() if missed]
    found.sort(key=lambda m: (-m.missed, m.covered_last, -m.missed / m.answered, m.question_key, m.point))
    return found[:limit]


def progress(records: Sequence[AnswerRecord], top_tags: int = TOP_TAGS) -> Progress:
    """Trends and missed points from a profile's answer history (oldest first)."""
    modules: dict[str, list[AnswerRecord]] = defaultdict(list)
    tags: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        modules[module_of(record)].append(record)
        for tag in record.tags:
            tags[tag].append(record)
    counts = Counter({tag: len(rs) for tag, rs in tags.items()})
    busiest = sorted(counts, key=lambda t: (-counts[t], t))[:top_tags]
    return Progress(
        overall=_trend(records),
        modules={m: _trend(rs) for m, rs in sorted(modules.items())},
        tags={t: _trend(tags[t]) for t in busiest},
        missed=missed_points(records),
    )
