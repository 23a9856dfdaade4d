"""Extraction on the six sample resumes in tests/data/resumes (real txt, md, PDF and DOCX files).

The PDFs are written by fpdf2 (one of them in two columns) and the DOCX by python-docx,
with make_samples.py beside them; the tests only read the committed files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from talentsync_tui.resume import ResumeError, extract_profile, read_resume
from talentsync_tui.resume.places import is_place

SAMPLES = Path(__file__).parents[1] / "data" / "resumes"
BANKS = Path(__file__).parents[2] / "question_banks"
NAMES = ["alex_chen.txt", "priya_natarajan.md", "jordan_lee.txt", "marcus_johnson.pdf",
         "emma_novak.pdf", "sofia_garcia.docx"]


@pytest.fixture(scope="module")
def bank_tags() -> set[str]:
    tags: set[str] = set()
    for path in BANKS.glob("*.yaml"):
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            tags.update(question.get("tags", []))
    return tags


@pytest.fixture(scope="module")
def profiles(bank_tags):
    return {name: extract_profile(read_resume(SAMPLES / name), known_tags=bank_tags) for name in NAMES}


def test_all_six_samples_are_there_in_every_format():
    assert {p.suffix for p in SAMPLES.glob("*.*") if p.name in NAMES} == {".txt", ".md", ".pdf", ".docx"}
    assert all((SAMPLES / name).is_file() for name in NAMES)


EXPECTED_EMPLOYERS = {
    "alex_chen.txt": ["StartupXYZ", "Acme Corp"],
    "priya_natarajan.md": ["Flipkart", "Mu Sigma"],
    "jordan_lee.txt": ["Initrode Inc.", "Vandelay Industries"],
    "marcus_johnson.pdf": ["Globex Corporation", "Initech"],
    "emma_novak.pdf": ["Zalando SE", "SoundCloud", "Nokia"],
    "sofia_garcia.docx": ["Umbrella Analytics", "Hooli"],
}


@pytest.mark.parametrize("name", NAMES)
def test_employers_are_companies_and_never_places(profiles, name):
    employers = profiles[name].employers
    assert employers == EXPECTED_EMPLOYERS[name]
    assert not [e for e in employers if is_place(e)]


def test_a_city_and_state_beside_the_employer_stay_a_location(profiles):
    # "StartupXYZ — Boulder, Colorado": the lead's resumes gave "Colorado" and "Boulder"
    employers = {e.lower() for p in profiles.values() for e in p.employers}
    for place in ("boulder", "colorado", "denver", "bengaluru", "bangalore", "karnataka", "seattle",
                  "austin", "berlin", "germany", "espoo", "finland", "london", "palo alto", "chicago"):
        assert place not in employers


def test_an_employer_named_like_a_city_is_kept_when_its_location_follows(profiles):
    assert "Nokia" in profiles["emma_novak.pdf"].employers  # "Nokia | Espoo, Finland | 2015 – 2017"
    assert not is_place("Nokia") and is_place("Espoo, Finland")


EXPECTED_CERTIFICATIONS = {
    "alex_chen.txt": ["AWS Certified Solutions Architect – Associate",
                      "Certified Kubernetes Administrator (CKA)", "HashiCorp Certified: Terraform Associate"],
    "priya_natarajan.md": ["Google Cloud Professional Data Engineer",
                           "Databricks Certified Associate Developer for Apache Spark"],
    "jordan_lee.txt": ["Meta Front-End Developer Professional Certificate",
                       "Certified ScrumMaster (CSM), Scrum Alliance"],
    "marcus_johnson.pdf": ["AWS Certified Developer – Associate",
                           "Oracle Certified Professional, Java SE 11 Developer"],
    "emma_novak.pdf": ["AWS Certified Solutions Architect – Professional",
                       "Google Cloud Professional Cloud Architect",
                       "Certified Kubernetes Security Specialist (CKS)"],
    "sofia_garcia.docx": ["TensorFlow Developer Certificate",
                          "Microsoft Certified: Azure AI Engineer Associate"],
}


EXPECTED_ROLES = {
    "alex_chen.txt": ["Senior DevOps Engineer", "DevOps Engineer"],
    "priya_natarajan.md": ["Data Engineer", "Senior Data Engineer"],
    "jordan_lee.txt": ["Frontend Developer", "Web Developer Intern"],
    "marcus_johnson.pdf": ["Backend Software Engineer", "Software Engineer II", "Software Engineer"],
    "emma_novak.pdf": ["Site Reliability Engineer", "Senior Site Reliability Engineer", "Software Engineer"],
    "sofia_garcia.docx": ["Machine Learning Engineer", "ML engineer", "Data Scientist"],
}


@pytest.mark.parametrize("name", NAMES)
def test_certifications_are_found_and_are_not_roles(profiles, name):
    profile = profiles[name]
    assert profile.certifications == EXPECTED_CERTIFICATIONS[name]
    # no "Solutions Architect", "Cloud Architect", "Developer", "Azure AI Engineer", ... from them
    assert profile.roles == EXPECTED_ROLES[name]


def test_a_certification_in_a_sentence_is_not_a_role(profiles):
    # emma's summary: "AWS Certified Solutions Architect – Professional. I enjoy mentoring ..."
    assert "Solutions Architect" not in profiles["emma_novak.pdf"].roles
    assert profiles["emma_novak.pdf"].roles[:2] == ["Site Reliability Engineer",
                                                    "Senior Site Reliability Engineer"]


@pytest.mark.parametrize("name", NAMES)
def test_soft_words_are_not_technical_skills(profiles, name):
    skills = set(profiles[name].skills)
    assert not skills & {"learning", "feedback", "communication", "teamwork", "collaboration",
                         "problem solving", "stakeholders", "mentoring", "leadership", "cloud"}
    assert len(skills) >= 8  # the real skills are all still there


EXPECTED_ACHIEVEMENTS = {
    # (employer or project, role, metric, start of the bullet) of the first achievement per job
    "alex_chen.txt": [("StartupXYZ", "Senior DevOps Engineer", "from 2 h to 15 min", "Cut deploy time"),
                      ("Acme Corp", "DevOps Engineer", "from 60 to 12", "Built on-call alerting")],
    "priya_natarajan.md": [("Flipkart", "Senior Data Engineer", "from 9 hours to 50 minutes", "Rebuilt the nightly ETL"),
                           ("Mu Sigma", "Data Engineer", "30 client pipelines", "Built Airflow DAGs")],
    "jordan_lee.txt": [("Initrode Inc.", "Frontend Developer", "18%", "Rebuilt the signup flow"),
                       ("Vandelay Industries", "Web Developer Intern", "60 WCAG issues", "Built an accessibility"),
                       ("Trailmix", None, "1,500 monthly users", "Grew to 1,500")],
    "marcus_johnson.pdf": [("Globex Corporation", "Software Engineer II", "from 800 ms to 120 ms", "Reduced p99"),
                           ("Initech", "Software Engineer", "6 microservices", "Migrated a monolithic")],
    "emma_novak.pdf": [("Zalando SE", "Senior Site Reliability Engineer", "from 40% down to 5%", "Brought the monthly"),
                       ("SoundCloud", "Site Reliability Engineer", "from 30 minutes to 2 minutes", "Automated database"),
                       ("Nokia", "Software Engineer", "4,000 radio tests", "Shipped a Python")],
    "sofia_garcia.docx": [("Umbrella Analytics", "Machine Learning Engineer", "from 71% to 89%", "Improved fraud"),
                          ("Hooli", "Data Scientist", "12 product teams", "Designed an A/B")],
}


@pytest.mark.parametrize("name", NAMES)
def test_achievements_carry_their_job_and_metric(profiles, name):
    achievements = profiles[name].achievements
    assert len(achievements) >= 3
    first_per_job = {}
    for a in achievements:
        first_per_job.setdefault(a.employer or a.project, a)
    for where, role, metric, start in EXPECTED_ACHIEVEMENTS[name]:
        a = first_per_job[where]
        assert (a.role, a.metric) == (role, metric)
        assert a.text.startswith(start)
    for a in achievements:
        assert a.employer is None or a.employer in profiles[name].employers


def test_wrapped_bullets_are_joined(profiles):
    texts = [a.text for a in profiles["marcus_johnson.pdf"].achievements]  # wrapped by the PDF column
    assert ("Reduced p99 API latency from 800 ms to 120 ms by adding a Redis cache in front of the "
            "pricing service") in texts
    texts = [a.text for a in profiles["priya_natarajan.md"].achievements]  # wrapped in the Markdown
    assert any(t.endswith("before they reached dashboards") for t in texts)


def test_bullets_without_a_result_are_not_achievements(profiles):
    texts = " | ".join(a.text for p in profiles.values() for a in p.achievements)
    for plain in ("Fixed bugs reported by support", "Learned a lot from code review feedback",
                  "Took part in the on-call rotation", "Wrote the team's onboarding guide",
                  "Introduced Terraform modules", "Presented results to leadership"):
        assert plain not in texts


@pytest.mark.parametrize("suffix", [".txt", ".md", ".pdf", ".docx"])
def test_a_program_is_refused_whatever_its_name(tmp_path, suffix):
    fake = tmp_path / f"resume{suffix}"
    fake.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    with pytest.raises(ResumeError) as caught:
        read_resume(fake)
    assert "program" in str(caught.value) and fake.name in str(caught.value)


@pytest.mark.parametrize("payload,kind", [(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
                                          (b"SQLite format 3\x00" + b"\x00" * 64, "database")])
def test_images_and_databases_are_named_for_what_they_are(tmp_path, payload, kind):
    for suffix in (".txt", ".pdf", ".docx"):
        fake = tmp_path / f"cv{suffix}"
        fake.write_bytes(payload)
        with pytest.raises(ResumeError, match=kind):
            read_resume(fake)
