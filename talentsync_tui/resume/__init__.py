"""Resume reading and resume-driven interview questions (heuristics, and the coach model if ready).

    text = read_resume(path)                    # .txt / .md / .pdf / .docx, by content
    profile = extract_profile(text, known_tags=bank_tags)   # + certifications, achievements
    questions = resume_questions(profile)       # templates, achievement questions first
    written = write_achievement_questions(pairs, llm)       # the model's wording, validated

Bad input raises :class:`ResumeError`, whose ``str()`` is a user-facing sentence.
"""

from talentsync_tui.resume.errors import ResumeError
from talentsync_tui.resume.profile import Position, ResumeProfile, extract_profile
from talentsync_tui.resume.questions import resume_questions
from talentsync_tui.resume.reader import MAX_BYTES, SUPPORTED_EXTENSIONS, read_resume
from talentsync_tui.resume.writer import write_achievement_questions

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "Position",
    "ResumeError",
    "ResumeProfile",
    "extract_profile",
    "read_resume",
    "resume_questions",
    "write_achievement_questions",
]
