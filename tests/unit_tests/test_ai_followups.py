"""RAG follow-ups with a fake model and a fake embedder: prompts, validation, fallbacks."""

from __future__ import annotations

import json

import pytest

from talentsync_tui.ai.followups import (
    FollowUpDraft,
    RagFollowUps,
    ReadinessGate,
    check_followup,
)
from talentsync_tui.ai.phrases import candidate_phrases, specific_mentions
from talentsync_tui.ai.prompts import EXAMPLES, followup_prompt, followup_schema, static_prefix
from talentsync_tui.ai.testing import FakeEmbedder, FakeLLM, sample_modules, session_item

QUESTION = sample_modules()[0].questions[0]  # the caching question
ANSWER = ("I used a Redis cache with a 5 minute TTL in front of Postgres, and we invalidated "
          "keys on write through a Kafka topic. That cut p99 latency from 800 ms to 120 ms.")


def model_says(followup: str, detail: str | None = None):
    def respond(prompt, schema):
        chosen = detail or schema["properties"]["detail"]["enum"][0]
        return json.dumps({"detail": chosen, "followup": followup})

    return respond


@pytest.fixture
def item():
    return session_item(QUESTION)


# -- phrases ----------------------------------------------------------------------------------


def test_candidate_phrases_are_copied_from_the_answer():
    phrases = candidate_phrases(ANSWER, QUESTION.text)
    assert phrases, "expected some phrases"
    assert all(p in ANSWER for p in phrases)
    assert {"Kafka topic", "5 minute TTL"} <= set(phrases)
    assert not any(p.lower() in {"the", "and", "cache"} for p in phrases)


def test_specific_mentions_ignore_words_from_the_question_and_ideas():
    assert specific_mentions("How did you size the Kafka topic?", ANSWER, QUESTION.text)
    assert not specific_mentions("How do you keep stale data out of a cache?", ANSWER, QUESTION.text)
    assert not specific_mentions("How would you handle a cache stampede?", ANSWER, QUESTION.text,
                                 exclude=["How would you handle a cache stampede?"])


# -- prompt and schema --------------------------------------------------------------------------


def test_prompt_is_few_shot_with_a_stable_prefix_and_grounded_ideas():
    ideas = ["How would you handle a cache stampede?", "When is write-back too risky?"]
    prompt = followup_prompt(QUESTION.text, ANSWER, ideas)
    assert prompt.startswith(static_prefix())  # reused KV cache across calls
    for example in EXAMPLES:
        assert json.dumps({"detail": example["detail"], "followup": example["followup"]}) in prompt
    tail = prompt[len(static_prefix()):]
    assert QUESTION.text in tail and "Redis cache" in tail
    assert " | ".join(ideas) in tail
    assert tail.endswith("Follow-up JSON: ")


def test_prompt_clips_very_long_answers():
    prompt = followup_prompt(QUESTION.text, "word " * 5000, [])
    assert len(prompt) < len(static_prefix()) + 1500


def test_schema_restricts_the_detail_to_the_extracted_phrases():
    schema = followup_schema(["Redis cache", "Kafka topic"])
    assert schema["properties"]["detail"]["enum"] == ["Redis cache", "Kafka topic"]
    assert schema["properties"]["followup"]["pattern"].endswith("[?]$")
    assert schema["required"] == ["detail", "followup"]


# -- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("How did you size the Kafka topic.", "does not end"),
        ("How " + "really " * 30 + "Kafka?", "too long"),
        ("Kafka topic?", "too short"),
        ("The Kafka topic was big and slow right?", "not phrased as a question"),
        ("How do you keep a cache from serving stale data?", "repeats the question"),
        ("How do you keep the cache from serving any stale data?", "question"),
        ("Which isolation level did the transactions across invoices need, and why?", "example"),
        ("How would you explain this to a new colleague?", "nothing specific"),
    ],
)
def test_bad_follow_ups_are_rejected(text, reason):
    found = check_followup(text, question=QUESTION.text, answer=ANSWER,
                           phrases=candidate_phrases(ANSWER, QUESTION.text), embedder=FakeEmbedder())
    assert found is not None and reason in found


