"""CSV/TSV banks from spreadsheets: forgiving headers and values, precise errors, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from talentsync_tui.banks import BankError, dump_csv, parse_csv
from talentsync_tui.models import Difficulty, QuestionType

from test_bank_native import ROUND_TRIP, modules, realistic_module

SPREADSHEET = """\
Topic,Prompt,Level,Model Answer,Tags,Follow-Ups,Minutes
Python,What is a list comprehension?,1,"A compact way to build a list. It reads like set-builder notation! Use it for simple transforms.",python; syntax,When is a loop clearer?,3
Python,What is a list comprehension?,junior,,python,,
Behavioral,"Tell me about a time you
missed a deadline.",senior,,communication|ownership,What would you do differently? | Who did you tell first?,5
SQL,What does GROUP BY do?,M,Groups rows by key,sql,,2.5
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_spreadsheet_export_groups_questions_by_topic(tmp_path):
    path = write(tmp_path, "interview.csv", SPREADSHEET)
    python, behavioral, sql = parse_csv(path, path.read_text(encoding="utf-8"))

    assert (python.id, python.name, python.category) == ("python", "Python", "Python")
    first, second = python.questions
    assert first.id == "what-is-a-list-comprehension"
    assert second.id == "what-is-a-list-comprehension-2"  # same text twice: made unique, not dropped
    assert first.difficulty is Difficulty.easy and second.difficulty is Difficulty.easy
    assert first.tags == ["python", "syntax"]
    assert first.expected_seconds == 180 and second.expected_seconds == 180
    # No points column: the answer's sentences become the expected points.
    assert first.expected_points == [
        "A compact way to build a list.", "It reads like set-builder notation!", "Use it for simple transforms."
    ]
    assert first.follow_ups == ["When is a loop clearer?"]

    story = behavioral.questions[0]
    assert story.text == "Tell me about a time you\nmissed a deadline."
    assert story.type is QuestionType.behavioral  # from the category
    assert story.difficulty is Difficulty.hard and story.expected_seconds == 300
    assert story.tags == ["communication", "ownership"]
    assert story.follow_ups == ["What would you do differently?", "Who did you tell first?"]

    assert sql.questions[0].difficulty is Difficulty.medium and sql.questions[0].expected_seconds == 150
    assert sql.questions[0].type is QuestionType.technical


def test_the_same_file_gives_the_same_ids_every_time(tmp_path):
    path = write(tmp_path, "interview.csv", SPREADSHEET)
    first = [q.id for m in parse_csv(path, SPREADSHEET) for q in m.questions]
    again = [q.id for m in parse_csv(path, SPREADSHEET) for q in m.questions]
    assert first == again


def test_without_a_category_column_one_module_is_named_by_the_file(tmp_path):
    text = "question,difficulty,answer,expected points\nWhat is REST?,easy,An architectural style.,stateless;resources\n"
    [module] = parse_csv(write(tmp_path, "web_basics.csv", text), text)
    assert (module.id, module.name) == ("web-basics", "Web basics")
    assert module.questions[0].expected_points == ["stateless", "resources"]
    assert module.questions[0].model_answer == "An architectural style."

    [named] = parse_csv(tmp_path / "web_basics.csv", text, module_id="web")
    assert named.id == "web"


def test_tsv_by_extension_and_sniffed_semicolons(tmp_path):
    tsv = "Question\tDifficulty\tTags\nWhat is a pod?\thard\tk8s containers\n"
    [module] = parse_csv(write(tmp_path, "k8s.tsv", tsv), tsv)
    assert module.questions[0].tags == ["k8s", "containers"]  # a space-separated tags cell
    assert module.questions[0].difficulty is Difficulty.hard

    semicolons = "question;level;points\nWhat is DNS?;2;names to addresses|caching\n"
    [module] = parse_csv(write(tmp_path, "net.csv", semicolons), semicolons)
    assert module.questions[0].expected_points == ["names to addresses", "caching"]


