"""Turn resume text into a structured profile with plain heuristics (no ML).

The extractor understands the usual resume layout: section headings
("Experience", "Projects", "Education", ...), experience entries made of a
company, a job title and a date range in any order, project lists, and a few
prose patterns ("Senior Engineer at Acme Corp", "led the Atlas project",
"built a fraud detection pipeline", "8+ years of experience").

A place is never an employer (a gazetteer, :mod:`places`), a certification is never a
role (its own field), and bullets with a number or an outcome become achievements
tied to the job they were written under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from talentsync_tui.models import Achievement, clean_text
from talentsync_tui.resume import lexicon, places

MAX_ROLES = 10
MAX_EMPLOYERS = 10
MAX_PROJECTS = 10
MAX_CERTIFICATIONS = 10
MAX_ACHIEVEMENTS = 12
MAX_ANALYSED_CHARS = 100_000
"""Only the start of a (very) long text is analysed; a resume is rarely over 30,000 characters."""


class Position(BaseModel):
    """A job title together with the employer it was held at."""

    role: str
    employer: str


class ResumeProfile(BaseModel):
    """What a resume says about the candidate, as far as heuristics can tell."""

    skills: list[str] = Field(default_factory=list)
    """Canonical skill names (see :mod:`lexicon`) plus matched bank tags, by first mention."""
    roles: list[str] = Field(default_factory=list)
    """Job titles, e.g. "Senior Software Engineer", by first mention."""
    employers: list[str] = Field(default_factory=list)
    """Companies and organisations worked for, by first mention."""
    projects: list[str] = Field(default_factory=list)
    """Named projects: a Projects section's items first, then ones found in prose."""
    years_experience: float | None = None
    """Stated years of experience, else the merged length of the work date ranges."""
    certifications: list[str] = Field(default_factory=list)
    """Certifications held ("AWS Certified Solutions Architect – Associate"), never roles."""
    achievements: list[Achievement] = Field(default_factory=list)
    """Bullets with a number or an outcome, with the employer and role they belong to."""
    positions: list[Position] = Field(default_factory=list, exclude=True)
    """(role, employer) pairs where the resume clearly ties a title to a company.
    Optional extra: question generation falls back to roles/employers alone."""

    @property
    def is_empty(self) -> bool:
        return not (self.skills or self.roles or self.employers or self.projects
                    or self.years_experience or self.certifications or self.achievements)


# ----------------------------------------------------------------- sections

_HEADINGS: dict[str, str] = {}
for _kind, _phrases in {
    "experience": [
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "industry experience", "internships", "internship experience", "internship",
        "experience & internships", "experience and internships", "career",
        "professional background", "positions held", "work", "technical experience",
        "engineering experience", "research experience", "teaching experience",
    ],
    "projects": [
        "projects", "personal projects", "selected projects", "side projects",
        "academic projects", "key projects", "notable projects", "project experience",
        "open source", "open source projects", "open-source projects",
        "open source contributions", "open-source contributions", "portfolio",
        "course projects", "research projects", "projects & open source",
        "projects and open source", "hackathons", "project highlights",
    ],
    "education": [
        "education", "academic background", "education & training",
        "education and training", "qualifications", "coursework", "relevant coursework",
        "academics", "education & certifications", "education and certifications",
    ],
    "skills": [
        "skills", "technical skills", "core skills", "key skills", "technologies",
        "tech stack", "tools", "toolbox", "core competencies", "competencies",
        "skills & tools", "skills and tools", "languages & tools", "languages and tools",
        "programming languages", "languages", "skills & technologies",
        "skills and technologies", "technical proficiencies", "expertise",
    ],
    "summary": [
        "summary", "professional summary", "profile", "about", "about me", "objective",
        "career objective", "overview", "personal statement", "career summary",
    ],
    "certifications": [
        "certifications", "certificates", "certification", "licenses & certifications",
        "licenses and certifications", "licences & certifications", "professional certifications",
        "certifications & licenses", "certifications and licenses", "courses & certifications",
        "courses and certifications", "training & certifications", "training and certifications",
        "certifications & training", "certifications & awards", "certifications and awards",
    ],
    "other": [
        "awards", "honors", "honours", "achievements",
        "publications", "interests", "hobbies", "volunteering", "volunteer experience",
        "leadership", "leadership experience", "activities", "extracurricular activities",
        "extracurriculars", "references", "contact", "contact information",
        "languages spoken", "spoken languages", "patents", "talks", "speaking",
        "awards & honors", "awards and honors",
    ],
}.items():
    for _phrase in _phrases:
        _HEADINGS[_phrase] = _kind

_HEADING_LAST_WORD = {
    "experience": "experience", "employment": "experience", "internships": "experience",
    "projects": "projects", "education": "education", "skills": "skills",
    "technologies": "skills", "certifications": "certifications",
    "certificates": "certifications", "awards": "other",
    "publications": "other", "interests": "other", "summary": "summary",
}

_BULLET_RE = re.compile(r"^\s*(?:[-*+\u2022\u25aa\u25e6\u25cf\u2023\u2043\u2219\u00b7\uf0b7>]|\d{1,2}[.)])\s+")
_MD_DECOR_RE = re.compile(r"^[#>\s]+|[*_`]+")


@dataclass
class _Line:
    index: int
    text: str  # markdown decoration and bullets stripped
    raw: str
    bullet: bool
    section: str  # header, summary, experience, projects, education, skills, certifications, other


def _heading_kind(raw: str) -> tuple[str, str] | None:
    """(section kind, inline content) when ``raw`` is a section heading."""
    if _BULLET_RE.match(raw):
        return None
    stripped = _MD_DECOR_RE.sub("", raw).strip()
    if not stripped or len(stripped) > 80:
        return None
    inline = ""
    head = stripped
    match = re.match(r"^([A-Za-z][A-Za-z &/-]{1,40}):\s*(.*)$", stripped)
    if match:
        head, inline = match.group(1), match.group(2)
    elif stripped.endswith(":"):
        head = stripped[:-1]
    head = re.sub(r"[\s=~-]+$", "", head)
    key = re.sub(r"\s+", " ", head).strip().lower()
    if not key or any(ch.isdigit() for ch in key):
        return None
    if key in _HEADINGS:
        return _HEADINGS[key], inline
    words = key.split()
    if len(words) <= 4 and not inline and words[-1] in _HEADING_LAST_WORD:
        if head.isupper() or head.istitle():
            return _HEADING_LAST_WORD[words[-1]], ""
    return None


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    section = "header"
    for index, raw in enumerate(text.split("\n")):
        if re.fullmatch(r"\s*[=\-_~*]{3,}\s*", raw):
            continue  # underline / horizontal rule
        heading = _heading_kind(raw)
        if heading is not None:
            section, inline = heading
            if inline:
                lines.append(_Line(index, inline.strip(), raw, False, section))
            continue
        bullet = bool(_BULLET_RE.match(raw))
        body = _BULLET_RE.sub("", raw, count=1) if bullet else raw
        body = _MD_DECOR_RE.sub("", body).strip() if not bullet else re.sub(r"[*_`]+", "", body).strip()
        body = re.sub(r"[ \t]+", " ", body)
        if body:
            lines.append(_Line(index, body, raw, bullet, section))
    return lines


