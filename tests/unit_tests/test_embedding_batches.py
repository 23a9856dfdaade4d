"""How the embedder cuts texts into onnxruntime batches (memory grows with batch x length^2)."""

from __future__ import annotations

from talentsync_tui.ai.embeddings import _batches


def test_short_texts_fill_batches_up_to_the_batch_size():
    batches = _batches([10] * 70, size=32, budget=2048)
    assert [len(b) for b in batches] == [32, 32, 6]
    assert sorted(i for b in batches for i in b) == list(range(70))


def test_long_texts_are_cut_by_the_padded_token_budget():
    lengths = [256] * 20 + [12] * 5
    batches = _batches(lengths, size=32, budget=2048)
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 2048
    assert batches[0] == [20, 21, 22, 23, 24, 0, 1, 2]  # shortest first, padded to 256
    assert [len(b) for b in batches] == [8, 8, 8, 1]


def test_a_text_longer_than_the_budget_still_gets_its_own_batch():
    assert _batches([5000, 3], size=32, budget=2048) == [[1], [0]]


def test_batches_follow_length_order_and_keep_ties_in_input_order():
    assert _batches([30, 10, 20, 10], size=2, budget=10_000) == [[1, 3], [2, 0]]
