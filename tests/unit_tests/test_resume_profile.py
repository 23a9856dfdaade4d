"""extract_profile and the skills lexicon on realistic resumes and on known false positives."""

from __future__ import annotations

from datetime import date

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentsync_tui.resume import ResumeProfile, extract_profile, read_resume
from talentsync_tui.resume import lexicon
from talentsync_tui.resume.lexicon import find_skills

TODAY = date(2025, 6, 15)

BACKEND = """\
# Maria Gonzalez
Senior Backend Engineer · Berlin, Germany · maria@example.com · github.com/mgonzalez

## Summary
Senior Software Engineer with 8+ years of experience building payment and logistics
platforms in Python and Go. I care about reliable distributed systems, TDD and CI/CD.
Comfortable owning go-to-market launches with product; we go to market twice a year.

## Experience

### Senior Software Engineer — Acme Payments GmbH
*Mar 2020 – Present* · Berlin
- Led the Ledger Rewrite project, moving double-entry bookkeeping from a Django monolith to Go microservices on Kubernetes (k8s).
- Built a real-time fraud detection pipeline using Kafka and PostgreSQL, cutting chargebacks by 30%.
- Mentored four engineers and introduced code review guidelines.

### Backend Developer — Globex Logistics
*Jan 2016 – Feb 2020* · Hamburg
- Designed REST APIs in Flask and Node.js for shipment tracking; cached hot paths in Redis.
- Migrated batch jobs from cron to Airflow on AWS (EC2, S3, RDS).

## Skills
Python, Go, JavaScript, PostgreSQL, Redis, Kafka, Docker, Kubernetes, Terraform, AWS, gRPC

## Education
B.Sc. Computer Science, TU Munich, 2011 – 2015
"""

DATA_SCIENTIST = """\
PRIYA RAMAN
Data Scientist | priya.raman@mail.com | linkedin.com/in/priyaraman

PROFESSIONAL SUMMARY
Data scientist focused on experimentation and forecasting. R&D minded; fluent in Python, R and SQL.

WORK EXPERIENCE
Data Scientist at Northwind Analytics, Boston, MA          Jun 2021 - Present
  • Built a demand forecasting model with XGBoost and scikit-learn that reduced stock-outs by 12%.
  • Ran A/B testing for pricing experiments; dashboards in Tableau.
Company: Contoso Health
Junior Data Analyst, Sep 2019 - May 2021
  • Cleaned claims data with pandas and SQL; automated weekly reports in Jupyter.

PROJECTS
Churn Radar: survival analysis of subscription churn (Python, lifelines)
Open Food Facts Classifier - NLP model tagging product ingredients with spaCy

EDUCATION
M.S. Statistics, State University, 2017 - 2019
"""

NEW_GRAD = """\
Sam Lee
sam.lee@example.edu

Education
B.S. in Computer Science, Riverside University — Sept 2020 – May 2024
Relevant coursework: Operating Systems, Databases, Machine Learning

Experience
Initech
Software Engineering Intern | Jun 2023 – Aug 2023
- Developed an internal deployment dashboard with React and TypeScript.
- Wrote unit tests with Jest and fixed flaky Cypress tests.

Teaching Assistant, Riverside University CS Department | Jan 2022 - Dec 2022

Projects
- PathFinder: a Java Android app for campus navigation using Dijkstra's algorithm
- Tiny Raytracer (C++) — renders spheres with soft shadows
- Built a Discord bot in JavaScript for study group reminders

Skills: Java, C++, JavaScript, React, Git, Linux
"""


# --------------------------------------------------------- realistic resumes


def test_backend_engineer():
    profile = extract_profile(BACKEND, today=TODAY)
    assert profile.skills[:2] == ["python", "go"]
    assert {"tdd", "ci/cd", "django", "microservices", "kubernetes", "kafka", "postgresql",
            "flask", "node.js", "redis", "airflow", "aws", "javascript", "terraform",
            "grpc", "distributed systems"} <= set(profile.skills)
    assert "java" not in profile.skills  # only JavaScript is mentioned
    assert profile.roles == ["Senior Backend Engineer", "Senior Software Engineer", "Backend Developer"]
    assert profile.employers == ["Acme Payments GmbH", "Globex Logistics"]
    assert profile.projects[:2] == ["Ledger Rewrite", "real-time fraud detection pipeline"]
    assert profile.years_experience == 8.0  # stated, not computed
    assert [(p.role, p.employer) for p in profile.positions] == [
        ("Senior Software Engineer", "Acme Payments GmbH"),
        ("Backend Developer", "Globex Logistics"),
    ]


