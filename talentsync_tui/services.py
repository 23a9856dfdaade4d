"""The facade every client shares: the TUI, the CLI and the tests call this, nothing lower.

`TalentSync.open()` is the one factory: it opens the store, loads the bundled
banks into a new database, builds the engine and starts the feedback workers.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentsync_tui import __version__
from talentsync_tui.config import Settings, load_settings, setup_logging
from talentsync_tui.engine import EngineError, FollowUpProvider, SessionEngine, SubmitResult
from talentsync_tui.feedback import FeedbackReady, FeedbackWorkers, FollowUpQueued, FollowUpWriting, Listener
from talentsync_tui.feedback.grader import Grader
from talentsync_tui.feedback.report import (
    WEAK_SCORE,
    SessionReport,
    build_report,
    render_json,
    render_markdown,
)
from talentsync_tui.files import private_dir, write_private_text
from talentsync_tui.models import (
    Difficulty,
    Feedback,
    ItemKind,
    Module,
    ModuleSummary,
    Profile,
    Progress,
    ReviewItem,
    ReviewSummary,
    Session,
    SessionConfig,
    SessionItem,
    SessionStatus,
    SessionStatusReport,
    StoredQuestion,
)
from talentsync_tui.store import ImportReport, RecordImport, Store, StoreError, utcnow

if TYPE_CHECKING:
    from talentsync_tui.ai.runtime import AIRuntime
    from talentsync_tui.kiosk import PassphraseGate, Unlock
    from talentsync_tui.reports.coach import CandidateOverview

log = logging.getLogger(__name__)

__all__ = ["Check", "FeedbackReady", "FollowUpQueued", "FollowUpWriting", "KioskHandover", "KioskSessionRow",
           "TalentSync", "TalentSyncError", "default_config"]

BUNDLED_MARKER = "bundled_banks_loaded"
REPORT_FORMATS = ("md", "json", "html")
DEMO_PROFILE = "Demo Candidate"
ALL = 2**62
"""A `limit` that lists every row."""
PRACTICE_DUE_MAX = 10
"""A practice session with no length given asks at most this many due questions..."""
PRACTICE_RELATED = 2
"""...and this many related questions after them."""
QUIT_SECONDS = 0.8
MAX_ANSWER_CHARS = 20_000
MAX_QUESTION_CHARS = 2_000
"""How long `close()` waits for the feedback threads and the model before leaving them to exit."""
KIOSK_PASSPHRASE = "kiosk_passphrase"
"""meta key: the coach passphrase's argon2id hash."""
KIOSK_CANDIDATE = "kiosk_candidate:"
"""meta key prefix: + profile id, for each profile the kiosk created (value: when)."""
KIOSK_FEEDBACK_WAIT = 30.0
"""Seconds the kiosk waits for a candidate's pending feedback before saving their reports."""


class TalentSyncError(Exception):
    """Anything a user did or met that we can explain in one sentence."""


@dataclass
class Interviewing:
    """What `TalentSync.interviewer()` yields: the interviewer, the quick-check grader that
    finds the gap, why there is no model (None when there is one) and the model's name."""

    interviewer: Any
    grader: Grader
    problem: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class AskedFollowUp:
    """A follow-up and what it aimed at (`gap`: the missed point or the claim)."""

    follow_up: Any
    item: SessionItem
    gap: Any
    model: str | None = None
    fallback_reason: str | None = None
    """Why a template was used instead of the model's question (None when the model's was)."""
    drafts: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class KioskSessionRow:
    """One kiosk candidate's session, as the coach menu lists it."""

    candidate: str
    profile_id: int
    session: Session
    answered: int
    skipped: int
    total: int
    score: float | None


@dataclass(frozen=True)
class KioskHandover:
    """What "Next candidate" did: whose data it saved and wiped, and the files it wrote."""

    candidates: list[str]
    session_ids: list[int]
    files: list[Path]
    feedback_complete: bool
    """False if some feedback was still being written when the reports were saved."""


