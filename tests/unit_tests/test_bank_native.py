"""Native YAML/JSON banks as a coach writes them: clear errors with lines, lossless export."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentsync_tui.banks import BankError, dump_json, dump_yaml, parse_json, parse_yaml
from talentsync_tui.banks.schema import SCHEMA_PATH, bank_json_schema, main as write_schema
from talentsync_tui.models import Difficulty, Module, Question, QuestionType

REPO = Path(__file__).resolve().parents[2]

# -- strategies shared with the other round-trip tests (imported from here) ----------------

_SAFE = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
# Lines a Markdown or CSV writer must not mistake for structure.
_TRICKY = st.sampled_from(
    [
        "## Not a question", "# Not a title", "### Expected points", "**Follow-ups:**", "Answer:",
        "Expected points:", "```", "```python", "~~~", "\\", "\\## escaped", "- a bullet", "> a quote",
        "Difficulty: hard | Type: coding", "Id: x", "Category: y", "---", "", "    indented code",
        "[bold red]x[/]", "a | b; c, d", '"quoted", text',
    ]
)


def line(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(_SAFE, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def paragraph() -> st.SearchStrategy[str]:
    return st.lists(st.one_of(line(), _TRICKY), min_size=1, max_size=6).map("\n".join).map(str.strip).filter(bool)


def question_text() -> st.SearchStrategy[str]:
    rest = st.lists(st.one_of(line(), _TRICKY), max_size=2)
    return st.tuples(line(), rest).map(lambda parts: "\n".join([parts[0], *parts[1]]).strip())


def questions() -> st.SearchStrategy[Question]:
    return st.builds(
        Question,
        id=st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True),
        text=question_text(),
        difficulty=st.sampled_from(Difficulty),
        type=st.sampled_from(QuestionType),
        tags=st.lists(st.from_regex(r"[a-z][a-z0-9 -]{0,15}", fullmatch=True).map(str.strip), max_size=4),
        expected_seconds=st.integers(1, 7200),
        expected_points=st.lists(line(60), max_size=4),
        model_answer=st.none() | paragraph(),
        follow_ups=st.lists(line(60), max_size=3),
    )


def modules(min_questions: int = 1) -> st.SearchStrategy[Module]:
    return st.builds(
        Module,
        id=st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True),
        name=line(60),
        category=line(60),
        description=paragraph(),
        default_minutes=st.integers(1, 600),
        questions=st.lists(questions(), min_size=min_questions, max_size=4, unique_by=lambda q: q.id),
    )


ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def realistic_module() -> Module:
    """A module as a coach would write it: prose, code, unicode, markup-looking text."""
    return Module(
        id="python-backend",
        name="Python backend",
        category="Python",
        description="Questions for mid-level backend engineers.\n\nCovers concurrency, typing and testing.",
        default_minutes=45,
        questions=[
            Question(
                id="gil",
                text="What is the GIL, and when does it matter?",
                difficulty="medium",
                type="technical",
                tags=["python", "concurrency"],
                expected_seconds=240,
                expected_points=["One thread runs bytecode at a time", "Released on blocking I/O; not for CPU work"],
                model_answer="The GIL is a mutex in CPython.\n\nIt matters for CPU-bound threads:\n- use processes\n- or C extensions",
                follow_ups=["How would you parallelise a CPU-bound job?"],
            ),
            Question(
                id="reverse-words",
                text="Write a function that reverses the words of a sentence.\n\n```python\ndef reverse_words(s: str) -> str:\n    ...\n```",
                difficulty="easy",
                type="coding",
                tags=["strings"],
                expected_seconds=600,
                expected_points=["Splits on whitespace", "Handles multiple spaces | tabs"],
                model_answer="```python\n## split, reverse, join\nreturn ' '.join(reversed(s.split()))\n```",
            ),
            Question(
                id="conflict",
                text="Tell me about a conflict — «кратко» — in your team. [bold red]Be honest[/]",
                difficulty="hard",
                type="behavioral",
                tags=["teamwork"],
                expected_points=["Situation", "Action", "Result"],
            ),
        ],
    )


# -- reading a coach's file ----------------------------------------------------------------


def test_the_readme_example_bank_loads(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "behavioral.yaml"
    path.write_text(example, encoding="utf-8")

    [module] = parse_yaml(path, path.read_text(encoding="utf-8"))

    assert (module.id, module.name, module.default_minutes) == ("behavioral", "Behavioral interviews", 30)
    question = module.questions[0]
    assert question.id == "conflict-with-teammate"
    assert question.difficulty is Difficulty.easy and question.type is QuestionType.behavioral
    assert question.tags == ["conflict", "teamwork"]
    assert len(question.expected_points) == 2 and len(question.follow_ups) == 1
    assert question.model_answer == "Optional prose answer."


def test_a_file_may_hold_several_modules(tmp_path):
    text = (
        "id: a\nname: A\ncategory: X\nquestions: []\n"
        "---\n"
        "- id: b\n  name: B\n  category: X\n- id: c\n  name: C\n  category: X\n"
    )
    assert [m.id for m in parse_yaml(tmp_path / "many.yaml", text)] == ["a", "b", "c"]


def _bank(question_lines: str) -> str:
    return "id: python\nname: Python\ncategory: Python\nquestions:\n" + question_lines


def test_bad_difficulty_names_line_and_field(tmp_path):
    text = _bank(
        "  - id: q1\n    text: First?\n    difficulty: easy\n    type: technical\n"
        "  - id: q2\n    text: Second?\n    difficulty: extreme\n    type: technical\n"
    )
    with pytest.raises(BankError) as caught:
        parse_yaml(tmp_path / "python.yaml", text)
    error = caught.value
    assert error.line == 11
    assert str(error) == (
        f"{tmp_path / 'python.yaml'}:11: questions[1].difficulty: Input should be 'easy', 'medium' or 'hard'"
    )


def test_several_problems_report_the_first_and_count_the_rest(tmp_path):
    text = _bank("  - id: Q 1\n    text: First?\n    difficulty: extreme\n    type: quiz\n")
    with pytest.raises(BankError) as caught:
        parse_yaml(tmp_path / "p.yaml", text)
    assert caught.value.line == 5
    assert caught.value.message.startswith("questions[0].id: String should match pattern")
    assert caught.value.message.endswith("(and 2 more problems)")


def test_bank_errors_survive_pickling(tmp_path):
    error = BankError(tmp_path / "p.yaml", "questions[0].text: is too long", 7)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.message, str(copy)) == (error.path, 7, error.message, str(error))


def test_missing_field_points_at_the_question(tmp_path):
    text = _bank("  - id: q1\n    text: First?\n    type: technical\n")
    with pytest.raises(BankError, match=r"questions\[0\]\.difficulty: Field required") as caught:
        parse_yaml(tmp_path / "p.yaml", text)
    assert caught.value.line == 5


def test_duplicate_question_ids_name_the_id_and_its_second_line(tmp_path):
    text = _bank(
        "  - id: joins\n    text: First?\n    difficulty: easy\n    type: technical\n"
        "  - id: joins\n    text: Second?\n    difficulty: easy\n    type: technical\n"
    )
    with pytest.raises(BankError, match=r"duplicate question id 'joins'") as caught:
        parse_yaml(tmp_path / "p.yaml", text)
    assert caught.value.line == 9
    assert "questions[1].id" in caught.value.message


def test_duplicate_keys_are_not_silently_dropped(tmp_path):
    text = _bank("  - id: q1\n    text: First?\n    text: Second?\n    difficulty: easy\n    type: technical\n")
    with pytest.raises(BankError, match="duplicate key 'text'") as caught:
        parse_yaml(tmp_path / "p.yaml", text)
    assert caught.value.line == 7


def test_unknown_fields_are_rejected_with_their_line(tmp_path):
    text = _bank("  - id: q1\n    text: First?\n    difficulty: easy\n    type: technical\n    hint: no\n")
    with pytest.raises(BankError, match=r"questions\[0\]\.hint: Extra inputs are not permitted") as caught:
        parse_yaml(tmp_path / "p.yaml", text)
    assert caught.value.line == 9


def test_yaml_syntax_errors_name_the_line(tmp_path):
    with pytest.raises(BankError, match="YAML syntax error") as caught:
        parse_yaml(tmp_path / "p.yaml", "id: x\nname: [unclosed\ncategory: y\n")
    assert caught.value.line == 3


def test_a_comment_only_file_is_an_error(tmp_path):
    with pytest.raises(BankError, match="no module found"):
        parse_yaml(tmp_path / "p.yaml", "# nothing yet\n")


def test_json_syntax_error_names_the_line(tmp_path):
    with pytest.raises(BankError, match="JSON syntax error") as caught:
        parse_json(tmp_path / "p.json", '{\n  "id": "x",\n  "name": \n}\n')
    assert caught.value.line == 4


def test_json_validation_names_the_field(tmp_path):
    data = {"id": "x", "name": "X", "category": "X", "questions": [
        {"id": "q", "text": "Q?", "difficulty": "easy", "type": "quiz"}
    ]}
    with pytest.raises(BankError, match=r"questions\[0\]\.type: Input should be 'behavioral'"):
        parse_json(tmp_path / "p.json", json.dumps(data))


def test_json_duplicate_keys_are_rejected(tmp_path):
    with pytest.raises(BankError, match="duplicate key 'id'"):
        parse_json(tmp_path / "p.json", '{"id": "a", "id": "b", "name": "N", "category": "C"}')


# -- writing --------------------------------------------------------------------------------


def test_yaml_export_is_readable_block_style_in_model_order():
    text = dump_yaml(realistic_module())
    lines = text.splitlines()
    keys = [line.split(":")[0] for line in lines if line and not line.startswith((" ", "#", "-"))]
    assert keys == ["id", "name", "category", "description", "default_minutes", "questions"]
    assert "«кратко»" in text and "—" in text  # unicode kept as is, not \u escapes
    assert "    model_answer: |-\n      The GIL is a mutex in CPython.\n" in text  # multi-line text as a block
    assert "{" not in text.split("questions:")[1].split("model_answer")[0]  # no flow style
    assert "  - id: gil" in text


def test_yaml_and_json_round_trip_a_realistic_module(tmp_path):
    module = realistic_module()
    assert parse_yaml(tmp_path / "m.yaml", dump_yaml(module)) == [module]
    assert parse_json(tmp_path / "m.json", dump_json(module)) == [module]


@ROUND_TRIP
@given(modules(min_questions=0))
def test_yaml_round_trip_is_lossless(module):
    assert parse_yaml(Path("m.yaml"), dump_yaml(module)) == [module]


@ROUND_TRIP
@given(modules(min_questions=0))
def test_json_round_trip_is_lossless(module):
    assert parse_json(Path("m.json"), dump_json(module)) == [module]


# -- schema ---------------------------------------------------------------------------------


def test_checked_in_schema_matches_the_models():
    assert SCHEMA_PATH == REPO / "question_banks" / "bank.schema.json"
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == bank_json_schema()


def test_schema_describes_the_native_format(tmp_path):
    schema = bank_json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["title"] == "TalentSync question bank"
    assert {"id", "name", "category", "questions"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False

    target = tmp_path / "bank.schema.json"
    assert write_schema([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")


def test_schema_entry_point_writes_the_file(tmp_path):
    target = tmp_path / "schema.json"
    result = subprocess.run(
        [sys.executable, "-m", "talentsync_tui.banks.schema", str(target)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == bank_json_schema()
