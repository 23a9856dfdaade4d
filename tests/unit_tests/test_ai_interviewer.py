"""The interviewer with a fake model and a fake embedder: the gap, the prompt, validation, fallbacks."""

from __future__ import annotations

import pytest

from talentsync_tui.ai.interviewer import (
    Gap,
    Interviewer,
    check_followup,
    choose_gap,
    clean_question,
    followup_tail,
)
from talentsync_tui.ai.testing import FakeEmbedder, FakeLLM, sample_modules, session_item

QUESTION = sample_modules()[0].questions[0]  # the caching question: TTL, invalidate on writes
ANSWER = ("I used a Redis cache with a 5 minute TTL in front of Postgres, and that cut p99 latency "
          "from 800 ms to 120 ms.")
MISSED_INVALIDATION = {
    "points": [{"index": 0, "point": QUESTION.expected_points[0], "probability": 0.93},
               {"index": 1, "point": QUESTION.expected_points[1], "probability": 0.08}],
    "missed": [{"index": 1, "point": QUESTION.expected_points[1], "advice": "..."}],
}


@pytest.fixture
def item():
    return session_item(QUESTION)


# -- choosing what to ask about ----------------------------------------------------------------


def test_the_gap_is_the_missed_point_judged_least_covered(item):
    details = {**MISSED_INVALIDATION,
               "missed": MISSED_INVALIDATION["missed"] + [{"index": 0, "point": "x"}]}
    gap = choose_gap(item, ANSWER, details)
    assert gap == Gap("missed", QUESTION.expected_points[1], 1)


def test_with_nothing_missed_the_gap_is_the_most_specific_claim(item):
    gap = choose_gap(item, ANSWER, {"points": [], "missed": []})
    assert gap.kind == "claim" and gap.text in ANSWER
    assert any(ch.isdigit() for ch in gap.text) or gap.text in {"Redis cache", "Postgres"}


def test_the_prompt_ends_with_the_answer_then_a_short_task(item):
    interviewer = Interviewer(FakeLLM("x"))
    prefix, rest = interviewer.prompt(item.text, ANSWER, Gap("missed", "Invalidate keys explicitly on writes"))
    assert prefix.rstrip().endswith(ANSWER)  # the part `listen()` warms while the candidate types
    assert "Invalidate keys explicitly on writes" in rest and "follow-up question" in rest
    assert len(rest.split()) < 60
    assert "claim" in followup_tail(Gap("claim", "5 minute TTL")) or "5 minute TTL" in followup_tail(
        Gap("claim", "5 minute TTL"))


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, reason", [
    ("How did you size the TTL", "not a question"),
    ("Why Redis? And why Postgres?", "more than one question"),
    ("How did you pick the 5 minute TTL, and what did the Redis cache cost?", "two questions joined"),
    ("How long did the Redis cache take and how did you manage the rollout?", "two questions joined"),
    ("How do you ensure that the Redis cache stays fresh and that Postgres is not overloaded?",
     "two questions joined"),
    ("How does the candidate address write invalidation for the Redis cache?", "about the candidate"),
    ("Why?", "too short"),
    ("How " + "really " * 30 + "did you pick the TTL?", "too long"),
    ("How do you keep a cache from serving stale data?", "repeats a question"),
    ("How do you usually approach problems like that at work?", "names nothing"),
])
def test_bad_follow_ups_are_rejected(text, reason):
    found = check_followup(text, question=QUESTION.text, answer=ANSWER)
    assert found is not None and reason in found


def test_a_question_already_asked_in_the_session_is_rejected():
    asked = ["Why did you choose a 5 minute TTL for the Redis cache?"]
    found = check_followup("Why did you choose a 5 minute TTL for the Redis cache?", question=QUESTION.text,
                           answer=ANSWER, asked=asked, embedder=FakeEmbedder())
    assert found is not None and "already asked" in found


