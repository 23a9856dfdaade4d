"""The coach's feedback from chosen verdicts (FakeJudge): what is covered, quoted, missed and said."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentsync_tui.ai.testing import FakeEmbedder, FakeJudge
from talentsync_tui.feedback import calibration
from talentsync_tui.feedback.advice import plain_point, suggestion
from talentsync_tui.feedback.evidence import gather
from talentsync_tui.feedback.grader import Grader
from talentsync_tui.feedback.scoring import COACH_SCORER, QUICK_SCORER, compose_feedback, grade_answer, quick_check
from talentsync_tui.models import QuestionType, SessionItem


def make_item(text: str, type_: QuestionType, points: list[str], seconds: int = 180) -> SessionItem:
    return SessionItem(id=1, session_id=1, position=0, kind="core", question_key="m/q", text=text,
                       difficulty="medium", type=type_, tags=[], expected_seconds=seconds,
                       expected_points=points, follow_ups=[])


HELPED = make_item(
    "Tell me about a time you helped a teammate who was stuck or struggling.", QuestionType.behavioral,
    ["Describes how they noticed the teammate was stuck",
     "Explains how they helped without taking over the work",
     "Balances helping with their own commitments",
     "States the outcome for the teammate"],
)
HELPED_STRONG = (
    "Last spring a new hire on my team, Priya, kept saying her ticket was almost done at standup for four "
    "days. I pinged her privately and she admitted the OAuth callback kept failing locally. Instead of "
    "fixing it myself I screen-shared for an hour and asked her to drive while I asked questions; we found "
    "the redirect URI mismatch together. I told my lead I would push my own refactor by a day. She shipped "
    "the ticket that afternoon and started pairing with the next new hire a month later."
)
CACHE = make_item("How do you keep a cache from serving stale data?", QuestionType.system_design,
                  ["Use a TTL so entries expire", "Invalidate keys explicitly on writes"], seconds=120)
CACHE_MODEL_ANSWER = ("Give every entry a time to live so stale values age out on their own. On every write "
                      "to the database, invalidate the cached keys explicitly in the same code path.")


def by_point(yes: set[int], *, on_topic: float = 0.97, star: float = 0.9, no: float = 0.6):
    """Verdicts on the real model's scale (it leans to yes): 0.97 for the points in `yes`, `no`
    (0.6: a doubtful "yes") for the others."""
    def verdict(kind, text, question, answer):
        if kind == "point":
            index = [p for p in HELPED.expected_points + CACHE.expected_points].index(text) % 4 \
                if text in HELPED.expected_points else CACHE.expected_points.index(text)
            return 0.97 if index in yes else no
        if kind == "on_topic":
            return on_topic
        return star
    return FakeJudge(verdict)


def test_covered_points_carry_the_sentence_that_supports_them():
    judge = by_point({0, 1, 2, 3})
    fb = grade_answer(HELPED, HELPED_STRONG, 170, judge=judge, embedder=FakeEmbedder())
    assert fb.details["scorer"] == COACH_SCORER and fb.details["quick"] is False
    assert len(fb.covered_points) == 4 and fb.missed_points == []
    for covered in fb.details["covered"]:
        assert covered["evidence"] and covered["evidence"].rstrip("\u2026") in HELPED_STRONG.replace("\n", " ")
        assert 0.5 < covered["confidence"] <= 1
    assert fb.summary.startswith("Covered all 4 expected points")
    assert fb.score >= 70
    assert fb.star == {"situation": True, "task": True, "action": True, "result": True}


def test_the_judge_is_asked_once_per_point_plus_topic_and_star():
    judge = by_point({0})
    grade_answer(HELPED, HELPED_STRONG, 170, judge=judge)
    (_, _, probes), = judge.calls
    kinds = [k for k, _ in probes]
    assert kinds.count("point") == 4 and kinds.count("on_topic") == 1
    assert {"situation", "task", "action", "result", "ownership"} <= set(kinds)
    judge = by_point({0})
    grade_answer(CACHE, "Set a TTL on every key and delete it on writes to the table.", 60, judge=judge)
    assert {k for k, _ in judge.calls[0][2]} == {"on_topic", "point"}  # no STAR for system design


def test_missed_points_read_as_advice_with_an_example_from_the_model_answer():
    fb = grade_answer(CACHE, "I would set a TTL of five minutes on each entry so old values expire.", 60,
                      judge=by_point({0}), embedder=FakeEmbedder(), model_answer=CACHE_MODEL_ANSWER)
    assert fb.covered_points == ["Use a TTL so entries expire"]
    (missed,) = fb.details["missed"]
    assert missed["advice"] == "Invalidate keys explicitly on writes"
    assert missed["example"] and missed["example"].rstrip("\u2026") in CACHE_MODEL_ANSWER
    assert fb.improvements[0].startswith("Invalidate keys explicitly on writes. For example:")
    assert "next, invalidate keys explicitly on writes" in fb.summary


def test_off_topic_answers_score_at_most_20_and_are_told_so():
    """An answer that fits another question of the module better than this one is off topic,
    however sure the model's yes-leaning verdicts are."""
    kafka = ("Kafka partitions let consumer groups scale: each partition is read by exactly one "
             "consumer in a group, and offsets are committed per partition so a restart resumes.")
    rivals = ["How do Kafka consumer groups and partitions scale consumers? offsets partition consumer group"]
    fb = grade_answer(HELPED, kafka, 60, judge=by_point(set(), on_topic=0.96, no=0.4),
                      embedder=FakeEmbedder(), rivals=rivals)
    assert fb.details["points"][0]["model"] == 0.4
    assert fb.score <= 20
    assert fb.details["on_topic"] is False and fb.details["not_an_answer"] == "off_topic"
    assert fb.summary.startswith("Off topic")
    assert fb.covered_points == []  # an answer about something else covers nothing
    assert fb.improvements[0].startswith("Answer the question that was asked")