def test_data_scientist():
    profile = extract_profile(DATA_SCIENTIST, today=TODAY)
    assert {"python", "r", "sql", "xgboost", "scikit-learn", "a/b testing", "tableau",
            "pandas", "jupyter", "nlp", "spacy"} <= set(profile.skills)
    assert profile.skills.index("python") < profile.skills.index("r") < profile.skills.index("sql")
    assert profile.roles == ["Data Scientist", "Junior Data Analyst"]
    assert profile.employers == ["Northwind Analytics", "Contoso Health"]
    assert profile.projects == ["Churn Radar", "Open Food Facts Classifier", "demand forecasting model"]
    # Jun 2021 - Jun 2025 (49 months) + Sep 2019 - May 2021 (21 months); education is ignored
    assert profile.years_experience == 5.8


def test_new_grad():
    profile = extract_profile(NEW_GRAD, today=TODAY)
    assert {"react", "typescript", "jest", "cypress", "java", "android", "c++", "javascript",
            "git", "linux", "unit testing"} <= set(profile.skills)
    assert "go" not in profile.skills and "c" not in profile.skills
    assert profile.roles == ["Software Engineering Intern", "Teaching Assistant"]
    assert profile.employers == ["Initech"]  # a university is not listed as an employer
    assert profile.projects[:2] == ["PathFinder", "Tiny Raytracer"]
    assert "internal deployment dashboard" in profile.projects
    assert "Discord bot" in profile.projects
    # Jun - Aug 2023 (3 months) + 2022 (12 months); the degree's dates do not count
    assert profile.years_experience == 1.2


def test_docx_resume_end_to_end(tmp_path):
    document = docx.Document()
    document.add_paragraph("Jordan Lee — Platform Engineer")
    document.add_heading("Work Experience", level=2)
    table = document.add_table(rows=2, cols=3)
    for row, values in enumerate([("Hooli", "Site Reliability Engineer", "Jan 2021 - present"),
                                  ("Pied Piper", "DevOps Engineer", "Mar 2018 - Dec 2020")]):
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    document.add_heading("Projects", level=2)
    document.add_paragraph("Nucleus: a Terraform module library for EKS clusters")
    document.add_paragraph("Skills: Terraform, Kubernetes, Prometheus, Grafana, Go")
    path = tmp_path / "jordan.docx"
    document.save(str(path))

    profile = extract_profile(read_resume(path), today=date(2025, 1, 10))
    assert profile.employers == ["Hooli", "Pied Piper"]
    assert profile.roles == ["Platform Engineer", "Site Reliability Engineer", "DevOps Engineer"]
    assert profile.projects == ["Nucleus"]
    assert {"terraform", "eks", "kubernetes", "prometheus", "grafana", "go"} <= set(profile.skills)
    assert profile.years_experience == 6.9  # 49 + 34 months


def test_role_at_company_in_prose():
    text = ("I am a machine learning engineer at Vandelay Industries. Previously Data Engineer "
            "@ Soylent Corp. Worked at Hooli before joining Pied Piper. Engineer at J.P. Morgan.")
    profile = extract_profile(text)
    assert profile.employers == ["Vandelay Industries", "Soylent Corp", "Hooli", "Pied Piper", "J.P. Morgan"]
    assert profile.roles[:2] == ["Machine Learning Engineer", "Data Engineer"]


def test_company_label_and_table_like_lines():
    text = (
        "Experience\n"
        "Acme Corp | Senior Engineer | Jan 2019 – Mar 2022\n"
        "Initrode Inc. | Software Developer | 2016 - 2019\n"
        "Umbrella, Inc., Seattle, WA   Staff Engineer   Apr 2022 - present\n"
        "Employer: Massive Dynamic\n"
    )
    profile = extract_profile(text, today=date(2025, 1, 1))
    assert profile.employers == ["Acme Corp", "Initrode Inc.", "Umbrella, Inc.", "Massive Dynamic"]
    assert profile.roles == ["Senior Engineer", "Software Developer", "Staff Engineer"]


def test_roles_mentioned_as_colleagues_are_not_the_candidates():
    profile = extract_profile("Worked closely with the product manager and mentored a junior developer.")
    assert profile.roles == []


