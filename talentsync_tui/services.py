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
from talentsync_tui.feedback import FeedbackReady, FeedbackWorkers, FollowUpQueued, Listener
from talentsync_tui.feedback.grader import Grader
from talentsync_tui.feedback.report import SessionReport, build_report, render_json, render_markdown
from talentsync_tui.files import write_private_text
from talentsync_tui.models import (
    Difficulty,
    Feedback,
    Module,
    ModuleSummary,
    Profile,
    Session,
    SessionConfig,
    SessionItem,
    SessionStatus,
    SessionStatusReport,
    StoredQuestion,
)
from talentsync_tui.store import ImportReport, Store, StoreError, utcnow

if TYPE_CHECKING:
    from talentsync_tui.ai.runtime import AIRuntime

log = logging.getLogger(__name__)

__all__ = ["Check", "FeedbackReady", "FollowUpQueued", "TalentSync", "TalentSyncError", "default_config"]

BUNDLED_MARKER = "bundled_banks_loaded"
DEMO_PROFILE = "Demo Candidate"
QUIT_SECONDS = 0.8
MAX_ANSWER_CHARS = 20_000
MAX_QUESTION_CHARS = 2_000
"""How long `close()` waits for the feedback threads and the model before leaving them to exit."""


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


class TalentSync:
    """One running TalentSync: store, engine, feedback workers and settings."""

    def __init__(self, settings: Settings, store: Store, engine: SessionEngine,
                 workers: FeedbackWorkers, ai: AIRuntime | None = None) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.workers = workers
        self.ai = ai

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
        deadline = time.monotonic() + QUIT_SECONDS
        for session_id in sorted(self.engine.live_sessions):
            try:
                self.engine.interrupt(session_id)
            except Exception:  # a clock that cannot be stopped must not keep the app open
                log.exception("could not pause session %d on quit", session_id)
        self.workers.stop(timeout=max(0.0, deadline - time.monotonic()))
        if self.ai is not None:
            self.ai.close(timeout=max(0.0, deadline - time.monotonic()))
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
            profile = self.store.save_profile(profile.model_copy(update=extracted),
                                              resume_path=str(resume))
        return profile

    def attach_resume(self, profile_id: int, path: Path) -> Profile:
        """Read a resume file and store the profile extracted from it."""
        profile = self.store.get_profile(profile_id)
        if profile is None:
            raise TalentSyncError(f"There is no profile {profile_id}.")
        extracted = self._read_resume(path)
        return self.store.save_profile(profile.model_copy(update=extracted), resume_path=str(path))

    def _read_resume(self, path: Path) -> dict:
        from talentsync_tui.resume import ResumeError, extract_profile, read_resume

        try:
            text = read_resume(Path(path))
        except ResumeError as exc:
            raise TalentSyncError(str(exc)) from exc
        extracted = extract_profile(text, known_tags=self.store.all_tags())
        keep = self.settings.keep_resume_text
        return {"resume_text": text if keep else None, **extracted.model_dump()}

    def delete_profile(self, name_or_id: str | int) -> tuple[Profile, list[int], list[Path]]:
        """Delete a candidate: profile, resume text, sessions, answers, feedback, jobs,
        drafts and the reports exported into the data dir; then vacuum the database.

        Returns (the deleted profile, its session ids, the export files removed).
        Reports written elsewhere with `-o` are the user's to delete.
        """
        profile = self.profile(name_or_id)
        try:
            session_ids = self.store.delete_profile(profile.id)
        except StoreError as exc:
            raise TalentSyncError(str(exc)) from exc
        removed = []
        for session_id in session_ids:
            for fmt in ("md", "json"):
                path = self.settings.exports_dir / f"session-{session_id}.{fmt}"
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
        report = self.report(session_id)
        if fmt == "json":
            return render_json(report)
        if fmt == "md":
            return render_markdown(report)
        raise TalentSyncError(f"Unknown report format {fmt!r}: use md or json.")

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

    def score_history(self, profile_id: int) -> list[tuple[Session, float | None]]:
        """Each session of a profile (oldest first) with its average score."""
        history = []
        for session in reversed(self.store.sessions(profile_id=profile_id)):
            scores = [f.score for f in self.store.feedback_for_session(session.id).values()]
            history.append((session, round(sum(scores) / len(scores), 1) if scores else None))
        return history

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
