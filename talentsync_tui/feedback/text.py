"""Model-free text helpers shared by the feedback code.

Tokenising, stop words and the Snowball (Porter 2) English stemmer from the
``snowballstemmer`` package. Everything here is pure and deterministic; the
expensive bits (stemming, analysing an expected point) are memoised. Lexical
overlap is one weak signal among several (see ``calibration.py``): meaning is
judged by the coach model and by sentence embeddings, not by a synonym table.

Vocabulary:

* a *raw token* is a lowercased word as written: ``cache``, ``c++``,
  ``node.js``, ``p99``, ``trade-offs``, ``o(n)``;
* a *stem* is what comparisons use (Snowball): ``caching``, ``cached`` and
  ``caches`` all become ``cach``;
* a *term* is one content word of an expected point. It matches an answer
  when any of its stems occurs in the answer, or, for a hyphenated compound
  (``trade-offs``), when every part does (``trade off``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = [
    "AnswerText",
    "STOP_WORDS",
    "TECH_TERMS",
    "Term",
    "analyze_answer",
    "count_words",
    "point_terms",
    "raw_tokens",
    "stem",
    "stems",
    "term_matches",
    "words",
]

# --------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above across after again against all almost along already also although always am among an and
    another any anyone anything anyway are around as at away back be because been before being below
    between both but by can cannot cant could couldnt did didnt do does doesnt doing done dont down
    during each either else enough etc even ever every everything few for from further get gets
    getting go goes going gone got gotten had hadnt has hasnt have havent having he her here hers him
    his how however i ie if im in into is isnt it its itself ive just kind least less let lets like
    lot lots made many may maybe me might mine more most much must my myself neither never no nor not
    nothing now of off often ok okay on once one only onto or other others otherwise our ours
    ourselves out over own per perhaps quite rather really said same say says seem seemed seems she
    should shouldnt since so some someone something sometimes somewhat sort still such sure than that
    thats the their theirs them themselves then there therefore these they theyre thing things think
    this those though through thus to together too toward towards um uh under until up upon us very
    via was wasnt we well were werent weve what whatever when whenever where whether which while who
    whom whose why will with within without wont would wouldnt yeah yes yet you youd youll your youre
    yours yourself yourselves basically actually literally stuff e.g i.e eg
    """.split()
)
"""Function words and filler dropped before comparing an answer with expected points."""

_POINT_META: frozenset[str] = frozenset(
    """
    describe describes describing explain explains explaining mention mentions mentioning discuss
    discusses discussing articulate articulates outline outlines candidate candidates demonstrate
    demonstrates acknowledge acknowledges concrete specific specifically clearly clear taken
    """.split()
)
"""Rubric words that describe what the candidate should do rather than what to say."""

_LEADING_META: frozenset[str] = frozenset(
    """
    states state gives give provides provide shows show notes note covers cover includes include
    identifies identify names name considers consider highlights highlight addresses address
    recognizes recognises recognize talks talk walks walk clarifies clarify uses
    """.split()
)
"""Rubric verbs ignored only as the first word of a point ("States the outcome ...")."""

_QUESTION_META: frozenset[str] = frozenset(
    """
    tell time describe explain walk give share talk example situation experience question scenario
    would could approach handle
    """.split()
)
"""Extra words ignored when a question's own wording is the only thing to compare with."""

TECH_TERMS: frozenset[str] = frozenset(
    """
    python java javascript typescript golang rust c++ c# f# ruby php scala kotlin swift elixir
    haskell sql nosql postgres postgresql mysql sqlite mongodb redis memcached cassandra dynamodb
    elasticsearch opensearch kafka rabbitmq sqs sns s3 ec2 aws gcp azure docker kubernetes k8s
    terraform ansible jenkins github gitlab git react angular vue svelte node.js nodejs next.js
    django flask fastapi spring rails graphql grpc rest http https tcp udp dns cdn nginx linux
    spark hadoop airflow snowflake bigquery tableau pandas numpy pytorch tensorflow prometheus
    grafana datadog splunk sentry jira oauth jwt tls ssl websocket websockets json protobuf html css
    ios android celery sidekiq cron etcd zookeeper consul istio envoy helm circleci lru lfu acid
    btree b-tree mapreduce ci cd sla slo sli p50 p90 p95 p99 api apis sdk cli sqlalchemy orm
    webpack vite jest pytest junit selenium cypress figma .net asp.net unity kibana logstash
    cloudflare vercel heroku lambda cloudwatch bigtable spanner firestore firebase supabase
    """.split()
)
"""Named technologies that make an answer concrete (lowercase raw tokens)."""

