"""The coach model writing achievement questions: accepted only when valid, else the template."""

from __future__ import annotations

import pytest

from talentsync_tui.ai.llm import LLMUnavailable
from talentsync_tui.ai.testing import FakeLLM
from talentsync_tui.models import Achievement
from talentsync_tui.resume.questions import achievement_question
from talentsync_tui.resume.writer import (
    EXAMPLE_QUESTION,
    EXAMPLES,
    check_question,
    clean_output,
    prompt_for,
    write_achievement_questions,
)

DEPLOY = Achievement(text="Cut deploy time from 2 h to 15 min by parallelising the Jenkins pipeline",
                     employer="StartupXYZ", role="Senior DevOps Engineer", metric="from 2 h to 15 min")
COSTS = Achievement(text="Reduced AWS costs by 30% by moving batch jobs to spot instances",
                    employer="StartupXYZ", role="Senior DevOps Engineer", metric="by 30%")
ASK = "which stage of the Jenkins pipeline was the bottleneck, and why?"
GOOD = "At StartupXYZ you cut deploy time from 2 h to 15 min: " + ASK


def pairs(*achievements):
    return [(a, achievement_question(a)) for a in achievements]


def test_the_template_reads_like_an_interviewer_citing_the_bullet():
    question = achievement_question(DEPLOY)
    assert question.text == ("At StartupXYZ you cut deploy time from 2 h to 15 min: how did you find the "
                             "bottleneck, and how did you check the gain held up?")
    assert "achievement" in question.tags and "resume" in question.tags
    assert any("from 2 h to 15 min" in p for p in question.expected_points)
    assert question.follow_ups and all(f.endswith("?") for f in question.follow_ups)


def test_a_valid_model_question_replaces_the_template():
    llm = FakeLLM(respond=" " + ASK + "\nThis question checks ...")
    [written] = write_achievement_questions(pairs(DEPLOY), llm)
    assert written.source == "model" and written.question.text == GOOD
    template = achievement_question(DEPLOY)
    assert written.template_text == template.text
    # everything but the wording is the template's: id, points, follow-ups, time
    assert written.question.model_dump(exclude={"text"}) == template.model_dump(exclude={"text"})


def test_the_prompt_is_in_the_models_chat_format_with_the_bullet_last():
    llm = FakeLLM(respond=ASK)
    write_achievement_questions(pairs(DEPLOY, COSTS), llm)
    first, second = llm.prompts
    # the reply is started for the model: it writes only the ask after the template's opening
    assert first.startswith("<|im_start|>system\n")
    assert first.endswith("<|im_start|>assistant\nAt StartupXYZ you cut deploy time from 2 h to 15 min: ")
    assert "Achievement: Cut deploy time" in first and "Employer: StartupXYZ" in first
    # the instructions are a shared prefix, so the model evaluates them once
    common = next(i for i, (a, b) in enumerate(zip(first, second)) if a != b)
    assert first[:common].rstrip().endswith("Achievement:")


def test_a_gguf_chat_template_is_used_when_the_model_has_one():
    llm = FakeLLM(respond=ASK)
    llm.chat_template = ("{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
                         "{% if add_generation_prompt %}[assistant] {% endif %}")
    prompt = prompt_for(DEPLOY, llm=llm)
    assert prompt.startswith("[system] ") and prompt.endswith("[assistant] At StartupXYZ you cut "
                                                              "deploy time from 2 h to 15 min: ")
    assert "<|im_start|>" not in prompt


@pytest.mark.parametrize("output,reason", [
    ("well done.", "does not end with '?'"),
    ("you did a great many things " * 5 + "why?", "words"),
    (EXAMPLES[0][3], "copies the example"),
    ("how did you get the deploy time down to 10 minutes?", "not on the resume (10)"),
    ("", "empty"),
    ("how did {metric} change?", "template or markup"),
])
def test_unusable_model_output_keeps_the_template(output, reason):
    [written] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond=output))
    assert written.source == "template"
    assert written.question == achievement_question(DEPLOY)
    assert reason in written.reason


def test_the_key_noun_is_enough_without_the_employer():
    text = "How did you find what made the deploy pipeline slow before you cut it to 15 minutes?"
    assert check_question(text, DEPLOY, []) is None
    assert "names neither" in check_question("What is your favourite colour, and why do you like it?",
                                             DEPLOY, [])
    assert "more than one" in check_question("How did you do it? And why did it work?", DEPLOY, [])
    assert "too short" in check_question("Why?", DEPLOY, [])


def test_a_model_that_ignores_the_started_reply_is_cut_at_its_first_question():
    [written] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond=ASK + " Also, what next?"))
    assert written.source == "model" and written.question.text == GOOD


def test_a_duplicate_of_another_question_is_refused():
    other = "At StartupXYZ you cut deploy time to 15 min: which pipeline stage was the bottleneck?"
    assert "duplicates" in check_question(
        "At StartupXYZ you cut deploy time to 15 min: which pipeline stage was the bottleneck?",
        DEPLOY, [other])
    # and two bullets answered with the same text: the second keeps its template
    same = FakeLLM(respond="how did you find out where the time and money went?")
    first, second = write_achievement_questions(pairs(DEPLOY, DEPLOY.model_copy(update={"text": DEPLOY.text + "!"})), same)
    assert first.source == "model" and second.source == "template" and "duplicates" in second.reason


def test_labels_and_quotes_around_the_question_are_removed():
    assert clean_output('Question: "' + ASK + '"\nExplanation: ...') == ASK


def test_no_model_or_a_failing_model_gives_every_template():
    templates = [q.text for _, q in pairs(DEPLOY, COSTS)]
    loading = FakeLLM(respond=ASK, ready=False)
    assert [w.question.text for w in write_achievement_questions(pairs(DEPLOY, COSTS), loading)] == templates
    assert loading.prompts == []

    def boom(prompt, schema):
        raise LLMUnavailable("the model is shutting down")

    written = write_achievement_questions(pairs(DEPLOY, COSTS), FakeLLM(respond=boom))
    assert [w.source for w in written] == ["template", "template"]
    assert all("model error" in w.reason for w in written)


def test_cancelling_stops_before_the_next_bullet():
    calls = []
    llm = FakeLLM(respond=lambda prompt, schema: calls.append(1) or ASK)
    written = write_achievement_questions(pairs(DEPLOY, COSTS), llm, cancelled=lambda: bool(calls))
    assert len(written) == 1 and len(calls) == 1


def test_a_numbered_list_reply_keeps_its_first_question_lowercased_after_the_colon():
    reply = "1. How did you parallelise the Jenkins pipeline? 2. How did you cache Docker layers?"
    [written] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond=reply))
    assert written.source == "model"
    assert written.question.text == ("At StartupXYZ you cut deploy time from 2 h to 15 min: how did you "
                                     "parallelise the Jenkins pipeline?")


def test_a_reply_cut_at_its_question_mark_gets_it_back_but_a_statement_does_not():
    # the model stops at "? " (the stop text is not returned): "1. How did you parallelise it"
    [cut] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond="1. How did you parallelise the Jenkins pipeline"))
    assert cut.source == "model" and cut.question.text.endswith("how did you parallelise the Jenkins pipeline?")
    [statement] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond="The Jenkins pipeline was slow"))
    assert statement.source == "template" and "'?'" in statement.reason


def test_an_ask_that_could_follow_any_bullet_keeps_the_template():
    generic = "what was the most challenging aspect of the project, and how did you overcome it?"
    [written] = write_achievement_questions(pairs(DEPLOY), FakeLLM(respond=generic))
    assert written.source == "template" and "generic" in written.reason