# -------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|spring|summer|fall|autumn|winter)\.?"
)
_YEAR = r"(?:19[5-9]\d|20\d{2})"
_DATE = (
    rf"(?:{_MONTH_WORD}\s*,?\s*'?{_YEAR}"
    rf"|(?<!\d)(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"
    rf"|{_YEAR}\s*[-/.]\s*(?:0[1-9]|1[0-2])(?!\d)"
    rf"|{_YEAR})"
)
_NOW = r"(?:present|current|currently|now|today|ongoing|to date|date)"
_RANGE_SEP = r"\s*(?:-{1,2}|\u2013|\u2014|\u2012|\u2212|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
_RANGE_RE = re.compile(
    rf"(?<![\w/])(?P<start>{_DATE}){_RANGE_SEP}(?P<end>{_DATE}|{_NOW})(?![\w/])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Month:
    index: int  # year * 12 + month - 1
    year_only: bool


def _parse_date(text: str) -> _Month | None:
    text = text.strip().lower().replace(",", " ")
    year_match = re.search(_YEAR, text)
    if not year_match:
        return None
    year = int(year_match.group(0))
    word = re.match(r"([a-z]+)", text)
    if word:
        name = word.group(1)
        month = _SEASONS.get(name) or _MONTHS.get(name[:3])
        if month is None:
            return None
        return _Month(year * 12 + month - 1, False)
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 2:
        first, second = numbers
        month = int(second) if len(first) == 4 else int(first)
        if 1 <= month <= 12:
            return _Month(year * 12 + month - 1, False)
    return _Month(year * 12, True)


def _range_months(match: re.Match[str], today: date) -> tuple[int, int] | None:
    start = _parse_date(match.group("start"))
    if start is None:
        return None
    now = today.year * 12 + today.month  # exclusive: the current month counts
    end_text = match.group("end")
    if re.fullmatch(_NOW, end_text.strip(), re.IGNORECASE):
        end = now
        end_year_only = False
    else:
        parsed = _parse_date(end_text)
        if parsed is None:
            return None
        end_year_only = parsed.year_only
        # a named end month is inclusive ("Jan - Mar" is three months); a bare
        # end year means "until that year began" ("2018 - 2020" is two years)
        end = parsed.index if parsed.year_only else parsed.index + 1
    if start.index >= now:
        return None
    end = min(end, now)
    if end <= start.index:
        if end < start.index - 1 and not (start.year_only and end_year_only):
            return None  # a reversed range is a typo or not a range at all
        end = start.index + (6 if start.year_only and end_year_only else 1)
        end = min(end, now)
        if end <= start.index:
            return None
    return start.index, end


def _merged_months(intervals: list[tuple[int, int]]) -> int:
    total = 0
    current: tuple[int, int] | None = None
    for start, end in sorted(intervals):
        if current is None or start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (start, end)
        else:
            current = (current[0], max(current[1], end))
    if current is not None:
        total += current[1] - current[0]
    return total


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20,
}
_STATED_YEARS_RE = re.compile(
    r"(?<![\w.])(?P<n>\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")\s*\+?\s*(?:plus\s+)?"
    r"(?:years?|yrs?\.?)(?:'|\u2019)?\s+"
    r"(?:(?:of|in)\s+)?(?:[A-Za-z/&,-]+\s+){0,4}?"
    r"(?:experience|exp\b|industry\b|professionally\b|(?:in|of)\s+(?:the\s+)?(?:software|tech|industry))",
    re.IGNORECASE,
)


def _stated_years(text: str) -> float | None:
    values: list[float] = []
    for match in _STATED_YEARS_RE.finditer(text):
        raw = match.group("n").lower()
        value = float(_NUMBER_WORDS[raw]) if raw in _NUMBER_WORDS else float(raw)
        if 0 < value <= 50:
            values.append(value)
    return max(values) if values else None


def _years_from_ranges(lines: list[_Line], today: date) -> float | None:
    has_experience = any(line.section == "experience" for line in lines)
    intervals: list[tuple[int, int]] = []
    for line in lines:
        if has_experience and line.section != "experience":
            continue
        if not has_experience and line.section in {"education", "other", "certifications"}:
            continue
        for match in _RANGE_RE.finditer(line.text):
            months = _range_months(match, today)
            if months is not None:
                intervals.append(months)
    if not intervals:
        return None
    months = _merged_months(intervals)
    return round(min(months, 60 * 12) / 12, 1)


# -------------------------------------------------------------------- roles

