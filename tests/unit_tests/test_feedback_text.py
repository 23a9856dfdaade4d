"""The model-free parts of feedback: tokens, Snowball stems, lexical overlap, STAR cues, timing."""

from __future__ import annotations

import pytest

from talentsync_tui.feedback.evidence import lexical_overlap, sentences
from talentsync_tui.feedback.star import detect_star
from talentsync_tui.feedback.text import analyze_answer, count_words, point_terms, raw_tokens, stem
from talentsync_tui.feedback.timing import length_label, length_score, timing_label, typical_words


def test_tokens_keep_programming_names() -> None:
    tokens = raw_tokens("I used C++, C#, Node.js and an O(n log n) sort; p99 was 200ms. Don't worry, .NET too.")
    for expected in ("c++", "c#", "node.js", "p99", "200ms", "dont", ".net", "o(nlogn)"):
        assert expected in tokens
    assert "o(n)" in raw_tokens("Lookup is O(n) instead of O(1).")


@pytest.mark.parametrize(
    "forms",
    [
        ("caching", "cache", "cached", "caches"),
        ("deployment", "deploy", "deployed", "deploying", "deploys"),
        ("shipped", "ship", "shipping"),
        ("queries", "query", "queried"),
        ("disagree", "disagreed", "disagreeing"),
        ("configuration", "configure", "configured"),
    ],
)
def test_snowball_conflates_word_forms(forms: tuple[str, ...]) -> None:
    assert len({stem(word) for word in forms}) == 1, {word: stem(word) for word in forms}


def test_names_are_not_stemmed() -> None:
    assert stem("redis") == "redis" and stem("kubernetes") == "kubernetes" and stem("c++") == "c++"


def test_rubric_wording_is_not_required_in_the_answer() -> None:
    assert [t.text for t in point_terms("States the outcome and what they learned")] == ["outcome", "learned"]


def test_lexical_overlap_is_the_share_of_point_words_used() -> None:
    stems = analyze_answer("I would rely on consistent hashing.").stems
    assert lexical_overlap("Uses consistent hashing to spread keys", stems) == pytest.approx(2 / 4)
    assert lexical_overlap("Uses consistent hashing to spread keys", analyze_answer("").stems) == 0.0
    # compounds match written apart or together
    assert lexical_overlap("Weighs the trade-offs", analyze_answer("I weighed the trade offs").stems) == 1.0


def test_sentences_split_on_ends_and_lines() -> None:
    assert sentences("First we measured. Then we cached it!\n- added an index") == [
        "First we measured.", "Then we cached it!", "- added an index"]
    assert sentences("ok") == ["ok"]
    assert sentences("   ") == []


def test_word_count() -> None:
    assert count_words("Hello, world -- it's 3 o'clock!") == 5
    assert count_words("  ... !!! ") == 0


@pytest.mark.parametrize(
    ("part", "text"),
    [
        ("situation", "When I was at Acme, our team owned billing."),
        ("task", "I was responsible for the on-call rotation and we needed to cut pages."),
        ("action", "I decided to split the service."),
        ("action", "I'd schedule a call with both of them."),
        ("result", "As a result, pages dropped."),
        ("result", "Latency went from 900ms to 180 ms."),
    ],
)
def test_star_cues(part: str, text: str) -> None:
    assert detect_star(text)[part], (part, text)


def test_star_cues_absent_from_a_vague_answer() -> None:
    assert not any(detect_star("Communication is key and I am a team player.").values())
    assert not detect_star("I wanted to help. I needed time. I think I talk a lot.")["action"]


@pytest.mark.parametrize(
    ("elapsed", "label"),
    [(0, "very quick"), (44.9, "very quick"), (45, "on time"), (270, "on time"), (270.1, "over time"),
     (-5, "very quick"), (float("nan"), "very quick"), (float("inf"), "over time")],
)
def test_timing_labels(elapsed: float, label: str) -> None:
    assert timing_label(elapsed, 180) == label


def test_length_expectations() -> None:
    assert typical_words(120) == 80  # 120 s at 40 words a minute
    assert length_label(10, 80) == "too short" and length_label(80, 80) == "typical"
    assert length_label(400, 80) == "long"
    assert length_score(10, 80) < length_score(50, 80) < length_score(80, 80) == 1.0
