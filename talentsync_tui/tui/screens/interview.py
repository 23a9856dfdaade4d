"""The interview: question card, timers, progress, answer editor and live feedback."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, ProgressBar, Static, TextArea

from talentsync_tui.models import (
    ItemKind,
    ItemStatus,
    SessionItem,
    SessionStatus,
    SessionStatusReport,
)
from talentsync_tui.tui.messages import CoreEvent
from talentsync_tui.tui.screens.base import TalentScreen
from talentsync_tui.tui.widgets.answer_editor import AnswerEditor
from talentsync_tui.tui.widgets.feedback_panel import FeedbackPanel
from talentsync_tui.tui.widgets.question_card import QuestionCard
from talentsync_tui.tui.widgets.timer_line import TimerLine

log = logging.getLogger(__name__)


@dataclass
class Snapshot(Message):
    """Where the session stands after an action (read in a worker)."""

    action: str
    gen: int
    item: SessionItem | None
    status: SessionStatusReport
    items: list[SessionItem]
    item_elapsed: float
    """The current item's elapsed seconds at the moment `status` was read."""
    draft: str = ""
    """The current item's unsubmitted answer (saved earlier, maybe before a quit)."""
    awaiting: SessionItem | None = None
    """The answered question whose follow-up is being written (the next question waits)."""


@dataclass
class ActionFailed(Message):
    action: str


@dataclass
class RetryQueued(Message):
    first: int
    """Position (1-based) of the question's first attempt."""
    position: int
    """Position (1-based) of the retry in the queue."""


@dataclass
class PastFeedback(Message):
    entries: list[tuple[int, object, bool]]
    """(position, feedback or None, skipped) for every answered question."""


