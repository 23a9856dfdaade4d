"""Bank and answer text is always shown literally: markup-looking brackets never render or crash."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static
from tui_helpers import async_test, editor, rendered, running, screen_text, settle

TRAP = "Explain [bold red]x[/] and [link=http://x]y[/link]"
BANK = r'''
id: markup-trap
name: "Markup [b]trap[/b]"
category: "Tests [dim]"
description: "Brackets like [bold red]x[/] must show exactly as typed."
default_minutes: 5
questions:
  - id: brackets
    text: "Explain [bold red]x[/] and [link=http://x]y[/link] then \e[31mred\e[0m text [/]"
    difficulty: easy
    type: technical
    tags: ["[tag]", "rich"]
    expected_seconds: 60
    expected_points: ["Mentions [bold]z[/bold] literally"]
    follow_ups: ["What about [i]italics[/i]?"]
'''


def import_trap_bank(ts, tmp_path: Path) -> None:
    path = tmp_path / "trap.yaml"
    path.write_text(BANK, encoding="utf-8")
    ts.import_banks([path])


@async_test
async def test_markup_in_a_bank_shows_literally_in_modules_and_questions(make_app, talent, tmp_path):
    import_trap_bank(talent, tmp_path)
    app = make_app()
    async with running(app, (120, 40)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        row = table.get_row_index("markup-trap")
        assert table.get_row_at(row)[0].plain == "Markup [b]trap[/b]"
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "QuestionsScreen"
        detail = rendered(screen.query_one("#question-detail", Static))
        assert TRAP in detail
        assert "\x1b" not in detail and "red text [/]" in detail  # the escape was stripped
        assert "Mentions [bold]z[/bold] literally" in detail
        assert "What about [i]italics[/i]?" in detail
        assert "[bold red]x[/]" in screen_text(app)


@async_test
async def test_markup_in_a_question_and_an_answer_shows_literally_in_the_interview(
        make_app, talent, new_session, tmp_path, frozen_clock):
    import_trap_bank(talent, tmp_path)
    new_session(["markup-trap"], count=1, seed=1, name="[b]Mallory[/b]")
    app = make_app()
    async with running(app, (120, 40)) as pilot:
        assert app.profile_name == "[b]Mallory[/b]"
        await pilot.press("r")
        await settle(pilot, talent)
        screen = app.screen
        assert type(screen).__name__ == "InterviewScreen"
        assert TRAP in rendered(screen.query_one("#q-text", Static))
        assert "[tag]" in rendered(screen.query_one("#q-tags", Static))
        assert "[link=http://x]y[/link]" in screen_text(app)
        area = await editor(pilot)
        area.insert("My answer has [bold]markup[/bold] and [/] too")
        frozen_clock.advance(20)
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        # The follow-up comes right away, with the original question (literal) above it.
        assert screen.item is not None and screen.item.kind.value == "followup"
        assert TRAP in rendered(screen.query_one("#q-parent", Static))
        await pilot.press("ctrl+n")
        await settle(pilot, talent)
        assert type(app.screen).__name__ == "SummaryScreen"
        detail = rendered(app.screen.query_one("#summary-detail", Static))
        assert "My answer has [bold]markup[/bold] and [/] too" in detail
        assert TRAP in detail
