"""Embed a fixed corpus and save the vectors, to check a change keeps embeddings identical.

Run from the checkout to compare (its package wins through sys.path):

    cd /work/main && .venv/bin/python /path/to/bench/embedding_vectors.py /tmp/before.npy
    cd /work/wt-x  && .venv/bin/python bench/embedding_vectors.py /tmp/after.npy --compare /tmp/before.npy

The corpus is what the app embeds: every bundled bank document (questions, expected
points, follow-up templates, as the index does), the sentences and the whole text of
every dev-set answer (as grading does) and every question document (the on-topic
check), embedded in one call each so batching is exercised. `--compare` prints the
largest absolute difference and fails unless np.allclose(atol=1e-5) holds, so the
committed calibration (fitted on these vectors) stays valid.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CHECKOUT = Path.cwd()
sys.path.insert(0, str(CHECKOUT))
DATA = Path(__file__).resolve().parent / "data" / "graded_answers.jsonl"


def corpus() -> dict[str, list[str]]:
    from talentsync_tui.ai.index import question_documents
    from talentsync_tui.config import load_settings
    from talentsync_tui.feedback.evidence import question_document, sentences
    from talentsync_tui.services import TalentSync

    ts = TalentSync.open(load_settings(Path(tempfile.mkdtemp(prefix="talentsync-vec-")),
                                       ai_enabled=False), start_workers=False, ai=False)
    try:
        questions = ts.store.questions()
        bank = [text for q in questions for _, text, _ in question_documents(q, "")]
        docs = [question_document(q.text, q.expected_points) for q in questions]
    finally:
        ts.close()
    answers = [json.loads(line)["answer"] for line in DATA.read_text().splitlines() if line.strip()]
    return {
        "bank": bank,
        "sentences": [s for a in answers for s in sentences(a)],
        "answers": answers,
        "question_documents": docs,
        "edge": ["", " ", "a", "x " * 600, "Unicode: naïve café — 東京 🚀"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    from talentsync_tui.ai import embeddings

    print(f"embeddings module: {embeddings.__file__}", file=sys.stderr)
    emb = embeddings.MiniLMEmbedding(threads=args.threads)
    parts = corpus()
    vectors = {}
    started = time.perf_counter()
    for name, texts in parts.items():
        vectors[name] = emb.embed(texts)
    seconds = time.perf_counter() - started
    np.savez(args.out, **vectors)
    total = sum(len(t) for t in parts.values())
    print(f"{total} texts embedded in {seconds:.1f} s ({os.cpu_count()} CPUs) -> {args.out}")
    if args.compare:
        ref = np.load(args.compare)
        ok = True
        for name, got in vectors.items():
            diff = float(np.abs(got - ref[name]).max()) if len(got) else 0.0
            same = got.shape == ref[name].shape and np.allclose(got, ref[name], atol=1e-5)
            ok = ok and same
            print(f"  {name:18} {len(got):5} vectors, max |difference| {diff:.2e}, allclose(atol=1e-5): {same}")
        if not ok:
            raise SystemExit("embeddings changed")


if __name__ == "__main__":
    main()
