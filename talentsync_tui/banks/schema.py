"""JSON Schema for native bank files, for editors and CI checks of coaches' banks.

Regenerate the checked-in copy with ``python -m talentsync_tui.banks.schema``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..models import Module

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "question_banks" / "bank.schema.json"


def bank_json_schema() -> dict[str, Any]:
    """The native format's JSON Schema (from models.Module), with ``$schema`` and a title."""
    schema = Module.model_json_schema()
    schema.pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "TalentSync question bank",
        **schema,
    }


def render_schema() -> str:
    """The schema as the text stored in question_banks/bank.schema.json."""
    return json.dumps(bank_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema to the given path (default: question_banks/bank.schema.json)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else SCHEMA_PATH
    target.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
