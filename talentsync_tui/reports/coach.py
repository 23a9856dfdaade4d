"""The coach's overview: every candidate, their sessions and their average score per module."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel

from talentsync_tui.models import Profile, Session, SessionStatus
from talentsync_tui.store import ScoreRow

RESUME = "resume"
"""What resume-driven questions count under (they belong to no bank module)."""


class ModuleScore(BaseModel):
    module: str
    average: float
    answers: int


class SessionOverview(BaseModel):
    id: int
    uid: str | None
    status: SessionStatus
    created_at: datetime
    modules: list[str]
    origin: str | None
    """The laptop an imported session came from (None: taken here)."""
    done: int
    """Questions answered or skipped."""
    total: int
    average: float | None
    by_module: list[ModuleScore]


class CandidateOverview(BaseModel):
    profile_id: int
    name: str
    sessions: list[SessionOverview]
    average: float | None
    by_module: list[ModuleScore]


def module_of(kind: str, question_key: str | None) -> str:
    """A follow-up counts under its question's module (it carries the parent's key)."""
    if question_key and "/" in question_key:
        return question_key.split("/", 1)[0]
    return RESUME if kind == "resume" else "other"


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _by_module(scores: dict[str, list[int]]) -> list[ModuleScore]:
    return [ModuleScore(module=module, average=round(sum(v) / len(v), 1), answers=len(v))
            for module, v in sorted(scores.items()) if v]


def overview(profiles: list[Profile], sessions: list[Session], rows: list[ScoreRow],
             counts: dict[int, tuple[int, int]]) -> list[CandidateOverview]:
    """Candidates by name, each with their sessions newest first and averages over all their answers."""
    session_scores: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        session_scores[row.session_id][module_of(row.kind, row.question_key)].append(row.score)
    by_profile: dict[int, list[Session]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: s.id, reverse=True):
        by_profile[session.profile_id].append(session)
    result = []
    for profile in profiles:
        assert profile.id is not None
        candidate_scores: dict[str, list[int]] = defaultdict(list)
        overviews = []
        for session in by_profile.get(profile.id, []):
            scores = session_scores.get(session.id, {})
            for module, values in scores.items():
                candidate_scores[module].extend(values)
            done, total = counts.get(session.id, (0, 0))
            overviews.append(SessionOverview(
                id=session.id, uid=session.uid, status=session.status, created_at=session.created_at,
                modules=session.config.module_ids, origin=session.origin, done=done, total=total,
                average=_mean([v for values in scores.values() for v in values]),
                by_module=_by_module(scores),
            ))
        result.append(CandidateOverview(
            profile_id=profile.id, name=profile.name, sessions=overviews,
            average=_mean([v for values in candidate_scores.values() for v in values]),
            by_module=_by_module(candidate_scores),
        ))
    return result
