"""Session setup: modules, length, difficulty, resume, follow-ups and seed, with a live estimate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static, Switch
from textual.widgets.selection_list import Selection

from talentsync_tui.models import Difficulty, ModuleSummary, Profile, SessionConfig
from talentsync_tui.services import default_config
from talentsync_tui.tui.format import literal, minutes_text
from talentsync_tui.tui.screens.base import TalentScreen

DIFFICULTIES = [(d.value, d.value) for d in Difficulty]


@dataclass
class SetupModules(Message):
    modules: list[ModuleSummary]


@dataclass
class Estimated(Message):
    seq: int
    count: int
    seconds: int
    error: str | None = None


@dataclass
class ResumeAttached(Message):
    profile: Profile
    path: Path


@dataclass
class SessionStarted(Message):
    session_id: int


class SetupScreen(TalentScreen):
    """Builds a SessionConfig from the form and starts the session."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("ctrl+o", "choose_resume", "Resume file", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0
        self._starting = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="setup-body"):
            modules: SelectionList[str] = SelectionList(id="setup-modules")
            modules.border_title = "Modules"
            yield modules
            with VerticalScroll(id="setup-form", can_focus=False):
                with Horizontal(classes="row"):
                    yield Label("Length", classes="field")
                    yield Select([("minutes", "minutes"), ("questions", "questions")],
                                 value="minutes", allow_blank=False, id="length-unit", compact=True)
                    yield Input(placeholder="module default", id="length", type="integer",
                                max_length=3, compact=True)
                with Horizontal(classes="row"):
                    yield Label("Difficulty", classes="field")
                    yield Select(DIFFICULTIES, value="easy", allow_blank=False, id="min-difficulty",
                                 compact=True)
                    yield Label(" to ")
                    yield Select(DIFFICULTIES, value="hard", allow_blank=False, id="max-difficulty",
                                 compact=True)
                # The kiosk's setup hides the -full rows (seed, resume file, follow-ups).
                with Horizontal(classes="row -full"):
                    yield Label("Follow-ups", classes="field")
                    yield Switch(value=self.ts.settings.follow_ups, id="follow-ups")
                with Horizontal(classes="row -full"):
                    yield Label("Seed", classes="field")
                    yield Input(placeholder="random", id="seed", type="integer", max_length=9,
                                compact=True)
                with Horizontal(classes="row -full"):
                    yield Label("Resume", classes="field")
                    yield Static("none", id="resume-file")
                    yield Button("Choose…", id="choose-resume", compact=True)
                yield Static(id="estimate", classes="pane")
                yield Button("Start interview", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "New session"
        if self.tsapp.kiosk:
            for row in self.query(".-full"):
                row.display = False
        self.load_modules()

    # -- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="setup-modules")
    def load_modules(self) -> None:
        try:
            modules = self.ts.modules()
            profile_id = self.tsapp.profile_id
            profile = self.ts.profile(profile_id) if profile_id is not None else None
        except Exception as exc:
            self.fail("Could not load the modules", exc)
            return
        self.post_message(SetupModules(modules))
        if profile is not None and profile.skills:
            self.post_message(ResumeAttached(profile, Path("")))

    def on_setup_modules(self, message: SetupModules) -> None:
        selection = self.query_one("#setup-modules", SelectionList)
        selection.clear_options()
        selection.add_options([
            Selection(literal(f"{m.name} ({m.question_count})"), m.id) for m in message.modules
        ])
        if message.modules:
            selection.highlighted = 0  # so space toggles something straight away
        selection.focus()
        self.refresh_estimate()

    # -- the form --------------------------------------------------------------

    def config(self) -> SessionConfig:
        """The form as a SessionConfig; ValueError with a readable message if it is not valid."""
        modules = list(self.query_one("#setup-modules", SelectionList).selected)
        if not modules:
            raise ValueError("Choose at least one module (space toggles it).")
        length_text = self.query_one("#length", Input).value.strip()
        length = int(length_text) if length_text else None
        if length is not None and length <= 0:
            raise ValueError("The length must be a positive number.")
        unit = self.query_one("#length-unit", Select).value
        seed_text = self.query_one("#seed", Input).value.strip()
        try:
            return default_config(
                modules,
                minutes=length if unit == "minutes" else None,
                count=length if unit == "questions" else None,
                min_difficulty=str(self.query_one("#min-difficulty", Select).value),
                max_difficulty=str(self.query_one("#max-difficulty", Select).value),
                seed=int(seed_text) if seed_text else None,
                follow_ups=self.query_one("#follow-ups", Switch).value,
                settings=self.ts.settings,
            )
        except ValueError as exc:
            errors = getattr(exc, "errors", None)
            if callable(errors) and errors():
                first = errors()[0]
                field = ".".join(str(p) for p in first.get("loc", ()))
                raise ValueError(f"{field}: {first.get('msg')}") from exc
            raise

    def on_selection_list_selected_changed(self) -> None:
        self.refresh_estimate()

    def on_input_changed(self) -> None:
        self.refresh_estimate()

    def on_select_changed(self) -> None:
        self.refresh_estimate()

    def on_switch_changed(self) -> None:
        self.refresh_estimate()

    def refresh_estimate(self) -> None:
        self._seq += 1
        try:
            config = self.config()
        except ValueError as exc:
            self._show_estimate(str(exc), error=True)
            return
        self.estimate(self._seq, config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="estimate")
    def estimate(self, seq: int, config: SessionConfig) -> None:
        try:
            count, seconds = self.ts.estimate(self.tsapp.profile_id, config)
        except Exception as exc:  # "no questions match" is an answer, not a crash
            self.post_message(Estimated(seq, 0, 0, error=str(exc)))
            return
        self.post_message(Estimated(seq, count, seconds))

    def on_estimated(self, message: Estimated) -> None:
        if message.seq != self._seq:
            return  # a newer change is being estimated
        if message.error:
            self._show_estimate(message.error, error=True)
        else:
            self._show_estimate(f"≈ {message.count} questions, {minutes_text(message.seconds)}")

    def _show_estimate(self, text: str, error: bool = False) -> None:
        box = self.query_one("#estimate", Static)
        box.set_class(error, "-error")
        box.update(Content(text))

    # -- resume file -----------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "choose-resume":
            self.action_choose_resume()

    def action_choose_resume(self) -> None:
        from talentsync_tui.tui.screens.file_picker import FilePickerScreen

        if self.tsapp.needs_profile():
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one("#resume-file", Static).update(literal(f"reading {path.name}…"))
                self.attach_resume(path)

        self.app.push_screen(FilePickerScreen(self.tsapp.resume_dir), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="resume")
    def attach_resume(self, path: Path) -> None:
        try:
            profile = self.ts.attach_resume(self.tsapp.profile_id, path)
        except Exception as exc:
            self.fail("Could not read the resume", exc)
            self.post_message(ResumeAttached(Profile(name="-"), Path("")))
            return
        self.post_message(ResumeAttached(profile, path))

    def on_resume_attached(self, message: ResumeAttached) -> None:
        label = self.query_one("#resume-file", Static)
        profile = message.profile
        if profile.id is None:  # reading failed; the notification says why
            label.update("none")
            return
        name = message.path.name or "on file"
        label.update(literal(f"{name} · {len(profile.skills)} skills"))
        if message.path.name:
            self.notify(f"Resume read: {len(profile.skills)} skills, {len(profile.projects)} projects.",
                        title="Resume", markup=False)
        self.refresh_estimate()

    # -- starting --------------------------------------------------------------

    def action_start(self) -> None:
        if self._starting or self.tsapp.needs_profile():
            return
        try:
            config = self.config()
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self._starting = True
        self.start_session(config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="start")
    def start_session(self, config: SessionConfig) -> None:
        try:
            session = self.ts.start_session(self.tsapp.profile_id, config)
        except Exception as exc:
            self._starting = False
            self.fail("Could not start the session", exc)
            return
        self.post_message(SessionStarted(session.id))

    def on_session_started(self, message: SessionStarted) -> None:
        from talentsync_tui.tui.screens.interview import InterviewScreen

        self.app.switch_screen(InterviewScreen(message.session_id))