# Raw tokens that are names, not English words: never stemmed.
_PROTECTED: frozenset[str] = TECH_TERMS | frozenset(
    "aws gcp redis kubernetes postgres jenkins ios kafka analysis status process basis series".split()
)

# --------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_TOKEN_RE = re.compile(r"\.net\b|[a-z0-9]+(?:\+\+|#)|[a-z0-9]+(?:[.\-_][a-z0-9]+)*")
_BIG_O_RE = re.compile(r"\bo\(\s*([a-z0-9 ^*+/.]{1,20}?)\s*\)")
_SPACE_RE = re.compile(r"\s+")
_COMPOUND_SPLIT_RE = re.compile(r"[-_]")
_DOT_KEEP_SUFFIXES = frozenset({"js", "io", "net", "ts", "py", "ai", "com", "org", "dev"})
_ALNUM_RE = re.compile(r"[^\W_]")


def _normalise(text: str) -> str:
    """Lowercase, expand ``I'd``/``I'll`` and drop apostrophes (``don't`` -> ``dont``)."""
    lowered = text.lower().translate(_QUOTES)
    if "'" not in lowered:
        return lowered
    lowered = (lowered + " ").replace("i'd ", "i would ").replace("i'll ", "i will ")
    return lowered.replace("'", "")


def _big_o(lowered: str) -> list[str]:
    if "o(" not in lowered:
        return []
    return ["o(" + _SPACE_RE.sub("", m) + ")" for m in _BIG_O_RE.findall(lowered)]


def words(text: str) -> list[str]:
    """Lowercased word tokens in order, keeping ``c++``, ``c#``, ``node.js``, ``p99``, ``trade-offs``.

    ``I'd`` and ``I'll`` become ``i would`` and ``i will``; other apostrophes
    are dropped (``team's`` -> ``teams``).
    """
    return _TOKEN_RE.findall(_normalise(text))


def raw_tokens(text: str) -> list[str]:
    """:func:`words` plus one token per Big-O expression (``O(n log n)`` -> ``o(nlogn)``) at the end."""
    lowered = _normalise(text)
    return _TOKEN_RE.findall(lowered) + _big_o(lowered)


def count_words(text: str) -> int:
    """Whitespace-separated words that contain at least one letter or digit."""
    chunks = text.split()
    return len(chunks) - sum(1 for chunk in chunks if not chunk.isalnum() and not _ALNUM_RE.search(chunk))


# --------------------------------------------------------------------------
# Stemming
# --------------------------------------------------------------------------

_STEMMER = snowballstemmer.stemmer("english")
_STEM_LOCK = threading.Lock()  # a Snowball stemmer object keeps state between calls


@lru_cache(maxsize=16384)
def stems(word: str) -> tuple[str, ...]:
    """The Snowball stem of a lowercase raw token, as a one-element tuple.

    ``caching``/``cache``/``cached``/``caches`` -> ``cach``. Tokens that are
    not purely alphabetic (``c++``, ``p99``, ``node.js``) and known technology
    names are returned unchanged.
    """
    if word in _PROTECTED or not word.isalpha() or not word.isascii() or len(word) <= 3:
        return (word,)
    with _STEM_LOCK:
        return (_STEMMER.stemWord(word),)


def stem(word: str) -> str:
    """The primary stem of a lowercase raw token."""
    return stems(word)[0]


