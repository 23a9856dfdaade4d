"""STAR structure for behavioral and situational answers.

Two ways to tell: cue phrases ("at my last job", "I was responsible for", "as a
result") and first-person past-tense actions, which need no model and feed the
quick check; and the coach model's per-part verdicts (see `evidence.py`), which
replace the cues when the model is there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from talentsync_tui.feedback.text import AnswerText, analyze_answer
from talentsync_tui.models import QuestionType

__all__ = ["STAR_PARTS", "STAR_TYPES", "detect_star", "first_person_actions", "has_measured_result",
           "star_from"]

STAR_TYPES = frozenset({QuestionType.behavioral, QuestionType.situational})
STAR_PARTS = ("situation", "task", "action", "result")

# Phrases are matched on the answer's words joined by single spaces (see
# ``AnswerText.joined``), so "as a result," and "As a result" both hit
# " as a result " and a phrase never matches inside a longer word.

def _phrases(text: str) -> tuple[str, ...]:
    return tuple(f" {line.strip()} " for line in text.strip().splitlines() if line.strip())


_SITUATION_PHRASES = _phrases(
    """
    when i was
    while i was
    when we were
    at my previous
    at my last
    at my current
    at my old
    at my first
    at my former
    in my previous
    in my last
    in my current
    in my first
    in my former
    our team
    my team
    the team
    we had
    we were
    the project
    a project
    i was working
    i worked at
    i worked on
    i worked as
    i worked for
    i joined
    years ago
    months ago
    weeks ago
    last year
    last quarter
    last month
    last summer
    last winter
    back in
    back when
    the situation
    the context
    at the time
    there was a
    one time
    our company
    our startup
    our client
    our customer
    our product
    our service
    our system
    our codebase
    our app
    in that situation
    in this situation
    in such a situation
    in that case
    if this happened
    if that happened
    assuming
    """
)
_TASK_PHRASES = _phrases(
    """
    my role
    my job
    my responsibility
    my goal
    our goal
    the goal
    goal was
    i was responsible
    i was asked
    i was tasked
    i was assigned
    i was in charge
    i was hired
    i owned
    responsible for
    needed to
    need to
    had to
    have to
    was supposed to
    the task
    my task
    the challenge
    the objective
    objective was
    the aim
    in order to
    deadline
    i wanted to
    we wanted to
    the problem was
    my priority
    would need to
    """
)
_ACTION_PHRASES = _phrases(
    """
    my first step
    first i
    then i
    so i
    i made sure
    i worked with
    i worked closely
    i reached out
    i personally
    i took ownership
    i took the lead
    i took charge
    i started by
    i set up
    step one
    """
)
_RESULT_WORDS = frozenset(
    """
    reduced increased improved decreased lowered saved dropped doubled tripled halved shipped
    launched released delivered learned learnt lesson lessons outcome outcomes afterwards successful
    successfully succeeded resulted
    """.split()
)
_RESULT_PHRASES = _phrases(
    """
    as a result
    result in
    results in
    the result
    which cut
    we cut
    i cut
    cut down
    in the end
    ended up
    since then
    on time
    so that
    which meant
    which led
    led to
    which allowed
    which helped
    which would
    the impact
    got promoted
    was praised
    was adopted
    that way
    i would expect
    to make sure
    to ensure
    """
)
_UNIT_WORDS = frozenset("percent ms x times".split())
_MEASURED_RE = re.compile(r"^\d+(?:\.\d+)?(?:x|ms|s|k|m)$")
_PERCENT_RE = re.compile(r"\d\s*%")

_ADVERBS = frozenset("then also first personally immediately quickly eventually finally actually really".split())
_IRREGULAR_PAST = frozenset(
    """
    built wrote led ran made took set sent met spoke brought began drove chose found gave got held
    kept taught told went did put rewrote drew sought broke fought split shut paid sat stood won
    bought dug caught read let hit rebuilt redid
    """.split()
)
_NOT_ACTIONS = frozenset(
    """
    needed wanted hoped liked loved seemed learned realized realised noticed worked joined felt
    thought guessed was were had
    """.split()
)
_NOT_MODAL_ACTIONS = frozenset(
    """
    say be have not probably like love think guess want need rather prefer hope imagine would will
    definitely maybe also then
    """.split()
)



def first_person_actions(words: Sequence[str]) -> int:
    """Count "I <past-tense verb>" and "I would/will <verb>" statements."""
    count = 0
    size = len(words)
    for index, word in enumerate(words):
        if word != "i":
            continue
        nxt = index + 1
        modal = nxt < size and words[nxt] in ("would", "will")
        if modal:
            nxt += 1
        if nxt < size and (words[nxt] in _ADVERBS or (len(words[nxt]) > 4 and words[nxt].endswith("ly"))):
            nxt += 1
        if nxt >= size:
            continue
        verb = words[nxt]
        if modal:
            if verb.isalpha() and verb not in _NOT_MODAL_ACTIONS:
                count += 1
        elif verb not in _NOT_ACTIONS and (verb in _IRREGULAR_PAST or (len(verb) > 4 and verb.endswith("ed"))):
            count += 1
    return count



def any_phrase(joined: str, phrases: Sequence[str]) -> bool:
    return any(phrase in joined for phrase in phrases)


def has_measured_result(answer: AnswerText) -> bool:
    words = answer.words
    for index, word in enumerate(words):
        if not word[:1].isdigit():
            continue
        if _MEASURED_RE.match(word):
            return True
        if index + 1 < len(words) and words[index + 1] in _UNIT_WORDS:
            return True
    return "%" in answer.text and _PERCENT_RE.search(answer.text) is not None



def detect_star(answer: str | AnswerText) -> dict[str, bool]:
    """Which STAR parts (situation, task, action, result) an answer shows, from cue phrases."""
    analysed = analyze_answer(answer) if isinstance(answer, str) else answer
    return star_from(analysed, first_person_actions(analysed.words))


def star_from(answer: AnswerText, actions: int) -> dict[str, bool]:
    joined = answer.joined
    return {
        "situation": any_phrase(joined, _SITUATION_PHRASES),
        "task": any_phrase(joined, _TASK_PHRASES),
        "action": actions > 0 or any_phrase(joined, _ACTION_PHRASES),
        "result": not _RESULT_WORDS.isdisjoint(answer.words)
        or any_phrase(joined, _RESULT_PHRASES)
        or has_measured_result(answer),
    }
