"""The background feedback queue: job rows in SQLite worked by a small thread pool.

`submit_answer` commits a response and a pending job together; these threads
work it: a quick check first (stored and shown at once, marked as such), then
the follow-up the candidate is waiting for, then the coach model's verdicts,
which replace the quick check in place. The job is marked done only in the
transaction that stores the final feedback, and the candidate's review items
(`practice.reviews`) are made or reviewed in that same transaction. Jobs a crash left behind (owner
process dead) are requeued when the pool starts, and by `requeue_stale()` for
any process about to run jobs. `stop()` is bounded: it stops taking jobs, runs
the `on_stop` hooks (which cancel an in-flight model generation), waits at most
`timeout` and puts unfinished jobs back to pending.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from talentsync_tui.engine import FollowUpProvider, SessionEngine, TemplateFollowUps
from talentsync_tui.feedback.evidence import GradingCancelled
from talentsync_tui.feedback.grader import Grader
from talentsync_tui.models import Feedback, ItemKind, SessionItem
from talentsync_tui.practice import ReviewScheduler, review_targets
from talentsync_tui.store import JobGone, Store, StoreClosed

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class FeedbackReady:
    """Feedback for one answer is stored (`final` False: a quick check the coach will replace)."""

    session_id: int
    item_id: int
    response_id: int
    feedback: Feedback
    final: bool = True


@dataclass(frozen=True)
class FollowUpQueued:
    """A follow-up question was inserted into a session's queue (`item` None: there will be
    none for this answer after all, so a screen waiting for it moves on)."""

    session_id: int
    item: SessionItem | None
    parent_item_id: int


@dataclass(frozen=True)
class FollowUpWriting:
    """The follow-up to `parent_item_id` so far, as the model writes it (streamed)."""

    session_id: int
    parent_item_id: int
    text: str


Event = FeedbackReady | FollowUpQueued | FollowUpWriting
Listener = Callable[[Event], None]
Scorer = Callable[..., Feedback]


class FeedbackWorkers:
    """A pool of threads that drains the jobs table."""

    def __init__(self, store: Store, engine: SessionEngine, *, threads: int = 2,
                 follow_ups: FollowUpProvider | None = None, scorer: Scorer | None = None,
                 grader: Grader | None = None) -> None:
        self.store = store
        self.engine = engine
        self.follow_ups: FollowUpProvider = follow_ups or TemplateFollowUps()
        self.grader = grader or Grader()
        self.scorer = scorer
        """A one-step scorer `(item, answer, elapsed, skipped) -> Feedback` replacing the grader (tests)."""
        self.reviews = ReviewScheduler()
        """Schedules the review items each final feedback makes (in the same transaction)."""
        self.threads = threads
        self._wake = threading.Condition()
        self._pending_signal = False
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listeners: list[Listener] = []
        self._idle = threading.Condition()
        self._busy = 0
        self._in_flight: set[int] = set()
        """Jobs this pool's threads hold right now (guarded by `_idle`)."""
        self.on_stop: list[Callable[[], None]] = []
        """Called by `stop()` right after the pool stops taking jobs (cancel a generation)."""

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            return
        self.requeue_stale()
        self._stop.clear()
        for n in range(self.threads):
            thread = threading.Thread(target=self._run, name=f"feedback-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        self.notify()

    def requeue_stale(self) -> int:
        """Put back to pending the jobs whose owner process is dead (or that this process
        left behind), never the ones this pool is working on right now."""
        with self._idle:
            in_flight = set(self._in_flight)
        recovered = self.store.recover_jobs(self.engine.clock(), in_flight=in_flight)
        if recovered:
            log.info("requeued %d unfinished feedback job(s) of a process that is gone", recovered)
        return recovered

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking jobs, cancel the one in hand, wait at most `timeout` seconds.

        A job still unfinished then goes back to pending for the next start (the
        thread, a daemon, finds the store closed and ends). Never raises.
        """
        deadline = time.monotonic() + timeout
        self._stop.set()
        self.notify()
        for hook in list(self.on_stop):
            try:
                hook()
            except Exception:
                log.exception("stop hook failed")
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in self._threads if t.is_alive()]
        self._threads.clear()
        with self._idle:
            unfinished = set(self._in_flight)
        if unfinished:
            try:
                released = self.store.release_jobs(unfinished, self.engine.clock())
                log.info("quit with %d job(s) in hand (%s still busy): %d left pending for "
                         "the next start", len(unfinished), ", ".join(alive) or "none", released)
            except Exception:
                log.exception("could not put unfinished jobs back")

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def notify(self, *_: object) -> None:
        """Wake the pool: a job was queued."""
        with self._wake:
            self._pending_signal = True
            self._wake.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until no job is pending or running (tests, CLI); True if idle in time."""
        def idle() -> bool:
            counts = self.store.job_counts()
            return counts["pending"] == 0 and counts["running"] == 0 and self._busy == 0

        with self._idle:
            return self._idle.wait_for(idle, timeout)

    # -- work -----------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_one()
            except StoreClosed:
                return  # the app is quitting and closed the database under us
            if not worked:
                with self._wake:
                    if not self._pending_signal and not self._stop.is_set():
                        self._wake.wait(timeout=2.0)
                    self._pending_signal = False

    def run_one(self) -> bool:
        """Claim and process one job; False when there was none (or the pool is stopping)."""
        with self._idle:
            if self._stop.is_set():
                return False
            job = self.store.claim_job(self.engine.clock())
            if job is None:
                self._idle.notify_all()
                return False
            self._busy += 1
            self._in_flight.add(job.id)
        try:
            self._process(job.id, job.response_id)
        except StoreClosed:
            raise
        except JobGone as exc:  # its answer was deleted: the job row went with it
            log.info("feedback job %d dropped: %s", job.id, exc)
        except GradingCancelled:  # quitting mid-verdict: pending again, no attempt counted
            self.store.release_jobs({job.id}, self.engine.clock())
        except Exception as exc:  # a bad job must never kill the worker
            log.exception("feedback job %d failed", job.id)
            self.store.fail_job(job.id, f"{type(exc).__name__}: {exc}", self.engine.clock(),
                                retry=job.attempts < MAX_ATTEMPTS)
        finally:
            with self._idle:
                self._busy -= 1
                self._in_flight.discard(job.id)
                self._idle.notify_all()
        return True

    def run_pending(self) -> int:
        """Process every pending job in this thread (CLI without a pool)."""
        done = 0
        while self.run_one():
            done += 1
        return done

    def _process(self, job_id: int, response_id: int) -> None:
        response = self.store.get_response(response_id)
        item = self.store.get_item(response.item_id) if response else None
        if response is None or item is None:
            raise LookupError(f"response {response_id} no longer exists")
        if self.scorer is not None:
            feedback = self.scorer(item, response.text, response.elapsed_seconds, response.skipped)
            self._follow_up(item, response.text, response.skipped, feedback.details)
            self._finish(job_id, item, response.id, feedback, response.skipped)
            return
        grader = self.grader
        model_answer = self._model_answer(item)
        answered = not response.skipped and bool(response.text.strip())
        if not (answered and grader.coach_ready):
            feedback = grader.grade(item, response.text, response.elapsed_seconds, response.skipped,
                                    model_answer=model_answer)
            self._follow_up(item, response.text, response.skipped, feedback.details)
            self._finish(job_id, item, response.id, feedback, response.skipped)
            return
        # The quick check shows at once; the coach's verdict replaces it in place.
        rivals = grader.rivals(item)  # one look-up serves both gradings
        quick = grader.quick(item, response.text, response.elapsed_seconds, model_answer=model_answer,
                             rivals=rivals)
        quick = quick.model_copy(update={"response_id": response.id})
        self.store.save_feedback_preview(quick, self.engine.clock())
        self._emit(FeedbackReady(session_id=item.session_id, item_id=item.id, response_id=response.id,
                                 feedback=quick, final=False))
        # The candidate is waiting for the follow-up: it goes before the verdicts, aimed at
        # the gap the quick check found.
        self._follow_up(item, response.text, response.skipped, quick.details)
        feedback = grader.grade(item, response.text, response.elapsed_seconds, model_answer=model_answer,
                                rivals=rivals)
        self._finish(job_id, item, response.id, feedback, skipped=False)

    def _finish(self, job_id: int, item: SessionItem, response_id: int, feedback: Feedback,
                skipped: bool) -> None:
        """Store the final feedback, finish the job and make or review the profile's review
        items, all in one transaction; then tell the listeners."""
        feedback = feedback.model_copy(update={"response_id": response_id})
        targets = review_targets(item, feedback, skipped)
        self.store.save_feedback(job_id, feedback, self.engine.clock(),
                                 reviews=(targets, self.reviews.replay) if targets else None)
        self._emit(FeedbackReady(session_id=item.session_id, item_id=item.id,
                                 response_id=response_id, feedback=feedback))

    def _model_answer(self, item: SessionItem) -> str | None:
        if not item.question_key:
            return None
        try:
            found = self.store.questions_by_key([item.question_key]).get(item.question_key)
        except Exception:  # the bank may be gone: the feedback does not need it
            log.debug("no model answer for %s", item.question_key, exc_info=True)
            return None
        return found.model_answer if found is not None else None

    def _follow_up(self, item: SessionItem, answer: str, skipped: bool,
                   details: dict | None) -> SessionItem | None:
        """Ask the provider for a follow-up and queue it; tell the screen either way.

        A screen that was told to expect one (`SubmitResult.follow_up_expected`) waits
        for `FollowUpQueued`, with `item` None when there is none after all.
        """
        expected = self.engine.expects_follow_up(item, answer, skipped)
        queued: SessionItem | None = None
        try:
            queued = self._maybe_follow_up(item, answer, skipped, details)
        finally:
            if expected and queued is None:
                self.engine.follow_up_settled(item.session_id)  # it may have been the last answer
            if expected or queued is not None:
                self._emit(FollowUpQueued(session_id=item.session_id, item=queued, parent_item_id=item.id))
        return queued

    def _maybe_follow_up(self, item: SessionItem, answer: str, skipped: bool,
                         details: dict | None = None) -> SessionItem | None:
        # A retry asks again what was asked before: its follow-up, if any, came the first time.
        if skipped or item.kind is ItemKind.followup or item.retry_of is not None or not answer.strip():
            return None
        session = self.store.get_session(item.session_id)
        if session is None or not session.config.follow_ups:
            return None
        if self.store.follow_up_count(item.id) >= session.config.max_follow_ups_per_question:
            return None
        asked = [other.text for other in self.store.items(item.session_id) if other.id != item.id]

        def writing(text: str) -> None:
            self._emit(FollowUpWriting(session_id=item.session_id, parent_item_id=item.id, text=text))

        follow_up = self.follow_ups.follow_up(item, answer, details=details or {}, asked=asked,
                                              on_text=writing)
        if follow_up is None:
            return None
        return self.engine.queue_follow_up(item, follow_up)

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("feedback listener failed")