def test_projects_from_prose_phrases():
    text = ("Led the Atlas migration project across teams. Built a real-time bidding engine "
            "using Go. Built 20+ dashboards. Developed features for the app. "
            "Drove the payments platform initiative.")
    projects = extract_profile(text).projects
    assert projects == ["Atlas migration", "real-time bidding engine", "payments platform"]


def test_projects_section_with_headings_and_description_bullets():
    text = (
        "Projects\n"
        "### Lighthouse — open-source uptime monitor\n"
        "- Wrote the scheduler in Rust\n"
        "- 1.2k GitHub stars\n"
        "**Quill** (TypeScript, Electron)\n"
        "- A markdown editor with live preview\n"
    )
    assert extract_profile(text).projects == ["Lighthouse", "Quill"]


def test_empty_and_blank_text_give_an_empty_profile():
    for text in ("", "   \n\t", "\x1b[31m\x1b[0m"):
        profile = extract_profile(text)
        assert profile == ResumeProfile()
        assert profile.is_empty


def test_model_dump_has_exactly_the_profile_fields():
    from talentsync_tui.models import Profile

    dumped = extract_profile(BACKEND, today=TODAY).model_dump()
    assert set(dumped) == {"skills", "roles", "employers", "projects", "years_experience",
                           "certifications", "achievements"}
    assert set(dumped) <= set(Profile.model_fields)  # the facade copies the dump into a Profile


# ---------------------------------------------------------- years of experience


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Engineer with 5+ years of experience in Python.", 5.0),
        ("Over ten years of professional experience.", 10.0),
        ("3.5 years experience with data pipelines", 3.5),
        ("7 yrs of hands-on industry experience", 7.0),
        ("12 years in the software industry", 12.0),
    ],
)
def test_stated_years(text, years):
    assert extract_profile(text, today=TODAY).years_experience == years


def test_stated_years_win_over_date_ranges():
    text = "10+ years of experience\nExperience\nAcme | Engineer | 2023 - present"
    assert extract_profile(text, today=TODAY).years_experience == 10.0


@pytest.mark.parametrize(
    ("ranges", "years"),
    [
        (["Jan 2019 – Mar 2022"], 3.2),  # 39 months, end month inclusive
        (["2018 - 2020"], 2.0),  # bare years: until the end year began
        (["Jan 2019 - Dec 2020", "Jun 2020 - Jun 2021"], 2.5),  # overlap merged: 30 months
        (["03/2019 - 06/2020"], 1.3),
        (["2019-03 to 2020-06"], 1.3),
        (["Sept. 2019 – Present"], 5.8),
        (["Summer 2021 - Fall 2021"], 0.3),
        (["Jan 2015 - Dec 2015", "Jan 2017 - Dec 2017"], 2.0),  # a gap is not counted
    ],
)
def test_years_from_date_ranges(ranges, years):
    text = "Experience\n" + "\n".join(f"Acme Corp | Engineer | {r}" for r in ranges)
    assert extract_profile(text, today=TODAY).years_experience == years


def test_present_depends_on_injected_today():
    text = "Experience\nAcme Corp, Engineer, 2018 - present"
    assert extract_profile(text, today=date(2024, 1, 31)).years_experience == 6.1  # 73 months
    assert extract_profile(text, today=date(2019, 1, 1)).years_experience == 1.1  # 13 months


def test_education_and_future_dates_do_not_count():
    text = ("Education\nBSc, Some University, 2010 - 2014\n"
            "Experience\nAcme Corp | Engineer | Jan 2020 - Dec 2020\n"
            "Globex | Engineer | Jan 2030 - present\n")
    assert extract_profile(text, today=TODAY).years_experience == 1.0


def test_no_dates_means_unknown_years():
    assert extract_profile("Python developer who loves Go.").years_experience is None


