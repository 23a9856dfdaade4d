"""Local AI: model loading, embeddings, the Chroma index, RAG follow-ups, the coach judge.

Importing this package is cheap: llama.cpp, onnxruntime and chromadb are imported
lazily, inside the functions and background threads that need them. The
privacy switches below are set first, before any of those libraries can load.
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # chromadb's env switch, belt and braces
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from talentsync_tui.ai.runtime import AIRuntime
    from talentsync_tui.ai.coach import CoachJudge

__all__ = ["AIRuntime", "CoachJudge"]

_LAZY = {
    "AIRuntime": "talentsync_tui.ai.runtime",
    "CoachJudge": "talentsync_tui.ai.coach",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
