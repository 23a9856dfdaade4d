"""AI benchmark: follow-up quality and latency, embeddings, retrieval, memory, threads.

Each number is compared with the least work any implementation must do, measured in
the same run: a raw llama-cpp-python call on exactly the interviewer's prompt, a raw
onnxruntime session with the same tokenizer, a raw Chroma query with a precomputed
vector. Prints a table (and writes bench/results/ai.json); asserts nothing.

    .venv/bin/python bench/bench_ai.py                      # everything (15-70 min on 2 cores, depending on load)
    .venv/bin/python bench/bench_ai.py --skip threads       # skip a section
    .venv/bin/python bench/bench_ai.py --limit 10           # first N eval cases only
    .venv/bin/python bench/bench_ai.py --cases other.yaml   # another eval set (same format)
    .venv/bin/python bench/bench_ai.py --gaps-only          # quick-check gaps vs the labels, no model
    .venv/bin/python bench/bench_ai.py --summarize bench/results/followups.jsonl  # table of a (partial) run

Sections: followups, embeddings, retrieval, threads, memory.

Follow-ups: for every case of bench/followup_eval.yaml the bank question becomes a
SessionItem (banks read with the app's parser), the gap is the case's first labelled
`missed` point (else the answer's most specific claim, as `choose_gap` picks it), and
`Interviewer.follow_up` runs with the real model from a cold KV cache; then the raw
llama-cpp-python call on the same prompt (cold, stopped at the first '?' like the
interviewer), then the app's way: `listen()` on the first 80% of the answer while the
candidate "types", and the follow-up after submit. The quick check's gap (what the app
really uses) is compared with the labels. Per-case outputs go to
bench/results/followups.jsonl for rating by hand with bench/FOLLOWUP_RUBRIC.md.
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
from talentsync_tui.ai.index import AIIndex  # noqa: E402
from talentsync_tui.ai.interviewer import (  # noqa: E402
    MAX_TOKENS,
    MAX_WORDS,
    Gap,
    Interviewer,
    check_followup,
    choose_gap,
    clean_question,
)
from talentsync_tui.ai.models import LocalLLM, resolve_model  # noqa: E402
from talentsync_tui.ai.phrases import content_words  # noqa: E402
from talentsync_tui.ai.testing import FakeEmbedder, session_item  # noqa: E402
from talentsync_tui.config import load_settings  # noqa: E402
from talentsync_tui.feedback.evidence import question_document  # noqa: E402
from talentsync_tui.feedback.grader import Grader  # noqa: E402
from talentsync_tui.models import Module, Question  # noqa: E402
from talentsync_tui.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
EVAL = ROOT / "bench" / "followup_eval.yaml"
BENCH_DEADLINE = 900.0
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


# -- set-up ---------------------------------------------------------------------------------


def open_bench_store(embedder: MiniLMEmbedding) -> tuple[Store, AIIndex, float]:
    """The bundled banks in a bench data dir, indexed with real embeddings (reused if fresh)."""
    from talentsync_tui.services import TalentSync

    home = RESULTS / "ai-home"
    settings = load_settings(home)
    app = TalentSync.open(settings, start_workers=False, ai=False)
    store = app.store
    index = AIIndex(store, embedder, path=settings.chroma_dir)
    started = time.perf_counter()
    report = index.sync()
    return store, index, (time.perf_counter() - started) if report.added else float("nan")


def bank_modules() -> dict[str, Module]:
    """The bundled banks, read with the app's parser."""
    from talentsync_tui.banks import parse_bank

    modules: dict[str, Module] = {}
    for path in sorted((ROOT / "question_banks").glob("*.yaml")):
        for module in parse_bank(path, path.read_text()):
            modules[module.id] = module
    return modules


# -- follow-ups ----------------------------------------------------------------------------------


def one_question(text: str) -> bool:
    return text.count("?") == 1 and text.endswith("?") and len(text.split()) <= MAX_WORDS