@pytest.mark.parametrize("answer", ["I don't know, sorry.", "pass", "no idea"])
def test_non_answers_are_called_non_answers(answer):
    fb = grade_answer(CACHE, answer, 5, judge=by_point(set(), on_topic=0.3, no=0.3))
    assert fb.score <= 20 and fb.details["not_an_answer"] == "non_answer"
    assert fb.summary.startswith("Not an answer yet")


def test_skipped_and_empty_answers_score_zero_without_asking_the_model():
    judge = by_point({0})
    for fb in (grade_answer(CACHE, "", 3, judge=judge), grade_answer(CACHE, "text", 3, True, judge=judge)):
        assert fb.score == 0 and fb.missed_points == CACHE.expected_points
    assert judge.calls == []


def test_star_advice_only_when_the_model_doubts_it_and_no_cue_shows_it():
    vague = ("I think helping people is important. Everyone gets stuck sometimes and a good colleague "
             "should always be there. Offering help when someone seems to struggle matters a lot to me.")
    fb = grade_answer(HELPED, vague, 60, judge=by_point(set(), star=0.1, no=0.8))  # vague, on topic
    assert fb.details["on_topic"] is True
    assert fb.star is not None and not any(fb.star.values())
    assert any("STAR" in line for line in fb.improvements)
    # The strong story shows its result ("She shipped...") even if the model doubts it: no contradiction.
    fb = grade_answer(HELPED, HELPED_STRONG, 170, judge=by_point({0, 1, 2, 3}, star=0.1))
    assert fb.star["result"] and "result" not in fb.summary.lower()


def test_quick_check_is_marked_and_needs_no_model():
    fb = quick_check(CACHE, "Use a TTL so entries expire, and invalidate the keys explicitly on writes.", 40,
                     embedder=FakeEmbedder(), reason="the coach is still reading")
    assert fb.details["scorer"] == QUICK_SCORER and fb.details["quick"] is True
    assert fb.summary.startswith("Quick check (the coach is still reading): ")
    assert fb.details["model"] is None


