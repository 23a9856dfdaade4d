"""A GrillKit checkout (track/level/category.yaml plus its questions_map.yaml) imports in one command."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from talentsync_tui.banks import BankError, NotABank, load_bank_files
from talentsync_tui.models import Difficulty
from talentsync_tui.services import TalentSyncError

# track -> level -> (category, file stem, number of questions); the index lists categories out of
# alphabetical order on purpose, so the test sees that the index, not the file names, sets the order.
TREE = {
    "python": {
        "junior": [("Basics", "basics", 3), ("Asynchronous Programming", "async", 2)],
        "middle": [("Type Hints", "type-hints", 2)],
        "senior": [("Performance Optimization", "performance", 2)],
    },
    "database": {"junior": [("SQL Basics", "sql-basics", 2)], "middle": [("PostgreSQL", "postgresql", 3)]},
    "system-design": {"middle": [("System Design", "system-design", 2)], "senior": [("Distributed Systems", "distributed", 1)]},
}
LEVEL_NUMBER = {"junior": 2, "middle": 3, "senior": 4}


def question(track: str, level: str, stem: str, n: int) -> dict:
    return {
        "id": f"{track[:3]}-{stem}-{level[0]}-{n:03d}",
        "type": "knowledge",
        "difficulty": LEVEL_NUMBER[level] + (1 if n == 2 else 0),  # numbers that disagree with the level a bit
        "tags": [track, stem],
        "question": {
            "text": {"en": f"{stem} question {n} for {level} {track}?", "ru": f"Вопрос {n}?"},
            **({"code": "print('hi')\n"} if n == 1 else {}),
        },
        "follow_ups": {"en": [f"Why {n}?"], "ru": [f"Почему {n}?"]},
        "expected_points": [f"point {n}a", f"point {n}b"],
    }


def make_grillkit_checkout(root: Path, tree: dict = TREE) -> Path:
    """data/questions as GrillKit lays it out, its index generated from the files, plus the usual clutter."""
    questions_dir = root / "data" / "questions"
    index: dict = {}
    for track, levels in tree.items():
        for level, categories in levels.items():
            for category, stem, count in categories:
                bank = {
                    "category": category, "track": track, "level": level,
                    "description": f"{category} for {level} engineers",
                    "questions": [question(track, level, stem, n) for n in range(1, count + 1)],
                }
                path = questions_dir / track / level / f"{stem}.yaml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
                index.setdefault(track, {}).setdefault(level, {})[category] = [
                    q["question"]["text"]["en"] for q in bank["questions"]
                ]
    (questions_dir / "questions_map.yaml").write_text(yaml.safe_dump(index, sort_keys=False), encoding="utf-8")
    (questions_dir / "README.md").write_text("# GrillKit questions\n\nHow to contribute.\n", encoding="utf-8")
    (questions_dir / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    (questions_dir / "python" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (questions_dir / ".git").mkdir()
    (questions_dir / ".git" / "config.yaml").write_text("\x00 never read", encoding="utf-8")
    (questions_dir / "docker-compose.yaml").write_text("services:\n  app:\n    image: grillkit\n", encoding="utf-8")
    return questions_dir


def load(folder: Path):
    skipped: list[tuple[str, str]] = []
    loaded = load_bank_files([folder], on_skip=lambda path, reason: skipped.append((path.name, reason)))
    return loaded, dict(skipped)


def test_a_checkout_becomes_one_module_per_track_in_index_order(tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    loaded, skipped = load(folder)

    modules = [m for _, ms in loaded for m in ms]
    assert [m.id for m in modules] == ["grillkit-python", "grillkit-database", "grillkit-system-design"]
    assert [m.name for m in modules] == ["Python (GrillKit)", "Database (GrillKit)", "System Design (GrillKit)"]
    assert [len(m.questions) for m in modules] == [9, 5, 3]
    assert [path for path, _ in loaded] == [folder / "python", folder / "database", folder / "system-design"]

    python = modules[0]
    # Junior -> middle -> senior; inside a level the index's category order (Basics before async).
    assert [q.id for q in python.questions[:5]] == [
        "pyt-basics-j-001", "pyt-basics-j-002", "pyt-basics-j-003", "pyt-async-j-001", "pyt-async-j-002"
    ]
    by_id = {q.id: q for q in python.questions}
    assert [by_id[i].difficulty for i in ("pyt-basics-j-002", "pyt-type-hints-m-001", "pyt-performance-s-002")] == [
        Difficulty.easy, Difficulty.medium, Difficulty.hard
    ]
    first = by_id["pyt-basics-j-001"]
    assert first.tags == ["basics", "python"]  # category tag first, GrillKit's own tags after
    assert by_id["pyt-async-j-001"].tags[0] == "asynchronous-programming"
    assert first.text == "basics question 1 for junior python?\n\n```\nprint('hi')\n```"
    assert first.follow_ups == ["Why 1?"] and first.expected_points == ["point 1a", "point 1b"]
    assert "junior 5 (easy), middle 2 (medium), senior 2 (hard)" in python.description
    assert "Categories (tags): Basics, Asynchronous Programming, Type Hints" in python.description

    assert set(skipped) == {"questions_map.yaml", "README.md", "LICENSE", "logo.png", ".git", "docker-compose.yaml"}
    assert skipped["questions_map.yaml"].startswith("GrillKit's index")
    assert skipped["logo.png"] == "an image (.png), not a bank"
    assert skipped["README.md"] == "a README file, not a bank"
    assert skipped[".git"] == "hidden folder, not searched"
    assert "not a question bank" in skipped["docker-compose.yaml"]


def test_without_the_index_tracks_and_categories_follow_the_file_names(tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    (folder / "questions_map.yaml").unlink()
    loaded, skipped = load(folder)
    assert [m.id for _, ms in loaded for m in ms] == ["grillkit-database", "grillkit-python", "grillkit-system-design"]
    python = loaded[1][1][0]
    assert python.questions[0].id == "pyt-async-j-001"
    assert "questions_map.yaml" not in skipped


def test_import_is_atomic_idempotent_and_a_newer_checkout_updates(ts, tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    skipped: list[Path] = []
    first = ts.import_banks([folder], on_skip=lambda path, reason: skipped.append(path))
    assert first.added == {"grillkit-python": 9, "grillkit-database": 5, "grillkit-system-design": 3}
    assert folder / "questions_map.yaml" in skipped
    counts = {m.id: m.question_count for m in ts.modules() if m.id.startswith("grillkit-")}
    assert counts == {"grillkit-python": 9, "grillkit-database": 5, "grillkit-system-design": 3}
    assert {m.id for m in ts.modules()} >= {"python", "system-design"}  # the bundled modules stay apart

    again = ts.import_banks([folder])
    assert sum(again.added.values()) == sum(again.updated.values()) == 0
    assert sum(again.unchanged.values()) == 17

    # A newer checkout: one question reworded, one added.
    path = folder / "python" / "junior" / "basics.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    bank["questions"][0]["question"]["text"]["en"] = "What is new in basics?"
    bank["questions"].append(question("python", "junior", "basics", 4))
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    newer = ts.import_banks([folder])
    assert (newer.added["grillkit-python"], newer.updated["grillkit-python"]) == (1, 1)
    assert newer.unchanged["grillkit-python"] == 8
    assert ts.module("grillkit-python").questions[0].text.startswith("What is new in basics?\n\n```")


def test_a_broken_bank_in_the_checkout_fails_the_whole_import(ts, tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    before = [(m.id, m.question_count) for m in ts.modules()]
    broken = folder / "database" / "middle" / "postgresql.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("difficulty: 3", "difficulty: 9", 1), encoding="utf-8")
    with pytest.raises(TalentSyncError, match=r"postgresql\.yaml:\d+: questions\[0\]\.difficulty: expected a level"):
        ts.import_banks([folder])
    assert [(m.id, m.question_count) for m in ts.modules()] == before


def test_the_same_id_in_two_files_of_a_track_names_both(tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    path = folder / "python" / "middle" / "type-hints.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pyt-type-hints-m-001", "pyt-basics-j-001"),
                    encoding="utf-8")
    with pytest.raises(BankError, match=r"duplicate question id 'pyt-basics-j-001' in track 'python' "
                                        r"\(first in .*basics\.yaml:\d+\)") as caught:
        load_bank_files([folder])
    assert caught.value.path == path and caught.value.line is not None


def test_the_index_named_on_its_own_is_an_error_not_a_silent_skip(tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    with pytest.raises(NotABank, match="GrillKit's index .* import the folder that holds it"):
        load_bank_files([folder / "questions_map.yaml"])
    with pytest.raises(NotABank, match="not a question bank"):
        load_bank_files([folder / "docker-compose.yaml"])


def test_module_option_puts_every_track_into_one_module(tmp_path):
    folder = make_grillkit_checkout(tmp_path)
    loaded = load_bank_files([folder], module_id="interview")
    [(_, [module])] = loaded
    assert module.id == "interview" and len(module.questions) == 17