_SENIORITY = (
    r"(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|chief|associate|graduate|"
    r"entry[- ]level|mid[- ]level|founding|distinguished)"
)
_DOMAIN = (
    r"(?:software|software development|software engineering|backend|back[- ]end|frontend|front[- ]end|"
    r"full[- ]?stack|web|mobile|ios|android|data|data science|data engineering|big data|"
    r"machine learning|ml|ai|mlops|devops|dev ops|site reliability|reliability|platform|cloud|"
    r"infrastructure|systems|security|cyber ?security|qa|quality assurance|test|automation|"
    r"embedded|firmware|game|research|applied|analytics|business intelligence|bi|business|"
    r"product|solutions|integration|network|database|computer vision|nlp|deep learning|"
    r"python|java|javascript|typescript|golang|ruby|php|\.net|c\+\+|rust|react|node(?:\.js)?|"
    r"salesforce|support|technical|computational|quantitative|research and development|"
    r"r&d|api|distributed systems|search|payments|growth|release|build|hardware|electrical|"
    r"mechanical|ux|ui|ux/ui|ui/ux|visual|graphic|interaction|engineering|program|project|"
    r"technology|it|information technology|marketing|operations|developer)"
)
_NOUN = (
    r"(?:engineer|developer|scientist|analyst|architect|manager|consultant|administrator|"
    r"programmer|researcher|designer|specialist|intern|lead|director|technician|tester|"
    r"statistician|owner|advocate|evangelist|strategist|fellow|apprentice|trainee|coordinator)"
)
_SPECIAL_TITLES = (
    r"(?:cto|chief technology officer|chief data officer|vp of engineering|vp engineering|"
    r"vice president of engineering|head of (?:engineering|data|product|platform|infrastructure|"
    r"machine learning|ml|ai|analytics|technology|mobile|backend|frontend)|co-?founder|founder|"
    r"teaching assistant|research assistant|graduate research assistant|"
    r"undergraduate research assistant|tech lead|technical lead|team lead|"
    r"engineering manager|scrum master|product owner|software engineering intern)"
)
_ROLE_CORE = (
    rf"(?:(?:{_SENIORITY}\s+){{0,2}}(?:{_DOMAIN}[\s/-]+){{1,3}}{_NOUN}"
    rf"|(?:{_SENIORITY}\s+){{1,2}}{_NOUN}"
    rf"|(?:{_SENIORITY}\s+){{0,2}}{_SPECIAL_TITLES})"
)
_ROLE_RE = re.compile(
    rf"(?<![\w&.-])(?P<role>{_ROLE_CORE}(?:\s+(?:II|III|IV)\b)?(?:\s+intern\b)?)(?![\w&-])",
    re.IGNORECASE,
)
_ROLE_BAD_PRECEDERS = re.compile(
    r"\b(?:with|alongside|mentored|mentoring|managed|managing|hired|hiring|onboarded|"
    r"interviewed|coached|coaching|supported|supporting|other|fellow|each|every|our|their|"
    r"your|for|by|as a fellow|partnered with|reporting to|reported to|reports to|certified|"
    r"certification|certificate)[\s:]+"
    r"(?:the\s+|a\s+|an\s+|our\s+|their\s+|\d+\s+)?$",
    re.IGNORECASE,
)
_CASING = {
    "ml": "ML", "ai": "AI", "qa": "QA", "ios": "iOS", "bi": "BI", "devops": "DevOps",
    "mlops": "MLOps", "ii": "II", "iii": "III", "iv": "IV", "cto": "CTO", "vp": "VP",
    "nlp": "NLP", "sr.": "Sr.", "jr.": "Jr.", "sr": "Sr", "jr": "Jr", "of": "of",
    "and": "and", ".net": ".NET", "c++": "C++", "php": "PHP", "r&d": "R&D", "ux": "UX",
    "ui": "UI", "api": "API", "it": "IT", "javascript": "JavaScript",
    "typescript": "TypeScript", "node.js": "Node.js", "ux/ui": "UX/UI", "ui/ux": "UI/UX",
    "co-founder": "Co-Founder", "cofounder": "Co-Founder",
}


