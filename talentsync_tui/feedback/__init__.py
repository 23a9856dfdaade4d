"""Answer feedback: scoring, the background job pool and session reports."""

from talentsync_tui.feedback.worker import (
    Event,
    FeedbackReady,
    FeedbackWorkers,
    FollowUpQueued,
    FollowUpWriting,
    Listener,
)

__all__ = ["Event", "FeedbackReady", "FeedbackWorkers", "FollowUpQueued", "FollowUpWriting", "Listener"]
