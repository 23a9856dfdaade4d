"""Practice across sessions: review items scheduled by spaced repetition (fsrs), and progress.

- `reviews`: which review items an answer makes or reviews, its fsrs rating, the scheduler
- `progress`: score trends per module and tag, and the points most often missed
"""

from talentsync_tui.practice.reviews import (
    EASY_SCORE,
    LOW_SCORE,
    CardState,
    ReviewScheduler,
    question_rating,
    review_targets,
)

__all__ = ["EASY_SCORE", "LOW_SCORE", "CardState", "ReviewScheduler", "question_rating",
           "review_targets"]
