"""Screenshots of the practice screens at 80x24 and 120x40: home with reviews due, a summary
comparing a retry with the first attempt, and the history's trends by module and by tag.

Regenerate with `pytest tests/functional_tests/test_practice_snapshots.py --snapshot-update`,
then look at the SVGs before keeping them.
"""

from __future__ import annotations

import pytest
from tui_helpers import finish_session, settle

from talentsync_tui.ai.testing import covering_scorer
from talentsync_tui.services import default_config

SIZES = [(80, 24), (120, 40)]


def practice_history(ts, clock) -> dict:
    """Ada: a weak python session (point 1 of each question), a retry of its first question
    that covers everything, and a day later a practice session of the reviews due."""
    ts.workers.scorer = covering_scorer
    ada = ts.create_profile("Ada Lovelace")
    weak = ts.start_session(ada.id, default_config(["python"], count=3, seed=7, follow_ups=False))
    finish_session(ts, clock, weak.id, ["#1 is what I know."])
    first = ts.items(weak.id)[0]
    ts.retry_question(weak.id, first.id)
    finish_session(ts, clock, weak.id, ["#1 #2 #3 #4 #5, all of it this time."])
    clock.advance(86400)
    practice = ts.start_review_session(ada.id, seed=2, follow_ups=False)
    finish_session(ts, clock, practice.id, ["#1 #2 and #3 now."])
    clock.advance(86400 * 3)
    return {"weak": weak.id, "practice": practice.id}


async def go_home(pilot, ts, ids):
    pass


async def go_summary_retry(pilot, ts, ids):
    pilot.app.open_session(ids["weak"], finished=True)
    await settle(pilot, ts)


async def go_history_modules(pilot, ts, ids):
    await pilot.press("h")
    await settle(pilot, ts)
    await pilot.press("v")
    await pilot.pause()


async def go_history_tags(pilot, ts, ids):
    await go_history_modules(pilot, ts, ids)
    await pilot.press("v")
    await pilot.pause()


SCREENS = {"home_due": go_home, "summary_retry": go_summary_retry,
           "history_modules": go_history_modules, "history_tags": go_history_tags}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_practice_snapshot(name, size, snap_compare, make_app, talent, frozen_clock):
    ids = practice_history(talent, frozen_clock)
    app = make_app()

    async def run_before(pilot) -> None:
        await settle(pilot, talent)
        await SCREENS[name](pilot, talent, ids)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