def _format_role(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip())
    if not (text.islower() or text.isupper()):
        return text
    words = []
    for word in text.split(" "):
        lower = word.lower()
        if lower in _CASING:
            words.append(_CASING[lower])
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def _find_roles(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for match in _ROLE_RE.finditer(text):
        if _ROLE_BAD_PRECEDERS.search(text[max(0, match.start() - 40):match.start()]):
            continue
        role = match.group("role")
        if role.islower() and role.split()[0] in {"lead", "build", "release", "support", "test"}:
            continue  # lowercase "lead engineer onboarding" / "test developer tools" is prose
        found.append((match.start(), _format_role(role)))
    return found


def _is_role(segment: str) -> bool:
    match = _ROLE_RE.search(segment)
    if not match:
        return False
    rest = (segment[:match.start()] + segment[match.end():]).strip(" ,-()/")
    return len(rest) <= 3 or bool(re.fullmatch(r"(?i)\(?(?:contract|part[- ]time|full[- ]time|remote|intern(?:ship)?)\)?", rest))


# ---------------------------------------------------------------- employers

_COMPANY_SUFFIX = r"(?:Inc|LLC|L\.L\.C|Ltd|Limited|GmbH|Corp|Corporation|Co|PLC|plc|AG|SA|S\.A|BV|B\.V|SE|Pty|LLP|SAS)\.?"
_COMPANY_TOKEN = r"(?:(?:[A-Z]\.){2,}|[A-Z0-9](?:[\w&'\u2019+-]|\.(?=\w))*|&)"
_COMPANY = (
    rf"{_COMPANY_TOKEN}(?:[ \t]+(?:{_COMPANY_TOKEN}|of|for|and|de|la|the|du|von|van|der|y)){{0,6}}"
    rf"(?:,?[ \t]+{_COMPANY_SUFFIX})?"
)
_AT_SEP_RE = re.compile(r"[ \t]+at[ \t]+|[ \t]*@[ \t]*", re.IGNORECASE)
_ROLE_FULL_RE = re.compile(
    rf"(?P<role>{_ROLE_CORE}(?:\s+(?:II|III|IV))?(?:\s+intern)?)[ \t]*", re.IGNORECASE
)
_WORD_START_RE = re.compile(r"(?<![\w&.\-])[^\W_]")
_COMPANY_RE = re.compile(_COMPANY)  # case-sensitive: a company starts with a capital


def _roles_at_companies(text: str) -> list[tuple[int, str, int, str]]:
    """"<Role> at <Company>" / "<Role> @ <Company>": (role offset, role, company offset, company).

    Found from each " at " outwards; one big role-then-company regex would try
    the whole title alternation at every character of the resume.
    """
    found: list[tuple[int, str, int, str]] = []
    for separator in _AT_SEP_RE.finditer(text):
        window_start = max(0, separator.start() - 80)
        role = None
        # the longest title ending right before " at ": try word starts left to right
        for word in _WORD_START_RE.finditer(text, window_start, separator.start()):
            role = _ROLE_FULL_RE.fullmatch(text, word.start(), separator.start())
            if role is not None:
                break
        if role is None:
            continue
        role_start = role.start("role")
        company = _COMPANY_RE.match(text, separator.end())
        if company is None:
            continue
        found.append((role_start, role.group("role"), company.start(), company.group(0)))
    return found
_LABELLED_COMPANY_RE = re.compile(
    r"(?im)^\W*(?:company|employer|organi[sz]ation|client)\s*:\s*(?P<company>[^|\n\u2013\u2014(;]+)"
)
_VERB_COMPANY_RE = re.compile(
    rf"\b(?i:(?:worked|working|work|interned|interning|employed|consulted|consulting|contracted|"
    rf"served|engineer|developer)\s+(?:at|for)|joined|joining)\s+(?P<company>{_COMPANY})"
)
_LABEL_PREFIX_RE = re.compile(r"^\W*(?:company|employer|organi[sz]ation|client)\s*:\s*", re.IGNORECASE)
_NOT_COMPANY_WORDS = {
    "present", "current", "remote", "hybrid", "contract", "full-time", "part-time",
    "freelance", "self-employed", "various", "confidential", "n/a", "responsibilities",
    "achievements", "highlights", "key achievements", "tech stack", "stack", "technologies",
    "tools", "skills", "summary", "the", "a", "an", "i", "we",
}
_ACTION_VERBS = {
    "built", "build", "building", "led", "lead", "leading", "developed", "develop", "designed",
    "design", "created", "create", "implemented", "implement", "managed", "manage", "wrote",
    "write", "improved", "improve", "reduced", "reduce", "increased", "increase", "launched",
    "launch", "shipped", "ship", "owned", "own", "maintained", "maintain", "migrated",
    "migrate", "architected", "automated", "optimised", "optimized", "collaborated",
    "mentored", "worked", "working", "delivered", "drove", "driving", "partnered", "used",
    "using", "responsible", "established", "introduced", "spearheaded", "contributed",
    "analyzed", "analysed", "deployed", "researched", "published", "taught", "trained",
    "ran", "running", "scaled", "refactored", "rewrote", "helped", "supported", "won",
}
_SEGMENT_SPLIT_RE = re.compile(r"\s+[|\u00b7\u2022\u2013\u2014-]\s+|\s*[|\u2022\u2013\u2014]\s*|\t+|\s{3,}|\s*\u00b7\s*")
_COMMA_SPLIT_RE = re.compile(rf",\s+(?!{_COMPANY_SUFFIX}(?:\W|$))")


def _is_location(segment: str) -> bool:
    """A city, state, country, region or work mode ("Boulder, Colorado", "Remote"): never an employer."""
    return places.is_place(segment)


def _is_only_skills(name: str) -> bool:
    """True when ``name`` is nothing but skill mentions ("Python", "Go / Kubernetes")."""
    mentions = lexicon.find_skill_mentions(name)
    if not mentions:
        return False
    leftover = name
    for mention in reversed(mentions):
        leftover = leftover[:mention.start] + leftover[mention.end:]
    return not re.sub(r"[\W_]+|\band\b", "", leftover, flags=re.IGNORECASE)


def _clean_company(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    name = name.strip(" \t,;:|()[]*_`\"'\u2013\u2014-")
    # trailing lowercase connectors left by a greedy match ("Acme of")
    name = re.sub(r"(?:\s+(?:of|for|and|de|la|the|du|von|van|der|y|&))+$", "", name)
    if not name.endswith(tuple(s + "." for s in ("Inc", "Ltd", "Corp", "Co", "L.L.C", "S.A", "B.V"))):
        name = name.rstrip(".")
    return name.strip()


def _looks_like_company(segment: str, *, explicit: bool = False) -> bool:
    name = _clean_company(segment)
    if not name or len(name) > 60:
        return False
    if not (name[0].isupper() or name[0].isdigit()):
        return False
    lower = name.lower()
    if lower in _NOT_COMPANY_WORDS or lower in _HEADINGS or _is_location(name):
        return False
    if _RANGE_RE.search(name) or re.fullmatch(rf"(?i){_DATE}|{_NOW}", name):
        return False
    if re.fullmatch(r"[\d\W]+", name):
        return False
    words = name.split()
    if len(words) > 7:
        return False
    if words[0].lower() in _ACTION_VERBS:
        return False
    if _is_role(name):
        return False
    significant = [w for w in words if w.lower() not in {"of", "for", "and", "the", "&", "de", "la"}]
    if not significant or sum(1 for w in significant if w[0].isupper() or w[0].isdigit()) < len(significant):
        return False
    if not explicit and _is_only_skills(name):
        return False
    if re.search(r"(?i)\b(?:university|college|school|academy|institute of technology|bootcamp)\b", name) and not explicit:
        return False
    if re.search(r"(?i)\b(?:b\.?sc?|m\.?sc?|ph\.?d|bachelor|master|degree|gpa)\b", name):
        return False
    return True


def _segments(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in _SEGMENT_SPLIT_RE.split(text):
        chunk = chunk.strip(" ,;()")
        if not chunk:
            continue
        parts.append(chunk)
    return parts


def _line_companies(text: str) -> tuple[list[str], list[str]]:
    """Split an experience line (dates removed) into (roles, company candidates)."""
    roles: list[str] = []
    companies: list[str] = []
    text = _LABEL_PREFIX_RE.sub("", text)
    for segment in _segments(text):
        at = _roles_at_companies(segment)
        if at and _looks_like_company(at[0][3], explicit=True):
            roles.append(_format_role(at[0][1]))
            companies.append(_clean_company(at[0][3]))
            continue
        if _is_role(segment):
            roles.append(_format_role(_ROLE_RE.search(segment).group("role")))
            continue
        if _is_location(segment):
            continue
        pieces = [p.strip() for p in _COMMA_SPLIT_RE.split(segment) if p.strip()]
        for piece in pieces:
            if _is_role(piece):
                roles.append(_format_role(_ROLE_RE.search(piece).group("role")))
            elif not _is_location(piece) and _looks_like_company(piece):
                companies.append(_clean_company(piece))
                break  # what follows a company in the same segment is its location
    return roles, companies


def _strip_dates(text: str) -> str:
    text = _RANGE_RE.sub(" ", text)
    text = re.sub(rf"(?i)\(\s*\)|\b{_MONTH_WORD}\s*'?{_YEAR}\b", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,;|\u2013\u2014-()")


def _find_employers(
    lines: list[_Line], text: str
) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Employers as (offset, name), and (offset, role, employer) pairs.

    Offsets order them by first mention.  A pair is only reported when the
    title and the company clearly belong to the same entry.
    """
    found: list[tuple[int, str]] = []
    pairs: list[tuple[int, str, str]] = []
    offsets = _line_offsets(text, lines)

    for role_start, role, company_start, company in _roles_at_companies(text):
        company = _clean_company(company)
        if _looks_like_company(company, explicit=True):
            found.append((company_start, company))
            if not _ROLE_BAD_PRECEDERS.search(text[max(0, role_start - 40):role_start]):
                pairs.append((role_start, _format_role(role), company))
    for match in _LABELLED_COMPANY_RE.finditer(text):
        company = _clean_company(re.split(r"\s+-\s+|,\s+(?=[A-Z][a-z]+,)", match.group("company"))[0])
        if _looks_like_company(company, explicit=True):
            found.append((match.start("company"), company))
    for match in _VERB_COMPANY_RE.finditer(text):
        company = _clean_company(match.group("company"))
        if _looks_like_company(company):
            found.append((match.start("company"), company))

    for position, line in enumerate(lines):
        if line.section != "experience":
            continue
        first_range = _RANGE_RE.search(line.text)
        if first_range is None:
            continue
        if line.bullet and len(line.text.split()) > 14:
            continue  # a sentence that happens to contain dates
        before = _strip_dates(line.text[:first_range.start()])
        after = _strip_dates(line.text[first_range.end():])
        # Text before the dates usually names the company; text after them is
        # usually a location, so neighbouring heading lines are tried first.
        candidates: list[tuple[int, str]] = [(offsets[line.index], before)]
        for neighbour in (position - 1, position + 1):
            if not 0 <= neighbour < len(lines):
                continue
            other = lines[neighbour]
            if (other.section != "experience" or other.bullet or _RANGE_RE.search(other.text)
                    or len(other.text.split()) > 10):
                continue
            candidates.append((offsets[other.index], _strip_dates(other.text)))
        candidates.append((offsets[line.index], after))
        company: tuple[int, str] | None = None
        role: str | None = None
        for offset, candidate in candidates:
            roles, companies = _line_companies(candidate)
            if companies and company is None:
                company = (offset, companies[0])
            if roles and role is None:
                role = roles[0]
        if company is not None:
            found.append(company)
            if role is not None:
                pairs.append((company[0], role, company[1]))
    return found, pairs


def _line_offsets(text: str, lines: list[_Line]) -> dict[int, int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return {line.index: starts[line.index] if line.index < len(starts) else len(text) for line in lines}


# ----------------------------------------------------------------- projects

_PROJECT_LABELS = {
    "tech stack", "stack", "technologies", "technology", "tools", "link", "links", "github",
    "demo", "role", "description", "impact", "result", "results", "outcome", "built with",
    "languages", "skills", "repo", "repository", "website", "url", "award", "awards",
    "team", "team size", "duration", "status", "summary", "overview", "key features",
    "features", "highlights", "responsibilities", "achievements",
}
_PROJECT_TITLE_RE = re.compile(r"^(?P<title>[^:\u2013\u2014|(\[]{2,80}?)\s*(?::|\u2013|\u2014|\||\s-\s|\(|\[)")
_GENERIC_PROJECT_WORDS = {
    "project", "projects", "features", "feature", "tools", "things", "solutions", "code",
    "software", "it", "them", "this", "that", "these", "those", "everything", "something",
    "team", "teams", "relationships", "processes", "process", "documentation", "tests",
    "reports", "report", "skills", "experience", "culture", "roadmap", "strategy",
    "open-source", "open source", "new", "main", "entire", "whole", "same", "first",
    "internal", "capstone", "final", "senior", "side", "personal", "group", "class",
    "course", "school", "company", "client", "several", "multiple", "various",
}
_PROJECT_STOP = (
    r"(?:using|with|that|which|who|to|for|in|on|from|by|across|serving|handling|"
    r"processing|reducing|improving|increasing|cutting|enabling|allowing|used|and|or|"
    r"at|as|into|while|so|where|within|between|via|under|over|powering|supporting|"
    r"leveraging|backed|written|based|achieving|resulting|saving|of)"
)
_PROJECT_WORD = r"[\w+#'\u2019/-]+(?:\.[\w+#-]+)*"  # internal dots only ("Node.js")
_BUILT_RE = re.compile(
    rf"\b(?:built|developed|created|designed|launched|shipped|architected|implemented|"
    rf"wrote|authored|founded|prototyped|co-created|co-founded|open-sourced)"
    rf"(?:\s+and\s+(?:\w+ed|built|led|ran|wrote|shipped|maintained|owned|grew))?"
    rf"\s+(?:(?:a|an|the|our|my|its|their)\s+)?"
    rf"(?P<name>(?:(?!{_PROJECT_STOP}\b){_PROJECT_WORD}\s+){{0,5}}?(?!{_PROJECT_STOP}\b){_PROJECT_WORD})"
    rf"(?=\s*(?:[,.;:!()\n\u2013\u2014]|\s-\s|$|\s+{_PROJECT_STOP}\b))",
    re.IGNORECASE,
)
_LED_PROJECT_RE = re.compile(
    rf"\b(?:led|leading|lead|ran|owned|drove|managed|on|for)\s+the\s+"
    rf"(?P<name>(?:{_PROJECT_WORD}\s+){{0,3}}?{_PROJECT_WORD})\s+"
    rf"(?P<kind>project|initiative|migration|rewrite|redesign|re-architecture|program|programme|effort|launch|platform)\b",
    re.IGNORECASE,
)


def _clean_project(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t,;:.*_`\"'()[]-\u2013\u2014")
    name = re.sub(r"(?i)\s*\b(?:https?://\S+|github\.com/\S+)", "", name).strip()
    name = re.sub(rf"(?i)\s*\(?{_RANGE_RE.pattern}\)?", "", name).strip(" ,;-")
    name = re.sub(r"(?i)\s+project$", "", name).strip()
    return name


def _valid_project(name: str, *, from_prose: bool) -> bool:
    if not name or len(name) > 70:
        return False
    words = name.split()
    if not 1 <= len(words) <= 7:
        return False
    lower = name.lower()
    if lower in _PROJECT_LABELS or lower in _GENERIC_PROJECT_WORDS or lower in _HEADINGS:
        return False
    if words[-1].lower() in {"the", "a", "an", "and", "or", "of", "to", "for", "with"}:
        return False
    if re.match(r"^[\d$%~<>+]", name):
        return False  # "3 microservices", "20+ dashboards"
    if _RANGE_RE.search(name) or re.fullmatch(rf"(?i){_DATE}", name):
        return False
    if _is_only_skills(name):
        return False  # "Python", "Python, Django"
    if from_prose:
        if words[0].lower() in _ACTION_VERBS or words[0].lower() in {"it", "its", "them", "this", "that"}:
            return False
        if len(words) == 1 and not (words[0][0].isupper() and not words[0].isupper()):
            return False  # one lowercase or all-caps word is too generic ("APIs")
        if all(w.lower() in _GENERIC_PROJECT_WORDS for w in words):
            return False
    else:
        if words[0].lower() in _ACTION_VERBS:
            return False
    return True


def _project_from_item(line: _Line) -> str | None:
    text = line.text
    title = None
    match = _PROJECT_TITLE_RE.match(text)
    if match:
        title = match.group("title")
    elif len(text.split()) <= 6 and not text.endswith("."):
        title = text
    if title is None:
        return None
    title = _clean_project(title)
    if line.bullet and title.split() and title.split()[0].lower() in _ACTION_VERBS:
        return None
    return title if _valid_project(title, from_prose=False) else None


def _find_projects(lines: list[_Line], text: str) -> list[str]:
    from_section: list[tuple[int, str]] = []
    offsets = _line_offsets(text, lines)
    project_lines = [line for line in lines if line.section == "projects"]
    has_headings = any(not line.bullet for line in project_lines)
    for line in project_lines:
        if line.bullet and has_headings and not _PROJECT_TITLE_RE.match(line.text):
            continue  # description bullets under a project heading
        name = _project_from_item(line)
        if name:
            from_section.append((offsets[line.index], name))

    from_prose: list[tuple[int, str]] = []
    for line in lines:
        if line.section in {"education", "skills", "other", "certifications"}:
            continue
        base = offsets[line.index]
        for match in _LED_PROJECT_RE.finditer(line.text):
            name = _clean_project(match.group("name"))
            kind = match.group("kind").lower()
            if kind not in {"project", "initiative", "effort", "program", "programme"}:
                name = f"{name} {match.group('kind')}"
            if _valid_project(name, from_prose=True) and (len(name.split()) >= 2 or name[0].isupper()):
                from_prose.append((base + match.start(), name))
        for match in _BUILT_RE.finditer(line.text):
            name = _clean_project(match.group("name"))
            if _valid_project(name, from_prose=True):
                from_prose.append((base + match.start(), name))

    result: list[str] = []
    for _, name in sorted(from_section) + sorted(from_prose):
        lower = name.lower()
        if any(lower == r.lower() or lower in r.lower() or r.lower() in lower for r in result):
            continue
        result.append(name)
        if len(result) >= MAX_PROJECTS:
            break
    return result


# ----------------------------------------------------------- certifications

_CERT_WORD = r"(?:[A-Z][\w+&/-]+(?:\.[\w+&/-]+)*|[A-Z]{2,}\+?|of|in|and|for|the|on|\(\w+\)|[\u2013\u2014-]|:)"
_CERT_RE = re.compile(
    rf"(?:(?:[A-Z][\w+&./-]*\s+){{0,4}}Certified:?(?:\s+{_CERT_WORD}){{1,7}}"
    rf"|(?:[A-Z][\w+&./-]*\s+){{1,6}}(?:Certificate|Certification)\b(?:\s+in(?:\s+[A-Z][\w+&./-]*){{1,4}})?)"
)
_CERT_NOISE_RE = re.compile(
    rf"(?i)\s*(?:\(\s*{_YEAR}\s*\)|[,;|\u2013\u2014-]?\s*(?:issued|earned|obtained|completed|valid|expires?)\b.*$"
    rf"|[,;|\u2013\u2014-]?\s*(?:credential|license|licence)\s+(?:id|no\.?|number)\b.*$"
    rf"|[,;|(\u2013\u2014-]\s*(?:{_MONTH_WORD}\s*)?{_YEAR}\s*\)?(?:\s*[\u2013\u2014-]\s*(?:{_MONTH_WORD}\s*)?(?:{_YEAR}|{_NOW}))?\s*$)"
)
_CERT_TRAILING_DASH_RE = re.compile(r"[\s,;|:\u2013\u2014-]+$")


def _clean_certification(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _CERT_NOISE_RE.sub("", text).strip()
        text = _CERT_TRAILING_DASH_RE.sub("", text)
    return text.strip(" *_`\"'")


def _find_certifications(lines: list[_Line]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Certifications, and the (line index, start, end) spans that name one (no role inside)."""
    found: list[str] = []
    spans: list[tuple[int, int, int]] = []
    joined: dict[int, str] = {}
    skip: set[int] = set()
    for position, line in enumerate(lines):
        if line.section != "certifications" or line.index in skip:
            continue
        text = line.text
        for other in lines[position + 1:position + 3]:
            if other.section != "certifications" or other.bullet:
                break
            # a name wrapped by a PDF column: "AWS Certified Developer –" / "Associate"
            if re.search(r"(?:[\u2013\u2014,:&-]|\b(?:and|of|for|in|on))$", text) or other.text[:1].islower():
                text = f"{text} {other.text}"
                skip.add(other.index)
            else:
                break
        joined[line.index] = text
    for line in lines:
        if line.index in skip:
            continue
        if line.section == "certifications":
            name = _clean_certification(joined.get(line.index, line.text))
            if 2 <= len(name) <= 120 and len(name.split()) <= 16 and not _RANGE_RE.fullmatch(name):
                found.append(name)
                spans.append((line.index, 0, len(line.text)))
            continue
        for match in _CERT_RE.finditer(line.text):
            name = _clean_certification(match.group(0))
            if len(name.split()) >= 2:
                found.append(name)
                spans.append((line.index, match.start(), match.end()))
    result: list[str] = []
    keys: set[str] = set()
    for name in found:
        key = re.sub(r"[^a-z0-9+]+", " ", name.lower()).strip()
        if key and key not in keys:
            keys.add(key)
            result.append(name)
    return result[:MAX_CERTIFICATIONS], spans


# ------------------------------------------------------------- achievements

_UNIT = (
    r"(?:%|percent|x\b|\u00d7|ms|milliseconds?|s\b|secs?|seconds?|mins?|minutes?|h\b|hrs?|hours?|"
    r"days?|weeks?|months?|k\b|m\b|mm\b|bn?\b|billion|million|thousand|gb|tb|pb|mb|kb|"
    r"users?|customers?|clients?|requests?|rps|qps|tps|req/s|transactions?|events?|messages?|"
    r"services?|microservices?|engineers?|developers?|people|members?|reports?|teams?|"
    r"countries|markets|stores|pipelines?|dashboards?|tests?|apps?|models?|releases?|"
    r"deploys?|deployments?|incidents?|tickets?|bugs?|pages|issues|servers?|nodes?|clusters?|"
    r"machines?|instances?|tables?|rows|records|queries|jobs|dags?|endpoints?|apis?|"
    r"features?|products?|journeys?|employees|students|interns?|pull requests|prs|repos?|"
    r"repositories|languages|points?|pp\b|stars?|downloads?|installs?|sites?|regions?)(?![A-Za-z])"
)
_NUMBER = r"(?:[$\u20ac\u00a3]\s?)?\d+(?:[.,]\d+)*(?:\s?[kKmMbB]\b)?\+?"
_FROM_TO_RE = re.compile(
    rf"(?i)\bfrom\s+(?:about\s+|~|over\s+|under\s+)?{_NUMBER}\s*(?:{_UNIT})?(?:\s+\w+)?\s+"
    rf"(?:to|down to|up to|->|\u2192)\s+(?:about\s+|~|under\s+|below\s+|over\s+)?{_NUMBER}\s*(?:{_UNIT})?"
    rf"(?:\s+(?:a|per)\s+(?:day|week|month|year|quarter))?"
)
_BY_AMOUNT_RE = re.compile(
    rf"(?i)\b(?:by|of|over|nearly|almost|about|~)\s+{_NUMBER}\s*(?:%|percent|x\b|\u00d7|pp\b|points?)"
)
_MONEY_RE = re.compile(rf"(?i)(?:[$\u20ac\u00a3]\s?\d+(?:[.,]\d+)*\s?(?:[kKmMbB]n?\b|million|billion|thousand)?"
                       rf"|\b\d+(?:[.,]\d+)*\s?(?:k|m|million|billion)?\s?(?:usd|eur|gbp|dollars|euros)\b)"
                       rf"(?:\s+(?:a|per)\s+(?:year|month|quarter|annually))?")
_TEAM_RE = re.compile(r"(?i)\b(?:team|group|squad|crew) of\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
                      r"eleven|twelve|fifteen|twenty)\b(?:\s+(?!(?:to|and|in|on|for|at|with|that|who)\b)[a-z]+)?")
_PLURAL_COUNT_RE = re.compile(rf"(?<![\w.$\u20ac\u00a3]){_NUMBER}\s+(?:[a-z-]+\s+){{0,2}}[a-z]{{2,}}s\b")
_PERCENT_RE = re.compile(r"(?i)\d+(?:\.\d+)?\s?(?:%|percent)")
_MULTIPLE_RE = re.compile(r"(?i)\b\d+(?:\.\d+)?\s?(?:x|\u00d7)(?:\s+(?:faster|more|fewer|less|cheaper|higher|lower))?\b")
_COUNT_RE = re.compile(rf"(?i)(?<![\w.]){_NUMBER}\s*(?:[a-z-]+\s+){{0,2}}(?:{_UNIT})(?:\s+(?:per|a)\s+(?:second|minute|hour|day|week|month|year))?")
_WORD_OUTCOME_RE = re.compile(
    r"(?i)\b(?:by half|in half|halved|doubled|tripled|quadrupled|tenfold|ten-fold|zero downtime|"
    r"zero[- ]downtime|no downtime|zero (?:incidents|outages|data loss)|(?:first|second|third) place|"
    r"top \d+%?|award|won)\b"
)
_YEARISH_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_OUTCOME_VERBS = {
    "cut", "reduced", "reducing", "lowered", "decreased", "increased", "improved", "boosted", "raised",
    "grew", "doubled", "tripled", "halved", "saved", "accelerated", "sped", "shortened", "eliminated",
    "led", "managed", "mentored", "hired", "shipped", "launched", "delivered", "scaled", "migrated",
    "built", "designed", "automated", "optimised", "optimized", "drove", "won", "achieved",
    "brought", "rebuilt", "rewrote", "replaced", "consolidated", "introduced", "created", "developed",
    "wrote", "implemented", "handled", "processed", "served", "grown", "expanded", "trained",
}


def _metric(text: str) -> str | None:
    """The measurable part of a bullet: "from 2 h to 15 min", "by 30%", "a team of 5", "$40k a year"."""
    for pattern in (_FROM_TO_RE, _BY_AMOUNT_RE, _MONEY_RE, _TEAM_RE, _PERCENT_RE, _MULTIPLE_RE,
                    _COUNT_RE, _WORD_OUTCOME_RE, _PLURAL_COUNT_RE):
        for match in pattern.finditer(text):
            value = match.group(0).strip(" ,;")
            if _YEARISH_RE.fullmatch(value.strip("$+ ")) or _RANGE_RE.search(value):
                continue  # a year is not a result
            if pattern is _BY_AMOUNT_RE:
                value = re.sub(r"(?i)^(?:of|over|nearly|almost|about|~)\s+", "", value)
            return value
    return None


def _bullet_text(lines: list[_Line], position: int) -> tuple[str, int]:
    """A bullet with its wrapped continuation lines joined; (text, lines used)."""
    line = lines[position]
    parts = [line.text]
    used = 1
    indent = len(line.raw) - len(line.raw.lstrip())
    for other in lines[position + 1:position + 4]:
        if other.bullet or other.section != line.section or other.index != line.index + used:
            break
        raw_indent = len(other.raw) - len(other.raw.lstrip())
        continues = (other.text[:1].islower() or raw_indent > indent
                     or re.search(r"(?:,|\b(?:and|or|by|to|of|the|a|an|in|with|from|for|on))$", parts[-1]))
        if not continues or _RANGE_RE.search(other.text) or _heading_kind(other.raw):
            break
        parts.append(other.text)
        used += 1
    return " ".join(parts), used


def _is_achievement(text: str) -> str | None:
    """The metric of a bullet that reports a result, "" for a numberless outcome, None otherwise."""
    words = text.split()
    if not 4 <= len(words) <= 60:
        return None
    first = re.sub(r"[^a-z]", "", words[0].lower())
    if first == "i" and len(words) > 1:
        first = re.sub(r"[^a-z]", "", words[1].lower())
    metric = _metric(text)
    if metric is not None:
        return metric
    if first in {"led", "shipped", "launched", "won", "doubled", "tripled", "halved"} and len(words) >= 5:
        return ""
    return None


def _entry_context(lines: list[_Line], employers: list[str], roles: list[str],
                   projects: list[str]) -> dict[int, tuple[str | None, str | None, bool]]:
    """For each line of the experience and projects sections: (employer or project, role, is a
    project) of its entry."""
    employer_keys = {e.lower(): e for e in employers}
    role_keys = {r.lower(): r for r in roles}
    project_keys = {p.lower(): p for p in projects}
    context: dict[int, tuple[str | None, str | None, bool]] = {}
    employer: str | None = None
    role: str | None = None
    in_header = False
    for line in lines:
        if line.section not in {"experience", "projects"}:
            employer, role, in_header = None, None, False
            continue
        first_word = re.sub(r"[^a-z]", "", line.text.split()[0].lower())
        header_like = ((not line.bullet or bool(_RANGE_RE.search(line.text))) and len(line.text.split()) <= 16
                       and not (first_word in _ACTION_VERBS | _OUTCOME_VERBS and len(line.text.split()) > 4))
        if header_like:
            found_employer = None
            found_role = None
            if line.section == "projects":
                name = _project_from_item(line)
                if name and name.lower() in project_keys:
                    found_employer = project_keys[name.lower()]
            else:
                line_roles, companies = _line_companies(_strip_dates(line.text))
                for company in companies:
                    if company.lower() in employer_keys:
                        found_employer = employer_keys[company.lower()]
                        break
                for value in line_roles + [r for _, r in _find_roles(line.text)]:
                    if value.lower() in role_keys:
                        found_role = role_keys[value.lower()]
                        break
            if found_employer is not None or found_role is not None:
                if not in_header:  # the first heading line of a new entry
                    employer = found_employer or employer  # a new role at the same company
                    role = found_role  # a role line just below may still fill it
                else:
                    employer = found_employer or employer
                    role = found_role or role
                in_header = True
            context[line.index] = (employer, role, line.section == "projects")
            continue
        in_header = False
        context[line.index] = (employer, role, line.section == "projects")
    return context


def _find_achievements(lines: list[_Line], employers: list[str], roles: list[str],
                       projects: list[str]) -> list[Achievement]:
    context = _entry_context(lines, employers, roles, projects)
    found: list[Achievement] = []
    seen: set[str] = set()
    position = 0
    while position < len(lines):
        line = lines[position]
        if line.section not in {"experience", "projects", "summary"} or (
                not line.bullet and (line.section == "summary" or len(line.text.split()) < 6)):
            position += 1
            continue
        text, used = _bullet_text(lines, position) if line.bullet else (line.text, 1)
        position += used
        if line.section == "summary":
            continue  # "8 years of experience" is not an achievement
        if not line.bullet and _RANGE_RE.search(text):
            continue  # an entry heading with dates
        text = text.strip().rstrip(".;").strip()
        metric = _is_achievement(text)
        if metric is None:
            continue
        key = re.sub(r"\W+", " ", text.lower()).strip()
        if key in seen:
            continue
        seen.add(key)
        where, role, is_project = context.get(line.index, (None, None, False))
        found.append(Achievement(text=text, employer=None if is_project else where, role=role,
                                 project=where if is_project else None, metric=metric or None))
    # results with a number first (in resume order), then numberless outcomes ("Led the ...")
    found.sort(key=lambda a: a.metric is None)
    return found[:MAX_ACHIEVEMENTS]


# --------------------------------------------------------------------- tags


def _tag_skills(text: str, known_tags: Iterable[str]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    for tag in known_tags:
        tag = clean_text(str(tag)).lower()
        if len(tag) < 2 or tag in seen:
            continue
        seen.add(tag)
        if tag in lexicon.NOT_SKILLS or tag.replace("-", " ") in lexicon.NOT_SKILLS:
            continue  # "learning", "feedback": bank themes, not technical skills
        if lexicon.canonical_skill(tag) is not None or lexicon.canonical_skill(tag.replace("-", " ")) is not None:
            continue  # the lexicon (with its false-positive guards) decides these
        parts = [re.escape(p) for p in re.split(r"[\s_-]+", tag) if p]
        if not parts:
            continue
        pattern = re.compile(r"(?<![\w@])" + r"[\s_-]+".join(parts) + r"(?![\w+#])", re.IGNORECASE)
        match = pattern.search(text)
        if match:
            found.append((match.start(), tag))
    return found


# --------------------------------------------------------------------- main


def extract_profile(
    text: str, known_tags: Iterable[str] = (), today: date | None = None
) -> ResumeProfile:
    """Extract skills, roles, employers, projects and years of experience.

    ``known_tags`` are question-bank tags (e.g. "generators"); any that occur in
    the text as whole words are added to the skills.  ``today`` fixes the end
    of "present" date ranges (defaults to the real date).
    """
    text = clean_text(text or "")[:MAX_ANALYSED_CHARS]
    if not text:
        return ResumeProfile()
    today = today or date.today()
    lines = _split_lines(text)

    skill_positions: dict[str, int] = {}
    for mention in lexicon.find_skill_mentions(text):
        skill_positions.setdefault(mention.skill, mention.start)
    for position, tag in _tag_skills(text, known_tags):
        skill_positions.setdefault(tag, position)
    skills = [skill for skill, _ in sorted(skill_positions.items(), key=lambda item: item[1])]

    certifications, cert_spans = _find_certifications(lines)
    masked = {index: (start, end) for index, start, end in cert_spans}

    role_hits: list[tuple[int, str]] = []
    offsets = _line_offsets(text, lines)
    for line in lines:
        if line.section in {"skills", "certifications"}:
            continue  # "Teaching Assistant" under Education still counts as a role
        line_text = line.text
        if line.index in masked:  # "AWS Certified Solutions Architect" is no job title
            start, end = masked[line.index]
            line_text = line_text[:start] + " " * (end - start) + line_text[end:]
        for position, role in _find_roles(line_text):
            role_hits.append((offsets[line.index] + position, role))
    roles = _dedupe(role_hits, MAX_ROLES)

    employer_hits, pair_hits = _find_employers(lines, text)
    role_keys = {r.lower() for r in roles}
    employers = [e for e in _dedupe(employer_hits, MAX_EMPLOYERS * 2) if e.lower() not in role_keys]
    employers = employers[:MAX_EMPLOYERS]
    positions = _positions(pair_hits, roles, employers)

    projects = _find_projects(lines, text)
    employer_keys = {e.lower() for e in employers}
    projects = [p for p in projects if p.lower() not in employer_keys and p.lower() not in role_keys]

    years = _stated_years(text)
    if years is None:
        years = _years_from_ranges(lines, today)

    achievements = _find_achievements(lines, employers, roles, projects)

    return ResumeProfile(
        skills=skills,
        roles=roles,
        employers=employers,
        projects=projects,
        years_experience=years,
        certifications=certifications,
        achievements=achievements,
        positions=positions,
    )


def _positions(
    hits: list[tuple[int, str, str]], roles: list[str], employers: list[str]
) -> list[Position]:
    role_by_key = {r.lower(): r for r in roles}
    employer_by_key = {e.lower(): e for e in employers}
    result: list[Position] = []
    seen: set[tuple[str, str]] = set()
    for _, role, employer in sorted(hits, key=lambda hit: hit[0]):
        key = (role.lower(), employer.lower())
        if key in seen or key[1] not in employer_by_key:
            continue
        seen.add(key)
        result.append(Position(role=role_by_key.get(key[0], role), employer=employer_by_key[key[1]]))
        if len(result) >= MAX_EMPLOYERS:
            break
    return result


def _dedupe(hits: list[tuple[int, str]], limit: int) -> list[str]:
    """First mentions, in order; a name written in several casings keeps its most capitalised one
    ("DevOps engineer" in a summary and "DevOps Engineer" in a heading give "DevOps Engineer")."""
    best: dict[str, str] = {}
    for _, value in hits:
        key = re.sub(r"[^a-z0-9+#&]+", " ", value.lower()).strip()
        if key and sum(ch.isupper() for ch in value) > sum(ch.isupper() for ch in best.get(key, "")):
            best[key] = value
    result: list[str] = []
    keys: set[str] = set()
    for _, value in sorted(hits, key=lambda item: item[0]):
        key = re.sub(r"[^a-z0-9+#&]+", " ", value.lower()).strip()
        if not key or key in keys:
            continue
        keys.add(key)
        value = best.get(key, value)
        result.append(value)
        if len(result) >= limit:
            break
    return result
