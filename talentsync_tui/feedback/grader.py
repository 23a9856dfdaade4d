"""`Grader`: the judge and the embedder the AI runtime provides, and what to do without them.

The feedback workers and `talentsync grade` hold one. Its parts arrive when they
are loaded (the model in the background, a few seconds after start); until then,
or when there is no model at all, `grade` gives the quick check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from talentsync_tui.feedback.scoring import grade_answer, quick_check
from talentsync_tui.models import Feedback


class Grader:
    def __init__(self, judge: Any = None, embedder: Any = None, *, model_name: str | None = None) -> None:
        self.judge = judge
        self.embedder = embedder
        self.model_name = model_name
        self.problem: str | None = None
        """Why there is no coach model, when there is none (shown by `talentsync grade`)."""
        self.rivals_for: Callable[[str | None], list[str]] | None = None
        """`question_key -> documents of the module's other questions` (the on-topic check)."""

    def rivals(self, question: Any) -> list[str]:
        """The module's other question documents for `question` (empty when there is nothing to
        compare with). Callers grading one answer twice (quick check, then coach) ask once."""
        if self.rivals_for is None or self.embedder is None:
            return []
        key = getattr(question, "question_key", None) or getattr(question, "key", None)
        try:
            return self.rivals_for(key)
        except Exception:  # a bank that went away: the check just has less to go on
            return []

    @property
    def coach_ready(self) -> bool:
        judge = self.judge
        return judge is not None and bool(getattr(judge, "ready", True))

    def describe(self) -> str:
        if self.coach_ready:
            return self.model_name or getattr(self.judge, "name", "coach model")
        return "quick check (no coach model)"

    def quick(self, question: Any, answer: str, seconds: float, skipped: bool = False, *,
              model_answer: str | None = None, reason: str | None = None,
              rivals: list[str] | None = None) -> Feedback:
        if reason is None:
            reason = "the coach is still reading" if self.coach_ready else "no coach model"
        return quick_check(question, answer, seconds, skipped, embedder=self.embedder,
                           model_answer=model_answer, reason=reason,
                           rivals=self.rivals(question) if rivals is None else rivals)

    def grade(self, question: Any, answer: str, seconds: float, skipped: bool = False, *,
              model_answer: str | None = None, rivals: list[str] | None = None) -> Feedback:
        """The coach's verdict when the model is ready, else the quick check (marked as such)."""
        if not self.coach_ready:
            return self.quick(question, answer, seconds, skipped, model_answer=model_answer,
                              rivals=rivals)
        return grade_answer(question, answer, seconds, skipped, judge=self.judge, embedder=self.embedder,
                            model_answer=model_answer, model_name=self.model_name,
                            rivals=self.rivals(question) if rivals is None else rivals)