# ------------------------------------------------------------ false positives


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Owned our go to market plan and the go-live checklist.", [], ["go"]),
        ("Go-to-market strategy. Go live in May.", [], ["go"]),
        ("Services in Go and Python.", ["go", "python"], []),
        ("golang, Golang and GoLang", ["go"], []),
        ("Led R&D for the platform.", [], ["r"]),
        ("Reference: John R. Smith", [], ["r"]),
        ("Statistics in R. Built models in RStudio.", ["r"], []),
        ("Python, R, SQL", ["python", "r", "sql"], []),
        ("Frontend in JavaScript only", ["javascript"], ["java"]),
        ("Java and JavaScript", ["java", "javascript"], []),
        ("C++17, C#, .NET 6, Node.js and ASP.NET Core", ["c++", "c#", ".net", "node.js", "asp.net"], ["c"]),
        ("C/C++ firmware", ["c", "c++"], []),
        ("Objective-C and Swift", ["objective-c", "swift"], ["c"]),
        ("Presented to C-level executives; Series C startup; Grade: C", [], ["c"]),
        ("We react to incidents quickly with swift delivery.", [], ["react", "swift"]),
        ("React and React Native apps", ["react", "react native"], []),
        ("Spring 2021 internship", [], ["spring"]),
        ("Java with Spring Boot", ["java", "spring"], []),
        ("Worked at American Express on Express.js services", ["express"], []),
        ("Portfolio: https://github.com/sam and sam@golang.dev", [], ["github", "go", "http"]),
        ("PL/SQL, T-SQL and PostgreSQL (psql)", ["pl/sql", "t-sql", "postgresql"], ["sql"]),
        ("Kubernetes (k8s) and Postgres", ["kubernetes", "postgresql"], []),
        ("Test-driven development, CI/CD, micro-services", ["tdd", "ci/cd", "microservices"], []),
    ],
)
def test_skill_matching(text, present, absent):
    skills = find_skills(text)
    for skill in present:
        assert skill in skills, (skill, skills)
    for skill in absent:
        assert skill not in skills, (skill, skills)


def test_skills_are_ordered_by_first_mention_and_unique():
    assert find_skills("Redis, then Python, then redis again and Python") == ["redis", "python"]


def test_known_tags_are_added_when_they_appear_as_whole_words():
    text = "Wrote generators and context managers in Python. Loves decorators-heavy code."
    profile = extract_profile(text, known_tags=["generators", "context managers", "decorators",
                                                "asyncio", "generator"])
    assert profile.skills == ["generators", "context managers", "python", "decorators"]


def test_known_tags_do_not_bypass_the_lexicon_guards():
    text = "Owned the go to market plan on k8s."
    profile = extract_profile(text, known_tags=["go", "kubernetes", "market"])
    assert profile.skills == ["market", "kubernetes"]


# -------------------------------------------------------------------- lexicon


def test_lexicon_size_and_shape():
    assert len(lexicon.SKILLS) >= 250
    for skill, spellings in lexicon.SKILLS.items():
        assert skill == skill.lower() and skill.strip() == skill
        assert spellings or lexicon.CASE_SENSITIVE[skill], skill
        assert all(s == s.lower() for s in spellings), skill
    for required in ("postgresql", "javascript", "kubernetes", "c++", "c#", ".net", "node.js",
                     "tdd", "ci/cd", "microservices", "go", "r", "java"):
        assert required in lexicon.SKILLS
    assert {"postgres", "postgresql", "psql"} <= set(lexicon.SKILLS["postgresql"])
    assert {"javascript", "js"} <= set(lexicon.SKILLS["javascript"])
    assert {"kubernetes", "k8s"} <= set(lexicon.SKILLS["kubernetes"])


def test_every_spelling_finds_its_own_skill_and_only_it():
    for skill in lexicon.SKILLS:
        for spelling in lexicon.SKILLS[skill] + lexicon.CASE_SENSITIVE[skill]:
            assert find_skills(spelling) == [skill], (skill, spelling)
            assert find_skills(f"I used {spelling}, daily.") == [skill], (skill, spelling)


def test_every_display_name_is_recognised():
    for skill, name in lexicon.DISPLAY_NAMES.items():
        assert skill in find_skills(name), (skill, name)


def test_no_spelling_belongs_to_two_skills():
    owners: dict[str, str] = {}
    for skill in lexicon.SKILLS:
        for spelling in lexicon.SKILLS[skill] + [s.lower() for s in lexicon.CASE_SENSITIVE[skill]]:
            assert owners.setdefault(spelling, skill) == skill, spelling


# ------------------------------------------------------------------ robustness


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cc")),
               max_size=400))
def test_arbitrary_text_never_crashes(text):
    profile = extract_profile(text, known_tags=["generators", "go"], today=TODAY)
    for values in (profile.skills, profile.roles, profile.employers, profile.projects):
        assert len(values) == len({v.lower() for v in values})
        assert all(v and v == v.strip() for v in values)
    assert profile.years_experience is None or 0 <= profile.years_experience <= 60
