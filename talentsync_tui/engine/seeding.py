"""Choosing and ordering a session's questions: pure functions, deterministic per seed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from talentsync_tui.models import DIFFICULTY_RANK, Difficulty, ItemKind, QuestionType, SessionConfig


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
    """Take questions until the target count, or fill the target duration."""
    chosen: list[Candidate] = []
    if config.target_count is not None:
        for candidate in stream:
            chosen.append(candidate)
            if len(chosen) >= config.target_count:
                break
        return chosen
    budget = (config.target_minutes or default_minutes) * 60
    for candidate in stream:
        if not chosen or candidate.expected_seconds <= budget:
            chosen.append(candidate)
            budget -= candidate.expected_seconds
        if budget <= 0:
            break
    return chosen


def order(chosen: list[Candidate]) -> list[Candidate]:
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
    resume = sorted((c for c in resume if in_range(c, config)), key=lambda c: c.key)
    rng.shuffle(core)
    rng.shuffle(resume)
    return select(interleave(core, resume, config.resume_every), config, default_minutes)


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