def test_a_higher_verdict_never_lowers_the_score():
    """The shipped calibration is monotone in the model's verdict (a check on the fitted file)."""
    evidence = gather(CACHE.text, "Entries get a TTL; on writes we delete the key.", CACHE.expected_points,
                      star_question=False, judge=by_point(set()), embedder=FakeEmbedder())
    scores = []
    for p in (0.05, 0.3, 0.6, 0.9, 0.99):
        for point in evidence.points:
            point.model = p
        scores.append(compose_feedback(CACHE, "Entries get a TTL; on writes we delete the key.", 60,
                                       evidence).score)
    assert scores == sorted(scores) and scores[-1] > scores[0]


def test_feedback_is_json_serialisable_and_deterministic():
    a = grade_answer(HELPED, HELPED_STRONG, 170, judge=by_point({0, 2}), embedder=FakeEmbedder())
    b = grade_answer(HELPED, HELPED_STRONG, 170, judge=by_point({0, 2}), embedder=FakeEmbedder())
    first, second = json.loads(a.model_dump_json()), json.loads(b.model_dump_json())
    first["details"].pop("latency_ms"), second["details"].pop("latency_ms")
    assert first == second


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=st.text(min_size=0, max_size=300), seconds=st.floats(allow_nan=True, allow_infinity=True),
       p=st.floats(0, 1), topic=st.floats(0, 1))
def test_score_is_always_between_0_and_100(answer, seconds, p, topic):
    judge = FakeJudge(lambda kind, text, q, a: topic if kind == "on_topic" else p)
    fb = grade_answer(CACHE, answer, seconds, judge=judge)
    assert 0 <= fb.score <= 100
    if answer.strip() and not fb.details["on_topic"]:
        assert fb.score <= 20


@pytest.mark.parametrize(("point", "advice"), [
    ("Separates their own contribution from the team's", "Separate your own contribution from the team's"),
    ("Describes how they noticed the teammate was stuck", "Describe how you noticed the teammate was stuck"),
    ("Identifies the bottleneck before optimising", "Identify the bottleneck before optimising"),
    ("Discusses trade-offs of each option", "Discuss trade-offs of each option"),
    ("Use a TTL so entries expire", "Use a TTL so entries expire"),
    ("Shows they listened without becoming defensive", "Show you listened without becoming defensive"),
])
def test_rubric_points_become_second_person_advice(point, advice):
    assert plain_point(point) == advice


@pytest.mark.parametrize(("point", "star", "advice"), [
    ("Describes how they noticed the teammate was stuck", True, "Describe how you noticed the teammate was stuck"),
    ("Use a TTL so entries expire", False, "Use a TTL so entries expire"),
    ("A shallow copy creates a new container but shares references to the same inner objects", False,
     "Explain that a shallow copy creates a new container but shares references to the same inner objects"),
    ("IndexedDB is asynchronous and suited for large structured data", False,
     "Explain that IndexedDB is asynchronous and suited for large structured data"),
    ("O(V + E) time and space", False, "Explain: O(V + E) time and space"),
    ("Proposed an incremental plan instead of a big-bang rewrite", True,
     "Show that you proposed an incremental plan instead of a big-bang rewrite"),
    ("Built relationships or allies instead of escalating first", True,
     "Show that you built relationships or allies instead of escalating first"),
    ("Example bug where mutating a nested list in the copy also changes the original", False,
     "Give an example: bug where mutating a nested list in the copy also changes the original"),
    # the verb after a leading adverb (was "Explain: Clearly identifies their own contribution ...")
    ("Clearly identifies their own contribution to the failure without deflecting blame", True,
     "Clearly identify your own contribution to the failure without deflecting blame"),
    ("Alternatively does an in-order traversal and checks the sequence is strictly increasing", False,
     "Alternatively do an in-order traversal and checks the sequence is strictly increasing"),
    # a statement's "them" is a thing, not the candidate
    ("Negative weights break the invariant that a popped node is final; Bellman-Ford handles them", False,
     "Explain that negative weights break the invariant that a popped node is final; Bellman-Ford handles them"),
])
def test_a_missed_point_reads_as_one_thing_to_do(point, star, advice):
    assert suggestion(point, star_question=star) == advice


