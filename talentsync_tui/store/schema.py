"""Versioned schema migrations, applied in order and recorded in PRAGMA user_version."""

from __future__ import annotations

V1 = """
CREATE TABLE modules (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    default_minutes INTEGER NOT NULL CHECK (default_minutes > 0),
    source TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE questions (
    key TEXT PRIMARY KEY,
    module_id TEXT NOT NULL REFERENCES modules(id) ON DELETE CASCADE,
    qid TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    type TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    expected_seconds INTEGER NOT NULL CHECK (expected_seconds > 0),
    model_answer TEXT,
    content_hash TEXT NOT NULL,
    UNIQUE (module_id, qid)
);
CREATE INDEX idx_questions_module ON questions (module_id, position);
CREATE TABLE expected_points (
    id INTEGER PRIMARY KEY,
    question_key TEXT NOT NULL REFERENCES questions(key) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX idx_points_question ON expected_points (question_key, position);
CREATE TABLE followup_templates (
    id INTEGER PRIMARY KEY,
    question_key TEXT NOT NULL REFERENCES questions(key) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX idx_followups_question ON followup_templates (question_key, position);
CREATE TABLE profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    resume_path TEXT,
    resume_text TEXT,
    skills TEXT NOT NULL DEFAULT '[]',
    roles TEXT NOT NULL DEFAULT '[]',
    employers TEXT NOT NULL DEFAULT '[]',
    projects TEXT NOT NULL DEFAULT '[]',
    years_experience REAL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'completed')),
    config TEXT NOT NULL,
    seed INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX idx_sessions_profile ON sessions (profile_id, id);
CREATE TABLE session_items (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('core', 'resume', 'followup')),
    question_key TEXT,
    text TEXT NOT NULL,
    difficulty TEXT NOT NULL,
    type TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    expected_seconds INTEGER NOT NULL,
    expected_points TEXT NOT NULL DEFAULT '[]',
    follow_ups TEXT NOT NULL DEFAULT '[]',
    parent_item_id INTEGER REFERENCES session_items(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'answered', 'skipped')),
    shown_at TEXT,
    resumed_at TEXT,
    spent_seconds REAL NOT NULL DEFAULT 0,
    source TEXT,
    latency_ms REAL
);
CREATE INDEX idx_items_queue ON session_items (session_id, status, position);
CREATE INDEX idx_items_parent ON session_items (parent_item_id);
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL UNIQUE REFERENCES session_items(id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0,
    shown_at TEXT,
    submitted_at TEXT NOT NULL,
    elapsed_seconds REAL NOT NULL,
    word_count INTEGER NOT NULL
);
CREATE INDEX idx_responses_session ON responses (session_id);
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    coverage REAL NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    owner_pid INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_jobs_status ON jobs (status, id);
"""

# v2: a key/value table for facts about the database itself (bundled-bank
# fingerprint, index bookkeeping), so they need no schema change of their own.
V2 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

# v3: unsubmitted answer drafts, so typing survives a quit or a crash.
V3 = """
CREATE TABLE drafts (
    item_id INTEGER PRIMARY KEY REFERENCES session_items(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

# A random version-4 UUID in SQL (32 random hex digits with the version and variant set).
_UUID4 = ("lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) "
          "|| '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) "
          "|| '-' || hex(randomblob(6)))")

# v4: a globally unique id per session, so a session copied between laptops
# (`session export --bundle` / `session import`) is recognised again and never
# imported twice; `origin` names the machine an imported session came from
# (NULL for sessions taken here). Sessions get their uid on insert (the trigger),
# whoever inserts them.
V4 = f"""
ALTER TABLE sessions ADD COLUMN uid TEXT;
ALTER TABLE sessions ADD COLUMN origin TEXT;
UPDATE sessions SET uid = {_UUID4} WHERE uid IS NULL;
CREATE UNIQUE INDEX idx_sessions_uid ON sessions (uid);
CREATE TRIGGER sessions_uid AFTER INSERT ON sessions WHEN NEW.uid IS NULL
BEGIN
    UPDATE sessions SET uid = {_UUID4} WHERE id = NEW.id;
END;
"""

# v5: what a resume says beyond skills and jobs (certifications, achievements with their
# job), and the resume-driven questions written for a profile when its resume is read, so
# the coach model can rewrite them later in the background.
V5 = """
ALTER TABLE profiles ADD COLUMN certifications TEXT NOT NULL DEFAULT '[]';
ALTER TABLE profiles ADD COLUMN achievements TEXT NOT NULL DEFAULT '[]';
CREATE TABLE resume_questions (
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    qid TEXT NOT NULL,
    data TEXT NOT NULL,
    achievement TEXT,
    source TEXT NOT NULL DEFAULT 'template' CHECK (source IN ('template', 'model')),
    polished_at TEXT,
    PRIMARY KEY (profile_id, qid)
);
"""

# v6: practice across sessions. Review items (a missed expected point, or a question
# answered weakly) per profile with their fsrs card as JSON and its due date (fixed-width
# UTC text, so `due <= now` compares as text); a log of one row per answer that reviewed
# an item (the card is replayed from it, so grading an answer again never adds a row);
# and retries: an item asking an answered question again, linked to the first attempt.
V6 = """
ALTER TABLE session_items ADD COLUMN retry_of INTEGER REFERENCES session_items(id) ON DELETE CASCADE;
CREATE INDEX idx_items_retry ON session_items (retry_of);
CREATE TABLE review_items (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    point INTEGER NOT NULL CHECK (point >= 0),
    question_text TEXT NOT NULL,
    point_text TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    card TEXT NOT NULL,
    due TEXT NOT NULL,
    reviews INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    stability REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (profile_id, question_key, point)
);
CREATE INDEX idx_reviews_due ON review_items (profile_id, due);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    review_item_id INTEGER NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    creates INTEGER NOT NULL DEFAULT 0,
    reviewed_at TEXT NOT NULL,
    UNIQUE (review_item_id, response_id)
);
CREATE INDEX idx_review_log_response ON review_log (response_id);
"""

MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6]
SCHEMA_VERSION = len(MIGRATIONS)
