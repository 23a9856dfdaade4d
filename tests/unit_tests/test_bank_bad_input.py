"""Hostile or broken bank files: each gets one clear error naming the file and line, fast."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from talentsync_tui.banks import BankError, load_bank_files, read_text

QUESTION = "    text: What is a closure?\n    difficulty: easy\n    type: technical\n"
HEAD = "id: js\nname: JavaScript\ncategory: Web\nquestions:\n"


def load_error(path: Path) -> BankError:
    with pytest.raises(BankError) as caught:
        load_bank_files([path])
    return caught.value


# -- files that are not text ----------------------------------------------------------------


def test_missing_file_and_folder(tmp_path):
    assert str(load_error(tmp_path / "gone.yaml")) == f"{tmp_path / 'gone.yaml'}: file not found"
    with pytest.raises(BankError, match="is a folder"):
        read_text(tmp_path)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_files(tmp_path, content):
    path = tmp_path / "bank.yaml"
    path.write_bytes(content)
    assert str(load_error(path)) == f"{path}: file is empty"


def test_binary_file_names_the_line_of_its_first_nul(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_bytes(b"question\nfine?\n\x89PNG\x00\x00\x01")
    error = load_error(path)
    assert error.line == 3 and "binary" in error.message


def test_non_utf8_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_bytes("question,answer\nWhat is a caf\u00e9?,fine\n".encode() + b"Na\xefve?,latin-1 here\n")
    error = load_error(path)
    assert error.line == 3
    assert "not valid UTF-8 (byte 0xef)" in error.message


def test_files_over_20_mb_are_refused_without_reading_them(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: nothing is actually written
    assert "file is too large" in load_error(path).message


def test_byte_order_marks_and_windows_newlines_are_handled(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfQuestion,Level\r\nWhat is a pod?,easy\r\n")
    assert read_text(path) == "Question,Level\nWhat is a pod?,easy\n"
    [(_, [module])] = load_bank_files([path])
    assert module.questions[0].text == "What is a pod?"

    unicode_text = tmp_path / "excel.tsv"  # Excel's "Unicode text" export is UTF-16
    unicode_text.write_bytes("Question\tLevel\r\nWhat is a pod?\thard\r\n".encode("utf-16"))
    [(_, [module])] = load_bank_files([unicode_text])
    assert module.questions[0].difficulty.value == "hard"


# -- YAML that tries to do more than hold data ---------------------------------------------

BILLION_LAUGHS = """\
id: lol
name: Lol
category: lol
lol1: &lol1 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
lol2: &lol2 [*lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1, *lol1]
lol3: &lol3 [*lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2, *lol2]
lol4: &lol4 [*lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3, *lol3]
lol5: &lol5 [*lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4, *lol4]
lol6: &lol6 [*lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5, *lol5]
lol7: &lol7 [*lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6, *lol6]
lol8: &lol8 [*lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7, *lol7]
lol9: &lol9 [*lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8, *lol8]
"""


def test_yaml_alias_bomb_fails_fast_without_expanding(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.perf_counter()
    error = load_error(path)
    assert time.perf_counter() - started < 1.0
    assert error.line == 4
    assert "anchors (&lol1) are not allowed" in error.message


def test_yaml_aliases_are_refused_too(tmp_path):
    path = tmp_path / "alias.yaml"
    path.write_text(HEAD + "  - *nothing\n", encoding="utf-8")
    error = load_error(path)
    assert error.line == 5 and "aliases (*nothing)" in error.message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('!!python/object/apply:os.system ["touch pwned"]', "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!foo bar", "!foo"),
        ("!!binary aGVsbG8=", "!!binary"),
    ],
)
def test_custom_yaml_tags_are_refused_with_their_line(tmp_path, value, shown):
    path = tmp_path / "tagged.yaml"
    path.write_text(HEAD + "  - id: q\n" + QUESTION + f"    model_answer: {value}\n", encoding="utf-8")
    error = load_error(path)
    assert error.line == 9
    assert f"YAML tag {shown} is not allowed" in error.message
    assert not (tmp_path / "pwned").exists()


def test_raw_control_characters_in_yaml_name_their_line(tmp_path):
    path = tmp_path / "raw.yaml"
    path.write_text(HEAD + "  - id: q\n    text: Colour \x1b[31mred\n    difficulty: easy\n    type: technical\n")
    error = load_error(path)
    assert error.line == 6 and "control character (0x1b)" in error.message


# -- sizes and depths ------------------------------------------------------------------------

LONG = "x" * 100_000


def test_absurdly_long_field_in_yaml(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(HEAD + "  - id: q\n    text: " + LONG + "\n    difficulty: easy\n    type: technical\n")
    error = load_error(path)
    assert str(error) == f"{path}:6: questions[0].text: is too long (100000 characters, at most 4000)"


def test_absurdly_long_field_in_json(tmp_path):
    path = tmp_path / "long.json"
    bank = {"id": "js", "name": LONG, "category": "Web"}
    path.write_text(json.dumps(bank), encoding="utf-8")
    assert load_error(path).message == "name: is too long (100000 characters, at most 200)"


def test_absurdly_long_field_in_csv_and_markdown(tmp_path):
    sheet = tmp_path / "long.csv"
    sheet.write_text(f"question,tags\nfine?,ok\nfine too?,ok\n{LONG},ok\n", encoding="utf-8")
    assert str(load_error(sheet)) == f"{sheet}:4: question: is too long (100000 characters, at most 4000)"

    deck = tmp_path / "long.md"
    deck.write_text(f"# Deck\n\n## Fine?\n\n## {LONG}\n", encoding="utf-8")
    assert str(load_error(deck)) == f"{deck}:5: text: is too long (100000 characters, at most 4000)"


def test_tags_longer_than_sixty_characters(tmp_path):
    sheet = tmp_path / "tags.csv"
    sheet.write_text("question,tags\nWhy?," + "t" * 61 + "\n", encoding="utf-8")
    assert load_error(sheet).message == "tags[0]: is too long (61 characters, at most 60)"


def test_ten_thousand_deep_json_is_refused_before_parsing(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    error = load_error(path)  # a RecursionError would escape pytest.raises(BankError)
    assert error.line == 1 and "nesting is deeper than 50 levels" in error.message


def test_deep_json_reports_the_line_where_it_gets_too_deep(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"id": "[[[[[[[",\n' + "[\n" * 60 + "]" * 60 + "}", encoding="utf-8")
    assert load_error(path).line == 51  # brackets inside strings do not count


def test_ten_thousand_deep_yaml_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("questions: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    error = load_error(path)  # libyaml's own flow-depth limit may speak first
    assert error.line == 1 and "nesting" in error.message


def test_deep_block_yaml_is_refused_at_the_line_it_gets_too_deep(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("".join(f"{'  ' * level}k{level}:\n" for level in range(200)), encoding="utf-8")
    error = load_error(path)
    assert error.line == 51 and "nesting is deeper than 50 levels" in error.message


# -- text that would fool a terminal ---------------------------------------------------------

MARKUP = "[bold red]x[/] and [link=http://x]y[/link]"
HOSTILE = "\x1b[31m[bold red]x[/]\x1b[0m and [link=http://x]y[/link] \x1b]8;;http://evil\x07click\x1b]8;;\x07"
EXPECTED = MARKUP + " click"


def _texts(path: Path) -> list[str]:
    [(_, [module])] = load_bank_files([path])
    return [module.questions[0].text, module.questions[0].model_answer]


def test_markup_is_kept_and_escape_sequences_removed_in_yaml(tmp_path):
    path = tmp_path / "hostile.yaml"
    escaped = json.dumps(HOSTILE)  # a JSON string is a valid double-quoted YAML scalar
    path.write_text(HEAD + f"  - id: q\n    text: {escaped}\n    difficulty: easy\n    type: technical\n"
                    f'    model_answer: "\\e[1m{MARKUP}\\e[0m"\n', encoding="utf-8")
    assert _texts(path) == [EXPECTED, MARKUP]


def test_markup_is_kept_and_escape_sequences_removed_in_json(tmp_path):
    path = tmp_path / "hostile.json"
    bank = {"id": "js", "name": "JS", "category": "Web", "questions": [
        {"id": "q", "text": HOSTILE, "difficulty": "easy", "type": "technical", "model_answer": MARKUP}
    ]}
    path.write_text(json.dumps(bank), encoding="utf-8")
    assert _texts(path) == [EXPECTED, MARKUP]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hostile.csv", f'question,answer\n"{HOSTILE}","{MARKUP}\x1b[0m"\n'),
        ("hostile.md", f"# Deck\n\n## {HOSTILE}\n\n{MARKUP}\x1b[0m\n"),
        ("hostile.txt", f"#separator:tab\n#html:false\n{HOSTILE}\t{MARKUP}\x1b[0m\n"),
    ],
)
def test_markup_is_kept_and_escape_sequences_removed_in_flat_formats(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert _texts(path) == [EXPECTED, MARKUP]
