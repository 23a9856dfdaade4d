"""Deterministic, templated interview questions built from a resume profile.

Every question names something real from the candidate's resume (a skill, a
project, a job title, an employer) so the interview feels personal, without
any model.  The same profile always yields the same questions in the same
order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from talentsync_tui.models import MAX_ID, Achievement, Difficulty, Question, QuestionType, clean_text, slugify
from talentsync_tui.resume import lexicon
from talentsync_tui.resume.profile import Position, ResumeProfile

ID_PREFIX = "resume-"

_SENIOR_WORDS = re.compile(
    r"\b(?:senior|sr\.?|staff|principal|lead|architect|head|director|manager|cto|vp|chief|"
    r"founder|co-founder|distinguished)\b",
    re.IGNORECASE,
)
_EARLY_WORDS = re.compile(r"\b(?:intern|internship|graduate|junior|jr\.?|trainee|apprentice|entry[- ]level|assistant)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Template:
    key: str
    type: QuestionType
    text: str
    points: tuple[str, ...]
    follow_ups: tuple[str, ...]
    seconds: int
    design: bool = False  # asked at "hard" for senior-looking profiles

    def render(self, **values: str) -> tuple[str, list[str], list[str]]:
        return (
            self.text.format(**values),
            [p.format(**values) for p in self.points],
            [f.format(**values) for f in self.follow_ups],
        )


_T = QuestionType

# ------------------------------------------------------------ skill templates

_QUANTIFY = "Quantifies the result (latency, cost, time saved, error rate)"
_TRADE_OFF = "Explains a trade-off or alternative considered"

SKILL_TEMPLATES: dict[str, _Template] = {
    "database": _Template(
        "database", _T.technical,
        "You list {skill} on your resume. Walk me through a schema or query you optimised with it "
        "and how you measured the improvement.",
        ("Names a concrete schema, table or query where {skill} was used",
         "Explains how the bottleneck was found (query plan, metrics, slow-query log)",
         "Explains a trade-off or alternative considered (indexes, denormalisation, caching)",
         _QUANTIFY),
        ("How would that design change if the data grew a hundredfold?",
         "How did you roll the change out safely in production?"),
        210,
    ),
    "language": _Template(
        "language", _T.technical,
        "Your resume mentions {skill}. Which feature or idiom of {skill} do you rely on most, and "
        "which pitfall of the language has bitten you in a real project?",
        ("Names a specific {skill} feature and why it helps in practice",
         "Describes a concrete bug or pitfall they actually hit",
         "Explains how they diagnosed and fixed it",
         "Says what they now do differently (tests, linting, conventions)"),
        ("How would you explain that pitfall to a new teammate?",),
        180,
    ),
    "web": _Template(
        "web", _T.technical,
        "You list {skill}. Describe a user-facing feature you built with it: how did you manage "
        "state, and how did you keep it fast?",
        ("Names a concrete feature or screen built with {skill}",
         "Explains where state lived and why",
         "Mentions a measured performance problem and the fix (bundle size, rendering, caching)",
         _TRADE_OFF),
        ("How did you test that feature?", "What would you change about its design today?"),
        180,
    ),
    "backend": _Template(
        "backend", _T.technical,
        "You have used {skill} on the server side. Walk me through how you structured a service "
        "built with it, and one limitation of {skill} you had to work around.",
        ("Names a concrete service and what it did",
         "Describes the structure (layers, modules, boundaries) and why",
         "Names a real limitation of {skill} and the workaround",
         _TRADE_OFF),
        ("How did that service behave under load or failure?",),
        210,
    ),
    "mobile": _Template(
        "mobile", _T.technical,
        "You list {skill}. Tell me about an app you shipped with it: how did you handle offline "
        "use, releases and crash reports?",
        ("Names a concrete app or feature shipped with {skill}",
         "Explains the offline or poor-network strategy",
         "Describes the release process and how regressions were caught",
         "Mentions crash or performance metrics and what they drove"),
        ("What was the hardest bug you tracked down on a real device?",),
        210,
    ),
    "messaging": _Template(
        "messaging", _T.technical,
        "Your resume mentions {skill}. In a system where you used it, how did you deal with "
        "message ordering, retries and duplicate messages?",
        ("Names a concrete system and the role {skill} played in it",
         "Explains the delivery guarantee relied on and how consumers stayed idempotent",
         "Describes retry, dead-letter or back-pressure handling",
         _TRADE_OFF),
        ("What happened the first time a consumer fell far behind?",
         "How did you monitor lag or lost messages?"),
        240,
    ),
    "cloud": _Template(
        "cloud", _T.technical,
        "You list {skill} on your resume. Tell me about a workload you ran on it: how did you "
        "handle cost, scaling and failures?",
        ("Names a concrete workload and the {skill} services it used",
         "Explains the scaling approach and its limits",
         "Describes how failures were detected and handled",
         "Mentions cost and how it was kept under control"),
        ("If the bill doubled next month, where would you look first?",),
        210,
    ),
    "devops": _Template(
        "devops", _T.technical,
        "Your resume mentions {skill}. How did it fit into your team's delivery or operations, and "
        "tell me about an incident where it helped or got in the way.",
        ("Names a concrete setup where {skill} was used",
         "Explains why it was chosen over the alternatives",
         "Describes a specific incident and their part in resolving it",
         "States what changed afterwards (runbooks, alerts, automation)"),
        ("What would you automate next in that setup?",),
        210,
    ),
    "data": _Template(
        "data", _T.technical,
        "You list {skill}. Walk me through a data pipeline or analysis you built with it, and how "
        "you made sure the numbers were right.",
        ("Names a concrete dataset, pipeline or analysis where {skill} was used",
         "Explains data-quality checks or validation",
         "Describes how the result was used by others and what decision it drove",
         _QUANTIFY),
        ("What did you do when the data turned out to be wrong?",),
        210,
    ),
    "ml": _Template(
        "ml", _T.technical,
        "Your resume mentions {skill}. Describe a model or experiment where you used it: how did "
        "you validate it, and what happened once it met real data?",
        ("Names the problem, the data and the approach taken with {skill}",
         "Explains the validation strategy and metrics chosen",
         "Describes behaviour in production or on real users (drift, surprises)",
         "Quantifies the impact against a baseline"),
        ("What simpler baseline did you compare against?",
         "How would you know if the model started to degrade?"),
        240,
    ),
    "testing": _Template(
        "testing", _T.technical,
        "You list {skill}. How did you decide what to test with it, and how did you keep the suite "
        "fast and trustworthy?",
        ("Names a concrete codebase or feature tested with {skill}",
         "Explains how they chose what to test at which level",
         "Describes dealing with slow or flaky tests",
         "Mentions a bug the tests caught (or missed) and what changed"),
        ("How would you test something that is hard to test, like time or randomness?",),
        180,
    ),
    "practice": _Template(
        "practice", _T.technical,
        "Your resume mentions {skill}. Give a concrete example of how you applied it on a team, "
        "and a time it did not work as expected.",
        ("Names a concrete situation where {skill} was applied",
         "Explains the benefit it brought to the team or the product",
         "Describes a limitation or failure honestly",
         "States what they would adjust next time"),
        ("How would you introduce {skill} to a team that is sceptical of it?",),
        180,
    ),
    "general": _Template(
        "general", _T.technical,
        "You list {skill} on your resume. What is the most complex problem you solved with it, and "
        "what would you do differently today?",
        ("Names a concrete situation where {skill} was used",
         "Explains why the problem was hard",
         _TRADE_OFF,
         "Quantifies the result or describes its impact"),
        ("What did you learn about {skill} from that problem?",),
        180,
    ),
}
_CATEGORY_TEMPLATE = {
    "database": "database", "language": "language", "web": "web", "backend": "backend",
    "mobile": "mobile", "messaging": "messaging", "cloud": "cloud", "devops": "devops",
    "data": "data", "ml": "ml", "testing": "testing", "practice": "practice",
}

_PAIR_SAME = _Template(
    "pair", _T.technical,
    "Your resume lists both {a} and {b}. When would you choose one over the other, and when did "
    "you last make that choice?",
    ("Compares {a} and {b} on concrete criteria (performance, ecosystem, team skills)",
     "Grounds the comparison in a real decision they made",
     "Acknowledges what the option not chosen does better"),
    ("Would you make the same choice today?",),
    180,
)
_PAIR_MIXED = _Template(
    "pair", _T.technical,
    "Your resume lists {a} and {b}. Describe a system where you used them together: how did the "
    "pieces fit, and where was the friction?",
    ("Describes a concrete system that used both {a} and {b}",
     "Explains the boundary between them and how data or requests crossed it",
     "Names a real point of friction and how it was handled"),
    ("What would you replace first if you rebuilt that system?",),
    210,
)
_FIRST_30_DAYS = _Template(
    "first-30-days", _T.situational,
    "Imagine you join a team whose main service, built with {skill}, keeps failing under load. "
    "How would you spend your first 30 days?",
    ("Starts by measuring and understanding before changing things",
     "Prioritises quick, low-risk stabilisation over a rewrite",
     "Involves the team and stakeholders and communicates a plan",
     "Defines how success will be measured"),
    ("What would you deliberately not touch in that first month?",),
    240,
)

# ---------------------------------------------------------- project templates

PROJECT_TEMPLATES: tuple[_Template, ...] = (
    _Template(
        "role", _T.behavioral,
        "Tell me about {the_project}: what was your role and the hardest technical decision you made?",
        ("Explains the goal of {project} and who it was for",
         "Is specific about their own contribution versus the team's",
         "Describes the hardest decision, the options and why one was chosen",
         "States the outcome, ideally with a number"),
        ("Looking back, was that the right decision?", "What would you do differently now?"),
        240,
    ),
    _Template(
        "design", _T.system_design,
        "Walk me through the architecture of {the_project}: the main components, how data flows "
        "between them, and the trade-offs you made.",
        ("Names the main components and their responsibilities",
         "Explains the data flow and where state is stored",
         "Explains at least one trade-off and the alternative considered",
         "Mentions how it was tested, deployed or monitored"),
        ("Where is the single point of failure?", "How would you evolve it for the next year?"),
        300, design=True,
    ),
    _Template(
        "setback", _T.behavioral,
        "What went wrong while you were working on {the_project}, and how did you and the team "
        "recover?",
        ("Describes a real setback rather than a disguised success",
         "Takes ownership of their part in it",
         "Explains concrete recovery steps",
         "States what changed afterwards to prevent a repeat"),
        ("How did you communicate the problem to stakeholders?",),
        240,
    ),
    _Template(
        "scale", _T.system_design,
        "If {the_project} had to handle ten times its current load, what would break first and how "
        "would you redesign it?",
        ("Identifies the likely bottleneck with a reason",
         "Proposes concrete changes (caching, sharding, queues, async work)",
         _TRADE_OFF,
         "Explains how they would validate the new design before relying on it"),
        ("How would you migrate to the new design without downtime?",),
        300, design=True,
    ),
)

# ------------------------------------------------------- experience templates

_ROLE_AT_EMPLOYER = _Template(
    "position", _T.behavioral,
    "At {employer} you worked as {a_role}; what did a typical week look like and what are you most "
    "proud of?",
    ("Describes the team, the product and their responsibilities at {employer}",
     "Picks one concrete achievement and explains their personal contribution",
     "Explains why it mattered to users or the business",
     "Quantifies the impact where possible"),
    ("What was the hardest part of that job?",),
    180,
)
_EMPLOYER_ONLY = _Template(
    "employer", _T.behavioral,
    "What is the most important thing you learned while working at {employer}, and how has it "
    "changed the way you work?",
    ("Names a specific lesson tied to a real situation at {employer}",
     "Explains why it was important",
     "Shows how they apply it now with an example"),
    ("Who at {employer} influenced you most, and how?",),
    180,
)
_ROLE_ONLY = _Template(
    "role", _T.behavioral,
    "As {a_role}, tell me about a time you had to push back on a requirement or a deadline. What "
    "did you do and what happened?",
    ("Describes the situation and what was at stake",
     "Explains how they made their case (data, prototypes, alternatives)",
     "Shows respect for the other side's constraints",
     "States the outcome and what they learned"),
    ("Would you handle it the same way again?",),
    180,
)
_TWO_EMPLOYERS = _Template(
    "employers", _T.behavioral,
    "Your resume shows time at both {a} and {b}. How did the way those teams built software "
    "differ, and what did you carry over from one to the other?",
    ("Names concrete differences (process, quality bar, ownership, tooling)",
     "Avoids vague generalities by giving examples from each",
     "Explains a practice they carried over and its effect"),
    ("Which environment suited you better, and why?",),
    180,
)

# ----------------------------------------------------------- growth templates

_GROWTH_SENIOR = _Template(
    "growth-senior", _T.situational,
    "With about {years} years of experience, tell me about a time you raised the engineering bar "
    "for your team, through mentoring, reviews or a standard you introduced.",
    ("Describes a specific initiative they led",
     "Explains how they got buy-in from the team",
     "Shows the effect on others (people grew, defects fell, delivery sped up)",
     "Reflects on what they would do differently"),
    ("How do you decide when to step in and when to let someone learn by struggling?",),
    210,
)
_GROWTH_MID = _Template(
    "growth-mid", _T.situational,
    "Over your {years} years in the industry, how has the way you write and review code changed, "
    "and what triggered the change?",
    ("Names a concrete change in habits or judgement",
     "Ties it to a specific event, mistake or mentor",
     "Gives an example of the new approach in practice"),
    ("What is the next skill you are deliberately working on?",),
    180,
)
_GROWTH_EARLY = _Template(
    "growth-early", _T.situational,
    "You are early in your career. Tell me about something technical you taught yourself "
    "recently: how did you go about it, and how did you know you had really learned it?",
    ("Names a specific topic and why they chose it",
     "Describes a deliberate learning approach (projects, reading, feedback)",
     "Shows evidence of learning (something built, a problem solved)"),
    ("What would you like to learn next, and how will you find time for it?",),
    150,
)
_CAREER_PATH = _Template(
    "path", _T.situational,
    "Your resume shows you working as {a_first} and as {a_second}. What did that move teach you, and "
    "what do you want your next role to add?",
    ("Explains the motivation behind the change",
     "Names a concrete skill gained in the newer role",
     "Has a clear, realistic idea of what they want next"),
    ("What are you doing now to prepare for that next step?",),
    180,
)

# ------------------------------------------------------ achievement templates

_MEASURED = "Backs the result ({metric}) with how it was measured, before and after"
_OWN_PART = "Separates their own contribution from the team's"

ACHIEVEMENT_TEMPLATES: dict[str, _Template] = {
    "speed": _Template(
        "speed", _T.technical,
        "{lead}: how did you find the bottleneck, and how did you check the gain held up?",
        ("Describes how they measured where the time went (profiling, tracing, timings) before changing anything",
         "Names the actual bottleneck and why it was slow",
         "Explains the fix and a trade-off or alternative considered",
         _MEASURED),
        ("What did you try first that did not help?",
         "How did you keep it from getting slow again?"),
        180,
    ),
    "cost": _Template(
        "cost", _T.technical,
        "{lead}: where was the money going, and what did you trade off to save it?",
        ("Explains how they found where the cost came from (billing data, tagging, usage metrics)",
         "Describes the concrete change that saved the money",
         "Names the trade-off accepted (latency, risk, engineering time) and why it was acceptable",
         _MEASURED),
        ("How did you make sure the savings lasted?",
         "Who had to agree to the change, and how did you convince them?"),
        180,
    ),
    "team": _Template(
        "team", _T.behavioral,
        "{lead}: how did you split the work, and what did you do when someone got stuck?",
        ("Describes the goal and what was at stake",
         "Explains how work was divided and decisions were made",
         "Gives a specific moment they unblocked or supported someone",
         "States the outcome and what they would change about how they led"),
        ("How did you handle a disagreement inside the team?",
         "What did the people you led say about working with you?"),
        180,
    ),
    "mentoring": _Template(
        "mentoring", _T.behavioral,
        "{lead}: how did you adapt your help to each person, and how did you know it was working?",
        ("Describes who they mentored and what each person needed",
         "Gives a concrete example of adapting their approach to one person",
         "Explains how progress was judged (feedback, responsibilities taken on, reviews)",
         "Reflects on what they would do differently"),
        ("What did you learn about yourself from mentoring them?",),
        180,
    ),
    "quality": _Template(
        "quality", _T.technical,
        "{lead}: what was causing the failures, and how do you know the fix stuck?",
        ("Explains how the problems were found and traced to a root cause",
         "Describes the change that fixed it (tests, alerts, process, design)",
         _MEASURED,
         "Mentions how regressions are caught now"),
        ("Which failure was the hardest to track down?",
         "What would you automate next?"),
        180,
    ),
    "migration": _Template(
        "migration", _T.technical,
        "{lead}: how did you plan the cut-over, and what went wrong along the way?",
        ("Explains why the change was worth its risk",
         "Describes the plan: phases, rollback, how traffic or data moved",
         "Names something that went wrong and how it was handled",
         _OWN_PART),
        ("How did you know the old system could be switched off?",),
        210,
    ),
    "growth": _Template(
        "growth", _T.behavioral,
        "{lead}: how did you know your change caused it, and not something else?",
        ("Explains the hypothesis behind the change",
         "Describes how the effect was measured (experiment, control group, baseline)",
         "Acknowledges other factors that could explain the result",
         _OWN_PART),
        ("What did you try that did not move the number?",),
        180,
    ),
    "scale": _Template(
        "scale", _T.system_design,
        "{lead}: what was hardest about running it at that scale, and what would break first at ten times more?",
        ("Describes the architecture that carries the load",
         "Names a concrete scaling problem they hit and how it was solved",
         "Identifies the next bottleneck with a reason",
         _OWN_PART),
        ("How do you test it at that load before users do?",),
        210, design=True,
    ),
    "general": _Template(
        "general", _T.behavioral,
        "{lead}: what exactly was your part, and how did you measure the result?",
        ("Describes the situation and why it mattered",
         _OWN_PART,
         "Explains the hardest decision and the options considered",
         "States the result with a number and how it was measured"),
        ("What would you do differently if you did it again?",),
        180,
    ),
}

_KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mentoring", re.compile(r"(?i)^(?:i\s+)?(?:mentored|coached|onboarded|trained)\b")),
    ("team", re.compile(r"(?i)^(?:i\s+)?(?:led|managed|hired)\b|\bteam of\b")),
    ("cost", re.compile(r"(?i)\b(?:costs?|bill|spend|spending|(?<!error-)budget|saved|savings?|cheaper)\b"
                        r"|[$\u20ac\u00a3]\s?\d")),
    ("speed", re.compile(r"(?i)\b(?:(?<!real-)time|latency|runtime|faster|speed|slow|duration|p9\d|build|deploy\w*|"
                         r"load time|response)\b|\d\s?(?:ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?)\b")),
    ("growth", re.compile(r"(?i)\b(?:conversion|revenue|churn|retention|engagement|signups?|"
                          r"recall|precision|accuracy|grew|rose|doubled|tripled)\b")),
    ("migration", re.compile(r"(?i)\b(?:migrat\w+|moved|rewrote|rewrite|rebuilt|consolidat\w+|replaced|upgraded)\b")),
    ("quality", re.compile(r"(?i)\b(?:incidents?|errors?|error-budget|outages?|pages|alerts?|bugs?|defects?|"
                           r"coverage|failures?|failed|downtime|issues|flaky|bad loads?|crash\w*)\b")),
    ("scale", re.compile(r"(?i)\b(?:requests|users|rps|qps|per second|a day|each night|events|messages|"
                         r"serves|serving|handling|handled|processed)\b")),
)


def achievement_kind(achievement: Achievement) -> str:
    """Which template fits: speed, cost, team, quality, migration, growth, scale or general."""
    for kind, pattern in _KIND_WORDS:
        if pattern.search(achievement.text):
            return kind
    return "general"


_CLAUSE_CUT_RE = re.compile(
    r"\s+by\s+(?!\d|half\b|a (?:third|quarter|factor|half)\b|an order)"
    r"|\s+(?:using|with|through|via|after|while|thanks to|so that|which|when)\s+|;\s*|,\s+and\s+|"
    r"\s+[\u2013\u2014]\s+"
    r"|\s+\(|,\s+(?=[a-z]+ing\b)"
)
_VERB_LIKE_RE = re.compile(r"^(?:[a-z]+ed|[a-z]+t|led|ran|won|grew|rose|cut|built|wrote|rebuilt|rewrote|"
                           r"shipped|brought|drove|took|made|set|sped|kept|ran|taught|fixed)$")
_MAX_CLAUSE_WORDS = 16


def achievement_clause(achievement: Achievement) -> str:
    """The bullet as the middle of a sentence: "you cut deploy time from 2 h to 15 min".

    Cut after its measured part, at the first "by ...", "using ...", "; ..." that follows
    it, so the question quotes the result and leaves the how to the candidate.
    """
    text = re.sub(r"\s+", " ", achievement.text).strip().rstrip(".;:,")
    text = re.sub(r"^I\s+", "", text)
    text = re.sub(r";\s+(?=[a-z])", ", and ", text)  # "...; conversion rose 18%" reads as one sentence
    metric_end = 0
    if achievement.metric:
        found = text.lower().find(achievement.metric.lower())
        if found >= 0:
            metric_end = found + len(achievement.metric)
    for match in _CLAUSE_CUT_RE.finditer(text):
        if match.start() >= max(metric_end, 1) and len(text[:match.start()].split()) >= 3:
            text = text[:match.start()]
            break
    words = text.split()
    if len(words) > _MAX_CLAUSE_WORDS:
        text = " ".join(words[:_MAX_CLAUSE_WORDS]).rstrip(",;:")
        if metric_end and achievement.metric and achievement.metric.lower() not in text.lower():
            text = f"{text} ({achievement.metric})"
    text = text.rstrip(" ,;:-\u2013\u2014")
    first, _, rest = text.partition(" ")
    if _VERB_LIKE_RE.match(first.lower()) and not first.isupper():
        return f"you {first.lower()} {rest}".strip()
    return text if first.isupper() else text[:1].lower() + text[1:]


def achievement_lead(achievement: Achievement) -> str:
    """ "At StartupXYZ you cut deploy time from 2 h to 15 min" (the question's first half)."""
    clause = achievement_clause(achievement)
    if not clause.startswith("you "):
        subject = achievement.employer or achievement.project
        return f"At {subject}, {clause}" if subject else f"Your resume says {clause}"
    if achievement.employer:
        return f"At {achievement.employer} {clause}"
    if achievement.project:
        return f"On {achievement.project} {clause}"
    if achievement.role:
        return f"As {_with_article(achievement.role)} {clause}"
    return f"Your resume says {clause}"


def achievement_question(achievement: Achievement, builder: _Builder | None = None) -> Question:
    """The template question for one achievement (always available, no model)."""
    builder = builder or _Builder(senior=False)
    kind = achievement_kind(achievement)
    template = ACHIEVEMENT_TEMPLATES[kind]
    where = achievement.employer or achievement.project or "your last job"
    metric = achievement.metric or "the outcome"
    question = builder.build(
        template, ["achievement", where, *achievement.text.split()[:5]],
        ["achievement", kind, _slug(where)],
        lead=achievement_lead(achievement), metric=metric, where=where,
    )
    if len(question.text.split()) > 40:  # a very long bullet: keep only its measured part
        short = achievement.model_copy(update={"text": f"Achieved {metric}"})
        question = question.model_copy(update={"text": template.text.format(lead=achievement_lead(short))})
    return question


def _ordered_achievements(achievements: list[Achievement]) -> list[Achievement]:
    """One from each job in turn (most recent first), so a short session covers the career."""
    groups: dict[str, list[Achievement]] = {}
    for achievement in achievements:
        key = (achievement.employer or achievement.project or "").lower()
        groups.setdefault(key, []).append(achievement)
    ordered: list[Achievement] = []
    while any(groups.values()):
        for key in list(groups):
            if groups[key]:
                ordered.append(groups[key].pop(0))
    return ordered


def achievement_questions(profile: ResumeProfile, builder: _Builder | None = None
                          ) -> list[tuple[Achievement, Question]]:
    """(achievement, template question) for each achievement, spread across jobs."""
    builder = builder or _Builder(_is_senior(profile))
    result = []
    seen: set[str] = set()
    for achievement in _ordered_achievements(list(profile.achievements)):
        question = achievement_question(achievement, builder)
        key = question.text.lower()
        if key not in seen:
            seen.add(key)
            result.append((achievement, question))
    return result


_CERTIFICATION = _Template(
    "certification", _T.technical,
    "You hold the {cert}. What from preparing for it have you used in real work, and where did "
    "practice differ from the exam?",
    ("Names a specific topic from {cert} applied on a real system",
     "Describes the situation and what the knowledge changed",
     "Gives an honest example where real systems differed from the textbook answer"),
    ("What would you study next, and why?",),
    150,
)


ALL_TEMPLATES: tuple[_Template, ...] = (
    *SKILL_TEMPLATES.values(), _PAIR_SAME, _PAIR_MIXED, _FIRST_30_DAYS, *PROJECT_TEMPLATES,
    _ROLE_AT_EMPLOYER, _EMPLOYER_ONLY, _ROLE_ONLY, _TWO_EMPLOYERS, _GROWTH_SENIOR,
    _GROWTH_MID, _GROWTH_EARLY, _CAREER_PATH, *ACHIEVEMENT_TEMPLATES.values(), _CERTIFICATION,
)


# --------------------------------------------------------------------- build


class _Builder:
    def __init__(self, senior: bool) -> None:
        self.senior = senior
        self.ids: set[str] = set()

    def make_id(self, *parts: str) -> str:
        slug = "-".join(_slug(p) for p in parts if p)
        room = MAX_ID - len(ID_PREFIX) - 3
        base = (ID_PREFIX + slug[:room].strip("-")).rstrip("-")
        candidate, n = base, 2
        while candidate in self.ids:
            candidate = f"{base}-{n}"
            n += 1
        self.ids.add(candidate)
        return candidate

    def build(self, template: _Template, id_parts: Iterable[str], tags: Iterable[str],
              **values: str) -> Question:
        text, points, follow_ups = template.render(**values)
        hard = template.design and self.senior and template.type is QuestionType.system_design
        return Question(
            id=self.make_id(*id_parts),
            text=text,
            difficulty=Difficulty.hard if hard else Difficulty.medium,
            type=template.type,
            tags=_tags(["resume", *tags]),
            expected_seconds=template.seconds,
            expected_points=points,
            follow_ups=follow_ups,
        )


def _slug(value: str) -> str:
    value = value.strip().lower()
    value = value.replace("c++", "cpp").replace("++", "pp").replace("+", "plus")
    value = value.replace("c#", "csharp").replace("f#", "fsharp").replace("#", "sharp")
    if value.startswith("."):
        value = "dot" + value[1:]
    return slugify(value)


def _tags(values: Iterable[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        tag = re.sub(r"\s+", " ", clean_text(value).lower())[:60].strip()
        if tag and tag not in result:
            result.append(tag)
    return result[:30]


def _the_project(name: str) -> str:
    """'the Ledger Rewrite project', but 'the real-time fraud detection pipeline'."""
    if name[:1].isupper() or name[:1].isdigit():
        return f"the {name} project"
    return f"the {name}"


_NO_ARTICLE = re.compile(r"^(?:cto|ceo|coo|cio|vp|head|chief|co-?founder|founder)\b", re.IGNORECASE)


def _with_article(role: str) -> str:
    """'a Data Scientist', 'an Engineer', 'an ML Engineer', 'CTO'."""
    if _NO_ARTICLE.match(role):
        return role
    first = role.split()[0] if role.split() else role
    if first.isupper() and len(first) <= 4:  # an acronym is read letter by letter
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = first[:1].lower() in "aeiou"
    return f"{'an' if vowel_sound else 'a'} {role}"


def _is_senior(profile: ResumeProfile) -> bool:
    if profile.years_experience is not None and profile.years_experience >= 6:
        return True
    return any(_SENIOR_WORDS.search(role) for role in profile.roles)


def _is_early(profile: ResumeProfile) -> bool:
    if profile.years_experience is not None:
        return profile.years_experience < 2
    return bool(profile.roles) and all(_EARLY_WORDS.search(role) for role in profile.roles)


def _ordered_skills(skills: list[str]) -> list[str]:
    """Skills reordered for variety: the first skill of every category, then the rest."""
    first_of_category: list[str] = []
    seen_categories: set[str] = set()
    for skill in skills:
        category = lexicon.skill_category(skill) or f"tag:{skill}"
        if category not in seen_categories:
            seen_categories.add(category)
            first_of_category.append(skill)
    return first_of_category + [s for s in skills if s not in first_of_category]


def _skill_questions(profile: ResumeProfile, b: _Builder) -> list[Question]:
    questions: list[Question] = []
    ordered = _ordered_skills(profile.skills)
    for skill in ordered:
        category = lexicon.skill_category(skill)
        template = SKILL_TEMPLATES[_CATEGORY_TEMPLATE.get(category or "", "general")]
        questions.append(b.build(
            template, ["skill", skill], [skill, category or "skill", "skills"],
            skill=lexicon.display_name(skill),
        ))
    if len(ordered) >= 2:
        a, c = ordered[0], ordered[1]
        pair = _comparable_pair(profile.skills)
        if pair is not None:
            a, c = pair
            template = _PAIR_SAME
        else:
            template = _PAIR_MIXED
        question = b.build(
            template, ["skills", a, "and", c], [a, c, "skills", "trade-offs"],
            a=lexicon.display_name(a), b=lexicon.display_name(c),
        )
        questions.insert(min(2, len(questions)), question)
    return questions


_COMPARABLE_CATEGORIES = {"language", "web", "backend", "database", "messaging", "cloud", "mobile"}


def _comparable_pair(skills: list[str]) -> tuple[str, str] | None:
    by_category: dict[str, str] = {}
    for skill in skills:
        category = lexicon.skill_category(skill)
        if category not in _COMPARABLE_CATEGORIES:
            continue
        if category in by_category:
            return by_category[category], skill
        by_category[category] = skill
    return None


def _project_questions(profile: ResumeProfile, b: _Builder) -> list[Question]:
    primary: list[Question] = []
    secondary: list[Question] = []
    count = len(PROJECT_TEMPLATES)
    # a project named inside a measured achievement ("Built an internal reporting tool used by
    # 200 employees") already has its question, written from that bullet
    bullets = [a.text.lower() for a in profile.achievements if a.metric]
    projects = [p for p in profile.projects if not any(p.lower() in text for text in bullets)]
    for index, project in enumerate(projects):
        for offset, bucket in ((0, primary), (1, secondary)):
            template = PROJECT_TEMPLATES[(index + offset) % count]
            bucket.append(b.build(
                template, ["project", project, template.key],
                ["project", _slug(project), template.type.value],
                project=project, the_project=_the_project(project),
            ))
    return primary + secondary


def _experience_questions(profile: ResumeProfile, b: _Builder) -> list[Question]:
    questions: list[Question] = []
    positions = list(profile.positions)
    if not positions and profile.roles and len(profile.roles) == len(profile.employers):
        positions = [Position(role=r, employer=e) for r, e in zip(profile.roles, profile.employers)]
    used_roles = {p.role.lower() for p in positions}
    used_employers = {p.employer.lower() for p in positions}

    for position in positions[:3]:
        questions.append(b.build(
            _ROLE_AT_EMPLOYER, ["at", position.employer, position.role],
            ["experience", _slug(position.employer), _slug(position.role)],
            role=position.role, a_role=_with_article(position.role), employer=position.employer,
        ))
    for employer in profile.employers:
        if employer.lower() not in used_employers:
            questions.append(b.build(
                _EMPLOYER_ONLY, ["employer", employer], ["experience", _slug(employer)],
                employer=employer,
            ))
    for role in profile.roles:
        if role.lower() not in used_roles:
            questions.append(b.build(
                _ROLE_ONLY, ["role", role], ["experience", _slug(role), "communication"],
                role=role, a_role=_with_article(role),
            ))
            break  # one push-back question is plenty
    if len(profile.employers) >= 2:
        a, c = profile.employers[0], profile.employers[1]
        questions.insert(min(1, len(questions)), b.build(
            _TWO_EMPLOYERS, ["employers", a, c], ["experience", "culture"], a=a, b=c,
        ))
    return questions


def _growth_questions(profile: ResumeProfile, b: _Builder, senior: bool) -> list[Question]:
    questions: list[Question] = []
    years = profile.years_experience
    shown = _format_years(years) if years is not None else ""
    if senior and (years is None or years >= 4):
        questions.append(b.build(
            _GROWTH_SENIOR, ["growth", "raising-the-bar"], ["career-growth", "leadership", "mentoring"],
            years=shown or "several",
        ))
        if profile.skills:
            skill = _ordered_skills(profile.skills)[0]
            questions.append(b.build(
                _FIRST_30_DAYS, ["first-30-days", skill], ["career-growth", skill, "reliability"],
                skill=lexicon.display_name(skill),
            ))
    elif _is_early(profile):
        questions.append(b.build(_GROWTH_EARLY, ["growth", "self-learning"], ["career-growth", "learning"]))
    elif years is not None:
        questions.append(b.build(
            _GROWTH_MID, ["growth", "code-habits"], ["career-growth", "code-review"], years=shown,
        ))
    if len(profile.roles) >= 2 and profile.roles[0].lower() != profile.roles[1].lower():
        questions.append(b.build(
            _CAREER_PATH, ["career-path"], ["career-growth", "motivation"],
            a_first=_with_article(profile.roles[-1] if len(profile.roles) > 2 else profile.roles[1]),
            a_second=_with_article(profile.roles[0]),
        ))
    return questions


def _format_years(years: float) -> str:
    if years < 1:
        return "less than one"
    rounded = round(years)
    return str(max(1, rounded))


_MAX_NAME = 80


def _clean_names(values: Iterable[str], *, lower: bool = False) -> list[str]:
    result: list[str] = []
    keys: set[str] = set()
    for value in values:
        name = re.sub(r"\s+", " ", clean_text(str(value)))
        if len(name) > _MAX_NAME:
            name = name[:_MAX_NAME].rsplit(" ", 1)[0].rstrip(" ,;:-") or name[:_MAX_NAME]
        if lower:
            name = name.lower()
        if name and name.lower() not in keys:
            keys.add(name.lower())
            result.append(name)
    return result


def _sanitised(profile: ResumeProfile) -> ResumeProfile:
    """Drop blank or duplicate entries and over-long names, whoever built the profile."""
    roles = _clean_names(profile.roles)
    employers = _clean_names(profile.employers)
    role_keys = {r.lower() for r in roles}
    employer_keys = {e.lower() for e in employers}
    positions = [
        Position(role=p.role, employer=p.employer)
        for p in profile.positions
        if clean_text(p.role).lower() in role_keys and clean_text(p.employer).lower() in employer_keys
    ]
    years = profile.years_experience
    if years is not None and not (0 <= years <= 80):
        years = None
    achievements = []
    for achievement in profile.achievements:
        try:
            achievements.append(Achievement.model_validate(achievement.model_dump()))
        except ValueError:
            continue
    return ResumeProfile(
        skills=_clean_names(profile.skills, lower=True),
        roles=roles,
        employers=employers,
        projects=_clean_names(profile.projects),
        years_experience=years,
        certifications=_clean_names(profile.certifications),
        achievements=achievements,
        positions=positions,
    )


DEFAULT_LIMIT = 14


def resume_question_set(profile: ResumeProfile, *, limit: int = DEFAULT_LIMIT
                        ) -> list[tuple[Question, Achievement | None]]:
    """Up to ``limit`` (question, the achievement it was written from or None).

    Questions are interleaved (achievement, skill, achievement, project, achievement,
    experience, skill, growth, ...) so a short interview still covers the whole
    resume and asks first about what the candidate actually achieved. Deterministic:
    the same profile always gives the same list. An empty profile gives [].
    """
    profile = _sanitised(profile)
    if limit <= 0 or profile.is_empty:
        return []
    senior = _is_senior(profile)
    builder = _Builder(senior)
    growth = _growth_questions(profile, builder, senior)
    if profile.certifications:
        cert = profile.certifications[0]
        named = cert if re.search(r"(?i)\b(?:certificat\w*|certified)\b", cert) else f"{cert} certification"
        growth.insert(min(1, len(growth)), builder.build(
            _CERTIFICATION, ["certification", cert], ["certification", "learning"], cert=named))
    buckets: dict[str, list[tuple[Question, Achievement | None]]] = {
        "achievement": [(q, a) for a, q in achievement_questions(profile, builder)],
        "skill": [(q, None) for q in _skill_questions(profile, builder)],
        "project": [(q, None) for q in _project_questions(profile, builder)],
        "experience": [(q, None) for q in _experience_questions(profile, builder)],
        "growth": [(q, None) for q in growth],
    }
    cycle = ("achievement", "skill", "achievement", "project", "achievement", "experience", "skill",
             "growth")
    result: list[tuple[Question, Achievement | None]] = []
    step = 0
    while len(result) < limit and any(buckets.values()):
        bucket = buckets[cycle[step % len(cycle)]]
        step += 1
        if bucket:
            result.append(bucket.pop(0))
    return result


def resume_questions(profile: ResumeProfile, *, limit: int = DEFAULT_LIMIT) -> list[Question]:
    """Up to ``limit`` questions that name the candidate's achievements, skills, projects and jobs
    (see :func:`resume_question_set`)."""
    return [question for question, _ in resume_question_set(profile, limit=limit)]