# --------------------------------------------------------------------------
# Terms: tokens with stop words dropped, stemmed
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One content word of an expected point.

    ``alts`` are the stems of the word itself (of the joined form for a
    compound); ``parts`` are the stems of a compound's parts, all of which
    must appear for the parts route to match.
    """

    text: str
    alts: frozenset[str]
    parts: tuple[frozenset[str], ...] = ()


def term_matches(term: Term, answer_stems: frozenset[str] | set[str]) -> bool:
    """Whether ``term`` occurs in an answer with the given stems."""
    if not term.alts.isdisjoint(answer_stems):
        return True
    return bool(term.parts) and all(not part.isdisjoint(answer_stems) for part in term.parts)


def _is_content(token: str, extra_stop: frozenset[str]) -> bool:
    if token in STOP_WORDS or token in extra_stop:
        return False
    return not (len(token) == 1 and token.isalpha())


def _split_dotted(token: str) -> list[str]:
    """Split ``done.then`` typos but keep ``node.js``, ``3.5``, ``asp.net``."""
    if "." not in token or token in TECH_TERMS:
        return [token]
    if any(ch.isdigit() for ch in token) or token.rsplit(".", 1)[-1] in _DOT_KEEP_SUFFIXES:
        return [token]
    return [part for part in token.split(".") if part]


def _token_terms(token: str, extra_stop: frozenset[str]) -> list[Term]:
    """Terms for one raw token (none for stop words)."""
    terms: list[Term] = []
    for piece in _split_dotted(token):
        if "-" in piece or "_" in piece:
            parts = [p for p in _COMPOUND_SPLIT_RE.split(piece) if p]
            joined = "".join(parts)
            if not _is_content(joined, extra_stop):
                continue
            part_sets = tuple(frozenset(stems(p)) for p in parts if _is_content(p, extra_stop))
            terms.append(Term(piece, frozenset(stems(joined)), part_sets))
        elif _is_content(piece, extra_stop):
            terms.append(Term(piece, frozenset(stems(piece))))
    return terms


def _dedupe(terms: list[Term]) -> tuple[Term, ...]:
    seen: set[frozenset[str]] = set()
    out: list[Term] = []
    for term in terms:
        if term.alts not in seen:
            seen.add(term.alts)
            out.append(term)
    return tuple(out)


@lru_cache(maxsize=4096)
def point_terms(point: str, *, question: bool = False) -> tuple[Term, ...]:
    """The content terms of an expected point (or, with ``question``, of a question's wording).

    Rubric wording is ignored ("Describes ...", a leading "States ...") and
    duplicates are dropped.
    """
    tokens = raw_tokens(point)
    extra = _POINT_META | _QUESTION_META if question else _POINT_META
    terms: list[Term] = []
    for index, token in enumerate(tokens):
        if index == 0 and token in _LEADING_META:
            continue
        terms.extend(_token_terms(token, extra))
    return _dedupe(terms)


@dataclass(frozen=True, slots=True)
class AnswerText:
    """An answer analysed once.

    ``words`` are the tokens in order (see :func:`words`); ``tokens`` adds the
    Big-O tokens; ``joined`` is ``" " + " ".join(words) + " "`` for
    boundary-safe phrase look-ups (``" as a result " in joined``); ``stems``
    is everything comparable with expected-point terms.
    """

    text: str
    words: tuple[str, ...]
    tokens: tuple[str, ...]
    joined: str
    stems: frozenset[str]
    word_count: int


def analyze_answer(text: str) -> AnswerText:
    """Tokenise and stem an answer.

    A compound adds its parts (``trade-offs`` gives ``tradeoff``, ``trade``
    and ``off``). Appending text therefore never removes a stem.
    """
    lowered = _normalise(text)
    in_order = _TOKEN_RE.findall(lowered)
    tokens = in_order + _big_o(lowered)
    found: set[str] = set().union(*map(_answer_token_stems, set(tokens)))
    return AnswerText(
        text=text,
        words=tuple(in_order),
        tokens=tuple(tokens),
        joined=" " + " ".join(in_order) + " ",
        stems=frozenset(found),
        word_count=count_words(text),
    )


@lru_cache(maxsize=16384)
def _answer_token_stems(token: str) -> frozenset[str]:
    found: set[str] = set()
    for term in _token_terms(token, frozenset()):
        found.update(term.alts)
        for part in term.parts:
            found.update(part)
    return frozenset(found)