class InterviewScreen(TalentScreen):
    """Runs one session; every state change goes through the facade in a thread worker."""

    DRAFT_SAVE_DELAY = 1.5
    """Seconds after the last keystroke before the draft is written (tests shorten it)."""
    FOLLOW_UP_GRACE = 6.0
    """Seconds past the follow-up deadline after which the screen stops waiting for it."""

    # TextArea owns f6/f7 (select line/all) and ctrl+k; these keys are free inside it.
    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit", tooltip="Submit the answer"),
        Binding("ctrl+n,f8", "skip", "Skip", tooltip="Skip this question (next)"),
        Binding("ctrl+t,f9", "pause", "Pause", tooltip="Pause: stop the clock (time-out)"),
        # Out of the footer (full at 80 columns); listed in help and the README.
        Binding("ctrl+r", "retry_last", "Retry last", show=False,
                tooltip="Ask your last answered question again, at the end of the session"),
    ]

    def __init__(self, session_id: int) -> None:
        super().__init__()
        self.session_id = session_id
        self.item: SessionItem | None = None
        self.snapshot: Snapshot | None = None
        self.positions: dict[int, int] = {}
        self.busy = False
        self.paused = False
        self.finished = False
        self._gen = 0
        """Bumped per action so a slower status refresh cannot undo a newer answer."""
        self._refresh_pending = False
        self._draft_timer: Timer | None = None
        self._area: TextArea | None = None
        """The answer editor, kept: at unmount it is no longer in the DOM to query."""
        self.awaiting: SessionItem | None = None
        """The answered question whose follow-up is being written right now."""
        self._carry: str | None = None
        """What the candidate typed while the follow-up was being written: it becomes the
        follow-up's answer text when the follow-up arrives."""
        self._await_timer: Timer | None = None
        self._written: dict[int, str] = {}
        """The follow-up text so far, per answered question (streamed events can arrive before
        the submit's own snapshot)."""
        self._settled: set[int] = set()
        """Answered questions whose follow-up is already queued or given up (the event may
        arrive before the submit's own snapshot)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="interview-body"):
            with Vertical(id="interview-main"):
                yield QuestionCard(id="question")
                yield TimerLine(id="timer")
                with Horizontal(id="progress-row"):
                    yield ProgressBar(id="progress", show_eta=False)
                    yield Static(id="note")
                yield AnswerEditor(id="editor")
            yield FeedbackPanel(id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Interview · session {self.session_id}"
        self._area = self.query_one(AnswerEditor).area
        self._area.read_only = True
        self.set_interval(1, self.tick)
        self._act("open")
        self.load_feedback()

    def on_unmount(self) -> None:
        # Leaving the screen (home, palette, quit): keep the draft, stop the question's clock.
        if self._await_timer is not None:
            self._await_timer.stop()
        self._save_draft_now()
        if not self.finished and not self.paused:
            try:
                self.ts.pause(self.session_id)
            except Exception:  # already finished or closed: there is no clock to stop
                log.debug("no pause on leaving session %s", self.session_id, exc_info=True)

    # -- actions ---------------------------------------------------------------

    def action_submit(self) -> None:
        text = self.query_one(AnswerEditor).text
        if self.awaiting is not None:
            self.notify("The follow-up question is still being written: keep typing, submit in a moment.",
                        severity="information", timeout=3)
            return
        if self._blocked():
            return
        if not text.strip():
            self.notify("Type an answer first, or skip it with ctrl+n.", severity="warning")
            return
        self._begin("submit", text)

    def action_skip(self) -> None:
        if not self._blocked():
            self._begin("skip", "")

    def action_pause(self) -> None:
        if not self._blocked():
            self._begin("pause", "")

    def action_retry_last(self) -> None:
        """Queue the latest answered (or skipped) question again, after the rest."""
        snap = self.snapshot
        done = [i for i in snap.items if i.status is not ItemStatus.pending] if snap is not None else []
        if self.finished or not done:
            self.notify("Answer a question first: ctrl+r asks it again at the end.", severity="warning")
            return
        self.retry_last(max(done, key=lambda i: i.position).id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview-retry")
    def retry_last(self, item_id: int) -> None:
        try:
            retry = self.ts.retry_question(self.session_id, item_id)
        except Exception as exc:
            self.fail("Could not retry the question", exc)
            return
        first = self.positions.get(retry.retry_of or item_id, 0)
        self.post_message(RetryQueued(first, retry.position + 1))

    def on_retry_queued(self, message: RetryQueued) -> None:
        self.notify(f"Question {message.first} will be asked again as question {message.position}.",
                    title="Retry queued", timeout=4)
        self.refresh_status()

    def _blocked(self) -> bool:
        return self.busy or self.item is None or self.paused or self.finished

    def _begin(self, action: str, text: str) -> None:
        assert self.item is not None
        if action == "pause":  # the worker saves it before stopping the clock
            self.tsapp.drafts.note(self.item.id, self.query_one(AnswerEditor).text)
        self.busy = True
        # Freeze the editor so nothing typed after submit is silently dropped.
        self.query_one(AnswerEditor).area.read_only = True
        if action == "submit":
            self.query_one(FeedbackPanel).add(self.item.position + 1, None)
        self._act(action, self.item.id, text)

    def _act(self, action: str, item_id: int | None = None, text: str = "") -> None:
        self._gen += 1
        self.act(action, self._gen, item_id, text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview")
    def act(self, action: str, gen: int, item_id: int | None = None, text: str = "") -> None:
        ts, sid, drafts = self.ts, self.session_id, self.tsapp.drafts
        try:
            if action in ("submit", "skip"):
                assert item_id is not None
                # The facade deletes the draft with the answer; holding the draft lock
                # keeps a debounced save from writing it back a moment later.
                with drafts.write_lock:
                    drafts.forget(item_id)
                    if action == "submit":
                        result = ts.submit_answer(sid, item_id, text)
                        if result.follow_up_expected:
                            self.post_message(self._read(action, gen, awaiting=item_id))
                            return
                    else:
                        ts.skip(sid, item_id)
            elif action == "pause":
                try:
                    drafts.flush(ts)
                except Exception as exc:  # the text stays in the editor; the break still starts
                    self.fail("Could not save your draft", exc)
                ts.pause(sid)
            elif action in ("open", "resume") and ts.session(sid).status is not SessionStatus.completed:
                ts.resume(sid)
            self.post_message(self._read(action, gen))
        except Exception as exc:
            self.fail(f"Could not {action} the session", exc)
            self.post_message(ActionFailed(action))

    def refresh_status(self) -> None:
        if self.busy:
            self._refresh_pending = True  # the running action's snapshot comes first
        else:
            self._refresh(self._gen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview-status")
    def _refresh(self, gen: int) -> None:
        try:
            self.post_message(self._read("refresh", gen))
        except Exception as exc:
            self.fail("Could not refresh the session", exc)

    def _read(self, action: str, gen: int, awaiting: int | None = None) -> Snapshot:
        """Runs in a worker: the current item, status and queue in one go. While a follow-up
        to `awaiting` is being written, the next question is not asked for (that would show it)."""
        ts, sid = self.ts, self.session_id
        if awaiting is not None:
            items = ts.items(sid)
            parent = next((i for i in items if i.id == awaiting), None)
            return Snapshot(action, gen, None, ts.status(sid), items, 0.0, "", awaiting=parent)
        item = ts.current_question(sid)
        status = ts.status(sid)
        elapsed = ts.elapsed(item) if item is not None else 0.0
        draft = self.tsapp.drafts.read(ts, item.id) if item is not None else ""
        return Snapshot(action, gen, item, status, ts.items(sid), elapsed, draft)

    @work(thread=True, exclusive=True, exit_on_error=False, group="interview-feedback")
    def load_feedback(self) -> None:
        try:
            report = self.ts.report(self.session_id)
        except Exception as exc:
            self.fail("Could not load earlier feedback", exc)
            return
        entries = [(i.position, i.feedback, i.status is ItemStatus.skipped)
                   for i in report.items if i.status is not ItemStatus.pending]
        self.post_message(PastFeedback(entries))

    # -- results ---------------------------------------------------------------

    def on_snapshot(self, snap: Snapshot) -> None:
        if snap.action == "refresh" and (self.busy or snap.gen != self._gen):
            return  # stale: an answer, skip or pause happened since it was read
        if self.awaiting is not None and snap.action == "refresh":
            return  # the card shows the follow-up being written; its arrival refreshes
        self.snapshot = snap
        self.positions = {i.id: i.position + 1 for i in snap.items}
        self.paused = snap.status.status is SessionStatus.paused
        if snap.awaiting is not None:
            self._await_follow_up(snap)
            return
        if snap.item is None or snap.status.status is SessionStatus.completed:
            self._finish()
            return
        if snap.action != "refresh":
            self.busy = False
            if self._refresh_pending:
                self._refresh_pending = False
                self._refresh(self._gen)
        changed = self.item is None or self.item.id != snap.item.id
        self.item = snap.item
        parent = next((i for i in snap.items if i.id == snap.item.parent_item_id), None)
        self.query_one(QuestionCard).show(snap.item, snap.status.total, parent)
        progress = self.query_one(ProgressBar)
        progress.update(total=snap.status.total, progress=snap.status.answered + snap.status.skipped)
        editor = self.query_one(AnswerEditor)
        self._show_note(snap)
        carry, self._carry = self._carry, None
        if changed:
            if carry and not snap.draft:  # typed while the follow-up was being written
                editor.load(carry)
                self.tsapp.drafts.note(snap.item.id, carry)
            else:
                editor.load(snap.draft)
        if snap.action != "refresh" or changed:
            editor.area.read_only = self.paused
        self.tick()
        if snap.action == "pause":
            self._show_paused()
        elif not self.paused and snap.action != "refresh":
            editor.area.focus()
            editor.area.move_cursor(editor.area.document.end)

    # -- the follow-up, asked right away ------------------------------------------

    def _await_follow_up(self, snap: Snapshot) -> None:
        """The answer is in; the interviewer is writing the follow-up: show it as it comes,
        and let the candidate start typing (nothing is submitted until the question is there)."""
        assert snap.awaiting is not None
        self.busy = False
        self.item = None
        self.awaiting = snap.awaiting
        self._carry = None
        self.query_one(QuestionCard).writing(snap.awaiting, self._written.get(snap.awaiting.id, ""),
                                             snap.status.total)
        self.query_one("#note", Static).update(Content(""))
        editor = self.query_one(AnswerEditor)
        editor.load("")
        editor.area.read_only = False
        editor.area.focus()
        if self._await_timer is not None:
            self._await_timer.stop()
        if snap.awaiting.id in self._settled:  # it came before this snapshot did
            self._follow_up_arrived()
            return
        deadline = float(getattr(self.ts.settings, "followup_deadline", 8.0)) + self.FOLLOW_UP_GRACE
        self._await_timer = self.set_timer(deadline, self._follow_up_arrived, name="follow-up wait")

    def _follow_up_arrived(self) -> None:
        """The follow-up is queued (or there is none, or it is late): ask for the next question,
        keeping whatever was typed meanwhile."""
        if self.awaiting is None:
            return
        if self._await_timer is not None:
            self._await_timer.stop()
            self._await_timer = None
        self.awaiting = None
        self._carry = self.query_one(AnswerEditor).text
        self.busy = True
        self.query_one(AnswerEditor).area.read_only = True
        self._act("open")

    def on_action_failed(self, message: ActionFailed) -> None:
        self.busy = False
        if message.action == "resume":
            self._show_paused()  # still paused: offer resume again
        self.query_one(AnswerEditor).area.read_only = self.paused

    def on_past_feedback(self, message: PastFeedback) -> None:
        panel = self.query_one(FeedbackPanel)
        for position, feedback, skipped in message.entries:
            panel.add(position, feedback, skipped)  # type: ignore[arg-type]

    def _finish(self) -> None:
        from talentsync_tui.tui.screens.summary import SummaryScreen

        if self.finished:
            return
        self.finished = True
        self.notify("Session complete: here is your summary.", title="Well done")
        self.app.switch_screen(SummaryScreen(self.session_id))

    def _show_paused(self) -> None:
        from talentsync_tui.tui.screens.paused import PausedScreen

        def closed(choice: str | None) -> None:
            if choice == "home":
                self.tsapp.go_home()
            else:
                self.busy = True
                self._act("resume")

        self.app.push_screen(PausedScreen(self.session_id), closed)

    def _show_note(self, snap: Snapshot) -> None:
        """Say when a follow-up waits right after this question (read from the queue, so
        it does not matter whether the follow-up's event came before or after the answer's)."""
        assert snap.item is not None
        upcoming = [i for i in snap.items
                    if i.status is ItemStatus.pending and i.position > snap.item.position]
        following = min(upcoming, key=lambda i: i.position) if upcoming else None
        queued = following is not None and following.kind is ItemKind.followup
        note = "Follow-up queued: next up" if queued else ""
        self.query_one("#note", Static).update(Content(note))

    # -- drafts ----------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # Keep the unsubmitted answer: written a moment after typing stops, and on leaving.
        if self.item is None or event.text_area.read_only:
            return
        if self.tsapp.drafts.note(self.item.id, event.text_area.text):
            if self._draft_timer is not None:
                self._draft_timer.stop()
            self._draft_timer = self.set_timer(self.DRAFT_SAVE_DELAY, self.save_drafts,
                                               name="draft save")

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def save_drafts(self) -> None:
        item, area = self.item, self._area
        try:
            self.tsapp.drafts.flush(self.ts)
        except Exception as exc:
            self.fail("Could not save your draft", exc)
        if item is not None and area is not None:
            # The interviewer listens while you type: the model reads the draft now, so the
            # follow-up after submit only has the last few words left to read.
            self.ts.listen(item, area.text)

    def on_screen_suspend(self) -> None:
        # Another screen on top (help, palette, a dialog): save now rather than later.
        if self.tsapp.drafts.pending:
            self.save_drafts()

    def _save_draft_now(self) -> None:
        """On leaving or quitting: note the editor's text and write it (one small write)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        drafts = self.tsapp.drafts
        if self.item is not None and self._area is not None and not self.busy and not self.finished:
            # Not while busy: a submit may be under way, and its text is no draft.
            drafts.note(self.item.id, self._area.text)
        if not drafts.pending:
            return
        try:
            drafts.flush(self.ts)
        except Exception:  # quitting: log it, there is no screen left to tell
            log.exception("could not save the draft of session %s", self.session_id)

    # -- the clock -------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: clocks from the facade's clock (a frozen clock freezes them)."""
        snap, item = self.snapshot, self.item
        if snap is None or item is None:
            return
        now_elapsed = self.ts.elapsed(item)
        run = now_elapsed - snap.item_elapsed
        session = snap.status.elapsed_seconds + run
        remaining = max(0.0, snap.status.estimated_remaining_seconds - run)
        self.query_one(TimerLine).show(now_elapsed, item.expected_seconds, session, remaining,
                                       paused=self.paused)

    # -- feedback from the worker pool -----------------------------------------

    def on_core_event(self, message: CoreEvent) -> None:
        from talentsync_tui.services import FeedbackReady, FollowUpQueued, FollowUpWriting

        event: Any = message.event
        if getattr(event, "session_id", None) != self.session_id:
            return
        if isinstance(event, FollowUpWriting):
            self._written[event.parent_item_id] = event.text
            if self.awaiting is not None and event.parent_item_id == self.awaiting.id:
                total = self.snapshot.status.total if self.snapshot else 0
                self.query_one(QuestionCard).writing(self.awaiting, event.text, total)
            return
        if isinstance(event, FollowUpQueued):
            self._settled.add(event.parent_item_id)
            if self.awaiting is not None and event.parent_item_id == self.awaiting.id:
                self._follow_up_arrived()
                return
        if isinstance(event, FeedbackReady):
            position = self.positions.get(event.item_id)
            if position is None:
                self.refresh_status()
                return
            self.query_one(FeedbackPanel).add(position, event.feedback)  # replaces a quick check in place
            if not event.final:
                return  # the quick check shows in the panel only; the coach's verdict gets the toast
            # A toast never takes focus, so typing carries on undisturbed.
            self.notify(f"Question {position}: {event.feedback.score}/100. {event.feedback.summary}",
                        title="Feedback ready", timeout=4, markup=False)
        elif isinstance(event, FollowUpQueued):
            self.refresh_status()  # the snapshot shows the note and the new total

