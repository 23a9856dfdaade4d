"""Home: choose or add a profile, see recent sessions, resume or start one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from talentsync_tui.tui.format import cell, literal
from talentsync_tui.tui.screens.base import TalentScreen

if TYPE_CHECKING:  # the first screen paints before the core (and pydantic) is imported
    from talentsync_tui.models import Profile, ReviewSummary, Session

LOADING = "Loading question banks…"


@dataclass
class HomeData(Message):
    profiles: list[Profile]
    chosen: int | None
    history: list[tuple[Session, float | None]] = field(default_factory=list)
    reviews: ReviewSummary | None = None


class HomeScreen(TalentScreen):
    """The first screen: profiles on the left, that profile's sessions on the right.

    It paints while TalentSync is still opening (a "loading" state with its keys
    disabled) and fills in when the app calls `core_ready`.
    """

    BINDINGS = [
        Binding("n", "app.new_session", "New", tooltip="Start a new session"),
        # Not in the footer (it is full at 80 columns): the due-reviews line names the key.
        Binding("p", "app.practice", "Practice", show=False,
                tooltip="Practise weak areas: the reviews due first, then related questions"),
        Binding("r", "resume", "Resume", tooltip="Resume the unfinished session"),
        Binding("m", "app.modules", "Modules"),
        Binding("h", "app.history", "History"),
        Binding("a", "add_profile", "Profile+", tooltip="Add a profile"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._history: list[tuple[Session, float | None]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with Vertical(id="profiles-pane", classes="pane") as pane:
                pane.border_title = "Profile"
                yield OptionList(id="profiles")
                yield Static(id="profile-info", classes="dim")
            with Vertical(id="sessions-pane", classes="pane") as pane:
                pane.border_title = "Recent sessions"
                yield Static(id="home-due")
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
                yield Static(id="home-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("#", "Started", "Status", "Score", "Modules")

    def on_screen_resume(self) -> None:
        if self.tsapp.core_ready:
            self.load(self.tsapp.profile_id)
        else:
            self.query_one("#home-hint", Static).update(LOADING)

    def core_ready(self) -> None:
        """TalentSync is open: enable the keys and read the profiles."""
        self.refresh_bindings()
        self.load(self.tsapp.profile_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume", "add_profile") and not self.tsapp.core_ready:
            return None  # shown dimmed until the data is there
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="home")
    def load(self, profile_id: int | None) -> None:
        try:
            if profile_id is None and self.tsapp.demo:
                profile_id = self.ts.demo_profile().id
            self.post_message(self._read(profile_id))
        except Exception as exc:
            self.fail("Could not load profiles", exc)

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-profile")
    def create_profile(self, name: str) -> None:
        # Its own group: the screen's reload on resume must not cancel the creation.
        try:
            self.post_message(self._read(self.ts.create_profile(name).id))
        except Exception as exc:
            self.fail("Could not add the profile", exc)

    def _read(self, profile_id: int | None) -> HomeData:
        """Runs in a worker: the profiles and the chosen profile's sessions with scores."""
        profiles = self.ts.profiles()
        if profile_id is None and profiles:
            profile_id = profiles[0].id
        history = self.ts.score_history(profile_id) if profile_id is not None else []
        reviews = self.ts.review_summary(profile_id) if profile_id is not None else None
        return HomeData(profiles, profile_id, history, reviews)

    def on_home_data(self, data: HomeData) -> None:
        chosen = next((p for p in data.profiles if p.id == data.chosen), None)
        self.tsapp.set_profile(chosen.id if chosen else None, chosen.name if chosen else "")
        options = self.query_one("#profiles", OptionList)
        options.clear_options()
        options.add_options([Option(literal(p.name), id=str(p.id)) for p in data.profiles])
        if chosen is not None:
            options.highlighted = data.profiles.index(chosen)
        self._show_profile(chosen)
        self._history = list(reversed(data.history))  # newest first
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for session, score in self._history:
            table.add_row(
                cell(session.id),
                cell(f"{session.created_at:%Y-%m-%d %H:%M}"),
                cell(session.status.value, "" if _done(session) else "bold"),
                cell("-" if score is None else f"{score:g}"),
                cell(", ".join(session.config.module_ids)),
                key=str(session.id),
            )
        self._show_reviews(data.reviews)
        self._show_hint()

    def _show_reviews(self, reviews: ReviewSummary | None) -> None:
        """"6 reviews due (2 questions): caching, sql" and the key that practises them."""
        due = self.query_one("#home-due", Static)
        due.display = reviews is not None and reviews.total > 0
        if reviews is None or not reviews.total:
            return
        if reviews.due:
            topics = ", ".join(reviews.topics[:3]) + (", …" if len(reviews.topics) > 3 else "")
            plural = "s" if reviews.due != 1 else ""
            questions = f"{reviews.questions} question{'s' if reviews.questions != 1 else ''}"
            due.update(Content.assemble((f"{reviews.due} review{plural} due", "bold"),
                                        f" ({questions}): ", topics, ("  p: practise weak areas", "dim")))
        elif reviews.next_due is not None:
            due.update(Content(f"No reviews due: the next of {reviews.total} is due "
                               f"{reviews.next_due:%Y-%m-%d}."))

    def _show_profile(self, profile: Profile | None) -> None:
        info = self.query_one("#profile-info", Static)
        if profile is None:
            info.update("No profile yet: press a to add one.")
        elif profile.skills:
            info.update(literal(f"Resume skills: {', '.join(profile.skills[:6])}"))
        else:
            info.update("No resume attached (add one in session setup).")

    def _unfinished(self) -> Session | None:
        return next((s for s, _ in self._history if not _done(s)), None)

    def _show_hint(self) -> None:
        hint = self.query_one("#home-hint", Static)
        if self.tsapp.profile_id is None:
            hint.update("Add a profile (a) to begin.")
            return
        unfinished = self._unfinished()
        parts = ["n: start a new session"]
        if unfinished is not None:
            parts.insert(0, f"r: resume session {unfinished.id} ({unfinished.status.value})")
        if self._history:
            parts.append("enter: open the highlighted session")
        hint.update(Content("   ".join(parts)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "profiles" and event.option.id is not None:
            profile_id = int(event.option.id)
            if profile_id != self.tsapp.profile_id:
                self.load(profile_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        session_id = int(str(event.row_key.value))
        session = next((s for s, _ in self._history if s.id == session_id), None)
        if session is not None:
            self.tsapp.open_session(session.id, finished=_done(session))

    def action_resume(self) -> None:
        unfinished = self._unfinished()
        if unfinished is None:
            self.notify("No unfinished session for this profile: press n to start one.")
            return
        self.tsapp.open_session(unfinished.id, finished=False)

    def action_add_profile(self) -> None:
        from talentsync_tui.tui.screens.new_profile import NewProfileScreen

        def created(name: str | None) -> None:
            if name:
                self.create_profile(name)

        self.app.push_screen(NewProfileScreen(), created)


def _done(session: Session) -> bool:
    from talentsync_tui.models import SessionStatus  # loaded with the core by now

    return session.status is SessionStatus.completed
