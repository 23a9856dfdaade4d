"""Choosing and ordering a session's questions: pure functions, deterministic per seed."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from talentsync_tui.models import DIFFICULTY_RANK, Difficulty, ItemKind, QuestionType, SessionConfig


ACHIEVEMENT_TAG = "achievement"
"""The tag of resume questions written from an achievement on the resume."""

MIN_RESUME_QUESTIONS = 3
"""A session fitted to a length asks at least this many resume questions when the resume
gives them and they fit with the bank questions the ratio needs (see `resume_floor`)."""


def follow_up_seconds(expected_seconds: int) -> int:
    """The expected time of a follow-up to a question that takes `expected_seconds`."""
    return max(60, expected_seconds // 2)


def follow_up_allowance(expected_seconds: int, config: SessionConfig) -> int:
    """The follow-up time a question is expected to bring in a session with `config`: its
    follow-ups at most, when follow-ups are on (0 when they are off or capped at 0)."""
    if not config.follow_ups or config.max_follow_ups_per_question <= 0:
        return 0
    return follow_up_seconds(expected_seconds) * config.max_follow_ups_per_question


def planned_seconds(expected_seconds: int, config: SessionConfig) -> int:
    """What a question costs in the session's length: its own time plus its follow-ups'.
    The one formula both the fitting (`select`) and the shown estimate use."""
    return expected_seconds + follow_up_allowance(expected_seconds, config)


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked: from a bank (core) or generated from a resume."""

    key: str
    kind: ItemKind
    text: str
    difficulty: Difficulty
    type: QuestionType
    tags: tuple[str, ...] = ()
    expected_seconds: int = 180
    expected_points: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = field(default=())

    def as_item(self) -> dict:
        return {
            "kind": self.kind,
            "question_key": self.key if self.kind is ItemKind.core else None,
            "text": self.text,
            "difficulty": self.difficulty,
            "type": self.type,
            "tags": list(self.tags),
            "expected_seconds": self.expected_seconds,
            "expected_points": list(self.expected_points),
            "follow_ups": list(self.follow_ups),
        }


def conflict(a: Candidate, b: Candidate) -> int:
    """How alike two neighbours are: shared tags weigh most, then type, then two resume items."""
    score = 2 * len(set(a.tags) & set(b.tags))
    score += a.type == b.type
    score += a.kind is ItemKind.resume and b.kind is ItemKind.resume
    return score


def in_range(c: Candidate, config: SessionConfig) -> bool:
    rank = DIFFICULTY_RANK[c.difficulty]
    return DIFFICULTY_RANK[config.min_difficulty] <= rank <= DIFFICULTY_RANK[config.max_difficulty]


def interleave(core: list[Candidate], resume: list[Candidate], every: int) -> Iterator[Candidate]:
    """One resume-driven question after every `every` core questions, then whatever is left."""
    ci = ri = 0
    while ci < len(core) or ri < len(resume):
        for _ in range(every):
            if ci < len(core):
                yield core[ci]
                ci += 1
        if ri < len(resume):
            yield resume[ri]
            ri += 1


