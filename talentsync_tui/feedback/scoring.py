"""Model-free answer scoring.

``score_answer`` turns one answer to one :class:`~talentsync_tui.models.SessionItem`
into a :class:`~talentsync_tui.models.Feedback`: expected-point coverage
(lexical, optionally helped by a pluggable similarity matcher), STAR structure
for behavioral and situational questions, specificity, timing and length,
folded into a 0-100 score with short, concrete advice.

Everything is pure and deterministic. Every component only grows when text is
appended to an answer (word counts, stems, cue counts), so adding the content
of a missing expected point never lowers the score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from talentsync_tui.feedback.text import (
    TECH_TERMS,
    AnswerText,
    Term,
    analyze_answer,
    point_terms,
    term_matches,
)
from talentsync_tui.models import Feedback, QuestionType, SessionItem, clean_text

__all__ = [
    "MIN_ANSWER_WORDS",
    "PASTE_WPM",
    "PointMatcher",
    "SCORER_VERSION",
    "SEMANTIC_THRESHOLD",
    "STAR_PARTS",
    "STAR_TYPES",
    "WORDS_PER_MINUTE",
    "detect_star",
    "score_answer",
    "timing_label",
]

PointMatcher = Callable[[list[str], str], Sequence[float]]
"""``(points, answer) -> similarity 0..1 per point``, e.g. an embedding matcher."""

SCORER_VERSION = "lexical-1"
SEMANTIC_THRESHOLD = 0.55
"""A point counts as covered when the matcher's similarity reaches this."""
PASTE_WPM = 400.0
"""Faster than this looks pasted rather than typed (flagged in ``details`` only)."""
WORDS_PER_MINUTE = 40.0
"""Typing pace behind the typical length: ``expected_seconds / 60 * 40`` words."""
MIN_ANSWER_WORDS = 25
"""Below this an answer is too short to be a real answer."""
MAX_SECONDS = 10_000_000.0
"""Elapsed times are clamped to this (about four months) so details stay finite."""
VERY_QUICK_RATIO = 0.25
OVER_TIME_RATIO = 1.5

STAR_TYPES = frozenset({QuestionType.behavioral, QuestionType.situational})
STAR_PARTS = ("situation", "task", "action", "result")

WEIGHTS_STAR = {"coverage": 0.55, "specificity": 0.15, "star": 0.15, "length_timing": 0.15}
WEIGHTS_PLAIN = {"coverage": 0.70, "specificity": 0.15, "star": 0.0, "length_timing": 0.15}
_LENGTH_SHARE = 0.65
"""Within length/timing: how much is length (the rest is timing)."""

# --------------------------------------------------------------------------
# Cues. Phrases are matched on the answer's words joined by single spaces
# (see ``AnswerText.joined``), so "as a result," and "As a result" both hit
# " as a result " and a phrase never matches inside a longer word.
# --------------------------------------------------------------------------


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(f" {line.strip()} " for line in text.strip().splitlines() if line.strip())