def names_something(text: str, question: str, claims: list[str], missed_points: list[str]) -> dict:
    """The rubric's two flags, counted mechanically: a labelled claim quoted whole or by a
    distinctive word (not a word of the bank question), or a missed point's distinctive word."""
    low = text.lower()
    words = content_words(text)
    asked = content_words(question)

    def distinctive(phrase: str) -> set[str]:
        return {w for w in content_words(phrase) - asked if len(w) > 3 or any(c.isdigit() for c in w)}

    claim = any(c.lower() in low or distinctive(c) & words for c in claims)
    missed = any(distinctive(p) & words for p in missed_points)
    return {"names_claim": bool(claim), "names_missed": bool(missed)}


def raw_baseline(raw, prompt: str) -> dict:
    """The least work: llama-cpp-python on the same prompt, cold cache, stopped at the first '?'."""
    raw.reset()
    started = time.perf_counter()
    first = None
    parts: list[str] = []
    stream = raw.create_completion(prompt, max_tokens=MAX_TOKENS, temperature=0.0, stop=["\n"], stream=True)
    for chunk in stream:
        if first is None:
            first = (time.perf_counter() - started) * 1000
        parts.append(chunk["choices"][0]["text"])
        if "?" in parts[-1]:
            stream.close()
            break
    return {"first_ms": first, "total_ms": (time.perf_counter() - started) * 1000,
            "text": clean_question("".join(parts))}


def timed_follow_up(interviewer: Interviewer, item, answer: str, gap: Gap | None) -> tuple:
    first: list[float] = []
    started = time.perf_counter()

    def on_text(text: str) -> None:
        if not first and text.strip():
            first.append((time.perf_counter() - started) * 1000)

    result = interviewer.follow_up(item, answer, gap=gap, on_text=on_text)
    total = (time.perf_counter() - started) * 1000
    return result, total, (first[0] if first else None), dict(interviewer.last)


def quick_gaps(embedder, cases_path: Path, limit: int | None) -> None:
    """How often the quick check's gap (what the app aims at) is a labelled missed point; no model."""
    cases = yaml.safe_load(cases_path.read_text())["cases"][:limit]
    modules = bank_modules()
    grader = Grader(None, embedder)
    grader.rivals_for = lambda key: rival_documents(modules, key)
    agree = claim_when_missed = 0
    for case in cases:
        module_id, qid = case["question_key"].split("/")
        question = next(q for q in modules[module_id].questions if q.id == qid)
        item = session_item(question, module_id)
        missed = list(case.get("missed") or [])
        quick = grader.quick(item, case["answer"], float(item.expected_seconds), model_answer=question.model_answer)
        gap = choose_gap(item, case["answer"], quick.details)
        if missed:
            agree += gap is not None and gap.kind == "missed" and gap.index in missed
            claim_when_missed += gap is not None and gap.kind == "claim"
        else:
            agree += gap is not None and gap.kind == "claim"
    k = len(cases)
    print(f"\nQuick-check gaps on {k} cases (no model)", flush=True)
    row("quick-check gap matches the labels", f"{agree}/{k} = {agree / max(1, k):.0%}",
        "a labelled missed point, or a claim when none is labelled")
    row("  aimed at a claim although points are labelled missed", f"{claim_when_missed}/{k}")


def rival_documents(modules: dict[str, Module], key: str | None) -> list[str]:
    module_id = (key or "/").split("/")[0]
    module = modules.get(module_id)
    return [question_document(q.text, q.expected_points) for q in (module.questions if module else [])
            if f"{module_id}/{q.id}" != key]