def select(stream: Iterator[Candidate], config: SessionConfig, default_minutes: int) -> list[Candidate]:
    """Take questions until the target count, or fill the target duration.

    A question costs its `planned_seconds` (its expected time plus its follow-ups' when
    follow-ups are on), so the estimate of the chosen questions never passes the length
    (save for a first question longer than the whole session, which is still asked).

    The ratio holds while filling: a resume question is taken only when `resume_every`
    core questions per resume question are already in (a core question that did not fit
    the remaining time does not let two resume questions through), and a core question that
    completes a group is taken only if the resume question due after it fits too. Up to
    `resume_floor` resume questions are owed: until they are in, a bank question is taken
    only if the owed resume questions and the bank questions the ratio needs for them still
    fit after it (a long bank question gives way to a shorter one later in the stream).
    With a count to reach and too few core questions, the resume questions held back fill
    the rest.
    """
    every = config.resume_every
    chosen: list[Candidate] = []
    held_back: list[Candidate] = []
    cores = resumes = 0

    def ratio_allows(candidate: Candidate) -> bool:
        return candidate.kind is not ItemKind.resume or resumes < cores // every

    if config.target_count is not None:
        for candidate in stream:
            if not ratio_allows(candidate):
                held_back.append(candidate)
                continue
            chosen.append(candidate)
            cores += candidate.kind is not ItemKind.resume
            resumes += candidate.kind is ItemKind.resume
            if len(chosen) >= config.target_count:
                break
        chosen.extend(held_back[:config.target_count - len(chosen)])
        return chosen

    def cost(candidate: Candidate) -> int:
        return planned_seconds(candidate.expected_seconds, config)

    budget = (config.target_minutes or default_minutes) * 60
    items = list(stream)
    bank = [c for c in items if c.kind is not ItemKind.resume]
    waiting = [c for c in items if c.kind is ItemKind.resume]
    if not bank:  # nothing but resume questions: as many as fit
        for candidate in waiting:
            if not chosen or cost(candidate) <= budget:
                chosen.append(candidate)
                budget -= cost(candidate)
        return chosen
    bank_costs = [cost(c) for c in bank]
    floor = resume_floor(bank_costs, [cost(c) for c in waiting], every, budget)
    # the shortest bank questions from each position on (as many as the floor may need)
    shortest_from = _shortest_suffixes(bank_costs, floor * every) if floor else []
    for index, candidate in enumerate(bank):
        due = bool(waiting) and (cores + 1) % every == 0
        if resumes < floor:
            # the owed resume questions and the bank questions they need must still fit
            # after this one (and after the resume question due after it, if one is)
            later = sum(shortest_from[index + 1][:max(0, floor * every - cores - 1)])
            left = budget - cost(candidate)
            if not due:
                if left < _cheapest([cost(r) for r in waiting], floor - resumes) + later:
                    continue
                fitting = None
            else:
                fitting = next((r for r in waiting if left - cost(r) >= later + _cheapest(
                    [cost(o) for o in waiting if o is not r], floor - resumes - 1)), None)
                if fitting is None:
                    continue
        else:
            # a bank question that completes a group of `every` is taken only if the resume
            # question due after it fits as well (else a shorter bank question may, later)
            reserve = cost(waiting[0]) if due else 0
            if chosen and cost(candidate) + reserve > budget:
                continue
            fitting = next((r for r in waiting if cost(r) <= budget - cost(candidate)), None) if due else None
        chosen.append(candidate)
        budget -= cost(candidate)
        cores += 1
        if fitting is not None:
            waiting.remove(fitting)
            chosen.append(fitting)
            budget -= cost(fitting)
            resumes += 1
        if budget <= 0:
            break
    return chosen


