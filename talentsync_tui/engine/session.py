"""The in-process session engine: create, ask, answer, skip, pause, resume, finish."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from talentsync_tui.engine.followups import FollowUp
from talentsync_tui.engine.seeding import (
    Candidate,
    choose,
    choose_review,
    follow_up_allowance,
    follow_up_seconds,
    order,
    planned_seconds,
)
from talentsync_tui.models import (
    Difficulty,
    ItemKind,
    ItemStatus,
    Profile,
    Question,
    QuestionType,
    Session,
    SessionConfig,
    SessionItem,
    SessionStatus,
    SessionStatusReport,
    StoredQuestion,
)
from talentsync_tui.store import Store, StoreError, utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class EngineError(Exception):
    """A request the engine cannot honour, explained for the user."""


@dataclass(frozen=True)
class SubmitResult:
    response_id: int
    next_item: SessionItem | None
    completed: bool
    follow_up_expected: bool = False
    """A follow-up is being written and will be the next question (`FollowUpQueued` says
    when it is queued, or that there is none after all); `next_item` is then None."""


def word_count(text: str) -> int:
    return len(text.split())


_DIFFICULTY = {d.value: d for d in Difficulty}
_TYPE = {t.value: t for t in QuestionType}


def core_stub(row: tuple[str, str, str, int]) -> Candidate:
    """A bank question as choosing sees it; text and tags are filled in for the chosen few."""
    key, difficulty, qtype, seconds = row
    return Candidate(key=key, kind=ItemKind.core, text="", difficulty=_DIFFICULTY[difficulty],
                     type=_TYPE[qtype], expected_seconds=seconds)


def with_details(c: Candidate, q: StoredQuestion) -> Candidate:
    return replace(c, text=q.text, tags=tuple(q.tags), expected_points=tuple(q.expected_points),
                   follow_ups=tuple(q.follow_ups))


def resume_candidate(q: Question) -> Candidate:
    return Candidate(
        key=q.id, kind=ItemKind.resume, text=q.text, difficulty=q.difficulty, type=q.type,
        tags=tuple(q.tags), expected_seconds=q.expected_seconds,
        expected_points=tuple(q.expected_points), follow_ups=tuple(q.follow_ups),
    )


def profile_questions(profile: Profile | None, store: Store | None = None) -> list[Question]:
    """Resume-driven questions for a profile that has a resume (none otherwise).

    The questions stored when the resume was read (templates, perhaps rewritten by the
    coach model since) come first; a profile without any (made before they were
    stored, or by hand) gets them generated from its extracted fields.
    """
    if profile is None:
        return []
    if store is not None and profile.id is not None:
        stored = store.resume_questions(profile.id)
        if stored:
            return [s.question for s in stored]
    if not (profile.skills or profile.projects or profile.roles or profile.employers
            or profile.achievements or profile.certifications):
        return []
    from talentsync_tui.resume import ResumeProfile, resume_questions

    resume_profile = ResumeProfile(
        skills=profile.skills, roles=profile.roles, employers=profile.employers,
        projects=profile.projects, years_experience=profile.years_experience,
        certifications=profile.certifications, achievements=profile.achievements,
    )
    return resume_questions(resume_profile)


class SessionEngine:
    """Runs mock interviews on top of the store; every state change is committed first."""

    def __init__(self, store: Store, clock: Clock = utcnow,
                 on_answer: Callable[[int], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.on_answer = on_answer or (lambda response_id: None)
        self._stubs: dict[tuple[str, ...], tuple[tuple, list[Candidate]]] = {}
        self.live_sessions: set[int] = set()
        """Sessions whose clock this process started (stopped again on close)."""

    # -- creating -------------------------------------------------------------

    def plan(self, profile_id: int | None, config: SessionConfig, seed: int) -> list[Candidate]:
        """The queue a session with these inputs would get (nothing is stored)."""
        summaries = {m.id: m for m in self.store.module_summaries()}
        unknown = [m for m in config.module_ids if m not in summaries]
        if unknown:
            raise EngineError(f"Unknown module(s): {', '.join(unknown)}. See `talentsync bank list`.")
        default_minutes = max(summaries[m].default_minutes for m in config.module_ids)
        if config.review_keys:
            return self._plan_review(config, seed, default_minutes)
        core = self._core_stubs(config.module_ids)
        profile = self.store.get_profile(profile_id) if profile_id is not None else None
        resume = [resume_candidate(q) for q in profile_questions(profile, self.store)]
        default_minutes = max(summaries[m].default_minutes for m in config.module_ids)
        # Choose from light stubs (a 10,000-question bank stays fast), then order the
        # chosen few with their full details (tags drive the variety).
        chosen = choose(core, resume, config, seed, default_minutes)
        details = self.store.questions_by_key([c.key for c in chosen if c.kind is ItemKind.core])
        if any(c.kind is ItemKind.core and c.key not in details for c in chosen):
            self._stubs.clear()
            raise EngineError("A module changed while the session was being planned (deleted or "
                              "re-imported from another window): try again.")
        queue = order([with_details(c, details[c.key]) if c.kind is ItemKind.core else c
                       for c in chosen])
        if not queue:
            raise EngineError(
                "No questions match: widen the difficulty range or choose other modules."
            )
        return queue

    def _plan_review(self, config: SessionConfig, seed: int, default_minutes: int) -> list[Candidate]:
        """A practice session: the due questions first, in due order (whatever their
        difficulty), then questions of the same modules sharing their tags, easy to hard."""
        tags = self.store.question_tags(config.module_ids)
        stubs = [replace(c, tags=tuple(tags.get(c.key, ()))) for c in self._core_stubs(config.module_ids)]
        by_key = {c.key: c for c in stubs}
        first = [by_key[k] for k in dict.fromkeys(config.review_keys) if k in by_key]
        if not first:
            raise EngineError("The questions due for review are no longer in the question banks "
                              "(their modules were deleted or re-imported without them).")
        due, others = choose_review(first, stubs, config, seed, default_minutes)
        details = self.store.questions_by_key([c.key for c in due + others])
        if any(c.key not in details for c in due + others):
            self._stubs.clear()
            raise EngineError("A module changed while the session was being planned (deleted or "
                              "re-imported from another window): try again.")
        return ([with_details(c, details[c.key]) for c in due]
                + order([with_details(c, details[c.key]) for c in others]))

    def _core_stubs(self, module_ids: list[str]) -> list[Candidate]:
        """Seeding stubs of these modules, cached until any of them is re-imported or deleted."""
        key = tuple(sorted(module_ids))
        fingerprint = self.store.banks_fingerprint(list(key))
        cached = self._stubs.get(key)
        if cached is None or cached[0] != fingerprint:
            cached = (fingerprint, [core_stub(row) for row in self.store.question_stubs(list(key))])
            self._stubs[key] = cached
        return cached[1]

    def estimate_seconds(self, profile_id: int | None, config: SessionConfig) -> tuple[int, int]:
        """(question count, expected seconds) for a planned session, follow-ups included:
        the same `planned_seconds` per question that fitted the session to its length."""
        queue = self.plan(profile_id, config, config.seed if config.seed is not None else 0)
        return len(queue), sum(planned_seconds(c.expected_seconds, config) for c in queue)

    def create_session(self, profile_id: int, config: SessionConfig) -> Session:
        seed = config.seed if config.seed is not None else secrets.randbelow(2**31)
        queue = self.plan(profile_id, config, seed)
        session_id = self.store.create_session(
            profile_id, config, seed, [c.as_item() for c in queue], self.clock()
        )
        log.info("created session %d with %d questions (seed %d)", session_id, len(queue), seed)
        return self._session(session_id)

    # -- asking and answering -------------------------------------------------

    def next_question(self, session_id: int) -> SessionItem | None:
        """The current question, with its clock started; None when the session is done."""
        session = self._session(session_id)
        if session.status is SessionStatus.completed:
            return None
        if session.status is not SessionStatus.active:
            return self.store.current_item(session_id)
        item = self.store.show_current(session_id, self.clock())
        if item is not None:
            self.live_sessions.add(session_id)
        return item

    def submit_answer(self, session_id: int, item_id: int, text: str) -> SubmitResult:
        return self._record(session_id, item_id, text, skipped=False)

    def skip(self, session_id: int, item_id: int) -> SubmitResult:
        return self._record(session_id, item_id, "", skipped=True)

    def _record(self, session_id: int, item_id: int, text: str, skipped: bool) -> SubmitResult:
        session = self._session(session_id)
        if session.status is SessionStatus.completed:
            raise EngineError(f"Session {session_id} is already finished.")
        item = self.store.get_item(item_id)
        if item is None or item.session_id != session_id:
            raise EngineError(f"Question {item_id} is not part of session {session_id}.")
        if item.status is not ItemStatus.pending:
            raise EngineError("That question was already answered.")
        now = self.clock()
        elapsed = self.elapsed(item, now)
        try:
            response_id = self.store.record_response(
                item, text, skipped, now, elapsed, word_count(text)
            )
        except StoreError as exc:
            raise EngineError(str(exc)) from exc
        if self.expects_follow_up(item, text, skipped, session):
            # Asked right away, as an interviewer would: the next question is not shown, so
            # the follow-up takes its place when it is queued (the session stays open for it).
            self.on_answer(response_id)
            return SubmitResult(response_id=response_id, next_item=None, completed=False,
                                follow_up_expected=True)
        # Show the next question before waking the feedback workers, so a follow-up
        # (timing "after-next") lands after the question on screen rather than in its place.
        completed = self.store.complete_if_done(session_id, now)
        next_item = None if completed or session.status is SessionStatus.paused else self.next_question(session_id)
        self.on_answer(response_id)
        return SubmitResult(response_id=response_id, next_item=next_item, completed=completed)

    def expects_follow_up(self, item: SessionItem, text: str, skipped: bool,
                          session: Session | None = None) -> bool:
        """Whether this answer gets a follow-up asked immediately (the screen waits for it)."""
        if skipped or not text.strip() or item.kind is ItemKind.followup or item.retry_of is not None:
            return False  # a retry's follow-up, if any, was asked the first time
        session = session or self.store.get_session(item.session_id)
        if session is None or session.status is not SessionStatus.active:
            return False
        config = session.config
        return (config.follow_ups and config.follow_up_timing == "immediate"
                and config.max_follow_ups_per_question > 0
                and self.store.follow_up_count(item.id) < config.max_follow_ups_per_question)

    def follow_up_settled(self, session_id: int) -> bool:
        """After an immediate follow-up was queued or given up: complete the session if
        nothing is left (the answer that waited for it may have been the last)."""
        return self.store.complete_if_done(session_id, self.clock())

    def elapsed(self, item: SessionItem, now: datetime | None = None) -> float:
        """Seconds spent on an item so far, pauses excluded."""
        running = 0.0
        if item.resumed_at is not None:
            running = max(0.0, ((now or self.clock()) - item.resumed_at).total_seconds())
        return round(item.spent_seconds + running, 3)

    def queue_follow_up(self, parent: SessionItem, follow_up: FollowUp) -> SessionItem | None:
        """Insert a follow-up right after the current position (unless the session is over)."""
        session = self._session(parent.session_id)
        item_id = self.store.insert_item_after(
            parent.id,
            {
                "kind": ItemKind.followup,
                "question_key": parent.question_key,
                "text": follow_up.text,
                "difficulty": parent.difficulty,
                "type": parent.type,
                "tags": parent.tags,
                "expected_seconds": follow_up_seconds(parent.expected_seconds),
                "expected_points": [],
                "follow_ups": [],
                "source": follow_up.source,
                "latency_ms": follow_up.latency_ms,
            },
            max_children=session.config.max_follow_ups_per_question,
        )
        return self.store.get_item(item_id) if item_id is not None else None

    # -- pausing --------------------------------------------------------------

    def pause(self, session_id: int) -> None:
        session = self._session(session_id)
        if session.status is SessionStatus.completed:
            raise EngineError(f"Session {session_id} is already finished.")
        self.store.stop_clock(session_id, self.clock())
        self.store.set_session_status(session_id, SessionStatus.paused)

    def resume(self, session_id: int) -> SessionItem | None:
        """Continue a paused (or interrupted) session where it stopped."""
        session = self._session(session_id)
        if session.status is SessionStatus.completed:
            raise EngineError(f"Session {session_id} is already finished.")
        if session.status is SessionStatus.paused:
            self.store.set_session_status(session_id, SessionStatus.active)
        return self.next_question(session_id)

    def interrupt(self, session_id: int) -> None:
        """Stop the clock when the app closes without an explicit pause."""
        session = self.store.get_session(session_id)
        if session and session.status is SessionStatus.active:
            self.pause(session_id)

    # -- status ---------------------------------------------------------------

    def status(self, session_id: int) -> SessionStatusReport:
        session = self._session(session_id)
        items = self.store.items(session_id)
        now = self.clock()
        answered = sum(i.status is ItemStatus.answered for i in items)
        skipped = sum(i.status is ItemStatus.skipped for i in items)
        pending = [i for i in items if i.status is ItemStatus.pending]
        elapsed = sum(self.elapsed(i, now) for i in items)
        remaining = sum(i.expected_seconds for i in pending)
        # the follow-ups still to come (a follow-up gets none)
        remaining += sum(follow_up_allowance(i.expected_seconds, session.config) for i in pending
                         if i.kind is not ItemKind.followup)
        if pending:
            remaining = max(0, int(remaining - self.elapsed(pending[0], now)))
        return SessionStatusReport(
            session_id=session_id,
            status=session.status,
            answered=answered,
            skipped=skipped,
            remaining=len(pending),
            total=len(items),
            elapsed_seconds=round(elapsed, 1),
            estimated_remaining_seconds=remaining,
            current_position=pending[0].position if pending else None,
        )

    def _session(self, session_id: int) -> Session:
        session = self.store.get_session(session_id)
        if session is None:
            raise EngineError(f"There is no session {session_id}. See `talentsync session list`.")
        return session