def test_one_question_with_and_inside_it_is_fine():
    text = "How did you pick the TTL and the eviction policy for the Redis cache?"
    assert check_followup(text, question=QUESTION.text, answer=ANSWER) is None


def test_a_lead_in_from_their_story_before_the_question_is_fine():
    # the question word comes after the colon, past the first eight words
    text = "You used a Redis cache with a 5 minute TTL in front of Postgres: what happens to it on a write?"
    assert check_followup(text, question=QUESTION.text, answer=ANSWER) is None
    assert check_followup("You used a Redis cache with a 5 minute TTL in front of Postgres: the writes?",
                          question=QUESTION.text, answer=ANSWER) == "not phrased as a question"


def test_naming_the_missed_point_counts_as_grounded():
    gap = Gap("missed", "Invalidate keys explicitly on writes", 1)
    text = "What happens to those keys when a write updates the row underneath them?"
    assert check_followup(text, question=QUESTION.text, answer=ANSWER, gap=gap) is None


def test_clean_question_keeps_one_question_without_labels():
    assert clean_question('Follow-up: "Why a 5 minute TTL? And what else?"\nmore') == "Why a 5 minute TTL?"


# -- the provider ------------------------------------------------------------------------------


def test_the_model_question_is_used_and_streamed(item):
    llm = FakeLLM("How did you choose the 5 minute TTL for the Redis cache?")
    streamed: list[str] = []
    result = Interviewer(llm, None, FakeEmbedder()).follow_up(item, ANSWER, details=MISSED_INVALIDATION,
                                                              on_text=streamed.append)
    assert result.source == "model" and result.text == "How did you choose the 5 minute TTL for the Redis cache?"
    assert streamed[-1] == result.text and len(streamed) > 3  # word by word
    assert result.target == f"missed point: {QUESTION.expected_points[1]}"
    assert QUESTION.expected_points[1] in llm.prompts[0]


def test_a_rejected_draft_is_retried_once_with_sampling_then_a_template_for_the_gap(item):
    llm = FakeLLM("Tell me more.")
    interviewer = Interviewer(llm, None, FakeEmbedder())
    result = interviewer.follow_up(item, ANSWER, details=MISSED_INVALIDATION)
    assert len(llm.prompts) == 2 and llm.temperatures == [0.0, 0.7]
    assert result.source == "template" and result.text in QUESTION.follow_ups
    assert not result.text.startswith("You mentioned")
    assert [a["rejected"] for a in interviewer.last["attempts"]] == ["not a question (no '?')"] * 2


def test_the_template_is_chosen_for_the_gap_and_never_repeats_one_asked(item):
    gap_stampede = Gap("missed", "handle a cache stampede when a hot key expires")
    interviewer = Interviewer(None, None, FakeEmbedder())
    first = interviewer.follow_up(item, ANSWER, gap=gap_stampede)
    assert first.text == QUESTION.follow_ups[0] and first.source == "template"
    second = interviewer.follow_up(item, ANSWER, gap=gap_stampede, asked=[first.text])
    assert second.text == QUESTION.follow_ups[1]
    assert interviewer.follow_up(item, ANSWER, gap=gap_stampede, asked=QUESTION.follow_ups) is None


def test_a_two_part_template_is_used_only_when_no_single_question_is_left(item):
    two_part = "How did you handle a cache stampede when a hot key expired, and what did users see?"
    single = "What would you change about the TTL?"
    item = item.model_copy(update={"follow_ups": [two_part, single]})
    gap_stampede = Gap("missed", "handle a cache stampede when a hot key expires")
    interviewer = Interviewer(None, None, FakeEmbedder())
    assert interviewer.follow_up(item, ANSWER, gap=gap_stampede).text == single  # though less close
    assert interviewer.follow_up(item, ANSWER, gap=gap_stampede, asked=[single]).text == two_part