def resume_floor(bank_costs: list[int], resume_costs: list[int], every: int, budget: int) -> int:
    """How many resume questions a session of `budget` seconds owes: the most, up to
    `MIN_RESUME_QUESTIONS`, that fit together with the `every` bank questions each needs,
    counting the shortest of both."""
    floor = min(MIN_RESUME_QUESTIONS, len(resume_costs), len(bank_costs) // every)
    while floor > 0 and _cheapest(resume_costs, floor) + _cheapest(bank_costs, floor * every) > budget:
        floor -= 1
    return floor


def _shortest_suffixes(costs: list[int], k: int) -> list[tuple[int, ...]]:
    """For each position i (and len(costs)), the k smallest of costs[i:], ascending: O(n k)."""
    result: list[tuple[int, ...]] = [()] * (len(costs) + 1)
    smallest: list[int] = []
    for i in range(len(costs) - 1, -1, -1):
        bisect.insort(smallest, costs[i])
        del smallest[k:]
        result[i] = tuple(smallest)
    return result


def _cheapest(costs: list[int], n: int) -> int:
    """The sum of the `n` smallest of `costs` (0 for n <= 0)."""
    return sum(sorted(costs)[:n]) if n > 0 else 0


def order(chosen: list[Candidate]) -> list[Candidate]:
    """Bank questions easy to hard, inside a band greedily the least similar next neighbour
    (ties keep order); resume questions spread evenly between them, never two in a row when
    there are enough bank questions to separate them, never first."""
    core = _by_difficulty([c for c in chosen if c.kind is not ItemKind.resume])
    resume = [c for c in chosen if c.kind is ItemKind.resume]
    return spread(core, resume)


def spread(core: list[Candidate], resume: list[Candidate]) -> list[Candidate]:
    """`resume` items placed evenly after core items, in their order; surplus ones at the end."""
    if not core or not resume:
        return core + resume
    placed = min(len(resume), len(core))
    after: dict[int, Candidate] = {}
    for k in range(placed):
        # after core number floor((k + 1) * n / r + 0.5): strictly increasing, the last one last
        slot = math.floor((k + 1) * len(core) / placed + 0.5)
        after[min(len(core), max(1, slot))] = resume[k]
    result: list[Candidate] = []
    for index, candidate in enumerate(core, start=1):
        result.append(candidate)
        if index in after:
            result.append(after[index])
    return result + resume[placed:]


def _by_difficulty(chosen: list[Candidate]) -> list[Candidate]:
    """Easy to hard; inside a band, greedily the least similar next neighbour (ties keep order)."""
    result: list[Candidate] = []
    for difficulty in Difficulty:
        band = [c for c in chosen if c.difficulty is difficulty]
        while band:
            if result:
                prev = result[-1]
                best = min(range(len(band)), key=lambda i: conflict(prev, band[i]))
            else:
                best = 0
            result.append(band.pop(best))
    return result


def choose(core: list[Candidate], resume: list[Candidate], config: SessionConfig,
           seed: int, default_minutes: int = 30) -> list[Candidate]:
    """Filter, shuffle, interleave and fit: which questions the session gets (not yet ordered)."""
    rng = random.Random(seed)
    core = sorted((c for c in core if in_range(c, config)), key=lambda c: c.key)
    rng.shuffle(core)
    return select(interleave(core, resume_order(resume, config, rng), config.resume_every),
                  config, default_minutes)


def resume_order(resume: list[Candidate], config: SessionConfig, rng: random.Random) -> list[Candidate]:
    """Resume questions in asking order: each seed its own shuffle, but questions written from
    an achievement on the resume alternate with the others, first (they are the best ones)."""
    unique: dict[str, Candidate] = {}
    for candidate in resume:
        if in_range(candidate, config):
            unique.setdefault(candidate.key, candidate)
    ordered = sorted(unique.values(), key=lambda c: c.key)
    rng.shuffle(ordered)
    achievements = [c for c in ordered if ACHIEVEMENT_TAG in c.tags]
    others = [c for c in ordered if ACHIEVEMENT_TAG not in c.tags]
    result: list[Candidate] = []
    for index in range(max(len(achievements), len(others))):
        result.extend(group[index] for group in (achievements, others) if index < len(group))
    return result


def build_queue(core: list[Candidate], resume: list[Candidate], config: SessionConfig,
                seed: int, default_minutes: int = 30) -> list[Candidate]:
    """The whole seeding pipeline: choose, then order."""
    return order(choose(core, resume, config, seed, default_minutes))


def related(pool: list[Candidate], tags: set[str], exclude: set[str], config: SessionConfig,
            seed: int) -> list[Candidate]:
    """Questions sharing a tag with `tags`, most shared tags first (ties in seeded order)."""
    rng = random.Random(seed)
    found = sorted((c for c in pool if c.key not in exclude and in_range(c, config) and set(c.tags) & tags),
                   key=lambda c: c.key)
    rng.shuffle(found)
    found.sort(key=lambda c: -len(set(c.tags) & tags))  # stable: the shuffle breaks ties
    return found


def choose_review(first: list[Candidate], pool: list[Candidate], config: SessionConfig, seed: int,
                  default_minutes: int = 30) -> tuple[list[Candidate], list[Candidate]]:
    """A practice session: (the due questions that fit, in the order given; the related
    questions by tag that fill the rest of the length, not yet ordered)."""
    keys = {c.key for c in first}
    tags = {t for c in first for t in c.tags}
    chosen = select(iter(first + related(pool, tags, keys, config, seed)), config, default_minutes)
    return [c for c in chosen if c.key in keys], [c for c in chosen if c.key not in keys]
