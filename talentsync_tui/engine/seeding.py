"""Choosing and ordering a session's questions: pure functions, deterministic per seed."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from talentsync_tui.models import DIFFICULTY_RANK, Difficulty, ItemKind, QuestionType, SessionConfig


ACHIEVEMENT_TAG = "achievement"
"""The tag of resume questions written from an achievement on the resume."""


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

    The ratio holds while filling: a resume question is taken only when `resume_every`
    core questions per resume question are already in (a core question that did not fit
    the remaining time does not let two resume questions through), and a core question that
    completes a group is taken only if the resume question due after it fits too. With a
    count to reach and too few core questions, the resume questions held back fill the rest.
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
    budget = (config.target_minutes or default_minutes) * 60
    items = list(stream)
    bank = [c for c in items if c.kind is not ItemKind.resume]
    waiting = [c for c in items if c.kind is ItemKind.resume]
    if not bank:  # nothing but resume questions: as many as fit
        for candidate in waiting:
            if not chosen or candidate.expected_seconds <= budget:
                chosen.append(candidate)
                budget -= candidate.expected_seconds
        return chosen
    for candidate in bank:
        # a bank question that completes a group of `every` is taken only if the resume
        # question due after it fits as well (else a shorter bank question may, later)
        due = bool(waiting) and (cores + 1) % every == 0
        reserve = waiting[0].expected_seconds if due else 0
        if chosen and candidate.expected_seconds + reserve > budget:
            continue
        chosen.append(candidate)
        budget -= candidate.expected_seconds
        cores += 1
        if due:
            fitting = next((r for r in waiting if r.expected_seconds <= budget), None)
            if fitting is not None:
                waiting.remove(fitting)
                chosen.append(fitting)
                budget -= fitting.expected_seconds
                resumes += 1
        if budget <= 0:
            break
    return chosen


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
