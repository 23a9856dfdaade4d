"""The coach model rewrites achievement questions; the template stays when its answer is not usable.

    written = write_achievement_questions(pairs, llm)   # [(achievement, template question)]
    for item in written: item.question, item.source     # "model" or "template"

``llm`` is anything with the interface of :mod:`talentsync_tui.ai.llm` (``ready``,
``complete(prompt, max_tokens=, temperature=, stop=, timeout=)`` returning an object
with ``.text``). The prompt uses the model's own chat template, rendered by the
coach's :class:`~talentsync_tui.ai.coach.ChatLayout` (ChatML when the model has none).

The model's answer is kept only when it is one question that ends with "?", has at
most 35 words, names the employer (or project) or the achievement's key noun, and
is not a near-copy of another question or of the prompt's example. Otherwise the
template question for that bullet stays.
"""

from __future__ import annotations

import inspect
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from talentsync_tui.models import Achievement, Question, clean_text

log = logging.getLogger(__name__)

MAX_WORDS = 35
SYSTEM = "You are an experienced technical interviewer who asks short, specific questions."
EXAMPLES = (
    ("Reduced page load time from 4 s to 1.2 s by lazy-loading images and moving fonts to a CDN",
     "Initech", "At Initech you reduced page load time from 4 s to 1.2 s",
     "why did you start with the images, and how did you measure the load time?"),
    ("Led a team of 3 to rebuild the billing service in Go with zero downtime", "Globex",
     "At Globex you led a team of 3 to rebuild the billing service in Go",
     "how did you move live traffic to the Go service without downtime?"),
)
"""(bullet, employer, the question's opening, its ask) shown to the model as worked examples."""
EXAMPLE_ACHIEVEMENT = EXAMPLES[0][0]
EXAMPLE_QUESTION = f"{EXAMPLES[0][2]}: {EXAMPLES[0][3]}"
_STOPWORDS = set("""a an the and or of to in on for with by from at as into over under our my their
their it its this that these those was were is are be been than then so we i you your
team teams using used use via per each every new more less about after before while""".split())
_ASK_STARTS = {"how", "what", "why", "which", "where", "when", "who", "did", "do", "was", "were",
               "could", "would", "can", "is", "are", "walk", "tell", "in", "looking", "if"}
