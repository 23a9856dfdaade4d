"""Rows to models and back (every table group shares these)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from talentsync_tui.models import Profile, Question, Response, Session, SessionConfig, SessionItem
from talentsync_tui.store.connection import _dt


def question_hash(question: Question) -> str:
    """Fingerprint of a question's content (drives index staleness checks)."""
    payload = question.model_dump_json(exclude={"id"})
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _item_row(item: dict[str, Any]) -> dict[str, Any]:
    row = dict(item)
    for key in ("tags", "expected_points", "follow_ups"):
        row[key] = json.dumps(row.get(key) or [])
    for key in ("kind", "difficulty", "type", "status"):
        if key in row and hasattr(row[key], "value"):
            row[key] = row[key].value
    return row


def _item(row: dict[str, Any]) -> SessionItem:
    return SessionItem(
        id=row["id"],
        session_id=row["session_id"],
        position=row["position"],
        kind=row["kind"],
        question_key=row["question_key"],
        text=row["text"],
        difficulty=row["difficulty"],
        type=row["type"],
        tags=json.loads(row["tags"]),
        expected_seconds=row["expected_seconds"],
        expected_points=json.loads(row["expected_points"]),
        follow_ups=json.loads(row["follow_ups"]),
        parent_item_id=row["parent_item_id"],
        retry_of=row.get("retry_of"),
        status=row["status"],
        shown_at=_dt(row["shown_at"]),
        spent_seconds=row["spent_seconds"],
        resumed_at=_dt(row["resumed_at"]),
        source=row["source"],
        latency_ms=row["latency_ms"],
    )


def _profile(row: dict[str, Any]) -> Profile:
    return Profile(
        id=row["id"],
        name=row["name"],
        created_at=_dt(row["created_at"]),
        resume_text=row["resume_text"],
        skills=json.loads(row["skills"]),
        roles=json.loads(row["roles"]),
        employers=json.loads(row["employers"]),
        projects=json.loads(row["projects"]),
        years_experience=row["years_experience"],
        certifications=json.loads(row.get("certifications") or "[]"),
        achievements=json.loads(row.get("achievements") or "[]"),
    )


def _session(row: dict[str, Any]) -> Session:
    return Session(
        id=row["id"],
        profile_id=row["profile_id"],
        status=row["status"],
        config=SessionConfig.model_validate_json(row["config"]),
        seed=row["seed"],
        created_at=_dt(row["created_at"]),
        completed_at=_dt(row["completed_at"]),
        uid=row.get("uid"),
        origin=row.get("origin"),
    )


def _response(row: dict[str, Any]) -> Response:
    return Response(
        id=row["id"],
        item_id=row["item_id"],
        session_id=row["session_id"],
        text=row["text"],
        skipped=bool(row["skipped"]),
        shown_at=_dt(row["shown_at"]),
        submitted_at=_dt(row["submitted_at"]),
        elapsed_seconds=row["elapsed_seconds"],
        word_count=row["word_count"],
    )
