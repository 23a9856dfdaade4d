"""Resume reading and resume-driven interview questions (heuristics only, no ML).

    text = read_resume(path)                    # .txt / .md / .pdf / .docx
    profile = extract_profile(text, known_tags=bank_tags)
    questions = resume_questions(profile, limit=12)

Bad input raises :class:`ResumeError`, whose ``str()`` is a user-facing sentence.
"""

from talentsync_tui.resume.errors import ResumeError
from talentsync_tui.resume.profile import Position, ResumeProfile, extract_profile
from talentsync_tui.resume.questions import resume_questions
from talentsync_tui.resume.reader import MAX_BYTES, SUPPORTED_EXTENSIONS, read_resume

__all__ = [
    "MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "Position",
    "ResumeError",
    "ResumeProfile",
    "extract_profile",
    "read_resume",
    "resume_questions",
]