_SITUATION_PHRASES = _phrases(
    """
    when i was
    while i was
    when we were
    at my previous
    at my last
    at my current
    at my old
    at my first
    at my former
    in my previous
    in my last
    in my current
    in my first
    in my former
    our team
    my team
    the team
    we had
    we were
    the project
    a project
    i was working
    i worked at
    i worked on
    i worked as
    i worked for
    i joined
    years ago
    months ago
    weeks ago
    last year
    last quarter
    last month
    last summer
    last winter
    back in
    back when
    the situation
    the context
    at the time
    there was a
    one time
    our company
    our startup
    our client
    our customer
    our product
    our service
    our system
    our codebase
    our app
    in that situation
    in this situation
    in such a situation
    in that case
    if this happened
    if that happened
    assuming
    """
)
_TASK_PHRASES = _phrases(
    """
    my role
    my job
    my responsibility
    my goal
    our goal
    the goal
    goal was
    i was responsible
    i was asked
    i was tasked
    i was assigned
    i was in charge
    i was hired
    i owned
    responsible for
    needed to
    need to
    had to
    have to
    was supposed to
    the task
    my task
    the challenge
    the objective
    objective was
    the aim
    in order to
    deadline
    i wanted to
    we wanted to
    the problem was
    my priority
    would need to
    """
)
_ACTION_PHRASES = _phrases(
    """
    my first step
    first i
    then i
    so i
    i made sure
    i worked with
    i worked closely
    i reached out
    i personally
    i took ownership
    i took the lead
    i took charge
    i started by
    i set up
    step one
    """
)
_RESULT_WORDS = frozenset(
    """
    reduced increased improved decreased lowered saved dropped doubled tripled halved shipped
    launched released delivered learned learnt lesson lessons outcome outcomes afterwards successful
    successfully succeeded resulted
    """.split()
)
_RESULT_PHRASES = _phrases(
    """
    as a result
    result in
    results in
    the result
    which cut
    we cut
    i cut
    cut down
    in the end
    ended up
    since then
    on time
    so that
    which meant
    which led
    led to
    which allowed
    which helped
    which would
    the impact
    got promoted
    was praised
    was adopted
    that way
    i would expect
    to make sure
    to ensure
    """
)
_UNIT_WORDS = frozenset("percent ms x times".split())
_MEASURED_RE = re.compile(r"^\d+(?:\.\d+)?(?:x|ms|s|k|m)$")
_PERCENT_RE = re.compile(r"\d\s*%")

_EXAMPLE_PHRASES = _phrases(
    """
    for example
    for instance
    e.g
    in one case
    such as
    specifically
    in particular
    one time
    to give an example
    a concrete example
    last year
    last quarter
    last month
    last week
    last sprint
    """
)

_ADVERBS = frozenset("then also first personally immediately quickly eventually finally actually really".split())
_IRREGULAR_PAST = frozenset(
    """
    built wrote led ran made took set sent met spoke brought began drove chose found gave got held
    kept taught told went did put rewrote drew sought broke fought split shut paid sat stood won
    bought dug caught read let hit rebuilt redid
    """.split()
)
_NOT_ACTIONS = frozenset(
    """
    needed wanted hoped liked loved seemed learned realized realised noticed worked joined felt
    thought guessed was were had
    """.split()
)
_NOT_MODAL_ACTIONS = frozenset(
    """
    say be have not probably like love think guess want need rather prefer hope imagine would will
    definitely maybe also then
    """.split()
)