def test_id_column_and_explicit_type(tmp_path):
    text = "id,text,type,seconds\nQ1,Design a URL shortener,System Design,10m\nq2,Reverse a list,live coding,90\n"
    [module] = parse_csv(write(tmp_path, "mixed.csv", text), text)
    first, second = module.questions
    assert (first.id, first.type, first.expected_seconds) == ("q1", QuestionType.system_design, 600)
    assert (second.id, second.type, second.expected_seconds) == ("q2", QuestionType.coding, 90)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("easy", "easy"), ("E", "easy"), ("1", "easy"), ("2", "easy"), ("Beginner", "easy"), ("junior", "easy"),
        ("Medium", "medium"), ("m", "medium"), ("3", "medium"), ("intermediate", "medium"), ("MID", "medium"),
        ("hard", "hard"), ("h", "hard"), ("4", "hard"), ("5", "hard"), ("advanced", "hard"), ("Senior", "hard"),
        ("", "medium"),
    ],
)
def test_difficulty_words_a_coach_might_use(tmp_path, cell, expected):
    text = f"question,difficulty\nWhat is a closure?,{cell}\n"
    [module] = parse_csv(tmp_path / "d.csv", text)
    assert module.questions[0].difficulty.value == expected


@pytest.mark.parametrize("cell", ["extreme", "6", "0", "easyish", "medium-hard"])
def test_unknown_difficulty_names_the_row_line(tmp_path, cell):
    # The first data row spans two lines, so the bad row starts on line 4.
    text = f'question,difficulty\n"Multi\nline?",easy\nWhat is a closure?,{cell}\n'
    path = write(tmp_path, "d.csv", text)
    with pytest.raises(BankError) as caught:
        parse_csv(path, text)
    assert caught.value.line == 4
    assert str(caught.value).startswith(f"{path}:4: difficulty: unknown difficulty {cell!r}")


def test_missing_question_column_lists_the_columns_found(tmp_path):
    text = "Title,Level,Notes\nWhat is DNS?,easy,\n"
    with pytest.raises(BankError) as caught:
        parse_csv(write(tmp_path, "bad.csv", text), text)
    assert caught.value.line == 1
    assert "no question column" in caught.value.message
    assert "'Title', 'Level', 'Notes'" in caught.value.message


def test_duplicate_ids_name_the_second_row(tmp_path):
    text = "id,question\njoins,What is a join?\nindexes,What is an index?\njoins,What is an outer join?\n"
    with pytest.raises(BankError, match="duplicate question id 'joins'") as caught:
        parse_csv(tmp_path / "d.csv", text)
    assert caught.value.line == 4


def test_row_errors_use_the_coach_column_name(tmp_path):
    text = "Prompt,Answer\nShort?,ok\n" + "Long?," + "x" * 20001 + "\n"
    with pytest.raises(BankError, match=r"^.*:3: Answer: is too long \(20001 characters, at most 20000\)$"):
        parse_csv(tmp_path / "d.csv", text)


def test_empty_question_cell_and_bad_duration_name_their_rows(tmp_path):
    with pytest.raises(BankError, match="question: the question is empty") as caught:
        parse_csv(tmp_path / "d.csv", "question,tags\nfine?,a\n,orphan tag\n")
    assert caught.value.line == 3
    with pytest.raises(BankError, match="cannot read 'a while' as a duration") as caught:
        parse_csv(tmp_path / "d.csv", "question,time\nfine?,a while\n")
    assert caught.value.line == 2


def test_header_only_file_is_an_error(tmp_path):
    with pytest.raises(BankError, match="no questions below the header row"):
        parse_csv(tmp_path / "d.csv", "question,difficulty\n\n")


def test_export_joins_lists_readably():
    text = dump_csv(realistic_module())
    header, first_row = text.splitlines()[:2]
    assert header == "id,question,difficulty,type,tags,expected_seconds,expected_points,model_answer,follow_ups"
    assert "python | concurrency" in first_row
    assert "One thread runs bytecode at a time | Released on blocking I/O; not for CPU work" in first_row


def test_realistic_module_round_trips(tmp_path):
    module = realistic_module()
    [back] = parse_csv(tmp_path / "export.csv", dump_csv(module), module_id=module.id)
    assert back.id == module.id
    assert back.questions == module.questions


@ROUND_TRIP
@given(modules())
def test_csv_round_trip_keeps_every_question(module):
    [back] = parse_csv(Path("export.csv"), dump_csv(module), module_id=module.id)
    assert back.questions == module.questions
