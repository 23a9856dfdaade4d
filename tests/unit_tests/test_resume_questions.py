"""resume_questions: personal, valid, unique and deterministic questions from a profile."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentsync_tui.models import ID_PATTERN, Difficulty, Module, Question, QuestionType
from talentsync_tui.resume import ResumeProfile, extract_profile, resume_questions
from talentsync_tui.resume.profile import Position
from talentsync_tui.resume.questions import ALL_TEMPLATES, DEFAULT_LIMIT

from test_resume_profile import BACKEND, DATA_SCIENTIST, NEW_GRAD

TODAY = date(2025, 6, 15)


def questions_for(text: str, **kwargs) -> list[Question]:
    return resume_questions(extract_profile(text, today=TODAY), **kwargs)


def all_text(questions: list[Question]) -> str:
    return "\n".join(q.text for q in questions)


@pytest.fixture(params=[BACKEND, DATA_SCIENTIST, NEW_GRAD], ids=["backend", "data", "new-grad"])
def resume_text(request) -> str:
    return request.param


# ------------------------------------------------------------------ contents


def test_backend_questions_name_real_skills_projects_and_jobs():
    questions = questions_for(BACKEND)
    assert len(questions) == DEFAULT_LIMIT
    assert questions[0].text.startswith("At Acme Payments GmbH you built")  # an achievement first
    assert "achievement" in questions[0].tags
    text = all_text(questions)
    assert "Python" in text and "Kubernetes" in text and "Django" in text
    assert "Tell me about the Ledger Rewrite project" in text
    # the pipeline is asked about from its bullet, not again as a project
    assert text.startswith("At Acme Payments GmbH you built a real-time fraud detection pipeline "
                           "using Kafka and PostgreSQL, cutting chargebacks by 30%:")
    assert "the real-time fraud detection pipeline" not in text
    assert ("At Acme Payments GmbH you worked as a Senior Software Engineer; what did a typical "
            "week look like and what are you most proud of?") in text
    assert "Globex Logistics" in text
    assert "8 years of experience" in text


def test_database_skill_uses_its_display_name():
    profile = ResumeProfile(skills=["postgresql"])
    [question] = resume_questions(profile)
    assert question.text == (
        "You list PostgreSQL on your resume. Walk me through a schema or query you optimised "
        "with it and how you measured the improvement."
    )
    assert question.id == "resume-skill-postgresql"
    assert question.type is QuestionType.technical
    assert "postgresql" in question.tags and "resume" in question.tags


def test_data_scientist_questions():
    text = all_text(questions_for(DATA_SCIENTIST, limit=30))
    for name in ("Churn Radar", "Open Food Facts Classifier", "Northwind Analytics",
                 "Contoso Health", "XGBoost", "scikit-learn", "Python", "SQL"):
        assert name in text, name
    assert "At Northwind Analytics you worked as a Data Scientist" in text


def test_new_grad_gets_early_career_questions_and_no_hard_ones():
    questions = questions_for(NEW_GRAD, limit=30)
    text = all_text(questions)
    assert "You are early in your career" in text
    assert "At Initech you worked as a Software Engineering Intern" in text
    assert "PathFinder" in text and "Tiny Raytracer" in text and "React" in text
    assert all(q.difficulty is Difficulty.medium for q in questions)


def test_senior_profiles_get_hard_design_questions_only():
    questions = questions_for(BACKEND, limit=40)
    hard = [q for q in questions if q.difficulty is Difficulty.hard]
    assert hard and all(q.type is QuestionType.system_design for q in hard)
    assert all(q.difficulty is Difficulty.medium for q in questions if q.type is not QuestionType.system_design)


def test_mid_level_design_questions_stay_medium():
    profile = ResumeProfile(projects=["Atlas"], roles=["Software Engineer"], years_experience=3)
    questions = resume_questions(profile)
    assert any(q.type is QuestionType.system_design for q in questions)
    assert all(q.difficulty is Difficulty.medium for q in questions)
    assert "Over your 3 years in the industry" in all_text(questions)


def test_known_tags_become_skill_questions():
    profile = extract_profile("Heavy user of generators in data pipelines.", known_tags=["generators"])
    text = all_text(resume_questions(profile))
    assert "You list generators on your resume" in text


def test_roles_and_employers_without_positions_fall_back_gracefully():
    profile = ResumeProfile(roles=["Staff Engineer", "Backend Developer", "Intern"],
                            employers=["Hooli", "Initech"])
    text = all_text(resume_questions(profile, limit=20))
    assert "you worked as" not in text  # counts differ, so no guessed pairing
    assert "while working at Hooli" in text and "while working at Initech" in text
    assert "As a Staff Engineer, tell me about a time you had to push back" in text
    assert "Your resume shows time at both Hooli and Initech" in text


def test_equal_roles_and_employers_are_paired_in_order():
    profile = ResumeProfile(roles=["ML Engineer"], employers=["Hooli"])
    text = all_text(resume_questions(profile))
    assert "At Hooli you worked as an ML Engineer" in text


def test_mix_of_question_types_within_the_default_limit(resume_text):
    questions = questions_for(resume_text)
    types = {q.type for q in questions}
    assert {QuestionType.technical, QuestionType.behavioral, QuestionType.situational,
            QuestionType.system_design} <= types


def test_at_least_twelve_templates_are_used_across_resumes():
    texts = [all_text(questions_for(t, limit=50)) for t in (BACKEND, DATA_SCIENTIST, NEW_GRAD)]
    used = 0
    for template in ALL_TEMPLATES:
        # the fixed wording around the placeholders must appear in one of the questions
        pieces = [p for p in re.split(r"\{[a-z_]+\}", template.text) if len(p.strip()) > 8]
        if any(all(piece in text for piece in pieces) for text in texts):
            used += 1
    assert len(ALL_TEMPLATES) >= 12
    assert used >= 12


# --------------------------------------------------------------- validity


def test_every_question_is_a_valid_model_question(resume_text):
    questions = questions_for(resume_text, limit=50)
    assert questions
    for question in questions:
        assert Question.model_validate(question.model_dump()) == question
        assert re.match(ID_PATTERN, question.id) and question.id.startswith("resume-")
        assert len(question.id) <= 80
        assert 150 <= question.expected_seconds <= 300
        assert 3 <= len(question.expected_points) <= 4
        assert 1 <= len(question.follow_ups) <= 2
        assert question.tags[0] == "resume" and len(question.tags) >= 2
        assert question.difficulty in (Difficulty.medium, Difficulty.hard)
        assert "{" not in question.text and "}" not in question.text
    # they can live together in one bank module
    Module(id="resume", name="Resume", category="Resume", questions=questions)


def test_ids_are_unique(resume_text):
    ids = [q.id for q in questions_for(resume_text, limit=100)]
    assert len(ids) == len(set(ids))


def test_skill_ids_do_not_collide_on_punctuation():
    profile = ResumeProfile(skills=["c", "c++", "c#", ".net", "net"])
    ids = [q.id for q in resume_questions(profile, limit=20)]
    assert {"resume-skill-c", "resume-skill-cpp", "resume-skill-csharp", "resume-skill-dotnet",
            "resume-skill-net"} <= set(ids)
    assert len(ids) == len(set(ids))


def test_skill_tags_include_the_skill(resume_text):
    profile = extract_profile(resume_text, today=TODAY)
    for question in resume_questions(profile, limit=100):
        if question.id.startswith("resume-skill-"):
            assert any(skill in question.tags for skill in profile.skills), question


def test_deterministic(resume_text):
    first = [q.model_dump() for q in questions_for(resume_text)]
    second = [q.model_dump() for q in questions_for(resume_text)]
    assert first == second


def test_limit_is_respected_and_a_prefix_of_larger_limits(resume_text):
    long = questions_for(resume_text, limit=40)
    for limit in (0, 1, 5, 12):
        short = questions_for(resume_text, limit=limit)
        assert len(short) == min(limit, len(long))
        assert [q.id for q in short] == [q.id for q in long[:limit]]


def test_empty_profile_yields_nothing():
    assert resume_questions(ResumeProfile()) == []
    assert resume_questions(extract_profile("")) == []
    assert resume_questions(ResumeProfile(skills=["", "  "], projects=["\x1b[0m"])) == []


def test_profile_rebuilt_from_stored_fields_still_works():
    profile = extract_profile(BACKEND, today=TODAY)
    stored = ResumeProfile(**profile.model_dump())  # positions are not part of the dump
    questions = resume_questions(stored)
    assert len(questions) == DEFAULT_LIMIT
    assert "Acme Payments GmbH" in all_text(resume_questions(stored, limit=40))


def test_positions_that_do_not_match_the_lists_are_ignored():
    profile = ResumeProfile(roles=["Engineer"], employers=["Hooli"],
                            positions=[Position(role="Chef", employer="Elsewhere")])
    text = all_text(resume_questions(profile))
    assert "Elsewhere" not in text and "Chef" not in text


names = st.text(min_size=0, max_size=120)


@settings(max_examples=150, deadline=None)
@given(
    skills=st.lists(st.one_of(st.sampled_from(["python", "go", "c++", "postgresql", "kafka", "tdd"]), names), max_size=8),
    roles=st.lists(names, max_size=4),
    employers=st.lists(names, max_size=4),
    projects=st.lists(names, max_size=4),
    years=st.one_of(st.none(), st.floats(min_value=-5, max_value=100), st.just(float("nan"))),
    limit=st.integers(min_value=-1, max_value=60),
)
def test_any_profile_gives_valid_unique_questions(skills, roles, employers, projects, years, limit):
    profile = ResumeProfile(skills=skills, roles=roles, employers=employers, projects=projects,
                            years_experience=years)
    questions = resume_questions(profile, limit=limit)
    assert len(questions) <= max(limit, 0)
    assert len({q.id for q in questions}) == len(questions)
    for question in questions:
        Question.model_validate(question.model_dump())
