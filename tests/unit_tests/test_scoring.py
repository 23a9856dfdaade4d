"""Model-free answer scoring: coverage, STAR, specificity, timing, advice and invariants."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentsync_tui.feedback.scoring import (
    PASTE_WPM,
    SEMANTIC_THRESHOLD,
    detect_star,
    score_answer,
    timing_label,
)
from talentsync_tui.feedback.text import (
    analyze_answer,
    count_words,
    point_terms,
    raw_tokens,
    stem,
    stems,
)
from talentsync_tui.models import Feedback, QuestionType, SessionItem


def make_item(
    *,
    text: str = "Tell me about a time you disagreed with a teammate about a technical decision.",
    type: QuestionType | str = QuestionType.behavioral,
    expected_points: list[str] | None = None,
    expected_seconds: int = 180,
    tags: list[str] | None = None,
) -> SessionItem:
    return SessionItem(
        id=1,
        session_id=1,
        position=0,
        kind="core",
        question_key="module/question",
        text=text,
        difficulty="medium",
        type=type,
        tags=tags or [],
        expected_seconds=expected_seconds,
        expected_points=expected_points if expected_points is not None else [],
        follow_ups=[],
    )


# --------------------------------------------------------------------------
# Realistic fixtures
# --------------------------------------------------------------------------

CONFLICT_POINTS = [
    "Describes the situation and what was at stake",
    "Explains their own position and the teammate's reasoning",
    "Describes concrete actions taken to resolve the disagreement",
    "States the outcome and what they learned",
]
CONFLICT = make_item(expected_points=CONFLICT_POINTS)

CONFLICT_STRONG = (
    "At my previous company our team was rebuilding the checkout service, and the stakes were high "
    "because Black Friday was six weeks away. A teammate wanted to rewrite the payment module in Go, "
    "while my position was that we should keep Python and fix the hot paths, since a rewrite risked "
    "missing the deadline. His reasoning was that Go would cut latency. My role was tech lead, so I "
    "needed to resolve the disagreement without slowing the team down. I proposed a one-day spike: I "
    "profiled the service with py-spy and found that 80% of the time was spent in two database queries. "
    "I paired with him to add an index and a Redis cache, and we compared both options on p99 latency. "
    "As a result, p99 dropped from 900ms to 180ms, we shipped two weeks early, and he agreed to park the "
    "rewrite. I learned to settle technical disagreements with data rather than opinions."
)
CONFLICT_WEAK = (
    "I usually just talk to people and we figure it out together. Communication is important and I am "
    "a team player who listens."
)

CACHE_POINTS = [
    "Measure first: profile and find the bottleneck",
    "Add caching (e.g. Redis) with an invalidation strategy",
    "Add database indexes for the slow queries",
    "Consider pagination to limit response size",
]
CACHE = make_item(
    text="How would you speed up a slow, read-heavy API endpoint?",
    type=QuestionType.technical,
    expected_points=CACHE_POINTS,
    expected_seconds=120,
)
CACHE_STRONG = (
    "First I would measure: profile the endpoint with APM traces to find where the time goes, looking "
    "at p95 latency. Usually the bottleneck is the database, so I would check the slow query log and add "
    "indexes on the columns used in WHERE and ORDER BY clauses. For hot reads I would cache responses in "
    "Redis with a 60 second TTL and invalidate entries on writes. I would also paginate large lists so "
    "each response stays under 100 KB. For example, at my last job this took an endpoint from 2s to 150ms."
)
CACHE_NO_PAGINATION = (
    "I would start by profiling the endpoint to find the bottleneck rather than guessing. Most often it "
    "is the database: I would look at the slow queries and add the missing indexes. Then I would put a "
    "Redis cache in front of the hot reads, with a clear invalidation strategy when the data changes, "
    "for example deleting the key on every write. That usually takes p95 from seconds down to tens of ms."
)
CACHE_WEAK = "I would make the code faster and maybe use better servers so it runs quicker for users."


# --------------------------------------------------------------------------
# Strong versus weak answers
# --------------------------------------------------------------------------


def test_behavioral_strong_answer_beats_weak_answer() -> None:
    strong = score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=170)
    weak = score_answer(CONFLICT, CONFLICT_WEAK, elapsed_seconds=40)

    assert strong.score >= 80
    assert weak.score <= 25
    assert strong.score - weak.score >= 50

    assert strong.covered_points == CONFLICT_POINTS
    assert strong.missed_points == []
    assert strong.coverage == 1.0
    assert strong.star == {"situation": True, "task": True, "action": True, "result": True}
    assert strong.specificity > 0.5
    assert strong.timing == "on time"
    assert any("STAR" in s for s in strong.strengths)

    assert weak.covered_points == []
    assert weak.missed_points == CONFLICT_POINTS
    assert weak.star is not None and not weak.star["result"] and not weak.star["situation"]
    assert weak.improvements[0] == f"Mention: {CONFLICT_POINTS[0]}"
    assert any("STAR" in s for s in weak.improvements)
    assert weak.summary.startswith("Covered 0 of 4 expected points;")


def test_technical_strong_answer_beats_weak_answer() -> None:
    strong = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=100)
    weak = score_answer(CACHE, CACHE_WEAK, elapsed_seconds=100)

    assert strong.star is None and weak.star is None
    assert strong.covered_points == CACHE_POINTS
    assert strong.score >= 85
    assert weak.score <= 20
    assert weak.missed_points == CACHE_POINTS
    assert weak.coverage == 0.0
    assert weak.specificity < 0.2
    assert "Add specifics: a number, a named tool or system, or a concrete example." in weak.improvements
    assert strong.summary == "Covered all 4 expected points \u2014 specific and well paced."
    assert "Redis" in " ".join(strong.strengths)


def test_missed_point_is_named_in_improvements_and_summary() -> None:
    feedback = score_answer(CACHE, CACHE_NO_PAGINATION, elapsed_seconds=90)

    assert feedback.covered_points == CACHE_POINTS[:3]
    assert feedback.missed_points == ["Consider pagination to limit response size"]
    assert feedback.coverage == pytest.approx(0.75)
    assert feedback.improvements[0] == "Mention: Consider pagination to limit response size"
    assert feedback.summary == (
        "Covered 3 of 4 expected points; also cover \u201cConsider pagination to limit response size\u201d."
    )
    strong = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=90)
    assert feedback.score < strong.score


def test_behavioral_summary_asks_for_a_measurable_result() -> None:
    no_result = (
        "At my previous job our team had a tight deadline for a data migration and I was responsible for "
        "the plan. A colleague wanted to do it in one big bang, while I argued for migrating table by "
        "table. I wrote a short proposal comparing the risks of both approaches, then I talked it through "
        "with him and our manager, and we agreed on a phased plan."
    )
    feedback = score_answer(CONFLICT, no_result, elapsed_seconds=150)
    assert feedback.star == {"situation": True, "task": True, "action": True, "result": False}
    assert feedback.summary.endswith("; add a measurable result.")
    assert any(s.startswith("Add a measurable result") for s in feedback.improvements)


def test_feedback_shape_for_answered_questions() -> None:
    for item, answer in ((CONFLICT, CONFLICT_STRONG), (CONFLICT, CONFLICT_WEAK), (CACHE, CACHE_NO_PAGINATION)):
        feedback = score_answer(item, answer, elapsed_seconds=60)
        assert isinstance(feedback, Feedback)
        assert 1 <= len(feedback.strengths) <= 3
        assert 1 <= len(feedback.improvements) <= 3
        assert feedback.summary and "\n" not in feedback.summary
        assert feedback.response_id is None and feedback.narrative is None
        json.dumps(feedback.details)  # storable as JSON
        assert [p["point"] for p in feedback.details["points"]] == item.expected_points


def test_scoring_is_deterministic() -> None:
    first = score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=170)
    second = score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=170)
    assert first.model_dump() == second.model_dump()


# --------------------------------------------------------------------------
# Skipped and empty answers
# --------------------------------------------------------------------------


def test_skipped_answer_scores_zero() -> None:
    feedback = score_answer(CACHE, "some text typed before skipping", elapsed_seconds=12, skipped=True)
    assert feedback.score == 0
    assert feedback.coverage == 0.0
    assert feedback.covered_points == []
    assert feedback.missed_points == CACHE_POINTS
    assert feedback.star is None
    assert "Skipped" in feedback.summary
    assert len(feedback.improvements) == 1
    assert CACHE_POINTS[0] in feedback.improvements[0]
    assert feedback.details["status"] == "skipped"


@pytest.mark.parametrize("answer", ["", "   \n\t ", "...", "?!"])
def test_empty_answer_scores_zero(answer: str) -> None:
    feedback = score_answer(CONFLICT, answer, elapsed_seconds=30)
    assert feedback.score == 0
    assert feedback.missed_points == CONFLICT_POINTS
    assert feedback.star == {"situation": False, "task": False, "action": False, "result": False}
    assert "Empty" in feedback.summary
    assert len(feedback.improvements) == 1
    assert feedback.details["status"] == "empty"


def test_skipped_question_without_expected_points() -> None:
    item = make_item(type=QuestionType.coding, expected_points=[])
    feedback = score_answer(item, "", elapsed_seconds=0, skipped=True)
    assert feedback.score == 0 and feedback.missed_points == []
    assert len(feedback.improvements) == 1


# --------------------------------------------------------------------------
# Tokenising, stemming and synonyms
# --------------------------------------------------------------------------


def test_tokens_keep_programming_names() -> None:
    tokens = raw_tokens("I used C++, C#, Node.js and an O(n log n) sort; p99 was 200ms. Don't worry, .NET too.")
    for expected in ("c++", "c#", "node.js", "p99", "200ms", "dont", ".net", "o(nlogn)"):
        assert expected in tokens
    assert "o(n)" in raw_tokens("Lookup is O(n) instead of O(1).")


@pytest.mark.parametrize(
    "forms",
    [
        ("caching", "cache", "cached", "caches"),
        ("indexes", "index", "indexing", "indexed", "indices"),
        ("deployment", "deploy", "deployed", "deploying", "deploys"),
        ("scaling", "scale", "scaled", "scalable", "scalability"),
        ("optimization", "optimize", "optimised", "optimizing"),
        ("shipped", "ship", "shipping"),
        ("queries", "query", "queried"),
        ("implementation", "implement", "implemented"),
        ("disagreement", "disagree", "disagreed"),
        ("quickly", "quick"),
    ],
)
def test_stemming_conflates_word_forms(forms: tuple[str, ...]) -> None:
    assert len({stem(word) for word in forms}) == 1, {word: stem(word) for word in forms}


def test_ation_nouns_meet_their_verbs() -> None:
    assert set(stems("configuration")) & set(stems("configure"))
    assert set(stems("validation")) & set(stems("validate"))
    assert stem("redis") == "redis" and stem("kubernetes") == "kubernetes"


@pytest.mark.parametrize(
    ("point", "answer"),
    [
        ("Uses a database index", "I added DB indexes on the hot columns."),
        ("Deploys on Kubernetes", "We deployed it to k8s."),
        ("Measures performance before optimising", "I always measure perf first, then optimise."),
        ("Tracks latency", "We tracked response time per endpoint."),
        ("Weighs the trade-offs", "I weighed the tradeoffs with the team."),
        ("Weighs the tradeoffs", "I weighed the trade offs with the team."),
        ("Explains the teammate's reasoning", "My colleague's reasoning was about cost."),
        ("Uses a cache with TTL expiry", "Cached values expire after a minute."),
    ],
)
def test_point_matches_through_stems_and_synonyms(point: str, answer: str) -> None:
    item = make_item(type=QuestionType.technical, expected_points=[point])
    feedback = score_answer(item, answer, elapsed_seconds=60)
    assert feedback.covered_points == [point], feedback.details["points"]


def test_point_coverage_threshold() -> None:
    # Five content terms: three are needed.
    point = "Uses consistent hashing to spread keys across shards"
    assert [t.text for t in point_terms(point)] == ["consistent", "hashing", "spread", "keys", "partition"]
    item = make_item(type=QuestionType.system_design, expected_points=[point])
    two = score_answer(item, "I would rely on consistent hashing.", elapsed_seconds=60)
    three = score_answer(item, "Consistent hashing spreads the load evenly.", elapsed_seconds=60)
    assert two.missed_points == [point]
    assert two.details["points"][0]["lexical"] == pytest.approx(0.4)
    assert three.covered_points == [point]
    # Rubric wording ("Describes", a leading "States") is not required in the answer.
    assert [t.text for t in point_terms("States the outcome and what they learned")] == ["outcome", "learned"]


def test_word_count() -> None:
    assert count_words("Hello, world -- it's 3 o'clock!") == 5
    assert count_words("  ... !!! ") == 0
    assert analyze_answer("one two three").word_count == 3


# --------------------------------------------------------------------------
# Pluggable semantic matcher
# --------------------------------------------------------------------------


def test_point_matcher_can_cover_lexically_missed_points() -> None:
    calls: list[tuple[list[str], str]] = []

    def matcher(points: list[str], answer: str) -> list[float]:
        calls.append((points, answer))
        return [0.2, 0.9, SEMANTIC_THRESHOLD, 0.1]

    feedback = score_answer(CONFLICT, CONFLICT_WEAK, elapsed_seconds=60, point_matcher=matcher)

    assert calls == [(CONFLICT_POINTS, CONFLICT_WEAK)]
    assert feedback.covered_points == [CONFLICT_POINTS[1], CONFLICT_POINTS[2]]
    assert feedback.missed_points == [CONFLICT_POINTS[0], CONFLICT_POINTS[3]]
    details = feedback.details["points"]
    assert [d["semantic"] for d in details] == [0.2, 0.9, SEMANTIC_THRESHOLD, 0.1]
    assert all(d["lexical"] == 0.0 for d in details)
    baseline = score_answer(CONFLICT, CONFLICT_WEAK, elapsed_seconds=60)
    assert feedback.score > baseline.score


def test_point_matcher_does_not_uncover_lexical_hits() -> None:
    feedback = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=90, point_matcher=lambda p, a: [0.0] * len(p))
    assert feedback.covered_points == CACHE_POINTS
    assert all(d["semantic"] == 0.0 and d["lexical"] > 0 for d in feedback.details["points"])


def test_without_matcher_semantic_scores_are_none() -> None:
    feedback = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=90)
    assert all(d["semantic"] is None for d in feedback.details["points"])


@pytest.mark.parametrize(
    "matcher",
    [
        lambda points, answer: [0.9],  # wrong length
        lambda points, answer: 1 / 0,  # raises
        lambda points, answer: ["high"] * len(points),  # not numbers
    ],
)
def test_broken_matcher_falls_back_to_lexical(matcher) -> None:
    feedback = score_answer(CACHE, CACHE_NO_PAGINATION, elapsed_seconds=90, point_matcher=matcher)
    assert feedback.covered_points == CACHE_POINTS[:3]
    assert "semantic_error" in feedback.details
    assert all(d["semantic"] is None for d in feedback.details["points"])


def test_matcher_values_are_clamped() -> None:
    feedback = score_answer(
        CACHE, CACHE_WEAK, elapsed_seconds=90, point_matcher=lambda p, a: [1.7, -3, float("nan"), 0.5]
    )
    assert [d["semantic"] for d in feedback.details["points"]] == [1.0, 0.0, 0.0, 0.5]
    assert feedback.covered_points == [CACHE_POINTS[0]]


# --------------------------------------------------------------------------
# STAR
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "text"),
    [
        ("situation", "When I was at Acme, our team owned billing."),
        ("situation", "At my previous job there was a flaky deploy."),
        ("task", "My role was to own the release."),
        ("task", "I was responsible for the on-call rotation and we needed to cut pages."),
        ("action", "I decided to split the service."),
        ("action", "I built a small dashboard and I talked to each owner."),
        ("action", "I would first talk to her in private."),
        ("action", "I'd schedule a call with both of them."),
        ("result", "As a result, pages dropped."),
        ("result", "It was 40% faster."),
        ("result", "Latency went from 900ms to 180 ms."),
        ("result", "We shipped it on Friday and I learned a lot."),
    ],
)
def test_star_cues(part: str, text: str) -> None:
    assert detect_star(text)[part], (part, text)


def test_star_parts_absent_from_vague_answer() -> None:
    assert detect_star("Communication is key and I am a team player.") == {
        "situation": False,
        "task": False,
        "action": False,
        "result": False,
    }
    # "I wanted"/"I needed" are not actions; present tense is not a past action either.
    assert not detect_star("I wanted to help. I needed time. I think I talk a lot.")["action"]


def test_star_only_for_behavioral_and_situational() -> None:
    situational = make_item(
        text="What would you do if a teammate kept missing code reviews?",
        type=QuestionType.situational,
        expected_points=["Talks to the teammate privately first"],
    )
    feedback = score_answer(
        situational,
        "Assuming it keeps happening, I would first talk to the teammate privately to understand why, "
        "so that we can agree on a review rotation that works for both of us.",
        elapsed_seconds=60,
    )
    assert feedback.star is not None
    assert feedback.star["situation"] and feedback.star["action"] and feedback.star["result"]
    assert feedback.covered_points == ["Talks to the teammate privately first"]
    for kind in (QuestionType.technical, QuestionType.system_design, QuestionType.coding):
        assert score_answer(make_item(type=kind), CONFLICT_STRONG, elapsed_seconds=60).star is None


# --------------------------------------------------------------------------
# Timing and length
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "label"),
    [(0, "very quick"), (44.9, "very quick"), (45, "on time"), (180, "on time"), (270, "on time"),
     (270.1, "over time"), (10_000, "over time"), (-5, "very quick"), (float("nan"), "very quick"),
     (float("inf"), "over time")],
)
def test_timing_labels(elapsed: float, label: str) -> None:
    assert timing_label(elapsed, 180) == label
    assert score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=elapsed).timing == label


def test_over_time_costs_points_and_is_mentioned() -> None:
    on_time = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=100)
    late = score_answer(CACHE, CACHE_STRONG, elapsed_seconds=600)
    assert late.timing == "over time"
    assert late.score < on_time.score
    assert any(s.startswith("Watch the clock") for s in late.improvements)


def test_pasted_answers_are_flagged_in_details() -> None:
    pasted = score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=5)
    typed = score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=170)
    assert pasted.details["wpm"] > PASTE_WPM and pasted.details["pasted"] is True
    assert typed.details["wpm"] < PASTE_WPM and typed.details["pasted"] is False
    assert score_answer(CONFLICT, CONFLICT_STRONG, elapsed_seconds=0).details["pasted"] is True


def test_length_expectations() -> None:
    short = score_answer(CACHE, "Profile it, then add Redis and indexes.", elapsed_seconds=60)
    assert short.details["length"] == "too short"
    assert short.details["typical_words"] == 80  # 120 s at 40 words per minute
    assert any(s.startswith("Develop it further") for s in short.improvements)
    long_item = make_item(expected_seconds=30)
    assert score_answer(long_item, CONFLICT_WEAK, elapsed_seconds=20).details["typical_words"] == 25


def test_question_without_expected_points_uses_question_keywords() -> None:
    item = make_item(
        text="How do you approach code review?", type=QuestionType.technical, expected_points=[], tags=["review"]
    )
    on_topic = score_answer(item, "In code review I look at correctness, tests and naming first.", 60)
    off_topic = score_answer(item, "I like hiking and photography on weekends.", 60)
    assert on_topic.details["coverage_basis"] == "question_keywords"
    assert on_topic.coverage > off_topic.coverage
    assert on_topic.score > off_topic.score
    assert on_topic.covered_points == [] and on_topic.missed_points == []


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

_VOCAB = [
    "I", "we", "the", "a", "and", "to", "cache", "caching", "Redis", "database", "DB", "index", "indexes",
    "latency", "response", "time", "p99", "k8s", "Kubernetes", "trade-offs", "tradeoff", "O(n)", "c++",
    "node.js", "decided", "built", "would", "talk", "as", "result", "reduced", "40%", "200ms", "3x",
    "team", "my", "role", "needed", "goal", "for", "example", "learned", "shipped", "project", "when",
    "was", "Friday", "Sarah", "API", "e.g.", "situation", "stakes", "teammate's", "colleague", "I'd",
    "profile", "bottleneck", "pagination", "invalidation", "strategy", ",", ".", "!", "\n", "-", "(",
]
_words = st.lists(st.sampled_from(_VOCAB), min_size=0, max_size=40).map(" ".join)
_points = st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=8).map(" ".join)


@st.composite
def _items(draw) -> SessionItem:
    return make_item(
        text=draw(st.sampled_from([CONFLICT.text, CACHE.text])),
        type=draw(st.sampled_from(list(QuestionType))),
        expected_points=draw(st.lists(_points, min_size=0, max_size=5)),
        expected_seconds=draw(st.integers(min_value=1, max_value=900)),
    )


_elapsed = st.floats(min_value=0, max_value=5000, allow_nan=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=_items(), answer=_words, elapsed=_elapsed, data=st.data())
def test_adding_an_expected_point_never_lowers_the_score(item, answer, elapsed, data) -> None:
    before = score_answer(item, answer, elapsed)
    if item.expected_points:
        point = data.draw(st.sampled_from(item.expected_points))
    else:
        point = data.draw(_points)
    after = score_answer(item, f"{answer} {point}", elapsed)

    assert after.score >= before.score
    assert after.coverage >= before.coverage
    assert set(before.covered_points) <= set(after.covered_points)
    if point in item.expected_points and point_terms(point):
        assert point in after.covered_points


@settings(max_examples=300, deadline=None)
@given(
    item=_items(),
    answer=st.one_of(st.text(max_size=400), _words),
    elapsed=st.floats(allow_nan=True, allow_infinity=True),
    skipped=st.booleans(),
)
def test_score_is_always_between_0_and_100(item, answer, elapsed, skipped) -> None:
    feedback = score_answer(item, answer, elapsed, skipped)
    assert 0 <= feedback.score <= 100
    assert 0.0 <= feedback.coverage <= 1.0 and 0.0 <= feedback.specificity <= 1.0
    assert sorted(feedback.covered_points + feedback.missed_points) == sorted(item.expected_points)
    assert len(feedback.strengths) <= 3 and 1 <= len(feedback.improvements) <= 3
    assert "\n" not in feedback.summary
    json.dumps(feedback.details, allow_nan=False)
    assert all(math.isfinite(v) for v in feedback.details.get("components", {}).values())
