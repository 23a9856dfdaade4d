"""Anki "Notes in Plain Text" exports become question banks."""

from __future__ import annotations

from pathlib import Path

import pytest

from talentsync_tui.banks import BankError, parse_anki
from talentsync_tui.models import Difficulty, QuestionType

EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck:Interview::Python\n"
    "#tags column:5\n"
    "#some future header:ignored\n"
    "Ab1$x\tBasic\tWhat does <b>GIL</b> stand for?\t"
    "Global Interpreter Lock.<br>Only one thread runs bytecode at a time.<div>It is released during I/O.</div>\t"
    "python::concurrency difficulty::hard\n"
    'Cd2%y\tBasic\t"Explain ""duck typing"" &amp; give an example"\t'
    '"If it walks like a duck&nbsp;and quacks like a duck,<br><br>it is a duck."\teasy python\n'
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_anki_export_becomes_a_module_named_after_the_deck(tmp_path):
    path = write(tmp_path, "Python Deck.txt", EXPORT)
    [module] = parse_anki(path, path.read_text(encoding="utf-8"))

    assert (module.id, module.name, module.category) == ("interview-python", "Python", "Interview")
    gil, duck = module.questions

    assert gil.text == "What does GIL stand for?"
    assert gil.model_answer == (
        "Global Interpreter Lock.\nOnly one thread runs bytecode at a time.\nIt is released during I/O."
    )
    assert gil.expected_points == [
        "Global Interpreter Lock.", "Only one thread runs bytecode at a time.", "It is released during I/O."
    ]
    assert gil.difficulty is Difficulty.hard
    assert gil.tags == ["concurrency"]  # hierarchical tags keep their last part
    assert gil.id.startswith("anki-")

    assert duck.text == 'Explain "duck typing" & give an example'
    assert duck.model_answer == "If it walks like a duck and quacks like a duck,\n\nit is a duck."  # <br><br> keeps its blank line
    assert duck.difficulty is Difficulty.easy and duck.tags == ["python"]
    assert duck.type is QuestionType.technical


def test_guid_ids_survive_edits_to_the_text(tmp_path):
    [before] = parse_anki(tmp_path / "deck.txt", EXPORT)
    edited = EXPORT.replace("What does <b>GIL</b> stand for?", "What is the GIL?")
    [after] = parse_anki(tmp_path / "deck.txt", edited)
    assert before.questions[0].id == after.questions[0].id


def test_module_id_argument_beats_the_deck(tmp_path):
    [module] = parse_anki(tmp_path / "deck.txt", EXPORT, module_id="python")
    assert module.id == "python"


def test_a_headerless_tab_file_uses_the_file_stem(tmp_path):
    text = "What is a closure?\tA function plus its environment.\nWhat is a decorator?\t\n"
    [module] = parse_anki(write(tmp_path, "js_basics.txt", text), text)
    assert (module.id, module.name) == ("js-basics", "Js basics")
    closure, decorator = module.questions
    assert closure.id == "what-is-a-closure" and closure.difficulty is Difficulty.medium
    assert closure.expected_points == ["A function plus its environment."]
    assert decorator.model_answer is None and decorator.expected_points == []


@pytest.mark.parametrize(
    ("header", "separator"),
    [("comma", ","), ("semicolon", ";"), ("pipe", "|"), ("space", " "), ("Tab", "\t"), ("#", "#")],
)
def test_separator_header_names_or_characters(tmp_path, header, separator):
    front = "Front" if separator == " " else "What is TCP?"
    text = f"#separator:{header}\n#html:false\n{front}{separator}\"Reliable{separator} ordered bytes\"\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    assert module.questions[0].text == front
    assert module.questions[0].model_answer == f"Reliable{separator} ordered bytes"


def test_columns_header_picks_front_and_back_by_name(tmp_path):
    text = "#separator:tab\n#html:false\n#columns:Back\tFront\tTags\n#tags column:3\nAn answer\tA question?\tsoft-skills\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    question = module.questions[0]
    assert (question.text, question.model_answer) == ("A question?", "An answer")


def test_html_false_keeps_markup_literally(tmp_path):
    text = "#separator:tab\n#html:false\nWhat does <div> do?\tIt groups <span> elements &amp; more\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    assert module.questions[0].text == "What does <div> do?"
    assert module.questions[0].model_answer == "It groups <span> elements &amp; more"


def test_lists_in_the_back_become_expected_points(tmp_path):
    back = "<ul><li>Situation</li><li>Task</li><li>Action</li><li>Result</li><li>Reflection</li><li>Extra</li></ul>"
    text = f"#separator:tab\n#html:true\n#tags column:3\nWalk me through STAR\t{back}\tbehavioral\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    question = module.questions[0]
    assert question.expected_points == ["Situation", "Task", "Action", "Result", "Reflection"]  # at most five
    assert question.model_answer.startswith("- Situation\n- Task")
    assert question.type is QuestionType.behavioral


def test_cloze_and_sound_references_are_cleaned(tmp_path):
    text = "#separator:tab\n#html:true\n{{c1::Paris::capital}} is in France [sound:paris.mp3]\tGeography\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    assert module.questions[0].text == "Paris is in France"


def test_a_note_without_front_text_names_its_line(tmp_path):
    text = "#separator:tab\n#html:true\nWhat is DNS?\tNames to addresses\n<img src=\"diagram.png\">\tA picture\n"
    with pytest.raises(BankError, match="front of this note has no text") as caught:
        parse_anki(tmp_path / "d.txt", text)
    assert caught.value.line == 4


def test_bad_header_values_are_reported(tmp_path):
    with pytest.raises(BankError, match="unknown separator 'tabs'") as caught:
        parse_anki(tmp_path / "d.txt", "#separator:tabs\nQ\tA\n")
    assert caught.value.line == 1
    with pytest.raises(BankError, match="expected a column number") as caught:
        parse_anki(tmp_path / "d.txt", "#separator:tab\n#tags column:last\nQ\tA\n")
    assert caught.value.line == 2


def test_headers_only_is_an_error(tmp_path):
    with pytest.raises(BankError, match="no notes found") as caught:
        parse_anki(tmp_path / "d.txt", "#separator:tab\n#html:true\n\n")
    assert caught.value.line == 3


def test_html_is_read_as_text_and_scripts_and_styles_are_dropped(tmp_path):
    front = "<style>b {color: red}</style>What does <code>&lt;b&gt;</code> do?<script>alert('x')</script>"
    back = "It makes text <b>bold</b>.<img src=x onerror=alert(1)><script>document.cookie</script> [bold]literal[/bold]"
    text = f"#separator:tab\n#html:true\n{front}\t{back}\n"
    [module] = parse_anki(tmp_path / "d.txt", text)
    question = module.questions[0]
    assert question.text == "What does <b> do?"
    assert question.model_answer == "It makes text bold. [bold]literal[/bold]"
