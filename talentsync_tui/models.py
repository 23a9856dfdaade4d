"""Domain models: the language every layer speaks (pydantic v2).

Bank content (modules, questions, follow-up templates) is validated here, so
every importer gets the same rules: non-empty text, bounded lengths, known
difficulties and types, and no terminal control sequences.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

# ESC-introduced sequences (CSI, OSC, two-byte escapes) and other C0/C1 controls.
_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

MAX_ID = 80
MAX_SHORT = 200
MAX_TEXT = 4000
MAX_LONG = 20000
MAX_LIST = 100

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


def clean_text(value: str) -> str:
    """Remove terminal escape sequences and control characters; keep markup literally."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ANSI_RE.sub("", value)
    return _CONTROL_RE.sub("", value).strip()


def slugify(value: str) -> str:
    """Turn a free-form name into an id usable as a module or question id."""
    slug = re.sub(r"[^a-z0-9]+", "-", clean_text(value).lower()).strip("-")
    return slug[:MAX_ID] or "item"


def _text(max_len: int):
    def check(value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("must not be empty")
        if len(value) > max_len:
            raise ValueError(f"is too long ({len(value)} characters, at most {max_len})")
        return value

    return AfterValidator(check)


ShortText = Annotated[str, _text(MAX_SHORT)]
Text = Annotated[str, _text(MAX_TEXT)]
LongText = Annotated[str, _text(MAX_LONG)]
Ident = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID)]


class Difficulty(str, Enum):
    easy = "easy"
    medium = "medium"
    hard = "hard"

    @property
    def rank(self) -> int:
        return DIFFICULTY_RANK[self]


DIFFICULTY_RANK = {Difficulty.easy: 0, Difficulty.medium: 1, Difficulty.hard: 2}


class QuestionType(str, Enum):
    behavioral = "behavioral"
    technical = "technical"
    system_design = "system_design"
    coding = "coding"
    situational = "situational"


class ItemKind(str, Enum):
    """Where a queued question came from."""

    core = "core"
    resume = "resume"
    followup = "followup"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Question(_Strict):
    """One bank question with everything needed to ask it and score the answer."""

    id: Ident
    text: Text
    difficulty: Difficulty
    type: QuestionType
    tags: list[Annotated[str, _text(60)]] = Field(default_factory=list, max_length=30)
    expected_seconds: int = Field(default=180, gt=0, le=7200)
    expected_points: list[Text] = Field(default_factory=list, max_length=MAX_LIST)
    model_answer: LongText | None = None
    follow_ups: list[Text] = Field(default_factory=list, max_length=MAX_LIST)

    @field_validator("tags")
    @classmethod
    def _normalise_tags(cls, tags: list[str]) -> list[str]:
        seen: list[str] = []
        for tag in tags:
            tag = tag.lower()
            if tag not in seen:
                seen.append(tag)
        return seen


class Module(_Strict):
    """A question bank: one module and its questions (the native file format)."""

    id: Ident
    name: ShortText
    category: ShortText
    description: Text = "No description."
    default_minutes: int = Field(default=30, gt=0, le=600)
    questions: list[Question] = Field(default_factory=list, max_length=50000)

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, questions: list[Question]) -> list[Question]:
        seen: set[str] = set()
        for q in questions:
            if q.id in seen:
                raise ValueError(f"duplicate question id {q.id!r}")
            seen.add(q.id)
        return questions


class ModuleSummary(BaseModel):
    id: str
    name: str
    category: str
    description: str
    default_minutes: int
    question_count: int
    difficulty_mix: dict[str, int]


class StoredQuestion(Question):
    """A question as the store returns it, with its module and global key."""

    model_config = ConfigDict(extra="ignore")
    module_id: str

    @property
    def key(self) -> str:
        return f"{self.module_id}/{self.id}"


