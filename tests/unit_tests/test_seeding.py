"""Invariants of session seeding: deterministic, ordered, varied, fitted to the target."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentsync_tui.engine.seeding import Candidate, build_queue, conflict, interleave
from talentsync_tui.models import DIFFICULTY_RANK, Difficulty, ItemKind, QuestionType, SessionConfig

TAGS = ["arrays", "graphs", "sql", "caching", "testing", "async", "teamwork"]


@st.composite
def candidates(draw, kind=ItemKind.core, prefix="q"):
    n = draw(st.integers(min_value=0, max_value=40))
    return [
        Candidate(
            key=f"{prefix}{i}",
            kind=kind,
            text=f"Question {prefix}{i}?",
            difficulty=draw(st.sampled_from(list(Difficulty))),
            type=draw(st.sampled_from(list(QuestionType))),
            tags=tuple(draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True))),
            expected_seconds=draw(st.integers(min_value=30, max_value=600)),
        )
        for i in range(n)
    ]


configs = st.builds(
    lambda count, minutes, lo, hi, every: SessionConfig(
        module_ids=["m"],
        target_count=count,
        target_minutes=None if count else minutes,
        min_difficulty=min(lo, hi, key=DIFFICULTY_RANK.get),
        max_difficulty=max(lo, hi, key=DIFFICULTY_RANK.get),
        resume_every=every,
    ),
    st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
    st.integers(min_value=1, max_value=90),
    st.sampled_from(list(Difficulty)),
    st.sampled_from(list(Difficulty)),
    st.integers(min_value=1, max_value=5),
)


@settings(max_examples=200, deadline=None)
@given(core=candidates(), resume=candidates(kind=ItemKind.resume, prefix="r"), config=configs,
       seed=st.integers(min_value=0, max_value=2**31))
def test_queue_invariants(core, resume, config, seed):
    queue = build_queue(core, resume, config, seed, default_minutes=30)

    # Same inputs and seed give the same queue, whatever order the inputs came in.
    assert queue == build_queue(list(reversed(core)), resume, config, seed, default_minutes=30)
    # No question twice; every question within the difficulty range.
    assert len({c.key for c in queue}) == len(queue)
    lo, hi = DIFFICULTY_RANK[config.min_difficulty], DIFFICULTY_RANK[config.max_difficulty]
    assert all(lo <= DIFFICULTY_RANK[c.difficulty] <= hi for c in queue)
    # Easy to hard.
    ranks = [DIFFICULTY_RANK[c.difficulty] for c in queue]
    assert ranks == sorted(ranks)
    eligible = [c for c in core + resume if lo <= DIFFICULTY_RANK[c.difficulty] <= hi]
    if config.target_count:
        assert len(queue) == min(config.target_count, len(eligible))
    else:
        budget = config.target_minutes * 60
        # Fits the duration: never more than the budget plus the one question that may open it.
        assert sum(c.expected_seconds for c in queue) <= budget + max(
            [c.expected_seconds for c in queue[:1]] + [0]
        )
        if eligible:
            assert queue
    # Variety: each neighbour was the least similar choice left in its difficulty band.
    for i in range(1, len(queue)):
        prev, cur = queue[i - 1], queue[i]
        later_same_band = [c for c in queue[i + 1:] if c.difficulty is cur.difficulty]
        assert all(conflict(prev, cur) <= conflict(prev, other) for other in later_same_band)


def test_avoidable_repeats_are_avoided():
    core = [
        Candidate(key=f"{tag}{i}", kind=ItemKind.core, text="?", difficulty=Difficulty.easy,
                  type=QuestionType.technical, tags=(tag,), expected_seconds=60)
        for tag in ("sql", "graphs", "async") for i in range(3)
    ]
    queue = build_queue(core, [], SessionConfig(module_ids=["m"], target_count=9), seed=3)
    assert all(set(a.tags).isdisjoint(b.tags) for a, b in zip(queue, queue[1:]))


def test_resume_questions_are_interleaved_at_the_ratio():
    core = [Candidate(key=f"c{i}", kind=ItemKind.core, text="?", difficulty=Difficulty.medium,
                      type=QuestionType.technical) for i in range(9)]
    resume = [Candidate(key=f"r{i}", kind=ItemKind.resume, text="?", difficulty=Difficulty.medium,
                        type=QuestionType.behavioral) for i in range(9)]
    stream = [c.kind for c in interleave(core, resume, every=3)][:8]
    assert stream == [ItemKind.core] * 3 + [ItemKind.resume] + [ItemKind.core] * 3 + [ItemKind.resume]
    queue = build_queue(core, resume, SessionConfig(module_ids=["m"], target_count=8, resume_every=3), 1)
    assert sum(c.kind is ItemKind.resume for c in queue) == 2


def test_different_seeds_give_different_queues():
    core = [Candidate(key=f"c{i}", kind=ItemKind.core, text="?", difficulty=Difficulty.easy,
                      type=QuestionType.technical, tags=(TAGS[i % 7],)) for i in range(30)]
    config = SessionConfig(module_ids=["m"], target_count=10)
    queues = {tuple(c.key for c in build_queue(core, [], config, seed)) for seed in range(5)}
    assert len(queues) > 1
