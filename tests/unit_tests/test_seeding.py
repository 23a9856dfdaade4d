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
    # Bank questions easy to hard (resume questions are placed between them, see below).
    core_queue = [c for c in queue if c.kind is ItemKind.core]
    ranks = [DIFFICULTY_RANK[c.difficulty] for c in core_queue]
    assert ranks == sorted(ranks)
    # Resume questions: never first, never two in a row while there are bank questions to
    # separate them, and at most one per `resume_every` bank questions.
    n_resume = len(queue) - len(core_queue)
    if core_queue and n_resume <= len(core_queue):
        assert queue[0].kind is ItemKind.core
        assert not any(a.kind is b.kind is ItemKind.resume for a, b in zip(queue, queue[1:]))
    if config.target_count is None and core_queue:
        assert n_resume <= len(core_queue) // config.resume_every
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
    # Variety: each bank question was the least similar choice left in its difficulty band.
    for i in range(1, len(core_queue)):
        prev, cur = core_queue[i - 1], core_queue[i]
        later_same_band = [c for c in core_queue[i + 1:] if c.difficulty is cur.difficulty]
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


def _bank(n: int, seconds: int = 330, difficulty: Difficulty = Difficulty.easy) -> list[Candidate]:
    return [Candidate(key=f"c{i:02d}", kind=ItemKind.core, text="?", difficulty=difficulty,
                      type=QuestionType.technical, tags=(TAGS[i % 7],), expected_seconds=seconds)
            for i in range(n)]


def _resume(n: int, achievements: int = 0, seconds: int = 180) -> list[Candidate]:
    return [Candidate(key=f"r{i:02d}", kind=ItemKind.resume, text=f"Resume {i}?",
                      difficulty=Difficulty.medium, type=QuestionType.behavioral,
                      tags=("resume", "achievement") if i < achievements else ("resume",),
                      expected_seconds=seconds) for i in range(n)]


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31), core_seconds=st.integers(min_value=120, max_value=390),
       resume_seconds=st.sampled_from([150, 180, 210]))
def test_a_30_minute_session_with_a_resume_asks_about_it_at_least_three_times(seed, core_seconds,
                                                                              resume_seconds):
    """The default ratio (one resume question per bank question): whenever a bank question and
    a resume question together take at most 10 minutes (bundled banks: 3.8-7 minutes a bank
    question, resume questions 2.5-3.5), at least 3 resume questions, spread out, none twice."""
    config = SessionConfig(module_ids=["m"], target_minutes=30)
    queue = build_queue(_bank(30, core_seconds), _resume(12, 4, resume_seconds), config, seed)
    kinds = [c.kind for c in queue]
    resume_keys = [c.key for c in queue if c.kind is ItemKind.resume]
    assert len(resume_keys) >= 3
    assert len(set(resume_keys)) == len(resume_keys)
    assert kinds[0] is ItemKind.core
    assert not any(a is b is ItemKind.resume for a, b in zip(kinds, kinds[1:]))


def test_the_mixed_bundled_length_used_to_fit_only_one_resume_question():
    """The cause of '1 resume question in 30 minutes': one in four at ~5.5-minute bank questions.
    resume_every=3 still gives exactly that ratio; the default is now 1."""
    core, resume = _bank(30, 330), _resume(12, 4)
    old = build_queue(core, resume, SessionConfig(module_ids=["m"], target_minutes=30, resume_every=3), 1)
    new = build_queue(core, resume, SessionConfig(module_ids=["m"], target_minutes=30), 1)
    assert sum(c.kind is ItemKind.resume for c in old) == 1
    assert sum(c.kind is ItemKind.resume for c in new) >= 3


def test_achievement_questions_come_first_and_alternate_with_the_others():
    config = SessionConfig(module_ids=["m"], target_count=8)
    for seed in range(20):
        queue = build_queue(_bank(10), _resume(10, achievements=3), config, seed)
        tags = [("achievement" in c.tags) for c in queue if c.kind is ItemKind.resume]
        assert tags == [True, False, True, False]


def test_a_core_question_that_does_not_fit_lets_no_second_resume_question_in():
    # 25 minutes: c(400) r(180) c(400) r(180) leaves 340 s; the third bank question does not
    # fit, and a third 180 s resume question would, but would sit next to the second one
    config = SessionConfig(module_ids=["m"], target_minutes=25)
    queue = build_queue(_bank(4, 400), _resume(6), config, seed=0)
    kinds = [c.kind.value for c in queue]
    assert kinds == ["core", "resume", "core", "resume"]


def test_resume_questions_fill_a_count_when_bank_questions_run_out():
    queue = build_queue(_bank(2), _resume(5), SessionConfig(module_ids=["m"], target_count=6), seed=4)
    assert len(queue) == 6 and [c.kind.value for c in queue][:4] == ["core", "resume", "core", "resume"]


def test_a_bank_question_is_taken_only_if_the_resume_question_due_after_it_fits_too():
    from talentsync_tui.engine.seeding import select

    c420, c480a, c480b, c300 = (_bank(1, s)[0] for s in (420, 480, 480, 300))
    c480a, c480b, c300 = (c._replace(key=k) if hasattr(c, "_replace") else type(c)(**{**c.__dict__, "key": k})
                          for c, k in ((c480a, "a"), (c480b, "b"), (c300, "c")))
    r1, r2, r3 = _resume(3)
    stream = [c420, r1, c480a, r2, c480b, r3, c300]
    chosen = select(iter(stream), SessionConfig(module_ids=["m"], target_minutes=30), 30)
    # 420+180+480+180 = 1260: a third 480 s question would leave 60 s, no room for r3;
    # the 300 s one leaves room for it
    assert [c.key for c in chosen] == [c420.key, "r00", "a", "r01", "c", "r02"]
