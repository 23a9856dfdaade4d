"""Few-shot prompts and JSON schemas for follow-up generation.

Written for a base model (the earlier Gemma 3 270M), and kept for the coach
model until follow-ups are rebuilt on its chat template: a short header and
worked examples in exactly the output format, then the live case; the schema's
grammar makes the model pick the detail from phrases copied out of the answer
(an enum) and makes the follow-up a single capitalised sentence ending in "?".

The static part (header + examples) comes first and never changes, so
llama.cpp reuses its KV cache between calls and only the live case is evaluated.
"""

from __future__ import annotations

import json
from typing import Any

HEADER = (
    "Interview follow-up questions. Each follow-up picks one specific detail the candidate "
    "mentioned (a tool, a number, a decision) and asks for more depth about it, in one short "
    "question. Ideas are follow-ups interviewers often use for this kind of question.\n\n"
)

EXAMPLES: list[dict[str, Any]] = [
    {
        "question": "How do you decide between a relational database and a NoSQL store?",
        "answer": "For our billing service I picked PostgreSQL because we needed transactions "
                  "across invoices and payments.",
        "ideas": ["When would a document store be the better choice?",
                  "How do you model relationships in a key-value store?"],
        "detail": "transactions across invoices",
        "followup": "Which isolation level did the transactions across invoices need, and why?",
    },
    {
        "question": "Tell me about a time you helped a teammate who was stuck.",
        "answer": "A junior engineer was stuck on a flaky Selenium test for two days, so I paired "
                  "with her and we found a race with the page load.",
        "ideas": ["How did you know when to step back?", "What did the teammate learn?"],
        "detail": "flaky Selenium test",
        "followup": "What did she learn from debugging the flaky Selenium test with you?",
    },
    {
        "question": "How would you speed up a slow CI pipeline?",
        "answer": "We split the 900 integration tests into 6 parallel shards and cached the pip "
                  "wheels, which took the run from 45 to 14 minutes.",
        "ideas": ["Which stage would you measure first?",
                  "How do you keep the pipeline fast as the team grows?"],
        "detail": "cached the pip wheels",
        "followup": "How do you invalidate the cached pip wheels when dependencies change?",
    },
]

FOLLOWUP_PATTERN = r'^[A-Z][^"?\n\\]+[?]$'
"""A single capitalised sentence ending in its only question mark (no detail required)."""
PREFIX_CHARS = 110
SUFFIX_CHARS = 50


def _block(question: str, answer: str, ideas: list[str]) -> str:
    ideas_text = " | ".join(ideas) if ideas else "(none)"
    return f"Question: {question}\nAnswer: {answer}\nIdeas: {ideas_text}\nFollow-up JSON: "


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " ..."


def static_prefix() -> str:
    parts = [HEADER]
    for ex in EXAMPLES:
        parts.append(_block(ex["question"], ex["answer"], ex["ideas"]))
        parts.append(json.dumps({"detail": ex["detail"], "followup": ex["followup"]}) + "\n\n")
    return "".join(parts)


_PREFIX = static_prefix()


def followup_prompt(question: str, answer: str, ideas: list[str], *, answer_chars: int = 900) -> str:
    """The few-shot prompt for one live case (answer clipped to keep within n_ctx)."""
    return _PREFIX + _block(_clip(question, 300), _clip(answer, answer_chars),
                            [_clip(i, 160) for i in ideas[:3]])


def regex_literal(text: str) -> str:
    """`text` as a literal inside a JSON-schema pattern that llama.cpp's converter accepts."""
    out = []
    for char in text:
        if char in "[](){}|*+?":
            out.append("\\" + char)
        elif char in ".^$\\\"\n":
            out.append(f"[{char}]" if char not in "\\\"\n" else "")
        else:
            out.append(char)
    return "".join(out)


def followup_pattern(phrases: list[str]) -> str:
    """One question that must quote one of the phrases (the slot), within bounded lengths.

    The bounds stop a small model from running on without ever using a phrase; the
    space before the phrase and the space/comma after it keep it a separate word.
    """
    if not phrases:
        return FOLLOWUP_PATTERN
    body = "[^\"?\\n\\\\]"
    choices = "|".join(regex_literal(p) for p in phrases)
    return (f"^[A-Z]{body}{{0,{PREFIX_CHARS}}} ({choices})"
            f"([ ,]{body}{{0,{SUFFIX_CHARS}}})?[?]$")


def followup_schema(phrases: list[str]) -> dict[str, Any]:
    """`detail` is one of the phrases (an enum); `followup` must quote one of them too."""
    return {
        "type": "object",
        "properties": {
            "detail": {"enum": list(phrases)},
            "followup": {"type": "string", "pattern": followup_pattern(phrases)},
        },
        "required": ["detail", "followup"],
    }


EXAMPLE_FOLLOWUPS = [ex["followup"] for ex in EXAMPLES]

# -- narrative feedback -----------------------------------------------------------------

NARRATIVE_HEADER = (
    "Interview coach notes: one or two short sentences of encouraging, specific advice.\n\n"
)
NARRATIVE_EXAMPLES = [
    {
        "question": "Explain the difference between a process and a thread.",
        "covered": "threads share memory",
        "missed": "processes are isolated; context-switch cost",
        "feedback": "Good point that threads share memory. Add that processes are isolated from "
                    "each other and what that costs when switching.",
    },
    {
        "question": "Tell me about a time you missed a deadline.",
        "covered": "raised the risk early",
        "missed": "the result; what you changed afterwards",
        "feedback": "Raising the risk early shows ownership. Close the story with the outcome "
                    "and what you do differently now.",
    },
]


def narrative_prompt(question: str, covered: list[str], missed: list[str]) -> str:
    parts = [NARRATIVE_HEADER]
    for ex in NARRATIVE_EXAMPLES:
        parts.append(f"Question: {ex['question']}\nCovered: {ex['covered']}\nMissed: {ex['missed']}\n"
                     f"Notes JSON: {json.dumps({'feedback': ex['feedback']})}\n\n")
    parts.append(
        f"Question: {_clip(question, 300)}\nCovered: {_clip('; '.join(covered) or 'nothing yet', 300)}\n"
        f"Missed: {_clip('; '.join(missed) or 'nothing', 300)}\nNotes JSON: "
    )
    return "".join(parts)


NARRATIVE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"feedback": {"type": "string", "pattern": r'^[A-Z][^"\n\\]+[.!]$'}},
    "required": ["feedback"],
}