_NUMBER_WORDS = frozenset(
    """
    twice half halved doubled tripled quadrupled percent dozen dozens hundreds thousands millions
    billions p50 p75 p90 p95 p99 p999
    """.split()
)
_DIGIT_WORD_RE = re.compile(r" \d")
_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z0-9]*(?:[.+#][A-Za-z0-9+#]+)*")
_NOT_NAMES = frozenset(
    """
    I I'm I've I'd I'll OK Okay Also Then So And But The A An We My Our It This That In On At
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December English
    """.split()
)
_SENTENCE_ENDS = frozenset(".!?:;-*>\"(\u2022")


# --------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------


def timing_label(elapsed_seconds: float, expected_seconds: float) -> str:
    """``"very quick"`` under 25 % of the expected time, ``"over time"`` above 150 %, else ``"on time"``."""
    ratio = _safe_seconds(elapsed_seconds) / max(1.0, float(expected_seconds))
    if ratio < VERY_QUICK_RATIO:
        return "very quick"
    if ratio > OVER_TIME_RATIO:
        return "over time"
    return "on time"


def _safe_seconds(value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    if math.isnan(value) or value < 0:
        return 0.0
    return min(value, MAX_SECONDS)


def _timing_score(ratio: float) -> float:
    if ratio < VERY_QUICK_RATIO:
        return 0.5 + 2.0 * ratio  # 0.5 at zero, 1.0 at the threshold
    if ratio > OVER_TIME_RATIO:
        return max(0.4, 1.0 - (ratio - OVER_TIME_RATIO) * 0.4)
    return 1.0


def _typical_words(expected_seconds: float) -> int:
    return max(MIN_ANSWER_WORDS, round(max(1.0, float(expected_seconds)) / 60.0 * WORDS_PER_MINUTE))


def _length_score(words: int, typical: int) -> float:
    """Non-decreasing in ``words``: half credit at the 25-word minimum, full at the typical length."""
    if words < MIN_ANSWER_WORDS:
        return 0.5 * words / MIN_ANSWER_WORDS
    if typical <= MIN_ANSWER_WORDS:
        return 1.0
    return min(1.0, 0.5 + 0.5 * (words - MIN_ANSWER_WORDS) / (typical - MIN_ANSWER_WORDS))


def _length_label(words: int, typical: int) -> str:
    if words < MIN_ANSWER_WORDS:
        return "too short"
    if words < 0.5 * typical:
        return "short"
    if words > 2.5 * typical:
        return "long"
    return "typical"


def _first_person_actions(words: Sequence[str]) -> int:
    """Count "I <past-tense verb>" and "I would/will <verb>" statements."""
    count = 0
    size = len(words)
    for index, word in enumerate(words):
        if word != "i":
            continue
        nxt = index + 1
        modal = nxt < size and words[nxt] in ("would", "will")
        if modal:
            nxt += 1
        if nxt < size and (words[nxt] in _ADVERBS or (len(words[nxt]) > 4 and words[nxt].endswith("ly"))):
            nxt += 1
        if nxt >= size:
            continue
        verb = words[nxt]
        if modal:
            if verb.isalpha() and verb not in _NOT_MODAL_ACTIONS:
                count += 1
        elif verb not in _NOT_ACTIONS and (verb in _IRREGULAR_PAST or (len(verb) > 4 and verb.endswith("ed"))):
            count += 1
    return count


def _any_phrase(joined: str, phrases: Sequence[str]) -> bool:
    return any(phrase in joined for phrase in phrases)


def _has_measured_result(answer: AnswerText) -> bool:
    words = answer.words
    for index, word in enumerate(words):
        if not word[:1].isdigit():
            continue
        if _MEASURED_RE.match(word):
            return True
        if index + 1 < len(words) and words[index + 1] in _UNIT_WORDS:
            return True
    return "%" in answer.text and _PERCENT_RE.search(answer.text) is not None


def detect_star(answer: str | AnswerText) -> dict[str, bool]:
    """Which STAR parts (situation, task, action, result) an answer shows, from cue phrases."""
    analysed = analyze_answer(answer) if isinstance(answer, str) else answer
    return _star_from(analysed, _first_person_actions(analysed.words))


def _star_from(answer: AnswerText, actions: int) -> dict[str, bool]:
    joined = answer.joined
    return {
        "situation": _any_phrase(joined, _SITUATION_PHRASES),
        "task": _any_phrase(joined, _TASK_PHRASES),
        "action": actions > 0 or _any_phrase(joined, _ACTION_PHRASES),
        "result": not _RESULT_WORDS.isdisjoint(answer.words)
        or _any_phrase(joined, _RESULT_PHRASES)
        or _has_measured_result(answer),
    }


def _named_things(answer: str, words: Sequence[str], big_o: Sequence[str]) -> list[str]:
    """Known technologies, then other capitalised names, deduplicated (case-insensitively).

    A capitalised word counts when it is not at the start of a sentence, or
    when it is an acronym (``AWS``, ``SLA``).
    """
    capitalised: dict[str, str] = {}
    for match in _CAPITALISED_RE.finditer(answer):
        word = match.group(0)
        start = match.start()
        if start and (answer[start - 1].isalnum() or answer[start - 1] in "'_\u2019"):
            continue  # inside a word: iPhone, don'T
        if word in _NOT_NAMES:
            continue
        if not (len(word) >= 2 and word.isupper()):
            index = start - 1
            while index >= 0 and answer[index].isspace():
                index -= 1
            if index < 0 or answer[index] in _SENTENCE_ENDS:
                continue  # a capital at the start of a sentence says nothing
        capitalised.setdefault(word.lower(), word)
    named: dict[str, str] = {}
    known = sorted(TECH_TERMS.intersection(words), key=words.index)
    for token in [*known, *big_o]:
        named.setdefault(token, capitalised.get(token, token))
    for key, word in capitalised.items():
        named.setdefault(key, word)
    return list(named.values())


def _specificity(answer: AnswerText, actions: int, star_type: bool) -> tuple[float, dict[str, Any]]:
    numbers = len(_DIGIT_WORD_RE.findall(answer.joined)) + len(_NUMBER_WORDS.intersection(answer.words))
    named = _named_things(answer.text, answer.words, answer.tokens[len(answer.words) :])
    examples = sum(answer.joined.count(phrase) for phrase in _EXAMPLE_PHRASES)
    number_score = min(1.0, numbers / 2.0)
    example_score = min(1.0, 0.6 * examples)
    if star_type:
        named_score = min(1.0, len(named) / 2.0)
        ownership_score = min(1.0, actions / 3.0)
        value = 0.30 * number_score + 0.15 * named_score + 0.25 * example_score + 0.30 * ownership_score
    else:
        named_score = min(1.0, len(named) / 3.0)
        value = 0.35 * number_score + 0.40 * named_score + 0.25 * example_score
    signals: dict[str, Any] = {"numbers": numbers, "named": named[:10], "examples": examples}
    if star_type:
        signals["ownership"] = actions
    return min(1.0, value), signals


def _needed(term_count: int) -> int:
    """Terms an answer must share with a point: half, at least 1 (1-2 terms) or 2 (longer)."""
    return max(1, math.ceil(term_count / 2))


def _point_lexical(terms: Sequence[Term], answer_stems: frozenset[str]) -> tuple[float, bool, list[str]]:
    if not terms:
        return 0.0, False, []
    matched = [term.text for term in terms if term_matches(term, answer_stems)]
    return len(matched) / len(terms), len(matched) >= _needed(len(terms)), matched


def _semantic_scores(
    matcher: PointMatcher, points: list[str], answer: str
) -> tuple[list[float] | None, str | None]:
    """Call the plugged-in matcher defensively; a failure falls back to lexical scoring."""
    try:
        raw = list(matcher(list(points), answer))
    except Exception as exc:  # a broken matcher must not cost the candidate their feedback
        return None, f"{type(exc).__name__}: {exc}"[:200]
    if len(raw) != len(points):
        return None, f"matcher returned {len(raw)} scores for {len(points)} points"
    scores: list[float] = []
    for value in raw:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f"matcher returned a non-number: {value!r}"[:200]
        scores.append(0.0 if math.isnan(number) else min(1.0, max(0.0, number)))
    return scores, None


# --------------------------------------------------------------------------
# Advice
# --------------------------------------------------------------------------

_STAR_ADVICE = {
    "situation": "Set the scene: one sentence on the team, the project and what was at stake.",
    "task": "State your task: what you were responsible for or needed to achieve.",
    "action": "Describe your own actions with \u201cI\u2026\u201d: what you decided and did.",
    "result": "Add a measurable result: what changed (a number helps) and what you learned.",
}


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(clean_text(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return text.rstrip(".")


def _join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _no_answer(item: SessionItem, reason: str, elapsed: float, words: int) -> Feedback:
    points = list(item.expected_points)
    star = dict.fromkeys(STAR_PARTS, False) if item.type in STAR_TYPES else None
    if points:
        tip = (
            "Try a short answer next time: even 2-3 sentences on "
            f"\u201c{_one_line(points[0], 80)}\u201d earn partial credit."
        )
    else:
        tip = "Try a short answer next time: even 2-3 sentences earn partial credit."
    summary = "Skipped \u2014 no answer to score." if reason == "skipped" else "Empty answer \u2014 nothing to score."
    return Feedback(
        score=0,
        coverage=0.0,
        covered_points=[],
        missed_points=points,
        star=star,
        specificity=0.0,
        timing="",
        strengths=[],
        improvements=[tip],
        summary=summary,
        details={
            "scorer": SCORER_VERSION,
            "status": reason,
            "word_count": words,
            "elapsed_seconds": round(elapsed, 3),
            "expected_seconds": item.expected_seconds,
        },
    )


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def score_answer(
    item: SessionItem,
    answer: str,
    elapsed_seconds: float,
    skipped: bool = False,
    *,
    point_matcher: PointMatcher | None = None,
) -> Feedback:
    """Score one answer to one session item.

    ``point_matcher(points, answer)``, when given, returns a similarity in
    0..1 per expected point; a point is covered when the lexical check passes
    or its similarity is at least :data:`SEMANTIC_THRESHOLD`. ``response_id``
    and ``narrative`` are left for the caller.
    """
    answer = answer or ""
    elapsed = _safe_seconds(elapsed_seconds)
    if skipped:
        return _no_answer(item, "skipped", elapsed, 0)
    analysed = analyze_answer(answer)
    if analysed.word_count == 0:
        return _no_answer(item, "empty", elapsed, analysed.word_count)

    star_type = item.type in STAR_TYPES
    points = list(item.expected_points)

    # Coverage ------------------------------------------------------------
    semantic: list[float] | None = None
    semantic_error: str | None = None
    if point_matcher is not None and points:
        semantic, semantic_error = _semantic_scores(point_matcher, points, answer)

    point_details: list[dict[str, Any]] = []
    covered: list[str] = []
    missed: list[str] = []
    credit = 0.0
    for index, point in enumerate(points):
        terms = point_terms(point)
        lexical, lexical_hit, matched = _point_lexical(terms, analysed.stems)
        similarity = semantic[index] if semantic is not None else None
        hit = lexical_hit or (similarity is not None and similarity >= SEMANTIC_THRESHOLD)
        (covered if hit else missed).append(point)
        credit += 1.0 if hit else 0.5 * lexical
        point_details.append(
            {
                "point": point,
                "terms": [term.text for term in terms],
                "matched": matched,
                "lexical": round(lexical, 3),
                "semantic": None if similarity is None else round(similarity, 3),
                "covered": hit,
            }
        )
    if points:
        coverage = len(covered) / len(points)
        coverage_credit = credit / len(points)
        coverage_basis = "expected_points"
    else:
        # No rubric: how much of the question's own vocabulary the answer engages with.
        terms = point_terms(" ".join([item.text, *item.tags]), question=True)
        hits = sum(1 for term in terms if term_matches(term, analysed.stems))
        coverage = min(1.0, hits / _needed(len(terms))) if terms else 0.0
        coverage_credit = coverage
        coverage_basis = "question_keywords"

    # Structure, specificity, length and timing ---------------------------
    actions = _first_person_actions(analysed.words) if star_type else 0
    star = _star_from(analysed, actions) if star_type else None
    star_value = sum(star.values()) / len(STAR_PARTS) if star else 0.0
    specificity, signals = _specificity(analysed, actions, star_type)

    words = analysed.word_count
    typical = _typical_words(item.expected_seconds)
    length_value = _length_score(words, typical)
    length = _length_label(words, typical)
    expected_seconds = max(1.0, float(item.expected_seconds))
    ratio = elapsed / expected_seconds
    timing = timing_label(elapsed, expected_seconds)
    timing_value = _timing_score(ratio)
    # Under a second there is no meaningful pace: treat it as pasted.
    wpm = words * 60.0 / elapsed if elapsed >= 1.0 else None
    pasted = wpm is None or wpm > PASTE_WPM
    length_timing = _LENGTH_SHARE * length_value + (1.0 - _LENGTH_SHARE) * timing_value

    weights = WEIGHTS_STAR if star_type else WEIGHTS_PLAIN
    components = {
        "coverage": coverage_credit,
        "specificity": specificity,
        "star": star_value,
        "length_timing": length_timing,
    }
    total = sum(weights[name] * value for name, value in components.items())
    score = max(0, min(100, round(total * 100)))

    # Advice ----------------------------------------------------------------
    missing_star = [part for part in STAR_PARTS if star is not None and not star[part]]
    other_advice: list[str] = []
    if len(missing_star) == 1:
        other_advice.append(_STAR_ADVICE[missing_star[0]])
    elif missing_star:
        other_advice.append(f"Structure it with STAR: add the {_join_words(missing_star)}.")
    if specificity < 0.4:
        other_advice.append("Add specifics: a number, a named tool or system, or a concrete example.")
    if length == "too short" or length == "short":
        other_advice.append(f"Develop it further: aim for roughly {typical} words.")
    elif length == "long":
        other_advice.append(f"Tighten it: about {typical} words is enough; lead with the key point.")
    if timing == "over time":
        other_advice.append(
            f"Watch the clock: you took {elapsed / 60:.1f} min against about {expected_seconds / 60:.1f} min."
        )
    point_slots = max(1, 3 - len(other_advice))
    improvements = [f"Mention: {_one_line(point)}" for point in missed[:point_slots]]
    improvements = (improvements + other_advice)[:3]
    if not improvements:
        improvements = ["Go one level deeper: add a trade-off you weighed or what you would do differently."]

    strengths: list[str] = []
    if points and covered:
        if len(covered) == len(points):
            strengths.append(f"Covered all {len(points)} expected points.")
        else:
            strengths.append(
                f"Covered {len(covered)} of {len(points)} expected points, "
                f"including \u201c{_one_line(covered[0], 80)}\u201d."
            )
    elif not points and coverage >= 0.5:
        strengths.append("Stayed on topic with the question's key terms.")
    if star is not None:
        present = [part for part in STAR_PARTS if star[part]]
        if len(present) == 4:
            strengths.append("Clear STAR structure: situation, task, action and result.")
        elif len(present) == 3:
            strengths.append(f"Good structure: the {_join_words(present)} are all there.")
    if signals["numbers"] > 0 and (star is None or star["result"]):
        strengths.append("Quantified it with concrete numbers.")
    if len(signals["named"]) >= 2:
        strengths.append(f"Named specifics ({_join_words([_one_line(n, 30) for n in signals['named'][:3]])}).")
    if signals["examples"] > 0:
        strengths.append("Grounded it in a concrete example.")
    if star_type and actions >= 2:
        strengths.append("Clear ownership: you said what you did yourself.")
    if length == "typical" and timing == "on time":
        strengths.append("Good length and pacing for the time available.")
    strengths = strengths[:3] or ["Gave an answer to build on \u2014 that is the hardest step."]

    # Summary ---------------------------------------------------------------
    if points:
        lead = (
            f"Covered all {len(points)} expected points"
            if len(covered) == len(points)
            else f"Covered {len(covered)} of {len(points)} expected points"
        )
    else:
        lead = f"Scored {score}/100 without a rubric"
    if len(missing_star) >= 3:
        advice = "structure it as situation, task, action and result"
    elif "result" in missing_star:
        advice = "add a measurable result"
    elif missing_star:
        advice = f"add the {_join_words(missing_star)}"
    elif missed:
        advice = f"also cover \u201c{_one_line(missed[0], 80)}\u201d"
    elif specificity < 0.4:
        advice = "add concrete specifics such as numbers or named tools"
    elif length in ("too short", "short"):
        advice = "develop the answer further"
    elif timing == "over time":
        advice = "tighten it to fit the time"
    else:
        advice = ""
    summary = f"{lead}; {advice}." if advice else f"{lead} \u2014 specific and well paced."

    details: dict[str, Any] = {
        "scorer": SCORER_VERSION,
        "status": "answered",
        "coverage_basis": coverage_basis,
        "points": point_details,
        "components": {name: round(value, 4) for name, value in components.items()},
        "weights": dict(weights),
        "specificity_signals": signals,
        "word_count": words,
        "typical_words": typical,
        "length": length,
        "length_score": round(length_value, 4),
        "elapsed_seconds": round(elapsed, 3),
        "expected_seconds": item.expected_seconds,
        "time_ratio": round(ratio, 4),
        "timing_score": round(timing_value, 4),
        "wpm": None if wpm is None else round(wpm, 1),
        "pasted": pasted,
        "semantic_threshold": SEMANTIC_THRESHOLD if point_matcher is not None else None,
    }
    if semantic_error is not None:
        details["semantic_error"] = semantic_error

    return Feedback(
        score=score,
        coverage=coverage,
        covered_points=covered,
        missed_points=missed,
        star=star,
        specificity=specificity,
        timing=timing,
        strengths=strengths,
        improvements=improvements,
        summary=summary,
        details=details,
    )
