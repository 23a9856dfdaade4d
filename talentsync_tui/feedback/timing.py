"""Length and timing: how long the answer is against the question's expected time.

The typical length is what a candidate types in the expected time at 40 words a
minute; under 25 words is too short to be a real answer. Both scores only grow
as text is appended.
"""

from __future__ import annotations

import math

__all__ = ["MIN_ANSWER_WORDS", "PASTE_WPM", "WORDS_PER_MINUTE", "length_label", "length_score",
           "safe_seconds", "timing_label", "timing_score", "typical_words"]

PASTE_WPM = 400.0
"""Faster than this looks pasted rather than typed (flagged in ``details`` only)."""
WORDS_PER_MINUTE = 40.0
"""Typing pace behind the typical length: ``expected_seconds / 60 * 40`` words."""
MIN_ANSWER_WORDS = 25
"""Below this an answer is too short to be a real answer."""
MAX_SECONDS = 10_000_000.0
"""Elapsed times are clamped to this (about four months) so details stay finite."""
VERY_QUICK_RATIO = 0.25
OVER_TIME_RATIO = 1.5

def timing_label(elapsed_seconds: float, expected_seconds: float) -> str:
    """``"very quick"`` under 25 % of the expected time, ``"over time"`` above 150 %, else ``"on time"``."""
    ratio = safe_seconds(elapsed_seconds) / max(1.0, float(expected_seconds))
    if ratio < VERY_QUICK_RATIO:
        return "very quick"
    if ratio > OVER_TIME_RATIO:
        return "over time"
    return "on time"


def safe_seconds(value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    if math.isnan(value) or value < 0:
        return 0.0
    return min(value, MAX_SECONDS)


def timing_score(ratio: float) -> float:
    if ratio < VERY_QUICK_RATIO:
        return 0.5 + 2.0 * ratio  # 0.5 at zero, 1.0 at the threshold
    if ratio > OVER_TIME_RATIO:
        return max(0.4, 1.0 - (ratio - OVER_TIME_RATIO) * 0.4)
    return 1.0


def typical_words(expected_seconds: float) -> int:
    return max(MIN_ANSWER_WORDS, round(max(1.0, float(expected_seconds)) / 60.0 * WORDS_PER_MINUTE))


def length_score(words: int, typical: int) -> float:
    """Non-decreasing in ``words``: half credit at the 25-word minimum, full at the typical length."""
    if words < MIN_ANSWER_WORDS:
        return 0.5 * words / MIN_ANSWER_WORDS
    if typical <= MIN_ANSWER_WORDS:
        return 1.0
    return min(1.0, 0.5 + 0.5 * (words - MIN_ANSWER_WORDS) / (typical - MIN_ANSWER_WORDS))


def length_label(words: int, typical: int) -> str:
    if words < MIN_ANSWER_WORDS:
        return "too short"
    if words < 0.5 * typical:
        return "short"
    if words > 2.5 * typical:
        return "long"
    return "typical"