def bench_followups(index, embedder, llm: LocalLLM, cases_path: Path, limit: int | None) -> None:
    cases = yaml.safe_load(cases_path.read_text())["cases"][:limit]
    modules = bank_modules()
    # A deadline no generation reaches: on a loaded machine the app's 8 s would cut drafts
    # short, and this bench measures what the model writes and how long it takes.
    interviewer = Interviewer(llm, index, embedder, deadline=BENCH_DEADLINE)
    listening = Interviewer(llm, index, embedder, deadline=BENCH_DEADLINE)
    grader = Grader(None, embedder)

    grader.rivals_for = lambda key: rival_documents(modules, key)
    raw = llm._llm
    results = []
    out = (RESULTS / "followups.jsonl").open("w")
    print(f"\nFollow-ups: {len(cases)} eval cases from {cases_path.name}", flush=True)
    for n, case in enumerate(cases, 1):
        module_id, qid = case["question_key"].split("/")
        question = next(q for q in modules[module_id].questions if q.id == qid)
        item = session_item(question, module_id)
        answer = case["answer"]
        missed = list(case.get("missed") or [])
        claims = list(case.get("claims") or [])
        gap = (Gap("missed", item.expected_points[missed[0]], missed[0]) if missed
               else choose_gap(item, answer, {}))
        # The app's gap: the quick check's, compared with the labels.
        quick = grader.quick(item, answer, float(item.expected_seconds), model_answer=question.model_answer)
        app_gap = choose_gap(item, answer, quick.details)
        agrees = (app_gap is not None and app_gap.kind == "missed" and app_gap.index in missed) if missed \
            else (app_gap is not None and app_gap.kind == "claim")
        # 1. cold: nothing of this prompt in the KV cache
        raw.reset()
        result, total, first, trace = timed_follow_up(interviewer, item, answer, gap)
        text = result.text if result else ""
        prefix, rest = interviewer.prompt(item.text, answer, gap)
        # 2. the raw llama-cpp-python call on exactly that prompt, also cold
        base = raw_baseline(raw, prefix + rest)
        # 3. the app's way: the draft evaluated while the candidate types, then submit
        raw.reset()
        t0 = time.perf_counter()
        listening.listen(item.text, answer[: int(len(answer) * 0.8)])
        listen_ms = (time.perf_counter() - t0) * 1000
        heard, heard_total, heard_first, heard_trace = timed_follow_up(listening, item, answer, gap)
        points = [item.expected_points[i] for i in missed]
        flags = names_something(text, item.text, claims, points)
        record = {
            "question_key": case["question_key"], "question": item.text, "answer": answer,
            "vague": bool(case.get("vague")), "labelled_missed": missed, "claims": claims,
            "gap": gap.describe() if gap else None,
            "quick_gap": app_gap.describe() if app_gap else None, "quick_gap_agrees": agrees,
            "text": text, "source": result.source if result else None,
            "path": trace.get("path"), "drafts": [a.get("text") for a in trace.get("attempts") or []],
            "rejected": [a.get("rejected") for a in trace.get("attempts") or []],
            "latency_ms": round(total, 1), "first_token_ms": first,
            "one_question": one_question(text), **flags,
            "check_followup": check_followup(text, question=item.text, answer=answer, gap=gap),
            "raw_text": base["text"], "raw_ms": round(base["total_ms"], 1), "raw_first_ms": base["first_ms"],
            "listen_ms": round(listen_ms, 1), "listening_text": heard.text if heard else "",
            "listening_source": heard.source if heard else None,
            "listening_ms": round(heard_total, 1), "listening_first_ms": heard_first,
            "load_average": round(os.getloadavg()[0], 1),
        }
        results.append(record)
        out.write(json.dumps(record) + "\n")
        out.flush()
        print(f"  [{n:2}/{len(cases)}] {record['source'] or '-':8} {total:6.0f} ms "
              f"(raw {base['total_ms']:5.0f}, listening {heard_total:5.0f})  {text}", flush=True)
    out.close()
    DATA["followups"] = results
    summarize_followups(results)


