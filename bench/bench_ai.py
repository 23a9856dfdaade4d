"""AI benchmark: follow-up quality and latency, embeddings, retrieval, memory, threads.

Each number is compared with the least work any implementation must do, measured in
the same run: a raw llama-cpp-python call with the same prompt and grammar, a raw
onnxruntime session with the same tokenizer, a raw Chroma query with a precomputed
vector. Prints a table (and writes bench/results/ai.json); asserts nothing.

    .venv/bin/python bench/bench_ai.py                  # everything (~5-8 min on 2 cores)
    .venv/bin/python bench/bench_ai.py --skip threads   # skip a section
    .venv/bin/python bench/bench_ai.py --cases 10       # first N eval cases only

Sections: followups, embeddings, retrieval, threads, memory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from talentsync_tui.ai.embeddings import MiniLMEmbedding  # noqa: E402
from talentsync_tui.ai.followups import REPEAT_THRESHOLD, RagFollowUps  # noqa: E402
from talentsync_tui.ai.index import AIIndex  # noqa: E402
from talentsync_tui.ai.models import LocalLLM, resolve_model  # noqa: E402
from talentsync_tui.ai.phrases import candidate_phrases, specific_mentions  # noqa: E402
from talentsync_tui.ai.prompts import static_prefix  # noqa: E402
from talentsync_tui.ai.testing import FakeEmbedder  # noqa: E402
from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.engine import TemplateFollowUps  # noqa: E402
from talentsync_tui.models import Module, Question, SessionItem  # noqa: E402
from talentsync_tui.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
EVAL = ROOT / "bench" / "followup_eval.yaml"
ROWS: list[tuple[str, str, str]] = []
DATA: dict = {}


def row(name: str, value: str, baseline: str = "") -> None:
    ROWS.append((name, value, baseline))
    print(f"  {name:<52} {value:<22} {baseline}", flush=True)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


# -- set-up ---------------------------------------------------------------------------------


def open_bench_store(embedder: MiniLMEmbedding) -> tuple[Store, AIIndex, float]:
    """The bundled banks in a bench data dir, indexed with real embeddings (reused if fresh)."""
    from talentsync_tui.services import TalentSync

    home = RESULTS / "ai-home"
    settings = load_settings(home)
    app = TalentSync.open(settings, start_workers=False)
    store = app.store
    index = AIIndex(store, embedder, path=settings.chroma_dir)
    started = time.perf_counter()
    report = index.sync()
    return store, index, (time.perf_counter() - started) if report.added else float("nan")


def item_for(store: Store, case: dict) -> SessionItem:
    by_key = {q.key: q for q in store.questions()}
    q = by_key.get(case["question_key"])
    if q is None:
        q = Question(id="eval", text=case["question"], difficulty="medium", type="technical")
        key = None
    else:
        key = q.key
    return SessionItem(id=1, session_id=1, position=0, kind="core", question_key=key, text=q.text,
                       difficulty=q.difficulty, type=q.type, tags=q.tags,
                       expected_seconds=q.expected_seconds, expected_points=q.expected_points,
                       follow_ups=q.follow_ups)


# -- follow-ups ----------------------------------------------------------------------------------


def is_repeat(text: str, question: str, embedder: MiniLMEmbedding) -> bool:
    v = embedder.embed([text, question])
    return cosine(v[0], v[1]) >= REPEAT_THRESHOLD


def bench_followups(store, index, embedder, llm: LocalLLM, n_cases: int | None) -> None:
    from llama_cpp import LlamaGrammar

    from talentsync_tui.ai.llm import schema_to_gbnf

    cases = yaml.safe_load(EVAL.read_text())["cases"][:n_cases]
    rag = RagFollowUps(llm, index, embedder, timeout=120)
    no_model = RagFollowUps(None, index, embedder, use_model=False)  # followup_model = false
    templates = TemplateFollowUps()
    raw_llama = llm._llm
    prefix = static_prefix()
    results = []
    print(f"\nFollow-ups: {len(cases)} eval cases", flush=True)
    for n, case in enumerate(cases, 1):
        item = item_for(store, case)
        answer = case["answer"]
        # same starting state for wrapper and raw: only the static few-shot prefix is cached
        raw_llama.create_completion(prefix, max_tokens=1, temperature=0.0)
        started = time.perf_counter()
        result = rag.follow_up(item, answer)
        total_ms = (time.perf_counter() - started) * 1000
        trace = dict(rag.last)
        raw = None
        if "prompt" in trace:
            raw_llama.create_completion(prefix, max_tokens=1, temperature=0.0)
            grammar = LlamaGrammar.from_string(schema_to_gbnf(trace["schema"]), verbose=False)
            t0 = time.perf_counter()
            first = None
            pieces = []
            for chunk in raw_llama.create_completion(trace["prompt"], max_tokens=rag.max_tokens,
                                                     temperature=0.0, stream=True, grammar=grammar):
                if first is None:
                    first = (time.perf_counter() - t0) * 1000
                pieces.append(chunk["choices"][0]["text"])
            raw = {"first_ms": first, "total_ms": (time.perf_counter() - t0) * 1000,
                   "same_output": "".join(pieces) == trace.get("raw")}
        phrases = trace.get("phrases") or candidate_phrases(answer, item.text)
        text = result.text if result else ""
        t0 = time.perf_counter()
        composed = no_model.follow_up(item, answer)
        composed_ms = (time.perf_counter() - t0) * 1000
        composed_text = composed.text if composed else ""
        base = templates.follow_up(item, answer)
        base_text = base.text if base else ""
        results.append({
            "key": case["question_key"], "vague": bool(case.get("vague")), "path": trace.get("path"),
            "source": result.source if result else None, "text": text,
            "rejected": trace.get("rejected"), "raw_output": trace.get("raw"),
            "specific": bool(text and specific_mentions(text, answer, item.text, phrases)),
            "repeat": bool(text and is_repeat(text, item.text, embedder)),
            "total_ms": total_ms, "model_ms": trace.get("model_ms"),
            "first_token_ms": trace.get("first_token_ms"), "raw": raw,
            "baseline_text": base_text, "composed_text": composed_text, "composed_ms": composed_ms,
            "composed_specific": bool(composed_text and specific_mentions(composed_text, answer, item.text,
                                                                          phrases)),
            "composed_repeat": bool(composed_text and is_repeat(composed_text, item.text, embedder)),
            "baseline_specific": bool(base_text and specific_mentions(base_text, answer, item.text, phrases)),
            "baseline_repeat": bool(base_text and is_repeat(base_text, item.text, embedder)),
        })
        print(f"  [{n:2}/{len(cases)}] {trace.get('path', '-'):9} {total_ms:6.0f} ms  {text}", flush=True)
    DATA["followups"] = results
    k = len(results)
    model_runs = [r for r in results if r["raw"]]
    share = lambda key, rows=results: sum(r[key] for r in rows) / max(1, len(rows))  # noqa: E731
    print()
    row("follow-ups: cases", str(k))
    row("  share naming something specific from the answer", f"{share('specific'):.0%}",
        f"templates only: {share('baseline_specific'):.0%}")
    row("  share repeating the question (cosine >= 0.80)", f"{share('repeat'):.0%}",
        f"templates only: {share('baseline_repeat'):.0%}")
    by_path = {p: sum(r["path"] == p for r in results) for p in ("model", "composed", "template", "fallback")}
    row("  written by the model (validated)", f"{by_path['model']}/{k} = {by_path['model'] / k:.0%}")
    row("  fallback rate (model output rejected/unused)", f"{(k - by_path['model']) / k:.0%}",
        f"composed {by_path['composed']}, template {by_path['template'] + by_path['fallback']}")
    totals = [r["total_ms"] for r in results]
    row("  latency per follow-up p50 / p95 (total)", f"{pct(totals, 50):.0f} / {pct(totals, 95):.0f} ms")
    comp = [r["composed_ms"] for r in results]
    row("  without the model (followup_model=false): specific", f"{share('composed_specific'):.0%}",
        f"repeats {share('composed_repeat'):.0%}, p50 {pct(comp, 50):.0f} / p95 {pct(comp, 95):.0f} ms")
    if model_runs:
        firsts = [r["first_token_ms"] for r in model_runs if r["first_token_ms"] is not None]
        raw_first = [r["raw"]["first_ms"] for r in model_runs if r["raw"]["first_ms"] is not None]
        model_tot = [r["model_ms"] for r in model_runs]
        raw_tot = [r["raw"]["total_ms"] for r in model_runs]
        wrapped = [r["total_ms"] for r in model_runs]
        row("  first token p50 / p95: LocalLLM", f"{pct(firsts, 50):.0f} / {pct(firsts, 95):.0f} ms",
            f"raw llama-cpp: {pct(raw_first, 50):.0f} / {pct(raw_first, 95):.0f} ms")
        row("  generation p50 / p95: LocalLLM.complete", f"{pct(model_tot, 50):.0f} / {pct(model_tot, 95):.0f} ms",
            f"raw llama-cpp: {pct(raw_tot, 50):.0f} / {pct(raw_tot, 95):.0f} ms")
        row("  overhead ratio LocalLLM / raw (p50)", f"{pct(model_tot, 50) / pct(raw_tot, 50):.2f}x")
        row("  overhead ratio whole follow-up / raw (p50)", f"{pct(wrapped, 50) / pct(raw_tot, 50):.2f}x",
            "(retrieval + phrases + validation + fallbacks)")
        same = sum(r["raw"]["same_output"] for r in model_runs)
        row("  raw call reproduces the wrapper's output", f"{same}/{len(model_runs)}")


# -- embeddings ----------------------------------------------------------------------------------


def bench_embeddings(store, embedder: MiniLMEmbedding) -> None:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from talentsync_tui.ai.embeddings import default_model_path, default_tokenizer_path

    texts = []
    for q in store.questions():
        texts += [q.text, *q.expected_points, *q.follow_ups]
    texts = (texts * (1 + 1000 // max(1, len(texts))))[:1000]
    tok = Tokenizer.from_file(str(default_tokenizer_path()))
    tok.enable_truncation(max_length=256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(default_model_path()), sess_options=options,
                                   providers=["CPUExecutionProvider"])

    def raw(batch: list[str]) -> np.ndarray:
        enc = tok.encode_batch(batch)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        out = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                 "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (out * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    raw(texts[:8])
    embedder.embed(texts[:8])
    singles_ours, singles_raw = [], []
    for text in texts[:100]:
        t = time.perf_counter()
        embedder.embed([text])
        singles_ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        raw([text])
        singles_raw.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    ours = embedder.embed(texts)
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    base = np.vstack([raw(texts[i:i + 32]) for i in range(0, len(texts), 32)])
    raw_s = time.perf_counter() - t
    agree = float(np.min(np.sum(ours * base, axis=1)))
    print("\nEmbeddings (all-MiniLM-L6-v2 int8, 1 thread)", flush=True)
    row("embedding: one sentence p50", f"{pct(singles_ours, 50):.1f} ms",
        f"raw ORT session: {pct(singles_raw, 50):.1f} ms")
    row("embedding: 1,000 bank sentences (batched)", f"{ours_s:.2f} s",
        f"raw ORT, batches of 32 unsorted: {raw_s:.2f} s")
    row("  min cosine ours vs raw (same vectors?)", f"{agree:.5f}")
    DATA["embeddings"] = {"single_p50_ms": pct(singles_ours, 50), "raw_single_p50_ms": pct(singles_raw, 50),
                          "per_1000_s": ours_s, "raw_per_1000_s": raw_s, "min_cosine": agree}


# -- retrieval --------------------------------------------------------------------------------------


def bench_retrieval(embedder: MiniLMEmbedding, n_docs: int = 20_000) -> None:
    n_questions = n_docs // 4  # each: question + 2 points + 1 follow-up template
    tmp = Path(tempfile.mkdtemp(prefix="talentsync-bench-"))
    store = Store(tmp / "db.sqlite")
    rng = np.random.default_rng(0)
    topics = ["caching", "queues", "indexes", "threads", "testing", "kubernetes", "react", "sql"]
    store.import_modules([Module(id="bulk", name="Bulk", category="Bench", questions=[
        Question(id=f"q{i}", text=f"Question {i} about {topics[i % 8]} and case {rng.integers(1e6)}?",
                 difficulty="medium", type="technical",
                 expected_points=[f"Point {i}.a on {topics[i % 8]}", f"Point {i}.b"],
                 follow_ups=[f"How would you approach {topics[(i + 3) % 8]} in case {i}?"])
        for i in range(n_questions)])])
    fake = FakeEmbedder()  # documents get fast deterministic vectors; HNSW cost is the same
    index = AIIndex(store, fake, path=tmp / "chroma")
    t = time.perf_counter()
    index.sync()
    build_s = time.perf_counter() - t
    collection = index.open()
    queries = [f"how would you approach {topics[i % 8]} number {i}" for i in range(60)]
    vectors = fake.embed(queries)
    ours, full, raw = [], [], []
    for i, q in enumerate(queries):
        t = time.perf_counter()
        index.retrieve(q, "some answer text", k=4, related=False)  # as RagFollowUps calls it
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        index.retrieve(q, "some answer text", k=4, question_key=f"bulk/q{i}", related=True)
        full.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        collection.query(query_embeddings=[vectors[i]], n_results=4)
        raw.append((time.perf_counter() - t) * 1000)
    embed_ms = []
    for q in queries[:30]:
        t = time.perf_counter()
        embedder.embed([q])
        embed_ms.append((time.perf_counter() - t) * 1000)
    print(f"\nRetrieval over {collection.count():,} indexed documents", flush=True)
    row("retrieval: AIIndex.retrieve p50 (follow-up path)", f"{pct(ours[5:], 50):.1f} ms",
        f"raw Chroma query: {pct(raw[5:], 50):.1f} ms")
    row("  retrieve with own templates + related p50", f"{pct(full[5:], 50):.1f} ms")
    row("  + embedding the query with MiniLM p50", f"{pct(embed_ms, 50):.1f} ms")
    row("  index build (fake vectors, Chroma writes only)", f"{build_s:.1f} s")
    DATA["retrieval"] = {"docs": collection.count(), "retrieve_p50_ms": pct(ours[5:], 50),
                         "retrieve_full_p50_ms": pct(full[5:], 50),
                         "raw_query_p50_ms": pct(raw[5:], 50), "embed_query_p50_ms": pct(embed_ms, 50)}
    index.close()
    store.close()


# -- threads -------------------------------------------------------------------------------------------

THREAD_PROBE = r"""
import json, sys, time, statistics
from talentsync_tui.ai.models import LocalLLM, ModelChoice, install_llama_log
from pathlib import Path
llm = LocalLLM(ModelChoice(Path(sys.argv[1]), "bench"), n_threads=int(sys.argv[2]), probe=False)
assert llm.load(), llm.error
speeds = [llm.tokens_per_second(64) for _ in range(3)]
print(json.dumps({"tps": statistics.median(speeds)}))
"""


def bench_threads(model_path: Path) -> None:
    print("\nModel threads (tokens/s generating, median of 3; the UI and workers share 2 cores)", flush=True)
    result = {}
    for busy in (False, True):
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            for threads in (1, 2):
                out = subprocess.run([sys.executable, "-c", THREAD_PROBE, str(model_path), str(threads)],
                                     capture_output=True, text=True, cwd=ROOT, timeout=600)
                tps = json.loads(out.stdout.strip().splitlines()[-1])["tps"] if out.returncode == 0 else float("nan")
                result[f"{threads}t{'_busy' if busy else ''}"] = tps
                row(f"threads={threads}{' + 1 busy process' if busy else ''}", f"{tps:.1f} tokens/s")
        finally:
            if hog:
                hog.kill()
                hog.wait()
    DATA["threads"] = result


# -- main ------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=None, help="only the first N eval cases")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip a section: followups, embeddings, retrieval, threads, memory")
    parser.add_argument("--docs", type=int, default=20_000, help="documents for the retrieval bench")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"TalentSync AI bench on {os.cpu_count()} cores (load average {load[0]:.1f} at start)")
    rss0 = rss_mb()
    settings = load_settings(RESULTS / "ai-home")
    llm = LocalLLM(resolve_model(settings), n_threads=settings.model_threads, n_ctx=settings.model_ctx)
    t = time.perf_counter()
    assert llm.load(), llm.error
    load_s = time.perf_counter() - t
    rss_model = rss_mb()
    embedder = MiniLMEmbedding(threads=settings.model_threads)
    t = time.perf_counter()
    embedder.load()
    embed_load = time.perf_counter() - t
    store, index, index_s = open_bench_store(embedder)
    rss_all = rss_mb()
    print("\nLoading", flush=True)
    row(f"model load ({llm.path.name}, {settings.model_threads} threads)", f"{load_s:.2f} s")
    row("embedding model load", f"{embed_load:.2f} s")
    if index_s == index_s:
        row("index build of the bundled banks (real embeddings)", f"{index_s:.1f} s",
            f"{index.status()['documents']} documents")
    if "memory" not in args.skip:
        row("RSS: process before AI", f"{rss0:.0f} MB")
        row("RSS: + model loaded", f"{rss_model:.0f} MB", f"+{rss_model - rss0:.0f} MB")
        row("RSS: + embeddings + index", f"{rss_all:.0f} MB", f"+{rss_all - rss_model:.0f} MB")
    DATA["loading"] = {"model_s": load_s, "embed_s": embed_load, "rss_mb": [rss0, rss_model, rss_all]}
    if "followups" not in args.skip:
        bench_followups(store, index, embedder, llm, args.cases)
    if "embeddings" not in args.skip:
        bench_embeddings(store, embedder)
    if "retrieval" not in args.skip:
        bench_retrieval(embedder, args.docs)
    llm.close()
    if "threads" not in args.skip:
        bench_threads(llm.path)
    (RESULTS / "ai.json").write_text(json.dumps({"rows": ROWS, **DATA}, indent=1, default=str))
    print("\nSummary")
    width = max(len(r[0]) for r in ROWS)
    for name, value, baseline in ROWS:
        print(f"  {name:<{width}}  {value:<22} {baseline}")
    print(f"\n(load average {os.getloadavg()[0]:.1f} at the end; results in {RESULTS / 'ai.json'})")


if __name__ == "__main__":
    main()