class Achievement(BaseModel):
    """A resume bullet with a number or an outcome, and the job it was achieved in.

    ``text`` is the bullet as written ("Cut deploy time from 2 h to 15 min by caching
    Docker layers"), ``metric`` its measurable part ("from 2 h to 15 min"), if any.
    """

    text: str
    employer: str | None = None
    role: str | None = None
    metric: str | None = None
    project: str | None = None
    """Set instead of the employer for a bullet under a project ("Trailmix")."""

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        value = " ".join(clean_text(value).split())
        if not value:
            raise ValueError("must not be empty")
        return value[:MAX_SHORT * 2]

    @field_validator("employer", "role", "metric", "project")
    @classmethod
    def _short(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(clean_text(value).split())[:MAX_SHORT]
        return value or None


class Profile(BaseModel):
    id: int | None = None
    name: str
    created_at: datetime | None = None
    resume_text: str | None = None
    skills: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    employers: list[str] = Field(default_factory=list)
    projects: list[str] = Field(default_factory=list)
    years_experience: float | None = None
    certifications: list[str] = Field(default_factory=list)
    achievements: list[Achievement] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("must not be empty")
        return value[:MAX_SHORT]


class SessionStatus(str, Enum):
    active = "active"
    paused = "paused"
    completed = "completed"


class SessionConfig(BaseModel):
    """What the candidate asked for when creating a session."""

    module_ids: list[str] = Field(min_length=1)
    target_minutes: int | None = Field(default=None, gt=0, le=600)
    target_count: int | None = Field(default=None, gt=0, le=500)
    min_difficulty: Difficulty = Difficulty.easy
    max_difficulty: Difficulty = Difficulty.hard
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)  # what SQLite can store
    resume_every: int = Field(default=1, ge=1, le=50)
    """One resume-driven question after every N core questions (1: they alternate, so a
    30-minute session of ~5-minute bank questions asks about the resume three times)."""
    follow_ups: bool = True
    max_follow_ups_per_question: int = Field(default=1, ge=0, le=3)
    follow_up_timing: Literal["immediate", "after-next"] = "immediate"
    """"immediate": the follow-up is the next question, as in a real interview."""
    review_keys: list[str] = Field(default_factory=list, max_length=500)
    """A practice session: these questions (the reviews due when it was made) come first, in
    this order, then questions sharing their tags; empty for an ordinary session."""


class Session(BaseModel):
    id: int
    profile_id: int
    status: SessionStatus
    config: SessionConfig
    seed: int
    created_at: datetime
    completed_at: datetime | None = None
    uid: str | None = None
    """Globally unique (a UUID): the same session on every laptop it is copied to."""
    origin: str | None = None
    """The machine an imported session came from (None: taken here)."""


class ItemStatus(str, Enum):
    pending = "pending"
    answered = "answered"
    skipped = "skipped"


class SessionItem(BaseModel):
    """One entry of a session's queue (a copy of the question as it was asked)."""

    id: int
    session_id: int
    position: int
    kind: ItemKind
    question_key: str | None
    text: str
    difficulty: Difficulty
    type: QuestionType
    tags: list[str]
    expected_seconds: int
    expected_points: list[str]
    follow_ups: list[str]
    parent_item_id: int | None = None
    retry_of: int | None = None
    """The first attempt of the question this item asks again (a retry), else None."""
    status: ItemStatus = ItemStatus.pending
    shown_at: datetime | None = None
    resumed_at: datetime | None = None
    """When the clock last (re)started; None while paused or not yet shown."""
    spent_seconds: float = 0.0
    """Seconds banked before the last pause."""
    source: str | None = None
    """How a follow-up was produced: 'template' or 'model'."""
    latency_ms: float | None = None


class Response(BaseModel):
    id: int
    item_id: int
    session_id: int
    text: str
    skipped: bool
    shown_at: datetime | None
    submitted_at: datetime
    elapsed_seconds: float
    word_count: int


class JobStatus(str, Enum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"


class Job(BaseModel):
    id: int
    kind: str
    response_id: int
    status: JobStatus
    attempts: int
    error: str | None = None


class Feedback(BaseModel):
    """Scores and advice for one response."""

    response_id: int | None = None
    score: int = Field(ge=0, le=100)
    coverage: float = Field(ge=0, le=1)
    covered_points: list[str] = Field(default_factory=list)
    missed_points: list[str] = Field(default_factory=list)
    star: dict[str, bool] | None = None
    specificity: float = Field(ge=0, le=1, default=0)
    timing: str = ""
    strengths: list[str] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    summary: str = ""
    narrative: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


MAX_ANSWER = 200_000
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _uuid(value: str) -> str:
    if not _UUID_RE.match(value):
        raise ValueError("must be a UUID (36 characters, lower case)")
    return value

MAX_ITEMS = 5_000


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordedResponse(_Record):
    """An answer as it travels in a bundle, with its feedback (if graded yet)."""

    text: str = Field(max_length=MAX_ANSWER)
    skipped: bool
    shown_at: datetime | None = None
    submitted_at: datetime
    elapsed_seconds: float = Field(ge=0, le=10**7)
    word_count: int = Field(ge=0, le=MAX_ANSWER)
    feedback: Feedback | None = None
    grading: bool = False
    """Its feedback job had not finished: `feedback`, if any, is the quick preview."""


class RecordedItem(_Record):
    """One question of a session as it was asked, with its answer."""

    position: int = Field(ge=0, lt=MAX_ITEMS)
    kind: ItemKind
    question_key: str | None = Field(default=None, max_length=2 * MAX_ID + 1)
    text: str = Field(min_length=1, max_length=MAX_LONG)
    difficulty: Difficulty
    type: QuestionType
    tags: list[Annotated[str, Field(max_length=MAX_SHORT)]] = Field(default_factory=list, max_length=MAX_LIST)
    expected_seconds: int = Field(gt=0, le=7200)
    expected_points: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=list,
                                                                              max_length=MAX_LIST)
    follow_ups: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(default_factory=list,
                                                                         max_length=MAX_LIST)
    parent_position: int | None = Field(default=None, ge=0, lt=MAX_ITEMS)
    """The position of the question a follow-up digs into."""
    retry_of_position: int | None = Field(default=None, ge=0, lt=MAX_ITEMS)
    """For a retry: the position of the question's first attempt."""
    status: ItemStatus = ItemStatus.pending
    shown_at: datetime | None = None
    spent_seconds: float = Field(default=0.0, ge=0, le=10**7)
    source: str | None = Field(default=None, max_length=MAX_SHORT)
    latency_ms: float | None = Field(default=None, ge=0, le=10**9)
    response: RecordedResponse | None = None