def summarize_followups(results: list[dict]) -> None:
    k = len(results)
    share = lambda pred, rows=results: sum(1 for r in rows if pred(r)) / max(1, len(rows))  # noqa: E731
    model = [r for r in results if r["source"] == "model"]
    print()
    loads = [r["load_average"] for r in results if r.get("load_average") is not None]
    row("follow-ups: cases", str(k), f"load average p50 {pct(loads, 50):.1f} on {os.cpu_count()} cores" if loads else "")
    row("  written by the model (validated)", f"{len(model)}/{k} = {len(model) / max(1, k):.0%}",
        f"templates {sum(r['source'] == 'template' for r in results)}, "
        f"none {sum(r['source'] is None for r in results)}")
    row("  one question (exactly one '?', <= 30 words)", f"{share(lambda r: r['one_question']):.0%}")
    row("  names a labelled claim or the missed point", f"{share(lambda r: r['names_claim'] or r['names_missed']):.0%}",
        f"claim {share(lambda r: r['names_claim']):.0%}, missed point {share(lambda r: r['names_missed']):.0%}")
    row("    the same, model-written ones only",
        f"{share(lambda r: r['names_claim'] or r['names_missed'], model):.0%}")
    row("  quick-check gap matches a labelled missed point", f"{share(lambda r: r['quick_gap_agrees']):.0%}",
        "(or is a claim when nothing is labelled missed)")
    totals = [r["latency_ms"] for r in results]
    firsts = [r["first_token_ms"] for r in results if r["first_token_ms"] is not None]
    raw_tot = [r["raw_ms"] for r in results]
    raw_first = [r["raw_first_ms"] for r in results if r["raw_first_ms"] is not None]
    heard = [r["listening_ms"] for r in results]
    heard_first = [r["listening_first_ms"] for r in results if r["listening_first_ms"] is not None]
    listen = [r["listen_ms"] for r in results]
    row("  follow-up p50 / p95, cold cache", f"{pct(totals, 50):.0f} / {pct(totals, 95):.0f} ms",
        f"raw llama-cpp: {pct(raw_tot, 50):.0f} / {pct(raw_tot, 95):.0f} ms")
    row("  first streamed token p50 / p95, cold", f"{pct(firsts, 50):.0f} / {pct(firsts, 95):.0f} ms",
        f"raw llama-cpp: {pct(raw_first, 50):.0f} / {pct(raw_first, 95):.0f} ms")
    row("  ratio interviewer / raw (p50), cold", f"{pct(totals, 50) / pct(raw_tot, 50):.2f}x",
        "(validation, retries and template fallback included)")
    model_tot = [r["latency_ms"] for r in model]
    model_raw = [r["raw_ms"] for r in model]
    if model:
        row("    the same, model-written ones only", f"{pct(model_tot, 50) / pct(model_raw, 50):.2f}x",
            f"{pct(model_tot, 50):.0f} vs {pct(model_raw, 50):.0f} ms")
    row("  after listen() on 80% of the answer p50 / p95", f"{pct(heard, 50):.0f} / {pct(heard, 95):.0f} ms",
        f"first token {pct(heard_first, 50):.0f} / {pct(heard_first, 95):.0f} ms")
    row("    listen() itself (while typing) p50", f"{pct(listen, 50):.0f} ms",
        f"speed-up after submit vs cold: {pct(totals, 50) / max(1e-9, pct(heard, 50)):.1f}x")
    same = sum(r["listening_text"] == r["text"] for r in results)
    row("    same question as the cold run", f"{same}/{k}")
    same_raw = sum(r["raw_text"] == r["text"] for r in model)
    row("  raw call reproduces the model-written question", f"{same_raw}/{len(model)}")


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
        index.retrieve(q, "some answer text", k=4, related=False)  # as Interviewer.candidates calls it
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
    parser.add_argument("--limit", type=int, default=None, help="only the first N eval cases")
    parser.add_argument("--cases", type=Path, default=EVAL, help="the follow-up eval set (YAML)")
    parser.add_argument("--gaps-only", action="store_true",
                        help="only compare the quick check's gaps with the labels (no model, seconds)")
    parser.add_argument("--summarize", type=Path, default=None, metavar="JSONL",
                        help="only print the follow-up table of an earlier (possibly partial) run's followups.jsonl")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip a section: followups, embeddings, retrieval, threads, memory")
    parser.add_argument("--docs", type=int, default=20_000, help="documents for the retrieval bench")
    args = parser.parse_args()
    if args.gaps_only:
        embedder = MiniLMEmbedding(threads=1)
        embedder.load()
        quick_gaps(embedder, args.cases, args.limit)
        return
    if args.summarize is not None:
        results = [json.loads(line) for line in args.summarize.read_text().splitlines() if line.strip()]
        summarize_followups(results)
        return
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
        quick_gaps(embedder, args.cases, args.limit)
        bench_followups(index, embedder, llm, args.cases, args.limit)
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