def test_grader_without_a_model_gives_quick_checks_and_says_why():
    grader = Grader()
    assert not grader.coach_ready
    fb = grader.grade(CACHE, "Use a TTL and invalidate keys on writes.", 30)
    assert fb.details["quick"] and "no coach model" in fb.summary
    grader = Grader(FakeJudge(ready=False))
    assert not grader.coach_ready
    assert Grader(FakeJudge()).grade(CACHE, "Use a TTL and invalidate keys on writes.", 30).details["quick"] is False


def test_calibration_file_has_every_tier():
    params = calibration.load()
    for group in ("point", "real"):
        assert set(params[group]) == set(calibration.TIERS)
    for tier in calibration.TIERS:
        assert 0 < params["point"][tier]["threshold"] < 1
    assert all(c >= 0 for c in params["score_star"]["coef"] + params["score_plain"]["coef"])


SHALLOW = make_item(
    "What is the difference between a shallow copy and a deep copy? Give an example where using the wrong "
    "one causes a bug.", QuestionType.technical,
    ["A shallow copy creates a new container but shares references to the same inner objects",
     "A deep copy recursively copies nested objects (copy.deepcopy)",
     "Example bug where mutating a nested list in the copy also changes the original",
     "Slicing, list(), dict.copy() and copy.copy() are all shallow",
     "[[0] * 3] * 3 creates three references to the same inner list"], seconds=150)
SHALLOW_SHORT = ("copy.copy only copies the outer list, so in our config loader a nested dict of defaults was "
                 "shared and one request mutated it for everyone. I switched to copy.deepcopy for the defaults.")


def _shallow_judge(yes: set[int], p_yes: float = 0.97):
    def verdict(kind, text, question, answer):
        if kind == "point":
            return p_yes if SHALLOW.expected_points.index(text) in yes else 0.3
        return 0.97
    return FakeJudge(verdict)


def test_a_short_answer_keeps_the_points_the_model_is_sure_of():
    """30 words for 5 points is far below the dev set's typical length per point; that must not
    veto confident verdicts (it gave 3/100 and 0 of 5 before the length became a hinge)."""
    fb = grade_answer(SHALLOW, SHALLOW_SHORT, 40, judge=_shallow_judge({1, 2}), embedder=FakeEmbedder())
    assert [c["index"] for c in fb.details["covered"]] == [1, 2]
    assert fb.score >= 20
    nothing = grade_answer(SHALLOW, SHALLOW_SHORT, 40, judge=_shallow_judge(set()), embedder=FakeEmbedder())
    assert nothing.details["covered"] == [] and nothing.score < fb.score


PUSHED_BACK = make_item(
    "Tell me about a time you pushed back on a request because you believed the cost outweighed the value.",
    QuestionType.behavioral,
    ["Explains the request and why it seemed costly relative to its value",
     "Asked about the underlying need before saying no",
     "Quantified cost or risk, or proposed a cheaper alternative that met the real need",
     "Describes the outcome, including whether the requester agreed"], seconds=240)
PUSHED_BACK_CONCISE = (
    "Our PM asked for a real-time dashboard for the sales team that would refresh every second. I looked at "
    "how often they actually checked it: about twice a day, from the usage logs. Building streaming would have "
    "taken my team six weeks and a Kafka cluster we would have to run. I showed the PM the numbers and proposed "
    "an hourly refresh from the warehouse instead, which took three days. She agreed, and nobody asked for "
    "faster data in the next year.")