_LABEL_RE = re.compile(r"^(?:\*\*)?(?:question|interview question|q)\s*[:.\-]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class WrittenQuestion:
    achievement: Achievement
    question: Question
    source: str  # "model" | "template"
    template_text: str
    reason: str | None = None  # why the model's text was rejected (or "model not ready")
    seconds: float = 0.0
    raw: str | None = None


INSTRUCTIONS = (
    "Finish an interview question about an achievement from a candidate's resume. The question "
    "already starts by restating the achievement; add one short question (at most 18 words) about "
    "how they did it: a tool, a method or a decision named in the achievement, how they found the "
    "cause, or how they measured the result. End with a question mark.\n\n"
    + "".join(f"Achievement: {bullet}\nEmployer: {employer}\nQuestion: {opening}: {ask}\n\n"
              for bullet, employer, opening, ask in EXAMPLES)
)
"""Static, so llama.cpp reuses its evaluation across bullets: only the bullet itself is new."""


def prompt_for(achievement: Achievement, template: Question | None = None, llm=None) -> str:
    """The chat prompt (in the model's own chat template) for one bullet, ending with the
    question's opening ("At StartupXYZ you cut deploy time from 2 h to 15 min: ") already
    written as the start of the model's reply, so the model writes only the ask.

    Static instructions and examples first, then the bullet, so every bullet after the first
    costs only its own ~40 tokens of prompt.
    """
    from talentsync_tui.ai.coach import ChatLayout

    lines = [f"Achievement: {achievement.text}"]
    if achievement.employer:
        lines.append(f"Employer: {achievement.employer}")
    if achievement.project:
        lines.append(f"Project: {achievement.project}")
    if achievement.role:
        lines.append(f"Role: {achievement.role}")
    tail = "\n".join(lines) + "\nFinish the question."
    template_text = getattr(llm, "chat_template", None) if llm is not None else None
    layout = ChatLayout(template_text if isinstance(template_text, str) else None)
    prefix, rest = layout.split(INSTRUCTIONS, tail, system=SYSTEM)
    return prefix + rest + opening(achievement) + ": "


def opening(achievement: Achievement) -> str:
    """The question's first half, from the template: "At StartupXYZ you cut deploy time ..."."""
    from talentsync_tui.resume.questions import achievement_lead

    return achievement_lead(achievement)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9+#.%-]*", text.lower())


def _stem(word: str) -> str:
    return word.rstrip(".%")[:5]


def key_nouns(achievement: Achievement) -> set[str]:
    """Content words of the bullet (stemmed to 5 letters) that a question about it should reuse."""
    from talentsync_tui.resume.profile import _ACTION_VERBS, _OUTCOME_VERBS

    verbs = _ACTION_VERBS | _OUTCOME_VERBS
    words = [w for w in _words(achievement.text) if w not in _STOPWORDS and w not in verbs
             and not w[0].isdigit() and len(w) >= 3]
    return {_stem(w) for w in words}


def _similar(a: str, b: str) -> float:
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def clean_output(raw: str) -> str:
    text = clean_text(raw or "").strip()
    text = text.split("\n")[0].strip()
    text = _LABEL_RE.sub("", text).strip()
    text = text.strip(" \"'`*")
    return re.sub(r"\s+", " ", text)


def check_question(text: str, achievement: Achievement, others: Iterable[str],
                   lead: str | None = None) -> str | None:
    """Why ``text`` is not a usable question about ``achievement`` (None: it is).

    ``lead`` is the opening the model was given ("At StartupXYZ you cut ..."): what the model
    added after it must itself name something from the bullet.
    """
    if not text:
        return "empty"
    if not text.endswith("?"):
        return "does not end with '?'"
    if text.count("?") != 1:
        return "more than one question"
    if re.search(r"[{}\[\]<>]|\n", text):
        return "template or markup characters"
    words = text.split()
    if len(words) > MAX_WORDS:
        return f"{len(words)} words (at most {MAX_WORDS})"
    if len(words) < 6:
        return "too short"
    if not text[0].isupper():
        return "does not start with a capital"
    if _similar(text, EXAMPLE_QUESTION) >= 0.6 or any(
            _similar(text.rsplit(":", 1)[-1], ask) >= 0.5 for *_, ask in EXAMPLES):
        return "copies the example"
    invented = set(re.findall(r"\d+(?:[.,]\d+)?", text)) - set(re.findall(r"\d+(?:[.,]\d+)?",
                                                                          achievement.text))
    if invented:
        return f"a number that is not on the resume ({', '.join(sorted(invented))})"
    lower = text.lower()
    where = achievement.employer or achievement.project
    named = bool(where and where.lower() in lower)
    if not named and not ({_stem(w) for w in _words(text)} & key_nouns(achievement)):
        return "names neither the employer nor the achievement"
    if lead is not None:
        ask = text[len(lead):] if text.startswith(lead) else text
        if not ({_stem(w) for w in _words(ask)} & key_nouns(achievement)):
            # the opening is the template's: the model's own part must be about this bullet
            return "the question it adds is generic (no word of the achievement)"
    for other in others:
        if _similar(text, other) >= 0.75:
            return "duplicates another question"
    return None


def _complete_kwargs(llm) -> dict:
    try:
        parameters = inspect.signature(llm.complete).parameters
    except (TypeError, ValueError):
        return {}
    if "priority" in parameters:
        from talentsync_tui.ai.models import PRIORITY_BACKGROUND

        return {"priority": PRIORITY_BACKGROUND}  # a follow-up the candidate waits for goes first
    return {}


def write_achievement_questions(
    pairs: list[tuple[Achievement, Question]], llm, *, others: Iterable[str] = (),
    timeout: float = 30.0, max_tokens: int = 72,
    cancelled: Callable[[], bool] | None = None,
    on_question: Callable[[WrittenQuestion], None] | None = None,
) -> list[WrittenQuestion]:
    """One question per (achievement, template question): the model's when valid, else the template.

    ``others`` are the texts of the profile's other questions (no duplicates of them).
    ``cancelled()`` stops early (the remaining bullets keep their template, unreported).
    Never raises for a model failure: that bullet keeps its template.
    """
    results: list[WrittenQuestion] = []
    taken = [t for t in others]
    ready = llm is not None and bool(getattr(llm, "ready", False))
    kwargs = _complete_kwargs(llm) if ready else {}
    for achievement, template in pairs:
        if cancelled is not None and cancelled():
            break
        if not ready:
            item = WrittenQuestion(achievement, template, "template", template.text, "model not ready")
        else:
            started = time.perf_counter()
            raw = None
            try:
                # stop at the end of the first question: the model likes numbered lists of three
                completion = llm.complete(prompt_for(achievement, template, llm), max_tokens=max_tokens,
                                          temperature=0.0, stop=["\n", "? ", "<|im_end|>"],
                                          timeout=timeout, **kwargs)
                raw = completion.text
                ask = clean_output(raw)
                ask = re.sub(r"^(?:\d{1,2}[.)]|[-*\u2022])\s*", "", ask)  # "1. How did you ...? 2. ..."
                if (ask and ask[-1].isalnum() and ask.split()[0].lower() in _ASK_STARTS
                        and int(getattr(completion, "tokens", max_tokens)) < max_tokens):
                    ask += "?"  # it stopped at "? " (the stop text is not returned)
                if "?" in ask:
                    ask = ask[:ask.index("?") + 1]
                first = ask.split(" ", 1)[0]
                if first[:1].isupper() and not first.isupper() and first.lower() in _ASK_STARTS:
                    ask = ask[:1].lower() + ask[1:]  # it follows "...: "
                text = f"{opening(achievement)}: {ask}" if ask else ""
                reason = check_question(text, achievement,
                                        [t for t in taken if t != template.text], lead=opening(achievement))
            except Exception as exc:  # noqa: BLE001 - a model failure keeps the template
                log.info("the model could not write a resume question: %s", exc)
                text, reason = "", f"model error: {type(exc).__name__}"
            seconds = time.perf_counter() - started
            if reason is None:
                question = template.model_copy(update={"text": text})
                item = WrittenQuestion(achievement, question, "model", template.text, None, seconds, raw)
            else:
                item = WrittenQuestion(achievement, template, "template", template.text, reason, seconds, raw)
        taken.append(item.question.text)
        results.append(item)
        if on_question is not None:
            on_question(item)
    return results
