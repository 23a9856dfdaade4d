"""The core never imports a UI toolkit: checked statically and at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = [
    "talentsync_tui.models",
    "talentsync_tui.store",
    "talentsync_tui.banks",
    "talentsync_tui.engine",
    "talentsync_tui.feedback",
    "talentsync_tui.feedback.scoring",
    "talentsync_tui.resume",
    "talentsync_tui.ai",
    "talentsync_tui.services",
    "talentsync_tui.reports.html",
    "talentsync_tui.reports.bundle",
    "talentsync_tui.reports.coach",
    "talentsync_tui.reports.anki",
    "talentsync_tui.kiosk",
    "talentsync_tui.practice",
]


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is not installed: install the project with its [test] extra")
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", CORE)
def test_core_module_loads_without_textual_or_typer(module):
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer')); "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
