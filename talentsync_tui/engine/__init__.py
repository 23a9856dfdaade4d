"""The session engine: seeding, the queue, answers, timing, pause/resume."""

from talentsync_tui.engine.followups import FollowUp, FollowUpProvider, TemplateFollowUps
from talentsync_tui.engine.seeding import Candidate, build_queue
from talentsync_tui.engine.session import EngineError, SessionEngine, SubmitResult, word_count

__all__ = [
    "Candidate",
    "EngineError",
    "FollowUp",
    "FollowUpProvider",
    "SessionEngine",
    "SubmitResult",
    "TemplateFollowUps",
    "build_queue",
    "word_count",
]