class SessionRecord(_Record):
    """A whole session (profile name, setup, questions as asked, answers, feedback,
    follow-ups): what `session export --bundle` writes and `session import` reads."""

    uid: Annotated[str, AfterValidator(_uuid)]
    profile_name: ShortText
    status: SessionStatus
    config: SessionConfig
    seed: int = Field(ge=0, le=2**63 - 1)
    created_at: datetime
    completed_at: datetime | None = None
    origin: str | None = Field(default=None, max_length=MAX_SHORT)
    items: list[RecordedItem] = Field(max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _consistent(self) -> SessionRecord:
        positions = [item.position for item in self.items]
        if len(set(positions)) != len(positions):
            raise ValueError("two questions share one position")
        for item in self.items:
            where = f"question at position {item.position}"
            if item.parent_position is not None and item.parent_position not in positions:
                raise ValueError(f"{where} follows up a question that is not in the session")
            if item.parent_position is not None and item.parent_position >= item.position:
                raise ValueError(f"{where} follows up a later question")
            if (item.status is ItemStatus.pending) != (item.response is None):
                raise ValueError(f"{where} is {item.status.value} but "
                                 f"{'has' if item.response else 'has no'} answer")
            if item.response is not None and item.response.skipped != (item.status is ItemStatus.skipped):
                raise ValueError(f"{where} is {item.status.value} but its answer says otherwise")
        return self


class SessionStatusReport(BaseModel):
    """Progress of a session, as the TUI's status line and `session show` need it."""

    session_id: int
    status: SessionStatus
    answered: int
    skipped: int
    remaining: int
    total: int
    elapsed_seconds: float
    estimated_remaining_seconds: int
    current_position: int | None


class ReviewTarget(BaseModel):
    """What one graded answer says about one reviewable thing: a missed or covered expected
    point (`point` 1..n), or the whole question (`point` 0)."""

    question_key: str
    point: int = Field(ge=0)
    rating: int = Field(ge=1, le=4)
    """The fsrs rating: 1 Again, 2 Hard, 3 Good, 4 Easy."""
    creates: bool
    """True when this answer makes the review item if it does not exist yet (a miss)."""
    question_text: str
    point_text: str | None = None
    tags: list[str] = Field(default_factory=list)


class ReviewItem(BaseModel):
    """Something a candidate got wrong, scheduled for practice by spaced repetition."""

    id: int
    profile_id: int
    question_key: str
    point: int
    """0: the whole question (it scored low); 1..n: that expected point (it was missed)."""
    question_text: str
    point_text: str | None
    tags: list[str]
    due: datetime
    reviews: int
    """Answers that reviewed it after it was made."""
    lapses: int
    """Of those, the ones that missed it again."""
    stability: float | None = None
    created_at: datetime
    updated_at: datetime


class ReviewSummary(BaseModel):
    """What the home screen says about a profile's reviews."""

    due: int
    questions: int
    """How many questions the due reviews come from."""
    total: int
    topics: list[str]
    """The topics (tags) of the due reviews, most frequent first."""
    next_due: datetime | None
    """When the next review falls due, if none is due now."""


class AnswerRecord(BaseModel):
    """One scored answer of a profile, as progress over time reads it."""

    session_id: int
    session_started: datetime
    question_key: str | None
    question_text: str
    kind: ItemKind
    tags: list[str]
    retry: bool
    skipped: bool
    submitted_at: datetime
    feedback: Feedback


class TrendPoint(BaseModel):
    session_id: int
    started: datetime
    score: float
    answers: int


class MissedPoint(BaseModel):
    """An expected point and how often this candidate's answers missed it."""

    question_key: str
    question_text: str
    point: str
    missed: int
    answered: int
    covered_last: bool
    """Whether the latest answer to the question covered it (progress)."""


class Progress(BaseModel):
    """A profile's scores over time, by module and by tag, and the points most often missed."""

    overall: list[TrendPoint]
    modules: dict[str, list[TrendPoint]]
    tags: dict[str, list[TrendPoint]]
    """The most practised tags only (see `services.PROGRESS_TAGS`)."""
    missed: list[MissedPoint]
