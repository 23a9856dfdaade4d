"""Command-palette provider: the app's main actions, fuzzy-searchable (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TalentSyncCommands(Provider):
    """New session, practice, modules, history, help, export and home."""

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        yield "New session", "Set up and start a practice interview", app.action_new_session
        yield ("Practice weak areas", "A session with your due reviews first, then related questions",
               app.action_practice)
        yield "Modules", "Browse question banks and their questions", app.action_modules
        yield "History", "Past sessions and your score trend", app.action_history
        yield "Home", "Profiles and recent sessions", app.action_home
        yield "Help", "Every key binding", app.action_help
        if app.current_session_id() is not None:
            yield ("Export report (Markdown)", "Write this session's report to the exports folder",
                   partial(app.action_export, "md"))
            yield ("Export report (JSON)", "Write this session's report to the exports folder",
                   partial(app.action_export, "json"))
            yield ("Export report (HTML)", "A printable, self-contained page in the exports folder",
                   partial(app.action_export, "html"))

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class KioskCommands(TalentSyncCommands):
    """The kiosk's palette: only what a coach needs, each behind the passphrase.

    It replaces the app's palette and Textual's system commands (theme, screenshot,
    quit without asking...), so nothing in it leaves the candidate's flow.
    """

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        yield "Coach menu", "Sessions, export, next candidate (asks for the passphrase)", app.action_coach
        yield "Quit the kiosk", "End the kiosk (asks for the passphrase)", app.action_quit