def test_a_concise_star_story_keeps_the_points_the_model_finds():
    """An 82-word story (about 20 words per point, where the dev set's strong stories ran to 200 words)
    scored 51 with 1 of 4 points and was told to "describe the outcome, including whether the requester
    agreed" right after "She agreed": the calibration had learned that strong stories are long."""
    def verdict(kind, text, question, answer):
        if kind == "point":
            return {0: 0.94, 1: 0.5, 2: 0.89, 3: 0.88}[PUSHED_BACK.expected_points.index(text)]
        return 0.95
    fb = grade_answer(PUSHED_BACK, PUSHED_BACK_CONCISE, 120, judge=FakeJudge(verdict), embedder=FakeEmbedder())
    assert {0, 2, 3} <= {c["index"] for c in fb.details["covered"]}
    assert "outcome" not in fb.summary
    assert fb.score >= 60


def test_length_is_a_hinge_at_the_fitted_knot():
    from talentsync_tui.feedback.evidence import Evidence, PointEvidence

    points = [PointEvidence(index=i, point=f"p{i}") for i in range(4)]
    for words, below, above in ((92, 0.0, 0.0), (20, True, 0.0), (400, 0.0, True)):
        ev = Evidence(points=points, word_count=words)
        f = calibration.point_features(points[0], ev, knot_words=23.0)
        assert (f["length_below_knot"] < 0) if below is True else f["length_below_knot"] == below
        assert (f["length_above_knot"] > 0) if above is True else f["length_above_knot"] == above
    for tier in calibration.TIERS:
        assert calibration.load()["point"][tier]["knot_words"] > 0


def test_points_are_calibrated_per_question_kind():
    """STAR questions and the rest each have their own point model and threshold; the pooled
    model (with its per-kind thresholds) is what an older calibration file falls back to."""
    params = calibration.load()
    from talentsync_tui.feedback.evidence import Evidence, PointEvidence

    coach = Evidence(on_topic=0.9, word_count=80)
    point = PointEvidence(index=0, point="p", model=0.88, similarity=0.2, lexical=0.2)
    coach.points = [point]
    for flag, key in ((True, "point_star"), (False, "point_plain")):
        own = params[key]["coach"]
        assert calibration.point_threshold(params, coach, quick=False, star_question=flag) == own["threshold"]
        expected = calibration._apply(own, calibration.point_features(point, coach, own["knot_words"]))
        assert calibration.point_probability(params, point, coach, quick=False, star_question=flag) == expected
    assert params["point_star"]["coach"]["coef"] != params["point_plain"]["coach"]["coef"]
    pooled = {k: v for k, v in params.items() if k not in ("point_star", "point_plain")}
    model = pooled["point"]["coach"]
    assert calibration.point_threshold(pooled, coach, quick=False, star_question=True) == model["threshold_star"]
    assert calibration.point_threshold(pooled, coach, quick=False, star_question=False) == model["threshold_plain"]
    assert calibration.point_threshold(params, coach, quick=False) == model["threshold"]


@pytest.mark.parametrize("answer", [
    "Sorry, I don't remember how to do this derivation. Can we skip this one?",
    "honestly no idea, never used them. pass",
])
def test_a_reply_that_gives_up_is_not_an_answer_however_sure_the_model_is(answer):
    fb = grade_answer(CACHE, answer, 20, judge=by_point({0, 1}, on_topic=0.97), embedder=FakeEmbedder())
    assert fb.score <= 20 and fb.covered_points == []
    assert fb.details["not_an_answer"] == "non_answer" and fb.summary.startswith("Not an answer yet")


def test_a_short_real_answer_that_hedges_is_still_graded():
    """Only short replies that give up are refused: a hedge in a real answer is an answer."""
    answer = ("I'm not sure it's the best way, but I would give every entry a TTL and delete the cached key "
              "in the same code path that writes the row.")
    fb = grade_answer(CACHE, answer, 40, judge=by_point({0, 1}), embedder=FakeEmbedder())
    assert fb.details.get("not_an_answer") is None
    assert fb.covered_points


