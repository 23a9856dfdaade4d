"""The HTML report: one self-contained printable page, every answer shown exactly as typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from report_data import HOSTILE, take_session

from talentsync_tui.models import ItemKind, ItemStatus
from talentsync_tui.services import TalentSyncError

# Elements that load or run something; a self-contained report has none of them.
ACTIVE = {"script", "link", "img", "iframe", "object", "embed", "base", "form", "audio", "video",
          "source", "image", "use", "foreignobject", "meta-refresh"}


class Page(HTMLParser):
    """The parts of an HTML page a test looks at: elements, attributes, text, nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.style = ""
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.text_in: dict[str, list[str]] = {}  # element id -> text inside it
        self.followups_in: dict[str, list[str]] = {}  # article id -> ids of follow-up sections in it

    VOID = {"meta", "br", "hr", "input", "line", "rect", "img", "link"}

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attributes.items()]
        if tag == "section" and "followup" in attributes.get("class", ""):
            article = next((a["id"] for t, a in reversed(self.stack) if t == "article"), None)
            self.followups_in.setdefault(article, []).append(attributes["id"])
        if tag not in self.VOID:
            self.stack.append((tag, attributes))

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style":
            self.style += data
            return
        self.text.append(data)
        for _, attributes in self.stack:
            if "id" in attributes:
                self.text_in.setdefault(attributes["id"], []).append(data)

    def inside(self, element_id: str) -> str:
        return "".join(self.text_in.get(element_id, []))


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture
def session_id(ts, clock):
    return take_session(ts, clock, count=5)


def test_the_page_loads_nothing_and_runs_nothing(ts, session_id):
    page = parse(ts.render_report(session_id, "html"))

    assert not ACTIVE & set(page.tags), set(page.tags)
    for tag, name, value in page.attrs:
        assert name not in ("src", "href", "srcset", "action", "xlink:href") and not name.startswith("on"), (tag, name)
        assert not re.search(r"(?i)(https?:|//|javascript:|data:)", value) or name == "content", (tag, name, value)
    assert "url(" not in page.style and "@import" not in page.style and "@font-face" not in page.style
    csp = [v for t, n, v in page.attrs if t == "meta" and n == "content" and "default-src" in v]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_answers_and_names_with_markup_stay_literal_text(ts, clock):
    session_id = take_session(ts, clock, name="Ada <i>Lovelace</i> [red]", count=3)
    html = ts.render_report(session_id, "html")
    page = parse(html)
    text = "".join(page.text)

    assert HOSTILE in text  # <script>, [bold], quotes and <b> come back as typed, as text
    assert "Ada <i>Lovelace</i> [red]" in text
    assert page.tags.count("script") == 0 and "b" not in page.tags and "i" not in page.tags
    assert "&lt;script&gt;alert(" in html and "<script" not in html


def test_every_question_answer_timing_score_points_and_model_answer_are_there(ts, session_id):
    report = ts.report(session_id)
    page = parse(ts.render_report(session_id, "html"))
    text = "".join(page.text)
    by_position = {i.position: i for i in report.items}

    for item in report.items:
        assert item.question in text
        if item.answer:
            assert item.answer in text
        if item.feedback is not None:
            assert f"{item.feedback.score}/100" in text
            for point in item.feedback.missed_points:
                assert point in text
        if item.kind is not ItemKind.followup and item.model_answer:
            assert item.model_answer.strip() in text
    covered = [(c["point"], c["evidence"]) for i in report.items if i.feedback
               for c in i.feedback.details.get("covered", [])]
    assert covered, "the good answers cover expected points"
    for point, evidence in covered:
        assert point in text and f"you said: {evidence}" in text
    first = by_position[1]
    assert f"time 0:45 of {first.expected_seconds // 60}:{first.expected_seconds % 60:02d} expected" in text
    assert f"{report.answered} answered, {report.skipped} skipped, {report.pending} not reached" in text


def test_follow_ups_sit_under_the_question_they_dig_into(ts, session_id):
    report = ts.report(session_id)
    page = parse(ts.render_report(session_id, "html"))
    followups = [i for i in report.items if i.kind is ItemKind.followup]
    assert followups, "the session has follow-ups"

    top_numbers = {i.position: n for n, i in enumerate(
        (i for i in report.items if i.kind is not ItemKind.followup), start=1)}
    for follow in followups:
        number = top_numbers[follow.parent_position]
        article = f"q{number}"
        assert any(follow.question in page.inside(section) for section in page.followups_in[article])
        assert follow.question in page.inside(article)
    nested = sum(len(v) for v in page.followups_in.values())
    assert nested == len(followups)


def test_the_chart_has_one_bar_per_question_labelled_like_the_page(ts, session_id):
    report = ts.report(session_id)
    page = parse(ts.render_report(session_id, "html"))
    bars = [v for t, n, v in page.attrs if t == "rect" and n == "class"]
    assert len(bars) == len(report.items) and page.tags.count("svg") == 1
    weak = sum(1 for i in report.items if i.feedback and i.feedback.score < 60)
    assert bars.count("bar-weak") == weak
    scores = [i.feedback.score for i in report.items if i.feedback]
    (label,) = [v for t, n, v in page.attrs if t == "svg" and n == "aria-label"]
    assert label.startswith("Scores of questions 1 to ")
    assert label.endswith(f": {len(scores)} scored, from {min(scores)} to {max(scores)} out of 100")


def test_a_long_session_gets_chart_rows_of_at_most_twenty_bars_on_one_scale():
    from talentsync_tui.feedback.report import ReportItem
    from talentsync_tui.models import Feedback
    from talentsync_tui.reports.html import BARS_PER_ROW, Question, charts

    entries = [Question(label=str(n), item=ReportItem(
        position=n, kind=ItemKind.core, question=f"Q{n}", difficulty="easy", type="technical", tags=[],
        status=ItemStatus.answered, answer="a", elapsed_seconds=10, expected_seconds=60,
        feedback=Feedback(score=n, coverage=0))) for n in range(1, 46)]

    rows = charts(entries)

    assert [len(c.bars) for c in rows] == [20, 20, 5] and BARS_PER_ROW == 20
    assert len({c.width for c in rows}) == 1  # the short last row keeps the bar size
    assert [b.label for c in rows for b in c.bars] == [str(n) for n in range(1, 46)]
    assert rows[2].summary == "Scores of questions 41 to 45: 5 scored, from 41 to 45 out of 100"


def test_an_unstarted_session_reads_not_reached(ts):
    from talentsync_tui.services import default_config

    profile = ts.create_profile("Grace")
    session = ts.start_session(profile.id, default_config(["sql-databases"], count=2, seed=1))
    text = "".join(parse(ts.render_report(session.id, "html")).text)
    assert text.count("Not reached.") == 2
    assert "Scores of questions 1 to 2: no answer has a score yet" in ts.render_report(session.id, "html")
    assert all(i.status is ItemStatus.pending for i in ts.report(session.id).items)


def test_export_writes_a_private_html_file_and_profile_delete_removes_it(ts, session_id):
    path = ts.export_report(session_id, "html")
    assert path.name == f"session-{session_id}.html" and path.parent == ts.settings.exports_dir
    assert (path.stat().st_mode & 0o777) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = ts.export_report(session_id, "md")

    _, _, removed = ts.delete_profile("Ada Lovelace")

    assert set(removed) == {path, md} and not path.exists() and not md.exists()


def test_an_unknown_format_is_refused(ts, session_id):
    with pytest.raises(TalentSyncError, match="use md, json or html"):
        ts.render_report(session_id, "pdf")
