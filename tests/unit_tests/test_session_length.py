"""A session fitted to a length, on the bundled banks and the sample resumes: the estimate the
setup screen shows (follow-ups included) stays within the length, and a 30-minute session with
a resume asks about it at least 3 times."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentsync_tui.models import ItemKind, SessionConfig

SAMPLES = Path(__file__).parents[1] / "data" / "resumes"
RESUMES = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".md", ".pdf", ".docx"})
MODULES = ["python", "devops-cloud", "behavioral", "system-design", "data-science-ml", "web-frontend"]


def test_the_sample_resumes_are_all_there():
    assert len(RESUMES) == 6


@pytest.mark.parametrize("resume", RESUMES, ids=lambda p: p.name)
def test_every_seeded_30_minute_session_asks_3_resume_questions_within_30_minutes(ts, resume):
    """The resume benchmark's sessions (bench/bench_resume.py: 6 modules x 10 seeds per sample
    resume), follow-ups on as in the app: used to give 2 resume questions in 2 of 60 sessions
    and an estimate of up to 45 minutes."""
    profile = ts.create_profile(resume.stem, resume)
    for module in MODULES:
        for seed in range(10):
            config = SessionConfig(module_ids=[module], target_minutes=30, seed=seed)
            queue = ts.engine.plan(profile.id, config, seed)
            keys = [c.key for c in queue if c.kind is ItemKind.resume]
            count, seconds = ts.estimate(profile.id, config)
            where = f"{module}, seed {seed}"
            assert len(keys) >= 3 and len(set(keys)) == len(keys), where
            assert queue[0].kind is ItemKind.core, where
            assert not any(a.kind is b.kind is ItemKind.resume for a, b in zip(queue, queue[1:])), where
            assert count == len(queue) and seconds <= 30 * 60, where


@pytest.mark.parametrize("max_follow_ups", [0, 1, 2, 3])
@pytest.mark.parametrize("module", ["system-design", "python", "behavioral"])
def test_the_estimate_of_a_session_stays_within_its_length(ts, module, max_follow_ups):
    """The shown estimate counts the follow-ups, so the fit does too: a "30-minute" session
    used to show about 36-45 minutes with one follow-up per question."""
    for seed in range(8):
        config = SessionConfig(module_ids=[module], target_minutes=30, seed=seed,
                               max_follow_ups_per_question=max_follow_ups)
        count, seconds = ts.estimate(None, config)
        assert count >= 1 and seconds <= 30 * 60, (seed, count, seconds)


def test_follow_ups_make_a_session_hold_fewer_questions_not_run_longer(ts):
    on = [ts.estimate(None, SessionConfig(module_ids=["python"], target_minutes=30, seed=s)) for s in range(8)]
    off = [ts.estimate(None, SessionConfig(module_ids=["python"], target_minutes=30, seed=s, follow_ups=False))
           for s in range(8)]
    assert sum(n for n, _ in on) < sum(n for n, _ in off)
    assert max(s for _, s in on) <= 30 * 60 and max(s for _, s in off) <= 30 * 60


def test_a_new_session_has_as_much_time_left_as_the_setup_screen_estimated(ts):
    """One formula: the status's remaining time of a session not yet started equals the
    estimate of the same setup (both count each question's follow-ups the same way)."""
    profile = ts.create_profile("Alex", SAMPLES / "alex_chen.txt")
    for max_follow_ups in (0, 1, 2):
        config = SessionConfig(module_ids=["devops-cloud"], target_minutes=30, seed=5,
                               max_follow_ups_per_question=max_follow_ups)
        count, seconds = ts.estimate(profile.id, config)
        session = ts.start_session(profile.id, config)
        status = ts.status(session.id)
        assert (status.total, status.estimated_remaining_seconds) == (count, seconds)
