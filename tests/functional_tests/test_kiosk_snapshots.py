"""Screenshots of the kiosk's screens at 80x24 and 120x40 with fixed data.

Regenerate with `pytest tests/functional_tests/test_kiosk_snapshots.py --snapshot-update`,
then look at the SVGs before keeping them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList
from tui_helpers import finish_session, settle, wait_for

from talentsync_tui.services import default_config

SIZES = [(80, 24), (120, 40)]
PASSPHRASE = "correct horse battery"


async def go_welcome(pilot, ts):
    pass


async def go_setup(pilot, ts):
    await pilot.press(*"Grace Hopper", "enter")
    await settle(pilot, ts)
    screen = pilot.app.screen
    screen.query_one("#setup-modules", SelectionList).select("python")
    screen.query_one("#length-unit").value = "questions"
    screen.query_one("#length", Input).value = "5"
    await settle(pilot)


async def go_passphrase(pilot, ts):
    await pilot.press("f12")
    await settle(pilot)
    field = pilot.app.screen.query_one("#passphrase-input", Input)
    field.value = "a wrong guess"
    await pilot.press("enter")
    await settle(pilot)
    await wait_for(pilot, lambda: not field.disabled, what="the check")
    field.value = "typing"  # shown as dots


async def go_coach_menu(pilot, ts):
    await pilot.press("f12")
    await settle(pilot)
    pilot.app.screen.query_one("#passphrase-input", Input).value = PASSPHRASE
    await pilot.press("enter")
    await settle(pilot, ts)
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CoachMenuScreen",
                   what="the coach menu")
    await settle(pilot, ts)


SCREENS = {"welcome": go_welcome, "setup": go_setup, "passphrase": go_passphrase,
           "coach_menu": go_coach_menu}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_kiosk_snapshot(name, size, snap_compare, talent, frozen_clock):
    from talentsync_tui.tui.kiosk import KioskApp

    talent.kiosk_set_passphrase(PASSPHRASE)
    # Two candidates earlier today: one finished, one who walked away after an answer.
    ada = talent.kiosk_new_candidate("Ada Lovelace")
    done = talent.start_session(ada.id, default_config(["python"], count=3, seed=7))
    finish_session(talent, frozen_clock, done.id, [
        "Lists are mutable and tuples are immutable; tuples are hashable so they work as keys.",
        "",
        "Default values are evaluated once when the def statement runs, so use None instead.",
    ])
    frozen_clock.advance(1800)
    alan = talent.kiosk_new_candidate("Alan [bold]Turing")
    left = talent.start_session(alan.id, default_config(["behavioral"], count=2, seed=3))
    item = talent.current_question(left.id)
    frozen_clock.advance(90)
    talent.submit_answer(left.id, item.id, "I disagreed with a teammate; we measured and I changed my mind.")
    assert talent.workers.wait_idle(20)
    talent.pause(left.id)
    app = KioskApp(talent, cursor_blink=False)

    async def run_before(pilot) -> None:
        await settle(pilot, talent)
        await SCREENS[name](pilot, talent)
        pilot.app.clear_notifications()  # toasts time out in real time: keep them out
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
