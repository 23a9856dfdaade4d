"""Markdown decks: headings are questions, bodies are answers, export reads back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from talentsync_tui.banks import BankError, dump_markdown, parse_markdown
from talentsync_tui.models import Difficulty, Module, QuestionType

from test_bank_native import ROUND_TRIP, modules, realistic_module

COACH_DECK = """\
---
category: Databases
minutes: 40
---
# SQL interview prep

Questions I use for junior data engineers.

## What is the difference between an INNER and a LEFT JOIN?
Tags: sql, joins | difficulty: E

An INNER JOIN keeps only matching rows. A LEFT JOIN keeps every row of the left table.

**Expected points:**
- Inner join keeps matches only
- Left join keeps all left rows, with NULLs for missing matches

Follow-ups:
- When would you use a FULL OUTER JOIN?
- What does a CROSS JOIN produce?

## Explain database indexes
Seconds: 300 | Type: Technical | Difficulty: hard

- B-tree indexes make lookups logarithmic
- Every index slows down writes

```sql
## this is a comment in a code block, not a question
CREATE INDEX ON orders (customer_id);
```

## Describe a time you fixed a slow query under pressure
Tags: Behavioral

I profiled the query. Then I added an index. Finally I wrote a regression test.
"""


def test_a_coach_deck_reads_as_one_module(tmp_path):
    path = tmp_path / "sql-prep.md"
    path.write_text(COACH_DECK, encoding="utf-8")

    [module] = parse_markdown(path, path.read_text(encoding="utf-8"))

    assert module.id == "sql-prep"
    assert module.name == "SQL interview prep"
    assert module.category == "Databases"
    assert module.default_minutes == 40
    assert module.description == "Questions I use for junior data engineers."
    joins, indexes, story = module.questions

    assert joins.id == "what-is-the-difference-between-an"  # first six words
    assert joins.difficulty is Difficulty.easy and joins.tags == ["sql", "joins"]
    assert joins.model_answer.startswith("An INNER JOIN keeps only matching rows.")
    assert joins.expected_points == ["Inner join keeps matches only", "Left join keeps all left rows, with NULLs for missing matches"]
    assert joins.follow_ups == ["When would you use a FULL OUTER JOIN?", "What does a CROSS JOIN produce?"]

    # No explicit list: the answer's bullet points become the expected points.
    assert indexes.difficulty is Difficulty.hard and indexes.expected_seconds == 300
    assert indexes.expected_points == ["B-tree indexes make lookups logarithmic", "Every index slows down writes"]
    assert "## this is a comment in a code block" in indexes.model_answer

    # No bullets either: the answer's first sentences.
    assert story.type is QuestionType.behavioral
    assert story.expected_points == ["I profiled the query.", "Then I added an index.", "Finally I wrote a regression test."]


def test_module_id_argument_wins_and_defaults_apply(tmp_path):
    [module] = parse_markdown(tmp_path / "deck.md", "## Why Python?\n", module_id="coach")
    assert (module.id, module.name, module.category) == ("coach", "Coach", "Coach")
    question = module.questions[0]
    assert question.difficulty is Difficulty.medium and question.type is QuestionType.technical
    assert question.model_answer is None and question.expected_points == []


def test_headed_sections_and_metadata_in_any_case(tmp_path):
    deck = (
        "# Go\n\n## What is a goroutine?\nTYPE: coding | tags: go\nDifficulty: 5\n\n"
        "A lightweight thread.\n\n### Expected points\n\n1. Scheduled by the runtime\n2. Cheap to start\n\n"
        "### Follow-ups\n\n* How do goroutines communicate?\n"
    )
    [module] = parse_markdown(tmp_path / "go.md", deck)
    question = module.questions[0]
    assert question.type is QuestionType.coding and question.difficulty is Difficulty.hard
    assert question.model_answer == "A lightweight thread."
    assert question.expected_points == ["Scheduled by the runtime", "Cheap to start"]
    assert question.follow_ups == ["How do goroutines communicate?"]


def test_heading_without_text_names_its_line(tmp_path):
    with pytest.raises(BankError, match="heading '##' has no text") as caught:
        parse_markdown(tmp_path / "d.md", "# Deck\n\n## First?\nAnswer.\n\n##\nOrphan answer.\n")
    assert caught.value.line == 6


def test_unknown_difficulty_names_its_line(tmp_path):
    deck = "# Deck\n\n## First?\n\n## Second?\nDifficulty: brutal\n"
    with pytest.raises(BankError, match="unknown difficulty 'brutal'") as caught:
        parse_markdown(tmp_path / "d.md", deck)
    assert str(caught.value).startswith(f"{tmp_path / 'd.md'}:6: ")


def test_unknown_type_and_bad_seconds_name_their_lines(tmp_path):
    with pytest.raises(BankError, match="unknown question type 'quiz'") as caught:
        parse_markdown(tmp_path / "d.md", "## Q?\nType: quiz\n")
    assert caught.value.line == 2
    with pytest.raises(BankError, match="cannot read 'soon' as a duration") as caught:
        parse_markdown(tmp_path / "d.md", "## Q?\n\n## R?\nSeconds: soon\n")
    assert caught.value.line == 4


def test_a_file_without_questions_is_an_error(tmp_path):
    with pytest.raises(BankError, match="no questions found"):
        parse_markdown(tmp_path / "d.md", "# Just a title\n\nSome notes.\n")


def test_too_long_answer_names_the_question_heading(tmp_path):
    deck = "# Deck\n\n## Fine?\n\n## Too long?\n" + "x" * 20001 + "\n"
    with pytest.raises(BankError, match=r"model_answer: is too long \(20001 characters") as caught:
        parse_markdown(tmp_path / "d.md", deck)
    assert caught.value.line == 5


def test_export_layout_is_plain_markdown():
    text = dump_markdown(realistic_module())
    assert text.startswith("# Python backend\n\nId: python-backend\nCategory: Python\nMinutes: 45\n")
    assert "## What is the GIL, and when does it matter?\n" in text
    assert "Id: gil | Difficulty: medium | Type: technical | Tags: python, concurrency | Seconds: 240" in text
    assert "### Expected points\n\n- One thread runs bytecode at a time\n" in text
    assert "### Follow-ups\n\n- How would you parallelise a CPU-bound job?\n" in text
    # A multi-line question continues in a quote right under its heading.
    assert "## Write a function that reverses the words of a sentence.\n>\n> ```python\n" in text


def test_realistic_module_round_trips(tmp_path):
    module = realistic_module()
    assert parse_markdown(tmp_path / "x.md", dump_markdown(module), module_id=module.id) == [module]


def test_answers_that_look_like_structure_round_trip(tmp_path):
    module = Module.model_validate(
        {
            "id": "tricky", "name": "Tricky", "category": "Tricky",
            "description": "## Not a question\nCategory: not a key\n\\backslash",
            "questions": [
                {
                    "id": "q", "text": "Q?", "difficulty": "easy", "type": "technical",
                    "model_answer": "## Not a heading\n### Expected points\n- not a point\nFollow-ups:\n```\nunclosed fence",
                },
                {"id": "r", "text": "R?", "difficulty": "easy", "type": "technical", "model_answer": "One. Two."},
            ],
        }
    )
    text = dump_markdown(module)
    assert "\\## Not a heading" in text  # escaped the Markdown way, so it also renders literally
    assert parse_markdown(tmp_path / "x.md", text, module_id="tricky") == [module]


@ROUND_TRIP
@given(modules())
def test_markdown_round_trip_is_lossless(module):
    assert parse_markdown(Path("m.md"), dump_markdown(module), module_id=module.id) == [module]