def test_paraphrase_of_the_question_is_caught_by_embedding_similarity():
    class Echo(FakeEmbedder):
        def embed(self, texts):  # every text looks the same: cosine 1.0
            return super().embed(["same"] * len(texts))

    reason = check_followup("Why did you pick the Kafka topic approach?", question=QUESTION.text,
                            answer=ANSWER, embedder=Echo())
    assert reason and "paraphrases the question" in reason


def test_good_follow_up_passes_pydantic_validation():
    draft = FollowUpDraft.model_validate(
        {"detail": "Kafka topic", "followup": "  How did you size the   Kafka topic for invalidations? "},
        context={"question": QUESTION.text, "answer": ANSWER, "embedder": FakeEmbedder()},
    )
    assert draft.followup == "How did you size the Kafka topic for invalidations?"


# -- the provider ---------------------------------------------------------------------------------------


def test_model_follow_up_is_used_when_valid(item):
    llm = FakeLLM(model_says("How did you size the Kafka topic for invalidations?", "Kafka topic"))
    rag = RagFollowUps(llm, None, FakeEmbedder())
    result = rag.follow_up(item, ANSWER)
    assert result.text == "How did you size the Kafka topic for invalidations?"
    assert result.source == "model" and result.latency_ms >= 0
    assert rag.stats["model"] == 1
    # the prompt was grounded in the question's own templates and the schema in the answer
    assert QUESTION.follow_ups[0] in llm.prompts[0] or QUESTION.follow_ups[1] in llm.prompts[0]
    assert set(llm.schemas[0]["properties"]["detail"]["enum"]) <= set(candidate_phrases(ANSWER, QUESTION.text))


@pytest.mark.parametrize("output", [
    json.dumps({"detail": "Kafka topic", "followup": "How do you keep a cache from serving stale data?"}),
    json.dumps({"detail": "Kafka topic", "followup": "How would you explain this to a new colleague?"}),
    '{"detail": "Kafka topic", "followup": "How did you',  # cut off
    "not json at all",
])
def test_invalid_model_output_falls_back_to_a_grounded_template(item, output):
    rag = RagFollowUps(FakeLLM(output), None, FakeEmbedder())
    result = rag.follow_up(item, ANSWER)
    assert result.source == "template"
    assert result.text.endswith("?")
    assert result.text.startswith("You mentioned ")
    assert any(t in result.text for t in QUESTION.follow_ups)
    assert rag.last["rejected"]


def test_model_errors_fall_back_without_raising(item):
    class Broken(FakeLLM):
        def complete(self, *args, **kwargs):
            raise RuntimeError("GPU on fire")

    rag = RagFollowUps(Broken(), None, FakeEmbedder())
    result = rag.follow_up(item, ANSWER)
    assert result.source == "template"
    assert "GPU on fire" in rag.last["model_error"]


def test_no_phrases_gives_the_plain_best_template(item):
    rag = RagFollowUps(FakeLLM(model_says("What?")), None, FakeEmbedder())
    result = rag.follow_up(item, "yes no maybe")
    assert result.text in QUESTION.follow_ups and result.source == "template"


def test_no_templates_anywhere_uses_the_fallback_provider(item):
    bare = item.model_copy(update={"follow_ups": []})
    rag = RagFollowUps(FakeLLM(ready=False), None, FakeEmbedder())
    assert rag.follow_up(bare, ANSWER) is None


def test_gate_never_calls_a_loading_model(item):
    llm = FakeLLM(model_says("How did you size the Kafka topic?"), ready=False)
    gate = ReadinessGate(RagFollowUps(llm, None, FakeEmbedder()))
    result = gate.follow_up(item, ANSWER)
    assert result.source == "template" and result.text in QUESTION.follow_ups
    assert llm.prompts == []
    llm.finish_loading()
    assert gate.follow_up(item, ANSWER).source == "model"


def test_a_phrase_forced_in_at_the_length_limit_is_rejected(item):
    from talentsync_tui.ai.followups import forced_phrase
    from talentsync_tui.ai.prompts import PREFIX_CHARS

    long_prefix = "How do you " + "keep going and going " * 5
    assert len(long_prefix) >= PREFIX_CHARS - 12
    assert forced_phrase(f"{long_prefix[:PREFIX_CHARS]} Kafka topic?", ["Kafka topic"]) == "Kafka topic"
    assert forced_phrase("How did you size the Kafka topic?", ["Kafka topic"]) is None
