"""App-wide behaviour: command palette, help, themes, NO_COLOR, keyboard-only navigation."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, SelectionList
from tui_helpers import async_test, running, settle, wait_for


@async_test
async def test_the_command_palette_offers_the_main_actions(make_app, talent, history):
    app = make_app()
    async with running(app) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press(*"modules")
        await wait_for(pilot, lambda: "Modules" in str(
            app.screen.query_one("CommandList").get_option_at_index(0).prompt), what="a hit")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ModulesScreen"

        # Every main action is offered; export appears once a session is on screen.
        from talentsync_tui.tui.commands import TalentSyncCommands

        names = [name for name, _, _ in TalentSyncCommands(app.screen)._commands()]
        assert names == ["New session", "Practice weak areas", "Modules", "History", "Home", "Help"]
        app.open_session(talent.sessions()[-1].id, finished=True)
        await settle(pilot, talent)
        names = [name for name, _, _ in TalentSyncCommands(app.screen)._commands()]
        assert "Export report (Markdown)" in names and "Export report (JSON)" in names


@async_test
async def test_themes_can_be_chosen(make_app):
    app = make_app()
    async with running(app) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" in commands
        app.theme = "gruvbox"
        await pilot.pause()
        assert app.current_theme.name == "gruvbox"


@async_test
async def test_help_lists_every_key_binding(make_app):
    from talentsync_tui.tui.screens import help as help_screen

    app = make_app()
    async with running(app) as pilot:
        await pilot.press("f1")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        rows = {(table.get_row_at(i)[0].plain, table.get_row_at(i)[1].plain)
                for i in range(table.row_count)}
        for where, cls in help_screen._screens():
            for binding in cls.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    assert (where, help_screen._key(binding)) in rows, (where, binding.key)
        assert ("Interview", "ctrl+s") in rows and ("Interview", "ctrl+n,f8") in rows
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "HomeScreen"


@async_test
async def test_no_color_is_honoured(make_app, monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        assert app.no_color
        assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)


@async_test
async def test_a_session_can_be_set_up_with_the_keyboard_only(make_app, talent):
    talent.create_profile("Ada")
    app = make_app()
    async with running(app, (80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        setup = app.screen
        modules = setup.query_one("#setup-modules", SelectionList)
        assert modules.has_focus
        await pilot.press("space")  # the first module
        await pilot.press("tab", "tab")  # length unit, then the length field
        assert isinstance(app.focused, Input) and app.focused.id == "length"
        await pilot.press(*"10")
        await settle(pilot)
        assert "questions" in str(setup.query_one("#estimate").render())
        await pilot.press("ctrl+s")
        await settle(pilot, talent)
        assert type(app.screen).__name__ == "InterviewScreen"
        session = talent.sessions()[0]
        assert session.config.module_ids == [modules.get_option_at_index(0).value]
        assert session.config.target_minutes == 10


@async_test
async def test_modules_filter_by_text_difficulty_and_type(make_app):
    app = make_app()
    async with running(app) as pilot:
        await pilot.press("m")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index("python"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        questions = screen.query_one(DataTable)
        total = questions.row_count
        assert total > 10
        await pilot.press("slash", *"tuple")
        await pilot.pause()
        assert 0 < questions.row_count < total
        screen.query_one("#filter-text", Input).value = ""
        screen.query_one("#filter-difficulty").value = "hard"
        await pilot.pause()
        hard = questions.row_count
        assert 0 < hard < total
        assert all(questions.get_row_at(i)[0].plain == "hard" for i in range(hard))
        screen.query_one("#filter-type").value = "coding"
        await pilot.pause()
        assert all(questions.get_row_at(i)[1].plain == "coding" for i in range(questions.row_count))


def test_the_tui_import_path_keeps_the_ai_stack_out():
    import subprocess
    import sys

    code = (
        "import sys, talentsync_tui.tui.app; "
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'chromadb', 'llama_cpp', 'onnxruntime', 'torch', 'tokenizers', 'plotext', 'textual_plotext'}); "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""  # charts load with the summary/history screens only


@async_test
async def test_demo_mode_preselects_the_demo_profile(make_app, talent):
    talent.create_profile("Someone Else")
    app = make_app(demo=True)
    async with running(app, (80, 24)) as pilot:
        assert app.profile_name == "Demo Candidate"
        assert {p.name for p in talent.profiles()} == {"Someone Else", "Demo Candidate"}


def test_the_first_screen_paints_before_the_core_is_imported():
    """`run_app` paints home first; the core (pydantic, sqlite_utils, numpy) loads in a worker."""
    import subprocess
    import sys

    code = (
        "import sys, talentsync_tui.tui.app; "
        "core = ('talentsync_tui.services', 'talentsync_tui.store', 'talentsync_tui.config', "
        "'talentsync_tui.models', 'talentsync_tui.engine', 'pydantic', 'pydantic_settings', "
        "'sqlite_utils', 'numpy'); "
        "print(','.join(m for m in core if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


@async_test
async def test_home_shows_a_loading_state_until_talentsync_opens(make_app, talent, history):
    import threading

    from textual.widgets import Static
    from tui_helpers import rendered, screen_text

    release = threading.Event()

    def slow_open():
        release.wait(10)
        return talent

    app = make_app(slow_open)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(pilot, lambda: app.opening, what="the opening thread")
            home = app.screen
            assert type(home).__name__ == "HomeScreen" and not app.core_ready
            assert "Loading question banks…" in rendered(home.query_one("#home-hint", Static))
            # The footer shows the keys, disabled; pressing them does nothing yet.
            bindings = home.active_bindings
            assert not bindings["n"].enabled and not bindings["r"].enabled
            assert not bindings["f1"].enabled and bindings["ctrl+q"].enabled
            await pilot.press("n", "m", "r")
            assert app.screen is home
            app.action_modules()  # as the command palette would call it
            await pilot.pause()
            assert app.screen is home
            assert any("Still loading" in str(n.message) for n in app._notifications)

            release.set()
            await wait_for(pilot, lambda: app.core_ready, what="TalentSync to open")
            await settle(pilot, talent)
            assert app.profile_name == "Ada Lovelace"
            assert home.active_bindings["n"].enabled
            assert "Loading" not in screen_text(app)
            assert "r: resume session" in rendered(home.query_one("#home-hint", Static))
            await pilot.press("m")
            await settle(pilot)
            assert type(app.screen).__name__ == "ModulesScreen"
    finally:
        release.set()
    assert app.opened() is talent
