"""GrillKit-style multilingual YAML banks."""

from __future__ import annotations

import pytest

from talentsync_tui.banks import BankError, detect_format, parse_grillkit
from talentsync_tui.models import Difficulty, QuestionType

BANK = """\
category: backend
track: Python
level: middle
description: Python backend interview
questions:
  - id: gil
    type: theory
    difficulty: 4
    tags: [python, concurrency]
    question:
      text:
        ru: Что такое GIL?
        en: What is the GIL?
      code: |
        import threading
        threading.Thread(target=work).start()
    follow_ups:
      en: [When is the GIL released?]
      ru: [Когда GIL отпускается?]
    expected_points:
      en:
        - One thread runs bytecode at a time
        - Released on blocking I/O
  - id: reverse
    type: live-coding
    difficulty: 1
    question:
      text: {ru: Переверните строку}
    expected_points: [slicing, "reversed()"]
  - id: outage
    type: soft-skills
    difficulty: 3
    question:
      text:
        en: Tell me about an outage you handled.
"""


def test_a_grillkit_file_becomes_its_tracks_module(tmp_path):
    path = tmp_path / "python.yaml"
    path.write_text(BANK, encoding="utf-8")
    assert detect_format(path, BANK) == "grillkit"

    [module] = parse_grillkit(path, path.read_text(encoding="utf-8"))

    # Namespaced: GrillKit's python track must not merge into the bundled "python" module.
    assert (module.id, module.name, module.category) == ("grillkit-python", "Python (GrillKit)", "GrillKit")
    assert module.description.startswith("GrillKit track Python: 3 questions from 1 file. By level: middle 3 (medium).")
    gil, reverse, outage = module.questions

    assert gil.text == "What is the GIL?\n\n```\nimport threading\nthreading.Thread(target=work).start()\n```"
    assert gil.type is QuestionType.technical
    assert gil.follow_ups == ["When is the GIL released?"]
    assert gil.expected_points == ["One thread runs bytecode at a time", "Released on blocking I/O"]
    assert gil.tags == ["backend", "python", "concurrency"]  # the category first

    assert reverse.text == "Переверните строку"  # no English: the first language present
    assert reverse.type is QuestionType.coding
    assert reverse.expected_points == ["slicing", "reversed()"]
    assert outage.type is QuestionType.behavioral

    # GrillKit users pick a level: it sets the difficulty, whatever the 1-5 numbers say.
    assert {q.difficulty for q in module.questions} == {Difficulty.medium}


def test_without_a_level_the_one_to_five_number_sets_the_difficulty(tmp_path):
    [module] = parse_grillkit(tmp_path / "python.yaml", BANK.replace("level: middle\n", ""))
    assert [q.difficulty for q in module.questions] == [Difficulty.hard, Difficulty.easy, Difficulty.medium]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("theory", "technical"), ("concept", "technical"), ("knowledge", "technical"),
        ("coding", "coding"), ("practice", "coding"), ("code", "coding"), ("live-coding", "coding"),
        ("design", "system_design"), ("architecture", "system_design"), ("system-design", "system_design"),
        ("behavioral", "behavioral"), ("behavioural", "behavioral"), ("soft-skills", "behavioral"),
        ("scenario", "situational"), ("situational", "situational"), ("case", "situational"),
        ("trivia-night", "technical"),
    ],
)
def test_grillkit_types_map_to_ours(tmp_path, kind, expected):
    text = f"category: c\ntrack: t\nquestions:\n  - id: q\n    type: {kind}\n    difficulty: 2\n    question: {{text: {{en: Why?}}}}\n"
    [module] = parse_grillkit(tmp_path / "t.yaml", text)
    assert module.questions[0].type.value == expected


@pytest.mark.parametrize("level", ["0", "6", "hard", "2.5", "[1]", "true"])
def test_difficulty_outside_one_to_five_names_its_line(tmp_path, level):
    text = BANK.replace("difficulty: 1", f"difficulty: {level}")
    with pytest.raises(BankError, match=r"questions\[1\]\.difficulty: expected a level from 1 to 5") as caught:
        parse_grillkit(tmp_path / "python.yaml", text)
    assert caught.value.line == 26


def test_module_id_argument_wins(tmp_path):
    [module] = parse_grillkit(tmp_path / "python.yaml", BANK, module_id="py")
    assert module.id == "py"


def test_missing_question_text_names_the_item(tmp_path):
    text = "category: c\ntrack: t\nquestions:\n  - id: q\n    difficulty: 2\n    question:\n      code: x = 1\n"
    with pytest.raises(BankError, match=r"questions\[0\]\.question: missing question text") as caught:
        parse_grillkit(tmp_path / "t.yaml", text)
    assert caught.value.line == 7


def test_questions_must_be_a_list(tmp_path):
    with pytest.raises(BankError, match="questions: expected a non-empty list") as caught:
        parse_grillkit(tmp_path / "t.yaml", "category: c\ntrack: t\nquestions:\n  q: 1\n")
    assert caught.value.line == 4


def test_grillkit_files_get_the_same_safe_loader(tmp_path):
    text = "category: c\ntrack: &t t\nquestions:\n  - id: q\n    difficulty: 2\n    question: {text: *t}\n"
    with pytest.raises(BankError, match="anchors") as caught:
        parse_grillkit(tmp_path / "t.yaml", text)
    assert caught.value.line == 2