class TalentSync:
    """One running TalentSync: store, engine, feedback workers and settings."""

    def __init__(self, settings: Settings, store: Store, engine: SessionEngine,
                 workers: FeedbackWorkers, ai: AIRuntime | None = None) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.workers = workers
        self.ai = ai
        self._kiosk_gate: PassphraseGate | None = None
        self._closing = False
        self._threads: list[threading.Thread] = []

    @classmethod
    def open(cls, settings: Settings | None = None, *, start_workers: bool = True,
             clock: Callable[[], datetime] | None = None,
             follow_ups: FollowUpProvider | None = None,
             ai: bool | None = None) -> TalentSync:
        """Open the data dir and build everything; `ai` (default: settings.ai_enabled)
        starts the local model and index loading in the background."""
        settings = settings or load_settings()
        try:
            settings.ensure_dirs()
            setup_logging(settings)
        except OSError as exc:
            raise TalentSyncError(
                f"Cannot use the data dir {settings.home}: {exc.strerror or exc} "
                f"({exc.filename or settings.home}). Choose a writable folder with --data-dir "
                "or TALENTSYNC_HOME."
            ) from exc
        store = Store(settings.db_path)
        engine = SessionEngine(store, clock=clock or utcnow)
        workers = FeedbackWorkers(store, engine, threads=settings.feedback_workers,
                                  follow_ups=follow_ups)
        engine.on_answer = workers.notify  # a committed answer wakes the pool
        app = cls(settings, store, engine, workers)
        workers.grader.rivals_for = app.rival_documents
        app.ensure_bundled_banks()
        if (settings.ai_enabled if ai is None else ai) and follow_ups is None:
            # Cheap to import; llama.cpp, onnxruntime and chromadb load in its threads.
            from talentsync_tui.ai.runtime import AIRuntime

            app.use_ai(AIRuntime.from_settings(settings, store))
            # profiles whose questions the model never saw (made by `talentsync profile create`)
            app._polish_later(*store.profiles_to_polish())
        if start_workers:
            workers.start()
        return app

    def use_ai(self, runtime: AIRuntime) -> None:
        """Plug in the local AI (open() does it): follow-ups, semantic scoring, and a
        quit that cancels a generation in flight. Starts its background loading."""
        self.ai = runtime
        runtime.attach(self.workers)
        self.workers.on_stop.append(runtime.cancel)
        runtime.start()

    def close(self) -> None:
        """Stop the clock of the sessions this process ran, stop workers, close the database.

        Bounded (QUIT_SECONDS, plus whatever the clock writes wait for a lock): the
        pool stops taking jobs and cancels a generation in flight; unfinished jobs stay
        pending for the next start; threads are joined before the store closes, and a
        thread still busy after that finds the store closed and ends quietly.
        """
        if self.store.closed:
            return
        self._closing = True  # background resume-question rewriting stops at its next question
        deadline = time.monotonic() + QUIT_SECONDS
        for session_id in sorted(self.engine.live_sessions):
            try:
                self.engine.interrupt(session_id)
            except Exception:  # a clock that cannot be stopped must not keep the app open
                log.exception("could not pause session %d on quit", session_id)
        self.workers.stop(timeout=max(0.0, deadline - time.monotonic()))
        if self.ai is not None:
            self.ai.close(timeout=max(0.0, deadline - time.monotonic()))
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self.store.close()

    def __enter__(self) -> TalentSync:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_pending_jobs(self, *, coach: bool = False,
                         on_progress: Callable[[int, int], None] | None = None) -> int:
        """Requeue the jobs of processes that died, then work every pending job.

        Any command that needs feedback to be complete (`session export`, grading)
        calls this. With the pool running it only wakes the pool; else the jobs run
        in this thread, with `coach` the coach model loaded for them (only when there
        is work), so the feedback is the app's, not a quick check. Returns how many
        jobs ran here.
        """
        self.workers.requeue_stale()
        if self.workers.running:
            self.workers.notify()
            return 0
        if coach and self.settings.ai_enabled and self.store.job_counts()["pending"]:
            previous = self.workers.grader
            with self.grader(on_progress=on_progress) as grader:
                self.workers.grader = grader
                try:
                    return self.workers.run_pending()
                finally:
                    self.workers.grader = previous
        return self.workers.run_pending()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Be told (from a worker thread) when feedback or a follow-up is ready."""
        return self.workers.subscribe(listener)

    def subscribe_ai(self, listener: Callable[[str], None]) -> Callable[[], None]:
        """Be told once (from a background thread) when the model or index is ready or failed."""
        if self.ai is None:
            return lambda: None
        return self.ai.subscribe(listener)

    def ai_status(self) -> dict:
        """Model, embeddings, index and follow-up mode; cheap, never loads anything."""
        if self.ai is None:
            return {"enabled": False, "follow_ups": {"mode": "templates"}}
        return self.ai.status()

    # -- banks ----------------------------------------------------------------

    def ensure_bundled_banks(self) -> ImportReport | None:
        """Load the bundled banks into a database that has never had them."""
        if not self.settings.load_bundled_banks or self.store.get_meta(BUNDLED_MARKER):
            return None
        if not self.settings.banks_dir.is_dir():
            log.warning("bundled banks folder %s is missing", self.settings.banks_dir)
            return None
        report = self.import_banks([self.settings.banks_dir], source="bundled")
        self.store.set_meta(BUNDLED_MARKER, utcnow().isoformat())
        return report

    def read_banks(self, paths: list[Path], *, fmt: str | None = None,
                   module_id: str | None = None,
                   on_file: Callable[[Path], None] | None = None,
                   on_skip: Callable[[Path, str], None] | None = None) -> list[tuple[Path, list[Module]]]:
        """Parse and validate bank files without touching the database.

        Files in the folders that are not banks go to `on_skip(path, reason)`.
        """
        from talentsync_tui.banks import BankError, load_bank_files

        try:
            return load_bank_files(paths, format=fmt, module_id=module_id, on_file=on_file, on_skip=on_skip)
        except (BankError, ValueError) as exc:
            raise TalentSyncError(str(exc)) from exc

    def import_banks(self, paths: list[Path], *, fmt: str | None = None,
                     module_id: str | None = None, replace: bool = False, dry_run: bool = False,
                     source: str | None = None,
                     on_file: Callable[[Path], None] | None = None,
                     on_skip: Callable[[Path, str], None] | None = None,
                     on_parsed: Callable[[int], None] | None = None,
                     on_question: Callable[[], None] | None = None) -> ImportReport:
        """Import bank files atomically: every file is parsed before one transaction writes them.

        Progress: `on_file` after each file is parsed (`on_skip(path, reason)` for files in the
        folders that are not banks), `on_parsed(total questions)` once, then `on_question` as
        each question is written.
        """
        parsed = self.read_banks(paths, fmt=fmt, module_id=module_id, on_file=on_file, on_skip=on_skip)
        modules = [m for _, ms in parsed for m in ms]
        if not modules:
            raise TalentSyncError("No question banks found in " + ", ".join(map(str, paths)))
        if on_parsed is not None:
            on_parsed(sum(len(m.questions) for m in modules))
        if dry_run:
            report = ImportReport()
            for module in modules:
                report.added[module.id] = report.added.get(module.id, 0) + len(module.questions)
            return report
        report = self.store.import_modules(modules, replace=replace, on_question=on_question,
                                           source=source or ", ".join(map(str, paths)))
        if self.ai is not None:
            self.ai.on_banks_changed()
        return report

    def modules(self) -> list[ModuleSummary]:
        return self.store.module_summaries()

    def module(self, module_id: str) -> Module:
        module = self.store.get_module(module_id)
        if module is None:
            raise TalentSyncError(f"There is no module {module_id!r}. See `talentsync bank list`.")
        return module

    def export_module(self, module_id: str, fmt: str) -> str:
        from talentsync_tui.banks import export_module

        return export_module(self.module(module_id), fmt)

    def delete_module(self, module_id: str) -> None:
        if not self.store.delete_module(module_id):
            raise TalentSyncError(f"There is no module {module_id!r}. See `talentsync bank list`.")
        if self.ai is not None:
            self.ai.on_banks_changed()

    # -- profiles -------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return self.store.profiles()

    def profile(self, name_or_id: str | int) -> Profile:
        found = (self.store.get_profile(int(name_or_id)) if str(name_or_id).isdigit()
                 else self.store.find_profile(str(name_or_id)))
        if found is None:
            raise TalentSyncError(f"There is no profile {name_or_id!r}.")
        return found

    def create_profile(self, name: str, resume: Path | None = None) -> Profile:
        """Create a profile (or return the existing one of that name), optionally from a resume.

        The resume is read first, so a bad file creates nothing.
        """
        extracted = self._read_resume(resume) if resume is not None else None
        profile = self.store.find_profile(name) or self.store.save_profile(Profile(name=name))
        if extracted is not None:
            fields, questions = extracted
            profile = self.store.save_profile(profile.model_copy(update=fields), resume_path=str(resume),
                                              resume_questions=questions)
            self._polish_later(profile.id)
        return profile

    def attach_resume(self, profile_id: int, path: Path) -> Profile:
        """Read a resume file and store the profile extracted from it."""
        profile = self.store.get_profile(profile_id)
        if profile is None:
            raise TalentSyncError(f"There is no profile {profile_id}.")
        fields, questions = self._read_resume(path)
        saved = self.store.save_profile(profile.model_copy(update=fields), resume_path=str(path),
                                        resume_questions=questions)
        self._polish_later(saved.id)
        return saved

    def _read_resume(self, path: Path) -> tuple[dict, list]:
        """(the profile fields a resume gives, its template questions with their achievements)."""
        from talentsync_tui.models import Achievement
        from talentsync_tui.resume import ResumeError, extract_profile, read_resume
        from talentsync_tui.resume.questions import resume_question_set

        try:
            text = read_resume(Path(path))
        except ResumeError as exc:
            raise TalentSyncError(str(exc)) from exc
        extracted = extract_profile(text, known_tags=self.store.all_tags())
        keep = self.settings.keep_resume_text
        fields = extracted.model_dump()
        fields["achievements"] = [Achievement.model_validate(a) for a in fields["achievements"]]
        return {"resume_text": text if keep else None, **fields}, resume_question_set(extracted)

    def resume_questions(self, profile_id: int) -> list:
        """The resume-driven questions stored for a profile (`StoredResumeQuestion`s, in order)."""
        self.profile(profile_id)
        return self.store.resume_questions(profile_id)

    def polish_resume_questions(self, profile_id: int, llm: Any = None, *,
                                cancelled: Callable[[], bool] | None = None,
                                timeout: float = 30.0) -> int:
        """Let the coach model rewrite a profile's achievement questions; returns how many it rewrote.

        Runs in the calling thread (a worker, the CLI, a test): each question costs the model
        a few seconds. `llm` defaults to the app's model, which must be ready (else nothing
        happens). A rejected or failed answer keeps the template; every question asked is
        marked so it is not asked again; a resume read again meanwhile is never overwritten.
        """
        from talentsync_tui.resume.writer import write_achievement_questions

        llm = llm if llm is not None else getattr(self.ai, "llm", None)
        if llm is None or not getattr(llm, "ready", False):
            return 0
        stored = self.store.resume_questions(profile_id)
        pending = [(s.achievement, s.question) for s in stored
                   if s.achievement is not None and not s.polished and s.source == "template"]
        if not pending:
            return 0
        others = [s.question.text for s in stored]
        rewritten = 0

        def stop() -> bool:
            return self._closing or self.store.closed or bool(cancelled and cancelled())

        def save(item) -> None:
            nonlocal rewritten
            if stop():
                return  # an answer cut short by quitting is asked again at the next start
            changed = self.store.polish_resume_question(
                profile_id, item.question.id, item.template_text,
                item.question if item.source == "model" else None, self.engine.clock())
            rewritten += int(changed and item.source == "model")
            log.info("resume question %s: %s (%s)", item.question.id, item.source,
                     item.reason or f"{item.seconds:.1f} s")

        def stop() -> bool:
            return self._closing or self.store.closed or bool(cancelled and cancelled())

        write_achievement_questions(pending, llm, others=others, timeout=timeout, cancelled=stop,
                                    on_question=save)
        return rewritten

    def _polish_later(self, *profile_ids: int | None) -> None:
        """Rewrite these profiles' achievement questions with the model in one background thread,
        once the model is ready (the app only: no model, no thread)."""
        ids = [p for p in profile_ids if p is not None]
        if not ids or self.ai is None or not getattr(self.ai, "enabled", False):
            return
        llm = getattr(self.ai, "llm", None)
        if llm is None:
            return

        def run() -> None:
            try:
                while not self._closing and not llm.wait(timeout=1.0):
                    if getattr(llm, "state", "") in {"failed", "closed"} or getattr(llm, "error", None):
                        return
                for profile_id in ids:
                    if self._closing:
                        return
                    count = self.polish_resume_questions(profile_id)
                    log.info("the coach model rewrote %d resume question(s) of profile %d", count, profile_id)
            except StoreError:
                pass  # the app closed under us: the rest are asked at the next start
            except Exception:
                log.exception("rewriting resume questions failed; the templates stay")

        thread = threading.Thread(target=run, name="resume-questions", daemon=True)
        self._threads.append(thread)
        thread.start()

    def delete_profile(self, name_or_id: str | int) -> tuple[Profile, list[int], list[Path]]:
        """Delete a candidate: profile, resume text, sessions, answers, feedback, jobs,
        drafts, review items and the reports exported into the data dir; then vacuum the database.

        Returns (the deleted profile, its session ids, the export files removed).
        Reports written elsewhere with `-o` are the user's to delete.
        """
        profile = self.profile(name_or_id)
        try:
            session_ids = self.store.delete_profile(profile.id)
        except StoreError as exc:
            raise TalentSyncError(str(exc)) from exc
        removed = []
        paths = [self.settings.exports_dir / f"session-{session_id}.{fmt}"
                 for session_id in session_ids for fmt in REPORT_FORMATS]
        paths.append(self.review_deck_path(profile))
        for path in paths:
            if path.exists():
                path.unlink()
                removed.append(path)
        log.info("deleted profile %d with %d session(s) and %d export(s)",
                 profile.id, len(session_ids), len(removed))
        return profile, session_ids, removed

    def demo_profile(self) -> Profile:
        return self.create_profile(DEMO_PROFILE)

    # -- sessions -------------------------------------------------------------

    def estimate(self, profile_id: int | None, config: SessionConfig) -> tuple[int, int]:
        """(questions, seconds) a session with this setup would take."""
        try:
            return self.engine.estimate_seconds(profile_id, config)
        except EngineError as exc:
            raise TalentSyncError(str(exc)) from exc

    def start_session(self, profile_id: int, config: SessionConfig) -> Session:
        try:
            return self.engine.create_session(profile_id, config)
        except EngineError as exc:
            raise TalentSyncError(str(exc)) from exc

    def session(self, session_id: int) -> Session:
        found = self.store.get_session(session_id)
        if found is None:
            raise TalentSyncError(f"There is no session {session_id}. See `talentsync session list`.")
        return found

    def sessions(self, profile_id: int | None = None, limit: int = 200) -> list[Session]:
        return self.store.sessions(profile_id=profile_id, limit=limit)

    def unfinished_sessions(self, profile_id: int | None = None) -> list[Session]:
        return [s for s in self.store.sessions(profile_id=profile_id)
                if s.status is not SessionStatus.completed]

    def items(self, session_id: int) -> list[SessionItem]:
        return self.store.items(session_id)

    def current_question(self, session_id: int) -> SessionItem | None:
        return self._engine_call(self.engine.next_question, session_id)

    def submit_answer(self, session_id: int, item_id: int, text: str) -> SubmitResult:
        return self._engine_call(self.engine.submit_answer, session_id, item_id, text)

    def skip(self, session_id: int, item_id: int) -> SubmitResult:
        return self._engine_call(self.engine.skip, session_id, item_id)

    def pause(self, session_id: int) -> None:
        self._engine_call(self.engine.pause, session_id)

    def resume(self, session_id: int) -> SessionItem | None:
        return self._engine_call(self.engine.resume, session_id)

    def save_draft(self, item_id: int, text: str) -> None:
        """Keep unsubmitted answer text (empty text removes the draft); submitting clears it."""
        self.store.save_draft(item_id, text, self.engine.clock())

    def draft(self, item_id: int) -> str | None:
        return self.store.draft(item_id)

    def listen(self, item: SessionItem, draft: str) -> None:
        """The candidate is typing `draft`: let the model read it in the background, so the
        follow-up after submit is quick. Returns at once; does nothing without the model."""
        if self.ai is not None and item.kind is not ItemKind.followup and draft.strip():
            self.ai.listen(item.text, draft)

    def feedback_for_session(self, session_id: int) -> dict[int, Feedback]:
        """Stored feedback of a session, keyed by response id."""
        return self.store.feedback_for_session(session_id)

    def status(self, session_id: int) -> SessionStatusReport:
        return self._engine_call(self.engine.status, session_id)

    def elapsed(self, item: SessionItem) -> float:
        return self.engine.elapsed(item)

    def _engine_call(self, fn, *args):
        try:
            return fn(*args)
        except EngineError as exc:
            raise TalentSyncError(str(exc)) from exc

    # -- reports --------------------------------------------------------------

    def report(self, session_id: int) -> SessionReport:
        self.session(session_id)
        return build_report(self.store, session_id, self.engine.clock())

    def render_report(self, session_id: int, fmt: str) -> str:
        if fmt not in REPORT_FORMATS:
            raise TalentSyncError(f"Unknown report format {fmt!r}: use md, json or html.")
        report = self.report(session_id)
        if fmt == "json":
            return render_json(report)
        if fmt == "html":
            from talentsync_tui.reports.html import render_html

            return render_html(report)
        return render_markdown(report)

    def export_report(self, session_id: int, fmt: str = "md", path: Path | None = None) -> Path:
        """Write a session report (default: the data dir's exports folder) and return its path."""
        text = self.render_report(session_id, fmt)
        target = path or self.settings.exports_dir / f"session-{session_id}.{fmt}"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_private_text(target, text)  # answers are personal: 0600 whatever the umask
        except OSError as exc:
            raise TalentSyncError(f"Could not write the report to {target}: {exc.strerror}") from exc
        return target

    # -- coaches: bundles, overview, study decks --------------------------------

    def export_bundle(self, path: Path, *, profile: str | None = None, origin: str | None = None,
                      on_start: Callable[[int], None] | None = None,
                      on_session: Callable[[], None] | None = None) -> tuple[Path, int]:
        """Write every session (or one candidate's) to a bundle file; returns (path, sessions).

        `origin` names this machine in the bundle (default: its host name).
        """
        from talentsync_tui.reports.bundle import write_bundle

        profile_id = self.profile(profile).id if profile else None
        records = self.store.session_records(profile_id=profile_id)
        if not records:
            raise TalentSyncError("There are no sessions to export" + (f" for {profile}." if profile else "."))
        if on_start is not None:
            on_start(len(records))
        try:
            write_bundle(Path(path), records, origin=origin or platform.node() or "unknown",
                         app_version=__version__, now=self.engine.clock(), on_session=on_session)
        except OSError as exc:
            raise TalentSyncError(f"Could not write the bundle to {path}: {exc.strerror or exc}") from exc
        return Path(path), len(records)

    def import_bundle(self, path: Path, *, on_read: Callable[[int, int], None] | None = None,
                      on_session: Callable[[], None] | None = None) -> RecordImport:
        """Import a bundle's sessions atomically and idempotently (a session already here is
        skipped, an imported copy replaced by one that got further). Profiles match by name."""
        from talentsync_tui.reports.bundle import BundleError, read_bundle

        try:
            bundle = read_bundle(Path(path), on_session=on_read)
        except BundleError as exc:
            raise TalentSyncError(f"{path}: {exc}") from exc
        try:
            report = self.store.import_records(bundle.sessions, self.engine.clock(), on_session=on_session)
        except StoreError as exc:
            raise TalentSyncError(f"{path}: {exc}") from exc
        log.info("imported bundle %s from %s: %d added, %d updated, %d unchanged", path,
                 bundle.header.origin, len(report.added), len(report.updated), len(report.unchanged))
        return report

    def coach_overview(self, profile: str | None = None) -> list[CandidateOverview]:
        """Every candidate (or one) with their sessions, newest first, and average score per module."""
        from talentsync_tui.reports.coach import overview

        profiles = [self.profile(profile)] if profile else self.store.profiles()
        sessions = self.store.sessions(profile_id=profiles[0].id if profile else None, limit=ALL)
        return overview(profiles, sessions, self.store.score_rows(), self.store.item_counts())

    def review_profile(self, name: str | None = None) -> Profile:
        """The candidate a study deck is for: the one named, else the only one with sessions."""
        if name:
            return self.profile(name)
        with_sessions = [p for p in self.store.profiles() if self.store.sessions(profile_id=p.id, limit=1)]
        if not with_sessions:
            raise TalentSyncError("No candidate has taken a session yet: nothing to review.")
        if len(with_sessions) > 1:
            names = ", ".join(p.name for p in with_sessions[:5]) + (", ..." if len(with_sessions) > 5 else "")
            raise TalentSyncError(f"{len(with_sessions)} candidates have sessions ({names}): "
                                  "choose one with --profile NAME.")
        return with_sessions[0]

    def review_deck_path(self, profile: Profile) -> Path:
        """Where a candidate's study deck goes by default (profile delete removes it)."""
        return self.settings.exports_dir / f"review-{profile.id}.apkg"

    def export_review(self, profile: str | None = None, path: Path | None = None,
                      threshold: int = WEAK_SCORE) -> tuple[Path, Profile, int]:
        """Write an Anki deck of the questions a candidate missed points on: (path, profile, cards)."""
        from talentsync_tui.reports.anki import build_deck, review_cards, write_deck

        candidate = self.review_profile(profile)
        records = self.store.session_records(profile_id=candidate.id)
        keys = sorted({i.question_key for r in records for i in r.items if i.question_key})
        cards = review_cards(records, self.store.questions_by_key(keys), threshold)
        if not cards:
            raise TalentSyncError(f"Nothing to review for {candidate.name}: no graded answer scored "
                                  f"below {threshold} or missed an expected point.")
        target = path or self.review_deck_path(candidate)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_deck(build_deck(candidate.name, cards), target)
        except OSError as exc:
            raise TalentSyncError(f"Could not write the deck to {target}: {exc.strerror or exc}") from exc
        return target, candidate, len(cards)

    def score_history(self, profile_id: int) -> list[tuple[Session, float | None]]:
        """Each session of a profile (oldest first) with its average score."""
        history = []
        for session in reversed(self.store.sessions(profile_id=profile_id)):
            scores = [f.score for f in self.store.feedback_for_session(session.id).values()]
            history.append((session, round(sum(scores) / len(scores), 1) if scores else None))
        return history

    # -- the hiring-event kiosk -------------------------------------------------
    # Reports are saved with the Markdown/JSON session export into `kiosk_export_dir`;
    # `kiosk_save_sessions` is the one place to point at another format (a bundle).

    @staticmethod
    def kiosk_passphrase_is_set(settings: Settings) -> bool:
        """Whether the data dir has a coach passphrase, without opening everything
        (`talentsync kiosk` checks this before painting anything). Creates nothing."""
        if not settings.db_path.exists():
            return False
        try:
            store = Store(settings.db_path)
        except StoreError as exc:
            raise TalentSyncError(str(exc)) from exc
        try:
            return bool(store.get_meta(KIOSK_PASSPHRASE))
        finally:
            store.close()

    def kiosk_has_passphrase(self) -> bool:
        return bool(self.store.get_meta(KIOSK_PASSPHRASE))

    def kiosk_set_passphrase(self, passphrase: str) -> bool:
        """Store the coach passphrase as an argon2id hash; True if it replaced one.

        Refuses an empty passphrase or one shorter than `kiosk.MIN_PASSPHRASE`.
        """
        from talentsync_tui.kiosk import hash_passphrase

        try:
            hashed = hash_passphrase(passphrase)
        except ValueError as exc:
            raise TalentSyncError(str(exc)) from exc
        replaced = self.kiosk_has_passphrase()
        self.store.set_meta(KIOSK_PASSPHRASE, hashed)
        return replaced

    @property
    def kiosk_gate(self) -> PassphraseGate:
        """The rate-limited passphrase check of this process (tests set its `clock`)."""
        if self._kiosk_gate is None:
            from talentsync_tui.kiosk import PassphraseGate, hash_passphrase, needs_rehash, verify_passphrase

            def verify(passphrase: str) -> bool:
                stored = self.store.get_meta(KIOSK_PASSPHRASE)  # read each time: a reset applies
                if stored is None or not verify_passphrase(stored, passphrase):
                    return False
                if needs_rehash(stored):  # made with older parameters: store today's
                    self.store.set_meta(KIOSK_PASSPHRASE, hash_passphrase(passphrase))
                return True

            self._kiosk_gate = PassphraseGate(verify)
        return self._kiosk_gate

    def kiosk_unlock(self, passphrase: str) -> Unlock:
        """Check the coach passphrase (argon2, ~50-100 ms: call it from a worker thread)."""
        result = self.kiosk_gate.attempt(passphrase)
        if not result.ok:  # the coach may want to know someone tried (never the text tried)
            log.warning("kiosk: coach passphrase refused (%d wrong in a row, wait %.0f s)",
                        result.failures, result.wait_seconds)
        return result

    def kiosk_new_candidate(self, name: str) -> Profile:
        """A fresh profile for the candidate at the kiosk, never an existing one: a name
        already taken gets a number ("Ada (2)"). Remembered as a kiosk candidate."""
        base = " ".join(name.split())
        if not base:
            raise TalentSyncError("Type your name first.")
        if len(base) > 120:
            raise TalentSyncError("That name is too long: at most 120 characters.")
        chosen, number = base, 1
        while self.store.find_profile(chosen) is not None:
            number += 1
            chosen = f"{base} ({number})"
        try:
            profile = self.store.save_profile(Profile(name=chosen))
        except (StoreError, ValueError) as exc:
            raise TalentSyncError(f"Could not start: {exc}") from exc
        self.store.set_meta(f"{KIOSK_CANDIDATE}{profile.id}", utcnow().isoformat())
        return profile

    def kiosk_candidates(self) -> list[Profile]:
        """The profiles the kiosk created and has not wiped yet, oldest first."""
        found = []
        for key in self.store.meta_with_prefix(KIOSK_CANDIDATE):
            profile = self.store.get_profile(int(key.removeprefix(KIOSK_CANDIDATE)))
            if profile is not None:  # else deleted meanwhile (`profile delete`)
                found.append(profile)
        return sorted(found, key=lambda p: p.id or 0)

    def kiosk_sessions(self) -> list[KioskSessionRow]:
        """Every session of the kiosk's candidates with progress and average score."""
        rows = []
        for profile in self.kiosk_candidates():
            for session, score in self.score_history(profile.id):
                items = self.store.items(session.id)
                rows.append(KioskSessionRow(
                    profile.name, profile.id, session,
                    answered=sum(i.status.value == "answered" for i in items),
                    skipped=sum(i.status.value == "skipped" for i in items),
                    total=len(items), score=score))
        return rows

    @property
    def kiosk_export_dir(self) -> Path:
        """Where the kiosk saves candidates' reports (kept when a candidate is wiped)."""
        return self.settings.exports_dir / "kiosk"

    def kiosk_save_sessions(self, session_ids: list[int]) -> list[Path]:
        """Save these sessions into `kiosk_export_dir`: their reports (JSON and Markdown) and
        one bundle of them all, which the coach imports on their own laptop with
        `talentsync session import FILE`.

        File names carry the start time and the candidate, so a session id the database
        reuses after a wipe never overwrites an earlier candidate's report.
        """
        from talentsync_tui.kiosk import file_slug
        from talentsync_tui.reports.bundle import write_bundle

        try:
            folder = private_dir(self.kiosk_export_dir)
        except OSError as exc:
            raise TalentSyncError(f"Could not create {self.kiosk_export_dir}: {exc.strerror}") from exc
        written = []
        for session_id in session_ids:
            session = self.session(session_id)
            profile = self.store.get_profile(session.profile_id)
            stem = (f"{session.created_at:%Y%m%d-%H%M%S}-{file_slug(profile.name if profile else '')}"
                    f"-session-{session_id}")
            suffix, number = "", 1
            while any((folder / f"{stem}{suffix}.{fmt}").exists() for fmt in ("json", "md")):
                number += 1
                suffix = f"-{number}"
            for fmt in ("json", "md"):
                written.append(self.export_report(session_id, fmt, folder / f"{stem}{suffix}.{fmt}"))
        records = self.store.session_records(session_ids=list(session_ids)) if session_ids else []
        if records:
            now = self.engine.clock()
            bundle = folder / f"{now:%Y%m%d-%H%M%S}-kiosk-{file_slug(platform.node() or 'laptop')}.jsonl.gz"
            number = 1
            while bundle.exists():
                number += 1
                bundle = bundle.with_name(bundle.name.replace(".jsonl.gz", f"-{number}.jsonl.gz"))
            try:
                write_bundle(bundle, records, origin=platform.node() or "kiosk", app_version=__version__,
                             now=now)
            except OSError as exc:
                raise TalentSyncError(f"Could not write the bundle {bundle}: {exc.strerror or exc}") from exc
            written.append(bundle)
        return written

    def _kiosk_settle_feedback(self, timeout: float) -> bool:
        """Let pending feedback finish (bounded) so saved reports have it; True if it did."""
        self.run_pending_jobs()
        return self.workers.wait_idle(timeout) if self.workers.running else True

    def kiosk_export_all(self, feedback_timeout: float = KIOSK_FEEDBACK_WAIT) -> list[Path]:
        """Save the reports of every kiosk candidate's sessions (nothing is deleted)."""
        self._kiosk_settle_feedback(feedback_timeout)
        return self.kiosk_save_sessions([row.session.id for row in self.kiosk_sessions()])

    def kiosk_next_candidate(self, feedback_timeout: float = KIOSK_FEEDBACK_WAIT) -> KioskHandover:
        """Save every kiosk candidate's sessions, then wipe them: profile, resume, sessions,
        answers, feedback and drafts (the database is vacuumed). Candidates who walked away
        (idle timeout) are included. Nothing is deleted unless all reports were written."""
        complete = self._kiosk_settle_feedback(feedback_timeout)
        candidates = self.kiosk_candidates()
        kept = {f"{KIOSK_CANDIDATE}{p.id}" for p in candidates}
        for key in set(self.store.meta_with_prefix(KIOSK_CANDIDATE)) - kept:
            self.store.delete_meta(key)  # their profile was deleted some other way
        session_ids = [s.id for p in candidates for s in self.store.sessions(profile_id=p.id)]
        files = self.kiosk_save_sessions(sorted(session_ids))
        for profile in candidates:
            self.delete_profile(profile.id)
            self.store.delete_meta(f"{KIOSK_CANDIDATE}{profile.id}")
        log.info("kiosk: saved %d report(s) and wiped %d candidate(s)", len(files), len(candidates))
        return KioskHandover([p.name for p in candidates], sorted(session_ids), files, complete)

    # -- practice across sessions ---------------------------------------------------

    def due_reviews(self, profile_id: int) -> list[ReviewItem]:
        """The profile's review items due now, most overdue first."""
        return self.store.due_reviews(profile_id, self.engine.clock())

    def review_items(self, profile_id: int) -> list[ReviewItem]:
        """Every review item of the profile, soonest due first."""
        return self.store.review_items(profile_id)

    def review_summary(self, profile_id: int) -> ReviewSummary:
        """How many reviews are due and on what topics (the home screen's line)."""
        now = self.engine.clock()
        due = self.store.due_topics(profile_id, now)
        _, total, first = self.store.review_counts(profile_id, now)
        counts: dict[str, int] = {}
        for _, topic in due:  # most overdue first: ties keep that order
            counts[topic] = counts.get(topic, 0) + 1
        topics = sorted(counts, key=lambda t: -counts[t])
        return ReviewSummary(due=len(due), questions=len({key for key, _ in due}), total=total,
                             topics=topics, next_due=None if due or first is None else first)

    def start_review_session(self, profile_id: int, *, minutes: int | None = None,
                             count: int | None = None, seed: int | None = None,
                             follow_ups: bool = True) -> Session:
        """Practise weak areas: the due reviews' questions first (most overdue first), then
        questions of the same modules sharing their tags. Without a length: every due question
        (at most PRACTICE_DUE_MAX) and PRACTICE_RELATED related ones."""
        due = self.store.due_topics(profile_id, self.engine.clock())
        if not due:
            _, total, first = self.store.review_counts(profile_id, self.engine.clock())
            when = f": the next one is due {first:%Y-%m-%d %H:%M} UTC" if first else ""
            raise TalentSyncError(f"Nothing is due for review{when}." if total else
                                  "Nothing to review yet: points your answers miss become reviews.")
        keys = list(dict.fromkeys(key for key, _ in due))
        present = self.store.questions_by_key(keys)
        keys = [k for k in keys if k in present]
        if not keys:
            raise TalentSyncError("The questions due for review are no longer in the question banks.")
        if minutes is None and count is None:
            count = min(len(keys), PRACTICE_DUE_MAX) + PRACTICE_RELATED
        try:
            config = SessionConfig(module_ids=sorted({k.split("/")[0] for k in keys}), target_minutes=minutes,
                                   target_count=count, seed=seed, follow_ups=follow_ups, review_keys=keys[:500])
        except ValueError as exc:
            raise TalentSyncError(describe_config_error(exc)) from None
        return self.start_session(profile_id, config)

    def retry_question(self, session_id: int, item_id: int) -> SessionItem:
        """Ask an answered question again at the end of its session (a finished session opens
        again); the new answer is graded like any other and the summary compares the attempts."""
        item = self.store.get_item(item_id)
        if item is None or item.session_id != session_id:
            raise TalentSyncError(f"Question {item_id} is not part of session {session_id}.")
        try:
            new_id = self.store.add_retry(item_id)
        except StoreError as exc:
            raise TalentSyncError(str(exc)) from exc
        retry = self.store.get_item(new_id)
        assert retry is not None
        return retry

    def progress(self, profile_id: int) -> Progress:
        """Score trends per session, module and tag, and the points most often missed."""
        from talentsync_tui.practice.progress import progress

        return progress(self.store.answer_history(profile_id))

    # -- grading (coaches) ------------------------------------------------------

    def rival_documents(self, question_key: str | None) -> list[str]:
        """Documents (text + expected points) of the other questions in a question's module:
        what the on-topic check compares an answer with."""
        from talentsync_tui.feedback.evidence import question_document

        if not question_key or question_key.count("/") != 1:
            return []
        module_id = question_key.split("/")[0]
        return [question_document(q.text, q.expected_points) for q in self.store.questions([module_id])
                if q.key != question_key]

    def question(self, key: str) -> StoredQuestion:
        """A bank question by `MODULE/QUESTION_ID`."""
        if key.count("/") != 1 or not all(key.split("/")):
            raise TalentSyncError(f"{key!r} is not a question key: use MODULE/QUESTION_ID "
                                  "(see `talentsync bank show MODULE`).")
        found = self.store.questions_by_key([key]).get(key)
        if found is None:
            module_id = key.split("/")[0]
            if self.store.get_module(module_id) is None:
                raise TalentSyncError(f"There is no module {module_id!r}. See `talentsync bank list`.")
            raise TalentSyncError(f"There is no question {key!r}. See `talentsync bank show {module_id}`.")
        return found

    def _load_coach(self, on_progress: Callable[[int, int], None] | None = None) -> tuple[Any, str | None, Any]:
        """`(llm, problem, embedder)` loaded in this thread from settings, as the app would:
        `problem` says why there is no usable model (then `llm` may still need closing)."""
        from talentsync_tui.ai.embeddings import MiniLMEmbedding

        llm: Any = None
        problem: str | None = None
        embedder: Any = None
        if not self.settings.ai_enabled:
            return None, "AI is disabled (TALENTSYNC_AI_ENABLED=false)", None
        if self.settings.llm_url:
            from talentsync_tui.ai.remote import RemoteLLM

            llm = RemoteLLM(self.settings.llm_url, model=self.settings.llm_model,
                            timeout=self.settings.llm_timeout)
        else:
            from talentsync_tui.ai.models import LocalLLM, default_cache_dir, resolve_model

            llm = LocalLLM(resolve_model(self.settings), n_threads=self.settings.model_threads,
                           n_ctx=self.settings.model_ctx, cache_dir=default_cache_dir(self.settings),
                           probe=self.settings.model_probe, on_progress=on_progress)
        if not llm.load():
            problem = llm.error or "the model did not load"
        embedder = MiniLMEmbedding(threads=1)
        try:
            embedder.load()
        except Exception as exc:
            log.warning("embeddings unavailable: %s", exc)
            embedder = None
        return llm, problem, embedder

    @staticmethod
    def _model_name(llm: Any) -> str | None:
        return getattr(getattr(llm, "path", None), "name", None) or getattr(llm, "model", None) or llm.kind

    @contextmanager
    def grader(self, *, on_progress: Callable[[int, int], None] | None = None) -> Iterator[Grader]:
        """A `Grader` with the coach model and embeddings loaded in this thread (the CLI).

        The same judge, embedder and calibration as the app's feedback workers; if the
        model cannot load, the grader gives quick checks and `grader.problem` says why.
        """
        from talentsync_tui.ai.coach import make_judge

        llm, problem, embedder = self._load_coach(on_progress)
        judge = make_judge(llm) if llm is not None and problem is None else None
        grader = Grader(judge, embedder, model_name=self._model_name(llm) if judge is not None else None)
        grader.problem = problem
        grader.rivals_for = self.rival_documents
        try:
            yield grader
        finally:
            if llm is not None:
                llm.close()

    @contextmanager
    def interviewer(self, *, on_progress: Callable[[int, int], None] | None = None,
                    use_index: bool = True) -> Iterator[Interviewing]:
        """The app's interviewer (coach model + embedder, and the retrieval index when it
        is already built) loaded in this thread, with a quick-check grader for the gap.
        If the model cannot load, follow-ups come from templates and `.problem` says why."""
        from talentsync_tui.ai.interviewer import Interviewer

        llm, problem, embedder = self._load_coach(on_progress)
        index = self._open_index(embedder) if use_index and embedder is not None else None
        grader = Grader(None, embedder)
        grader.rivals_for = self.rival_documents
        usable = llm if problem is None else None
        interviewing = Interviewing(
            Interviewer(usable, index, embedder, use_model=bool(self.settings.followup_model),
                        deadline=float(self.settings.followup_deadline)),
            grader, problem, self._model_name(usable) if usable is not None else None)
        if problem is None and not self.settings.followup_model:
            interviewing.problem = "follow-ups from the model are off (followup_model = false)"
        try:
            yield interviewing
        finally:
            if index is not None:
                index.close()
            if llm is not None:
                llm.close()

    def _open_index(self, embedder: Any) -> Any:
        """The retrieval index, only when it exists already (building it takes minutes; the
        app does that in the background): an incremental sync, else None."""
        from talentsync_tui.ai.index import AIIndex

        url = self.settings.chroma_url
        if not url and not (self.settings.chroma_dir / "chroma.sqlite3").exists():
            return None
        index = AIIndex(self.store, embedder, path=None if url else self.settings.chroma_dir, url=url)
        try:
            index.sync()
        except Exception as exc:  # retrieval only widens the template choice
            log.warning("retrieval index unavailable for follow-ups: %s", exc)
            index.close()
            return None
        return index

    def follow_up_item(self, question: str) -> tuple[SessionItem, StoredQuestion | None]:
        """A SessionItem (as the engine would queue it) for `MODULE/QUESTION_ID` or, for any
        other text, an ad-hoc question without expected points or templates."""
        text = " ".join(question.split())
        if not text:
            raise TalentSyncError("The question is empty.")
        if re.fullmatch(r"[^\s/]+/[^\s/]+", text):
            stored: StoredQuestion | None = self.question(text)
            assert stored is not None
            return SessionItem(
                id=0, session_id=0, position=0, kind="core", question_key=stored.key, text=stored.text,
                difficulty=stored.difficulty, type=stored.type, tags=stored.tags,
                expected_seconds=stored.expected_seconds, expected_points=stored.expected_points,
                follow_ups=stored.follow_ups), stored
        if len(text) > MAX_QUESTION_CHARS:
            raise TalentSyncError(f"The question is longer than {MAX_QUESTION_CHARS:,} characters.")
        return SessionItem(id=0, session_id=0, position=0, kind="core", question_key=None, text=text,
                           difficulty="medium", type="technical", tags=[], expected_seconds=120,
                           expected_points=[], follow_ups=[]), None

    def follow_up_for(self, question: str, answer: str, interviewing: Interviewing, *,
                      on_text: Callable[[str], None] | None = None) -> AskedFollowUp:
        """One follow-up for `answer` exactly as a session asks it: the quick check finds the
        gap (the missed point judged least covered, else the most specific claim), then
        the interviewer asks about it (model, validated; else the template for that gap)."""
        from talentsync_tui.ai.interviewer import choose_gap

        if not answer.strip():
            raise TalentSyncError("The answer is empty: there is nothing to follow up on.")
        if len(answer) > MAX_ANSWER_CHARS:
            raise TalentSyncError(f"The answer is longer than {MAX_ANSWER_CHARS:,} characters.")
        item, stored = self.follow_up_item(question)
        quick = interviewing.grader.quick(item, answer, float(item.expected_seconds),
                                          model_answer=stored.model_answer if stored else None)
        gap = choose_gap(item, answer, quick.details)
        follow_up = interviewing.interviewer.follow_up(item, answer, gap=gap, details=quick.details,
                                                       on_text=on_text)
        trace = dict(interviewing.interviewer.last)
        if follow_up is None:
            why = interviewing.problem or "the model's drafts were rejected"
            raise TalentSyncError(f"No follow-up: {why}, and no template fits this question "
                                  "(a bank question, or the retrieval index, gives templates).")
        reason = None
        if follow_up.source != "model":
            attempts = trace.get("attempts") or []
            rejected = [a.get("rejected") for a in attempts if a.get("rejected")]
            deadline = float(interviewing.interviewer.deadline)
            spent = sum(float(a.get("ms") or 0.0) for a in attempts) / 1000
            out_of_time = trace.get("rejected") == "deadline" or (attempts and spent >= 0.9 * deadline)
            reason = (interviewing.problem or trace.get("error")
                      or (f"the model did not finish within the follow-up deadline ({deadline:g} s, "
                          "TALENTSYNC_FOLLOWUP_DEADLINE)" if out_of_time else None)
                      or (f"the model's draft was rejected ({rejected[-1]})" if rejected else None)
                      or trace.get("rejected"))
        return AskedFollowUp(follow_up, item, gap, interviewing.model if follow_up.source == "model" else None,
                             reason, [a.get("text") for a in trace.get("attempts") or []])

    def grade(self, question: StoredQuestion, answer: str, seconds: float | None, grader: Grader) -> Feedback:
        """Grade one written answer exactly as the app does (`seconds` defaults to the expected time)."""
        elapsed = float(question.expected_seconds if seconds is None else seconds)
        return grader.grade(question, answer, elapsed, model_answer=question.model_answer)

    # -- health ---------------------------------------------------------------

    def doctor(self) -> list[Check]:
        """What `talentsync doctor` shows: database, banks, paths, versions, jobs."""
        checks = [
            Check("TalentSync", True, __version__),
            Check("Python", sys.version_info >= (3, 11), platform.python_version()),
            Check("SQLite", True, sqlite3.sqlite_version),
            Check("Data dir", os.access(self.settings.home, os.W_OK), str(self.settings.home)),
            Check("Database", True, f"{self.settings.db_path} (schema v{self.store.schema_version})"),
        ]
        try:
            integrity = self.store.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            integrity = str(exc)
        checks.append(Check("Database integrity", integrity == "ok", integrity))
        modules = self.modules()
        total = sum(m.question_count for m in modules)
        checks.append(Check("Question banks", bool(modules), f"{len(modules)} modules, {total} questions"))
        checks.append(Check("Bundled banks", self.settings.banks_dir.is_dir(), str(self.settings.banks_dir)))
        jobs = self.store.job_counts()
        checks.append(Check("Feedback jobs", jobs["failed"] == 0,
                            ", ".join(f"{k} {v}" for k, v in jobs.items())))
        checks.append(Check("Log file", True, str(self.settings.log_dir / "talentsync.log")))
        checks.append(self._model_check())
        return checks

    def _model_check(self) -> Check:
        """Where the model would come from, without loading it (`talentsync model status` loads)."""
        if not self.settings.ai_enabled:
            return Check("Local model", True, "AI disabled (TALENTSYNC_AI_ENABLED=false): template follow-ups")
        try:
            from talentsync_tui.ai.models import resolve_model

            choice = resolve_model(self.settings)
        except Exception as exc:  # a missing or unreadable model is reported, not raised
            return Check("Local model", False, f"{exc}; follow-ups fall back to templates")
        if choice.path is not None and not choice.path.exists():
            return Check("Local model", False, f"{choice.path} does not exist; follow-ups fall back to templates")
        return Check("Local model", True, choice.describe())


def default_config(module_ids: list[str], *, minutes: int | None = None, count: int | None = None,
                   min_difficulty: str = "easy", max_difficulty: str = "hard",
                   seed: int | None = None, follow_ups: bool = True,
                   settings: Settings | None = None) -> SessionConfig:
    """A SessionConfig from the plain values a CLI flag or form field gives, with the
    follow-up settings (`follow_up_timing`, `max_follow_ups`) of `settings` when given."""
    timing = settings.follow_up_timing if settings is not None else "immediate"
    return SessionConfig(
        module_ids=module_ids, target_minutes=minutes, target_count=count,
        min_difficulty=Difficulty(min_difficulty), max_difficulty=Difficulty(max_difficulty),
        seed=seed, follow_ups=follow_ups and timing != "off",
        follow_up_timing="after-next" if timing == "after-next" else "immediate",
        max_follow_ups_per_question=settings.max_follow_ups if settings is not None else 1,
    )


_CONFIG_FIELDS = {
    "target_minutes": "the length in minutes", "target_count": "the question count",
    "module_ids": "the module list", "seed": "the seed", "min_difficulty": "the easiest difficulty",
    "max_difficulty": "the hardest difficulty", "resume_every": "the resume-question spacing",
    "max_follow_ups_per_question": "the follow-ups per question",
}


def describe_config_error(exc: Exception) -> str:
    """A session-settings ValidationError (or ValueError) in one sentence of our own."""
    errors = getattr(exc, "errors", None)
    if not callable(errors) or not errors():
        return f"Invalid session settings: {exc}."
    first = errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "settings"
    label = _CONFIG_FIELDS.get(field, field.replace("_", " "))
    context = first.get("ctx") or {}
    bounds = {"greater_than": f"must be more than {context.get('gt')}",
              "greater_than_equal": f"must be at least {context.get('ge')}",
              "less_than": f"must be less than {context.get('lt')}",
              "less_than_equal": f"must be at most {context.get('le')}",
              "too_short": "must not be empty"}
    problem = bounds.get(first.get("type", ""), str(first.get("msg", "is invalid")).lower())
    return f"Invalid session settings: {label} {problem} (got {str(first.get('input'))[:40]})."
