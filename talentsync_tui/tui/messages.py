"""Messages that carry work results from threads back to the UI."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class CoreEvent(Message, bubble=False):
    """A feedback-pool event (FeedbackReady / FollowUpQueued), re-posted on the UI thread.

    It must not bubble: the app forwards it to every screen, and a bubbling copy would loop.
    """

    event: object


@dataclass
class CoreOpened(Message, bubble=False):
    """The app's thread worker has opened TalentSync: screens may use `app.ts` now."""


@dataclass
class CoreFailed(Message, bubble=False):
    """Opening TalentSync failed (corrupt database, newer schema...); `text` says why."""

    text: str


@dataclass
class TaskFailed(Message):
    """A thread worker failed; the screen shows `text` as an error notification."""

    what: str
    text: str


@dataclass
class AIStatus(Message, bubble=False):
    """The local model or index became ready or failed; shown once as a notification."""

    text: str


@dataclass
class SessionMade(Message, bubble=False):
    """A session was started in a thread (practice, retry) and can be opened; else `text`
    says why not (`failed`: an error rather than advice such as "nothing is due")."""

    session_id: int | None
    text: str = ""
    failed: bool = False
