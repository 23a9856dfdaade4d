"""Finding bank files, telling their formats apart, loading folders, exporting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from talentsync_tui.banks import (
    EXPORT_FORMATS,
    BankError,
    bank_files,
    detect_format,
    export_module,
    load_bank_files,
    parse_bank,
)

from test_bank_native import realistic_module

REPO = Path(__file__).resolve().parents[2]
NATIVE = "id: python\nname: Python\ncategory: Python\nquestions:\n  - id: gil\n    text: What is the GIL?\n    difficulty: medium\n    type: technical\n"
GRILLKIT = "category: backend\ntrack: python\nquestions:\n  - id: q\n    difficulty: 2\n    question: {text: {en: Why?}}\n"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("python.yaml", NATIVE, "yaml"),
        ("python.YML", NATIVE, "yaml"),
        ("backend.yaml", GRILLKIT, "grillkit"),
        ("no-track.yaml", "questions:\n  - question:\n      text: {en: Why?}\n", "grillkit"),
        ("track-only.yml", "track: go\n", "grillkit"),
        ("broken.yaml", "track: &a 1\n", "yaml"),  # unreadable YAML goes to the native parser for its error
        ("python.json", '{"id": "python"}', "json"),
        ("sheet.csv", "question\nWhy?\n", "csv"),
        ("sheet.tsv", "question\nWhy?\n", "tsv"),
        ("deck.md", "## Why?\n", "markdown"),
        ("deck.markdown", "## Why?\n", "markdown"),
        ("anki.txt", "#separator:tab\n#html:true\nQ\tA\n", "anki"),
        ("anki.txt", "#html:false\nQ;A\n", "anki"),
        ("plain-anki.txt", "What is DNS?\tNames to addresses\n", "anki"),
        ("notes.txt", "# Deck\n\n## What is DNS?\n", "markdown"),
        ("export", '  {"id": "python"}', "json"),
        ("deck.apkg", "", "apkg"),
        ("Collection.COLPKG", "", "apkg"),
    ],
)
def test_detects_format_from_extension_and_content(name, text, expected):
    assert detect_format(Path(name), text) == expected


@pytest.mark.parametrize(("name", "text"), [("notes.txt", "just some notes\n"), ("resume.docx", "PK...")])
def test_unknown_formats_are_explained(name, text):
    with pytest.raises(BankError, match="cannot tell the format|unsupported file type"):
        detect_format(Path(name), text)


def make_bank_folder(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "_drafts").mkdir()
    (root / "python.yaml").write_text(NATIVE, encoding="utf-8")
    (root / "sub" / "coach.csv").write_text("question,level\nWhat is a race?,hard\n", encoding="utf-8")
    (root / "sub" / "deeper" / "go.md").write_text("# Go\n\n## What is a goroutine?\n", encoding="utf-8")
    (root / "sub" / "anki.txt").write_text("#separator:tab\nWhat is DNS?\tNames\n", encoding="utf-8")
    # Everything below would fail to parse: it must not even be read.
    for skipped in (".hidden.yaml", "_template.yaml", ".git/config.yaml", "_drafts/wip.csv", "README.md", "notes.pdf"):
        (root / skipped).write_text("\x00 not a bank", encoding="utf-8")
    (root / "bank.schema.json").write_text('{"$schema": "x"}', encoding="utf-8")


def test_a_folder_loads_recursively_skipping_hidden_private_and_unrelated_files(tmp_path):
    make_bank_folder(tmp_path)
    seen: list[Path] = []

    loaded = load_bank_files([tmp_path], on_file=seen.append)

    names = [path.relative_to(tmp_path).as_posix() for path, _ in loaded]
    assert names == ["python.yaml", "sub/anki.txt", "sub/coach.csv", "sub/deeper/go.md"]
    assert seen == [path for path, _ in loaded]
    assert [m.id for _, modules in loaded for m in modules] == ["python", "anki", "coach", "go"]


def test_the_first_bad_file_stops_the_load_with_its_line(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text("question\nFine?\n", encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text("question,difficulty\nFine?,easy\nBroken?,impossible\n", encoding="utf-8")
    seen: list[Path] = []
    with pytest.raises(BankError) as caught:
        load_bank_files([good, bad], on_file=seen.append)
    assert (caught.value.path, caught.value.line) == (bad, 3)
    assert seen == [good]


def test_named_files_are_loaded_even_with_private_names(tmp_path):
    draft = tmp_path / "_draft.csv"
    draft.write_text("question\nWhy?\n", encoding="utf-8")
    assert list(bank_files([draft, draft])) == [draft]
    [(path, [module])] = load_bank_files([draft])
    assert module.id == "draft"


def test_missing_path_is_a_bank_error(tmp_path):
    with pytest.raises(BankError, match="file not found"):
        load_bank_files([tmp_path / "nope.yaml"])


def test_forced_format_and_module_id(tmp_path):
    sheet = tmp_path / "sheet.txt"
    sheet.write_text("question\tlevel\nWhat is a pod?\teasy\n", encoding="utf-8")
    [(_, [module])] = load_bank_files([sheet], format="tsv", module_id="k8s")
    assert module.id == "k8s" and module.questions[0].text == "What is a pod?"

    with pytest.raises(ValueError, match="unknown bank format 'xlsx'"):
        load_bank_files([sheet], format="xlsx")


def test_module_id_targets_flat_files_while_native_files_keep_their_own(tmp_path):
    native = tmp_path / "python.yaml"
    native.write_text(NATIVE, encoding="utf-8")
    sheet = tmp_path / "extra.csv"
    sheet.write_text("question\nWhat is a descriptor?\n", encoding="utf-8")
    loaded = load_bank_files([native, sheet], module_id="python")
    assert [m.id for _, modules in loaded for m in modules] == ["python", "python"]


def test_bundled_banks_all_load(tmp_path):
    loaded = load_bank_files([REPO / "question_banks"])
    assert loaded, "the bundled banks folder holds banks"
    assert all(path.suffix == ".yaml" and not path.name.startswith("_") for path, _ in loaded)
    assert all(module.questions for _, modules in loaded for module in modules)


@pytest.mark.parametrize(("fmt", "suffix"), [("yaml", ".yaml"), ("json", ".json"), ("md", ".md"), ("markdown", ".md")])
def test_export_formats_read_back(tmp_path, fmt, suffix):
    module = realistic_module()
    path = tmp_path / f"export{suffix}"
    path.write_text(export_module(module, fmt), encoding="utf-8")
    assert load_bank_files([path], module_id=module.id) == [(path, [module])]


def test_csv_export_reads_back_its_questions(tmp_path):
    module = realistic_module()
    path = tmp_path / "export.csv"
    path.write_text(export_module(module, "csv"), encoding="utf-8")
    [(_, [back])] = load_bank_files([path], module_id=module.id)
    assert back.questions == module.questions


def test_export_format_list_and_unknown_format():
    assert EXPORT_FORMATS == {"yaml", "json", "csv", "md"}
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_module(realistic_module(), "pdf")


def test_parse_bank_dispatches_on_detected_format(tmp_path):
    assert parse_bank(tmp_path / "x.md", "## Why?\n")[0].questions[0].text == "Why?"


def test_banks_package_imports_no_ui_toolkit():
    code = (
        "import sys, talentsync_tui.banks, talentsync_tui.banks.schema; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