def test_the_covered_threshold_sits_at_a_clear_gap_in_the_verdicts():
    probs = [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.58] + [0.66, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97]
    labels = [False] * 8 + [True] * 8
    assert 0.58 < calibration._best_threshold(probs, labels) <= 0.66


def test_where_the_data_cannot_tell_thresholds_apart_the_one_that_contradicts_least_wins():
    """A flat kappa band (noisy verdicts): the single best kappa is at a high threshold, but
    lower ones agree with the coach about as well and tell fewer candidates that they missed
    what they said."""
    import random

    rng = random.Random(7)
    labels = [rng.random() < 0.55 for _ in range(300)]
    probs = [min(0.99, max(0.01, rng.gauss(0.62 if y else 0.42, 0.17))) for y in labels]
    grid = [step / 100 for step in range(20, 81)]
    kappas = {t: calibration._kappa([p >= t for p in probs], labels) for t in grid}
    argmax = max(grid, key=lambda t: kappas[t])
    chosen = calibration._best_threshold(probs, labels)
    assert chosen < argmax
    assert kappas[chosen] >= kappas[argmax] - 0.06
    recall = lambda t: sum(p >= t and y for p, y in zip(probs, labels)) / sum(labels)  # noqa: E731
    assert recall(chosen) > recall(argmax)
    assert calibration._best_threshold(probs, labels) == chosen  # seeded: a refit is repeatable


def test_whether_it_is_a_real_answer_is_judged_per_kind_of_question():
    """Stories told for another question and off-topic technical answers look different to the
    evidence; each kind has its own model, and a file without them falls back to the pooled one."""
    from talentsync_tui.feedback.evidence import Evidence, PointEvidence

    params = calibration.load()
    evidence = Evidence(on_topic=0.96, word_count=140, question_similarity=0.3, topic_margin=-0.1)
    evidence.points = [PointEvidence(index=i, point=f"p{i}", model=m, similarity=0.3, lexical=0.2)
                       for i, m in enumerate([0.8, 0.7, 0.6, 0.75])]
    features = calibration.answer_features(evidence)
    for flag, key in ((True, "real_star"), (False, "real_plain")):
        own = params[key]["coach"]
        assert calibration.real_probability(params, evidence, quick=False, star_question=flag) == \
            calibration._apply(own, features)
    assert params["real_star"]["coach"]["coef"] != params["real_plain"]["coach"]["coef"]
    pooled = {k: v for k, v in params.items() if k not in ("real_star", "real_plain")}
    assert calibration.real_probability(pooled, evidence, quick=False, star_question=True) == \
        calibration._apply(params["real"]["coach"], features)


def test_points_count_in_the_score_only_as_far_as_the_reply_is_a_real_answer():
    """A fluent story told for another question draws "yes" verdicts on points it never makes:
    the score's coverage is P(real) x the mean point probability, so doubt about the topic
    lowers the score even above the off-topic gate (P(real) here comes from the fitted file)."""
    from talentsync_tui.feedback.scoring import components_for

    params = calibration.load()
    sure = gather(HELPED.text, HELPED_STRONG, HELPED.expected_points, star_question=True,
                  judge=by_point({0, 1, 2, 3}, on_topic=0.99), embedder=FakeEmbedder())
    doubtful = gather(HELPED.text, HELPED_STRONG, HELPED.expected_points, star_question=True,
                      judge=by_point({0, 1, 2, 3}, on_topic=0.6), embedder=FakeEmbedder())
    a = components_for(HELPED, HELPED_STRONG, 150, sure, params, quick=False)
    b = components_for(HELPED, HELPED_STRONG, 150, doubtful, params, quick=False)
    for comps in (a, b):
        assert comps["coverage"] == pytest.approx(comps["_real"] * sum(comps["_probs"]) / len(comps["_probs"]))
    assert b["_real"] < a["_real"] < 1
    assert b["coverage"] < sum(b["_probs"]) / len(b["_probs"])
