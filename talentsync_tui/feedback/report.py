"""Session reports: every question, answer, timing and feedback, as Markdown or JSON.

The HTML rendering of the same report is in `talentsync_tui.reports.html`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from talentsync_tui.models import Feedback, ItemKind, ItemStatus, Profile, Session
from talentsync_tui.store import Store


class ReportItem(BaseModel):
    position: int
    kind: ItemKind
    question: str
    difficulty: str
    type: str
    tags: list[str]
    status: ItemStatus
    answer: str | None
    elapsed_seconds: float | None
    expected_seconds: int
    feedback: Feedback | None
    follow_up_source: str | None = None
    model_answer: str | None = None
    item_id: int | None = None
    parent_position: int | None = None
    """For a follow-up: the position of the question it digs into."""
    question_key: str | None = None
    expected_points: list[str] = []
    retry_of: int | None = None
    """For a retry: the position of the question's first attempt."""


class SessionReport(BaseModel):
    session: Session
    profile_name: str
    modules: list[str]
    items: list[ReportItem]
    answered: int
    skipped: int
    pending: int
    average_score: float | None
    total_seconds: float
    generated_at: datetime


def build_report(store: Store, session_id: int, now: datetime) -> SessionReport:
    """Collect a session's report from the store."""
    session = store.get_session(session_id)
    if session is None:
        raise LookupError(f"There is no session {session_id}.")
    profile: Profile | None = store.get_profile(session.profile_id)
    responses = {r.item_id: r for r in store.responses(session_id)}
    feedback = store.feedback_for_session(session_id)
    session_items = store.items(session_id)
    banks = store.questions_by_key(sorted({i.question_key for i in session_items if i.question_key}))
    items: list[ReportItem] = []
    positions = {item.id: item.position + 1 for item in session_items}
    for item in session_items:
        bank_question = banks.get(item.question_key) if item.question_key else None
        response = responses.get(item.id)
        items.append(
            ReportItem(
                position=item.position + 1,
                kind=item.kind,
                question=item.text,
                difficulty=item.difficulty.value,
                type=item.type.value,
                tags=item.tags,
                status=item.status,
                answer=response.text if response and not response.skipped else None,
                elapsed_seconds=response.elapsed_seconds if response else None,
                expected_seconds=item.expected_seconds,
                feedback=feedback.get(response.id) if response else None,
                follow_up_source=item.source,
                model_answer=bank_question.model_answer if bank_question is not None else None,
                item_id=item.id,
                parent_position=positions.get(item.parent_item_id) if item.parent_item_id else None,
                question_key=item.question_key,
                expected_points=item.expected_points,
                retry_of=positions.get(item.retry_of) if item.retry_of is not None else None,
            )
        )
    scores = [i.feedback.score for i in items if i.feedback is not None]
    return SessionReport(
        session=session,
        profile_name=profile.name if profile else "?",
        modules=session.config.module_ids,
        items=items,
        answered=sum(i.status is ItemStatus.answered for i in items),
        skipped=sum(i.status is ItemStatus.skipped for i in items),
        pending=sum(i.status is ItemStatus.pending for i in items),
        average_score=round(sum(scores) / len(scores), 1) if scores else None,
        total_seconds=round(sum(i.elapsed_seconds or 0 for i in items), 1),
        generated_at=now,
    )


WEAK_SCORE = 60
"""Below this score the bank's model answer is offered (collapsed)."""


def covered_with_evidence(feedback: Feedback) -> list[tuple[str, str | None]]:
    """(point, quoted sentence of the answer) for each covered point."""
    detailed = feedback.details.get("covered") if feedback.details else None
    if isinstance(detailed, list) and detailed:
        return [(str(c.get("point", "")), c.get("evidence")) for c in detailed if isinstance(c, dict)]
    return [(p, None) for p in feedback.covered_points]


def missed_with_advice(feedback: Feedback) -> list[tuple[str, str | None, str | None]]:
    """(point, the point as advice, an example from the model answer) for each missed point."""
    detailed = feedback.details.get("missed") if feedback.details else None
    if isinstance(detailed, list) and detailed:
        return [(str(m.get("point", "")), m.get("advice"), m.get("example"))
                for m in detailed if isinstance(m, dict)]
    return [(p, None, None) for p in feedback.missed_points]


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def render_json(report: SessionReport) -> str:
    return report.model_dump_json(indent=2)


def render_markdown(report: SessionReport) -> str:
    s = report.session
    lines = [
        f"# Interview practice report: session {s.id}",
        "",
        f"- Candidate: {report.profile_name}",
        f"- Modules: {', '.join(report.modules)}",
        f"- Started: {s.created_at:%Y-%m-%d %H:%M} UTC; status: {s.status.value}",
        f"- Answered {report.answered}, skipped {report.skipped}, not reached {report.pending}",
        f"- Average score: {report.average_score if report.average_score is not None else '-'}",
        f"- Time spent: {minutes(report.total_seconds)}",
        "",
    ]
    for item in report.items:
        label = {"core": "", "resume": " (from your resume)", "followup": " (follow-up)"}[item.kind.value]
        if item.retry_of is not None:
            label = f" (retry of {item.retry_of})"
        lines += [
            f"## {item.position}. {item.question}{label}",
            "",
            f"*{item.difficulty} · {item.type.replace('_', ' ')} · "
            f"time {minutes(item.elapsed_seconds)} of {minutes(item.expected_seconds)} expected*",
            "",
        ]
        if item.status is ItemStatus.skipped:
            lines += ["**Skipped.**", ""]
        elif item.status is ItemStatus.pending:
            lines += ["*Not reached.*", ""]
        else:
            lines += ["**Answer:**", "", *[f"> {line}" for line in (item.answer or "").splitlines()], ""]
        fb = item.feedback
        if fb is not None:
            lines += [f"**Score: {fb.score}/100.** {fb.summary}", ""]
            covered = covered_with_evidence(fb)
            if covered:
                lines += ["Covered:", *[f"- {p}" + (f" \u2014 you said: \u201c{q}\u201d" if q else "")
                                        for p, q in covered], ""]
            if fb.missed_points:
                lines += ["Missed:", *[f"- {p}" for p in fb.missed_points], ""]
            if fb.improvements:
                lines += ["To improve:", *[f"- {p}" for p in fb.improvements], ""]
            if fb.narrative:
                lines += [fb.narrative, ""]
            if item.model_answer and fb.score < WEAK_SCORE:
                lines += ["<details><summary>Model answer</summary>", "", item.model_answer.strip(), "",
                          "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"
