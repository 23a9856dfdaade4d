"""Prompts for the narrative feedback (an optional sentence or two beside the scores).

Follow-up prompts live with the interviewer (`ai/interviewer.py`), verdict prompts
with the coach judge (`ai/coach.py`).
"""

from __future__ import annotations

import json
from typing import Any

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
