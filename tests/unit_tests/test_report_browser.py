"""The HTML report in a real browser: headless Chromium builds the DOM, prints the page to PDF.

Skipped when no Chromium is installed (Debian: `apt-get install chromium`); the
pure-Python checks in test_report_html.py always run.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from report_data import HOSTILE, take_session
from test_report_html import parse

BROWSER = next((found for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="needs a headless Chromium (Debian: apt-get install chromium); CI may not have one")


def chromium(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={cwd / 'profile'}", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
    )


@pytest.fixture
def report_file(ts, clock, tmp_path):
    session_id = take_session(ts, clock, name="Ada <i>Lovelace</i>", count=4)
    return ts.export_report(session_id, "html", tmp_path / "report.html"), ts.report(session_id)


def test_the_browser_dom_shows_the_hostile_answer_as_text_and_has_no_script(report_file, tmp_path):
    path, report = report_file
    result = chromium("--dump-dom", path.as_uri(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = parse(result.stdout)

    assert "html" in dom.tags and "svg" in dom.tags  # the browser really built the page
    assert dom.tags.count("script") == 0
    assert "b" not in dom.tags and "i" not in dom.tags
    text = "".join(dom.text)
    assert HOSTILE in text
    assert "Ada <i>Lovelace</i>" in text
    for item in report.items:
        assert item.question in text


def test_the_page_prints(report_file, tmp_path):
    path, _ = report_file
    pdf = tmp_path / "report.pdf"
    result = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", path.as_uri(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = [int(n) for n in re.findall(rb"/Count (\d+)", data)]
    assert pages and 1 <= max(pages) <= 20, pages  # a handful of A4/Letter pages, not one endless one
