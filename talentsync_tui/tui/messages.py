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


def event_kind(event: object) -> str:
    """'FeedbackReady' or 'FollowUpQueued': the facade's event types, by name."""
    return type(event).__name__


@dataclass
class TaskFailed(Message):
    """A thread worker failed; the screen shows `text` as an error notification."""

    what: str
    text: str
