"""Sessions taken through the facade, as the reports, bundles and study-deck tests need them."""

from __future__ import annotations

from talentsync_tui.models import SessionStatus
from talentsync_tui.services import TalentSync, default_config

HOSTILE = "<script>alert('pwned')</script> [bold]not bold[/bold] & \"quoted\" <b>tag</b>"
"""Text that must come out of every report exactly as typed."""


def good_answer(ts: TalentSync, item) -> str:
    """An answer that says what the expected points ask for (the quick check credits it)."""
    return " ".join(f"{point}." for point in item.expected_points) or "I would measure it first, then decide."


def take_session(ts: TalentSync, clock, *, name: str = "Ada Lovelace", modules=("python",),
                 count: int = 4, seed: int = 5, stop_after: int | None = None,
                 plan: str = "good,hostile,skip") -> int:
    """Start a session and answer it: the first question well, the next with HOSTILE text,
    the third skipped, then around again (follow-ups included); feedback is run after each.

    `stop_after` answers only that many questions (the session stays open).
    """
    profile = ts.create_profile(name)
    session = ts.start_session(profile.id, default_config(list(modules), count=count, seed=seed))
    steps = plan.split(",")
    done = 0
    while ts.session(session.id).status is not SessionStatus.completed:
        if stop_after is not None and done >= stop_after:
            break
        item = ts.current_question(session.id)
        clock.advance(45 + 10 * done)
        step = steps[done % len(steps)]
        if step == "skip":
            ts.skip(session.id, item.id)
        elif step == "hostile":
            ts.submit_answer(session.id, item.id, f"{good_answer(ts, item)} {HOSTILE}")
        elif step == "weak":
            ts.submit_answer(session.id, item.id, "I am not sure, maybe it depends.")
        else:
            ts.submit_answer(session.id, item.id, good_answer(ts, item))
        ts.workers.run_pending()
        done += 1
    return session.id