def test_past_the_deadline_the_template_is_used(item):
    llm = FakeLLM("How did you choose the 5 minute TTL for the Redis cache in the end?", delay=2.0)
    result = Interviewer(llm, None, None, deadline=0.4).follow_up(item, ANSWER, details=MISSED_INVALIDATION)
    assert result.source == "template"
    assert result.latency_ms < 1500


def test_a_loading_model_is_never_waited_for(item):
    llm = FakeLLM("How did you choose the TTL?", ready=False)
    result = Interviewer(llm, None, None).follow_up(item, ANSWER)
    assert result.source == "template" and llm.prompts == []


def test_model_errors_fall_back_without_raising(item):
    class Broken(FakeLLM):
        def complete(self, *args, **kwargs):
            raise RuntimeError("llama.cpp fell over")

    result = Interviewer(Broken(), None, None).follow_up(item, ANSWER)
    assert result.source == "template"


def test_listen_warms_the_prompt_up_to_the_draft(item):
    llm = FakeLLM("x")
    interviewer = Interviewer(llm, None, None)
    interviewer.listen(item.text, ANSWER[:60])
    assert len(llm.prefilled) == 1
    warmed = llm.prefilled[0]
    assert ANSWER[:30] in warmed and ANSWER[60:] not in warmed
    full_prefix, _ = interviewer.prompt(item.text, ANSWER, None)
    assert full_prefix.startswith(warmed)  # append-only typing keeps the cache valid


def test_a_lead_is_written_into_the_prompt_and_starts_the_question(item):
    """The hook the variant bench uses for an assistant prefill: the model continues the lead."""

    class Leading(Interviewer):
        def lead(self, question, answer, gap):
            return "You used a 5 minute TTL:"

    llm = FakeLLM(" what happens to a cached row when it is written to?")
    streamed: list[str] = []
    result = Leading(llm, None, FakeEmbedder()).follow_up(item, ANSWER, details=MISSED_INVALIDATION,
                                                          on_text=streamed.append)
    assert llm.prompts[0].endswith("You used a 5 minute TTL:")
    assert result.source == "model"
    assert result.text == "You used a 5 minute TTL: what happens to a cached row when it is written to?"
    assert all(s.startswith("You used a 5 minute TTL:") for s in streamed)


# -- false premises: the missed point presented as the candidate's own --------------------------

SLOW_QUESTION = "A query that used to take 50 ms now takes 8 seconds. How do you find out why?"
SLOW_ANSWER = ("I ran EXPLAIN ANALYZE, saw a sequential scan on orders because the index on customer_id "
               "had been dropped in a migration, and recreated it.")
SNIFFING = Gap("missed", "Considers parameter sniffing or a plan cached for unrepresentative values", 2)


@pytest.mark.parametrize("text", [
    "How did you handle the parameter sniffing issue?",
    "How does your plan cache deal with unrepresentative values?",
])
def test_a_question_that_presents_the_missed_point_as_theirs_is_rejected(text):
    reason = check_followup(text, question=SLOW_QUESTION, answer=SLOW_ANSWER, gap=SNIFFING)
    assert reason is not None and reason.startswith("presents the missed point as theirs")


@pytest.mark.parametrize("text", [
    # asked hypothetically: it invents nothing about what they did
    "How would you tell whether parameter sniffing was behind the slowdown?",
    # their own words: the sequential scan and the dropped index are in the answer
    "After you recreated the index, how did you check the sequential scan was gone?",
])
def test_asking_about_the_missed_point_without_inventing_it_is_fine(text):
    assert check_followup(text, question=SLOW_QUESTION, answer=SLOW_ANSWER, gap=SNIFFING) is None


def test_the_same_phrase_is_fine_when_the_candidate_said_it():
    answer = SLOW_ANSWER + " I also suspected parameter sniffing, since only some customers were slow."
    assert check_followup("How did you handle the parameter sniffing issue?", question=SLOW_QUESTION,
                          answer=answer, gap=SNIFFING) is None
