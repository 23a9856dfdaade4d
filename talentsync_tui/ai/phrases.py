"""Specific phrases from an answer: the slots a follow-up can name ("You mentioned ...").

No NLP model: runs of content words between stop words, scored up for what
interviewers pick on (named technologies, numbers with units, identifiers such
as select_related or p99) and down for words the question already used.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#._/%'-]*[A-Za-z0-9+#%]|[A-Za-z0-9]")
_SPLIT = re.compile(r"(?<=[.!?;:,()\"])\s+|\n+|\s+-\s+|\s+—\s+")
STOP = frozenset("""
a an the and or but if of to in on for with at by from is are was were be been being it its this
that these those what how why when which who whom you your i we they he she me my our us them their
do did does done have has had having would could should will can may might must about into than then
there here as so not no yes also just very really quite some any all each every more most much many
few lot lots one use used using make made get got like such other own same too only both either
neither because while after before during until since over under again further once out up down off
above below between through am i'm we're they're it's that's don't didn't doesn't isn't wasn't aren't
weren't won't can't couldn't shouldn't wouldn't i'd i've we'd we've think know knew thing things way
ways actually basically kind sort well first second next finally example instance time times pretty
probably maybe always never often usually sometimes went go going want wanted need needed needs try
tried let ensure sure good better best bad new old big small said say says tell told mean means
instead rather still even though although however therefore thus etc via per him her his hers
team project work worked job answer question right left case part whole something someone anything
everything nothing lot bit able around within without against toward towards across along among
""".split())
# Frequent verbs: they end a noun phrase ("a new hire spent three days" -> "three days").
VERBS = frozenset("""spent took find found showed show used moved cut ran run saw see told wrote
added built fixed kept led put set got gave went came asked worked wanted decided started stopped
helped paired proposed disagreed agreed picked chose chosen switched migrated owned learned read
rebuilt shipped wrapped dropped stored sends send sent returns return returned checked check
expected missed cause caused causes fell went goes gets keeps stays became become hit hits split
prefer preferred suspect suspected truncated turned rolled wanted needs called calls runs""".split())
_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve twenty thirty
forty fifty hundred thousand million billion dozen half""".split())
_UNITS = frozenset("""ms s sec secs seconds second minutes minute min mins hours hour h days day weeks
week months month years year x % percent gb mb kb tb pb k m qps rps rpm users requests rows nodes
servers pods engineers people customers tests queries lines times""".split())
_NUMBER_WORD = re.compile(r"^\d[\d.,]*[a-z%]*$", re.I)


def _is_number(word: str) -> bool:
    return bool(_NUMBER_WORD.match(word)) or word.lower() in _NUMBER_WORDS


def _tokens(text: str) -> list[str]:
    return [m.group(0).strip("'") for m in _TOKEN.finditer(text)]


def content_words(text: str) -> set[str]:
    return {w.lower() for w in _tokens(text) if w.lower() not in STOP and len(w) > 2}


def _score(words: list[str], sentence_start: str | None, question_words: set[str]) -> float:
    score = 0.0
    for w in words:
        low = w.lower()
        if _is_number(w):
            score += 1.5
        elif low in _UNITS:
            score += 0.5
        if w[0].isupper() and w is not sentence_start and not w.isupper() or (w.isupper() and len(w) > 1):
            score += 1.5
        if re.search(r"[+#_/%.]|[a-z][A-Z]", w):
            score += 1.0
        if low in question_words:
            score -= 1.0
        else:
            score += 1.0
        if len(w) <= 2 and not _is_number(w) and not w.isupper():
            score -= 1.0
    first = words[0]
    if first.isalpha() and first.islower() and len(first) > 4 and first.endswith(("ed", "ing")):
        score -= 1.0  # "ran ...", "cached ...": verb phrases read badly after "You mentioned"
    if len(words) == 1 and first.isalpha() and first.islower() and len(first) <= 6:
        score -= 0.75  # "data", "build", "front": too vague to name alone
    if all(_is_number(w) for w in words):
        score -= 2.0  # a bare number says little without its unit
    if words[-1].lower() in _UNITS and not any(_is_number(w) for w in words):
        score -= 0.5
    return score / (1 + 0.35 * (len(words) - 1)) + 0.4 * (len(words) - 1)


def candidate_phrases(answer: str, question: str = "", limit: int = 8) -> list[str]:
    """Up to `limit` distinct phrases copied verbatim from the answer, best first."""
    question_words = {w.lower() for w in _tokens(question)}
    scored: dict[str, tuple[float, str]] = {}
    for sentence in _SPLIT.split(answer):
        words = _tokens(sentence)
        if not words:
            continue
        start = words[0]
        run: list[str] = []

        def flush() -> None:
            for size in (3, 2, 1):
                for i in range(len(run) - size + 1):
                    chunk = run[i:i + size]
                    if chunk[-1].lower() in STOP or (size > 1 and _is_number(chunk[-1])):
                        continue
                    text = " ".join(chunk)
                    if len(text) < 3 or len(text) > 40:
                        continue
                    value = _score(chunk, start, question_words)
                    key = text.lower()
                    if key not in scored or scored[key][0] < value:
                        scored[key] = (value, text)
            run.clear()

        for word in words:
            low = word.lower()
            if (low in STOP or low in VERBS or (low.endswith("ly") and len(low) > 4)
                    or (word.isalpha() and word.islower() and low.endswith("ing") and len(low) > 5)):
                flush()
            else:
                run.append(word)
        flush()
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1]))
    chosen: list[str] = []
    for value, text in ranked:
        if value <= 0.5:
            break
        low = text.lower()
        if any(low in c.lower() or c.lower() in low for c in chosen):
            continue
        words = low.split()
        taken = {w for c in chosen for w in c.lower().split()}
        if len(words) > 1 and sum(w in taken for w in words) * 2 > len(words) - 1:
            continue  # mostly the same words as a better phrase
        chosen.append(text)
        if len(chosen) >= limit:
            break
    return chosen


def specific_mentions(follow_up: str, answer: str, question: str = "",
                      phrases: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    """What the follow-up names from the answer that the question (and `exclude`) did not say.

    A mention is a candidate phrase quoted whole, or a distinctive word of one: a
    content word of the answer that is in neither the question nor the excluded
    texts (the template ideas the model was shown, which it could just copy).
    """
    low = follow_up.lower()
    seen = content_words(question)
    for text in exclude or []:
        seen |= content_words(text)
    follow_words = content_words(follow_up)
    found: list[str] = []
    for phrase in phrases or []:
        if phrase.lower() in low and (content_words(phrase) - seen or _has_number(phrase)):
            found.append(phrase)
    distinctive = (content_words(answer) - seen) & follow_words
    found += sorted(w for w in distinctive if (len(w) > 3 or _is_number(w)) and w not in
                    {f.lower() for f in found})
    return found


def _has_number(text: str) -> bool:
    return any(_is_number(w) for w in _tokens(text))
