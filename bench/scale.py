"""The scale sweep: synthetic corpora of 1,000 and 10,000 pages built by the project's own ingest(),
with ingest throughput and retrieval latency at each size."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from assistant import Assistant, Config
from assistant.indexing.store import IndexStore

from .common import TimedEmbedding, bench_config, forget_queries, index_counts, touch_pdf
from .synthetic import read_sources, synthesize_corpus
from .timing import bench_warm
from .vectors import CachedEmbedding, vector_cache


def measure_index(config: Config, embedding, items, answer: bool = True) -> dict:
    """Retrieval (and extractive answer) latency over an existing index; the first query's index load
    (reading the chunks, building BM25) is reported on its own."""
    assistant = Assistant(config, embedding=embedding)
    forget_queries(embedding)
    started = time.perf_counter()
    assistant.retrieve(items[0].question)
    first = time.perf_counter() - started
    figures, _ranked = bench_warm(assistant, items) if answer else (None, None)
    return {"first_query_seconds": round(first, 2), "retrieval_ms": figures["retrieval_ms"],
            "answer_ms": figures["answer_ms"]}


def sweep_probe(config: Config, embedding) -> str | None:
    """Does the project's own sweep of stale chunks work on this index? None, or its error. (Nothing is
    stale in a fresh index, so the sweep writes nothing.)"""
    store = IndexStore(config, embedding.model_name)
    try:
        records = store.records()
        store.drop_stale_chunks({source: record.doc_hash for source, record in records.items()})
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"[:300]
    finally:
        store.close()


def ingest_timed(config: Config, embedding) -> tuple[float, str | None]:
    """The project's ingest(), timed: (seconds, error)."""
    started = time.perf_counter()
    try:
        Assistant(config, embedding=embedding).ingest()
        return time.perf_counter() - started, None
    except Exception as error:
        return time.perf_counter() - started, f"{type(error).__name__}: {error}"[:300]


def bench_scale(real_config: Config, embedding, items, sizes: list[int], work: Path, true_sizes=(),
                seed: int = 7, log=print, quiet=None) -> dict:
    """Synthetic corpora grown from the real one: ingest throughput and retrieval latency at each size.

    At every size the project's ingest() runs with CachedEmbedding standing in for e5 (reported as
    'vectors cached'); at the sizes in true_sizes the same corpus is also ingested with the real e5
    model (true throughput), and the time a true ingest would take at the other sizes is projected
    from it (marked as projected). sweep_probe() checks that the sweep of stale chunks works at each
    size (it failed at 10,000 pages before reads were paged, see store._get_all). After
    the build: an unchanged re-ingest and one changed document, at each size."""
    sources = read_sources(real_config.corpus_dir)
    calibration = vector_cache(real_config, embedding)
    titles = [document.title for document, _, _ in sources]
    result = {"method": {
        "chunk_vector_vs_mean_of_sentences_cosine": calibration["chunk_mean_cosine"],
        "chunk_vector_vs_mean_of_sentences_min_cosine": calibration["chunk_min_cosine"],
        "within_document_sentence_cosine": calibration["within_document_cosine"],
    }, "sizes": []}
    true_rate = None

    def check() -> float | None:
        return quiet() if quiet else None

    for pages in sizes:
        log(f"  scale: synthesising {pages} pages ...")
        synthetic = synthesize_corpus(sources, work / f"synthetic-{pages}", pages, seed=seed)
        row = {"pages": synthetic.pages, "documents": synthetic.documents, "words": synthetic.words,
               "synthesis_seconds": synthetic.seconds, "others_cpu_before": {}}
        if pages in true_sizes:
            log(f"  scale: true ingest of {pages} pages with e5 ...")
            row["others_cpu_before"]["true_ingest"] = check()
            config = bench_config(synthetic.corpus, work / f"index-true-{pages}")
            timed = TimedEmbedding(embedding)
            seconds, error = ingest_timed(config, timed)
            if error:
                raise RuntimeError(f"the true ingest of {pages} pages failed: {error}")
            counts = index_counts(config, embedding)
            true_rate = timed.texts / timed.seconds if timed.seconds else None
            row["true"] = {**counts, "seconds": round(seconds, 1), "embedding_seconds": round(timed.seconds, 1),
                           "texts_embedded": timed.texts, "texts_per_second": round(true_rate, 1) if true_rate else None,
                           "pages_per_second": round(counts["pages"] / seconds, 2),
                           "chunks_per_second": round(counts["chunks"] / seconds, 2)}
            log(f"  scale: retrieval over the true {pages}-page index ...")
            row["others_cpu_before"]["true_retrieval"] = check()
            row["true"].update(measure_index(config, embedding, items))
            shutil.rmtree(config.index_dir, ignore_errors=True)
        log(f"  scale: ingest of {pages} pages, vectors cached ...")
        row["others_cpu_before"]["cached_ingest"] = check()
        config = bench_config(synthetic.corpus, work / f"index-{pages}")
        cached = CachedEmbedding(embedding, dict(calibration["cache"]), titles, synthetic.merges,
                                 copy_cosine=calibration["within_document_cosine"], seed=seed)
        seconds, error = ingest_timed(config, cached)
        if error:
            raise RuntimeError(f"the ingest of {pages} synthetic pages failed: {error}")
        counts = index_counts(config, embedding)
        build = seconds - cached.seconds  # everything but the vectors: reading, chunking, Chroma, records
        row["cached"] = {**counts, "seconds": round(seconds, 1), "vector_seconds": round(cached.seconds, 1),
                         "build_seconds_without_vectors": round(build, 1), "vector_sources": cached.counts,
                         "pages_per_second": round(counts["pages"] / seconds, 1),
                         "project_sweep_error": sweep_probe(config, embedding)}
        if true_rate:
            projected = build + cached.texts / true_rate
            row["projected_true"] = {"seconds": round(projected), "pages_per_second": round(counts["pages"] / projected, 2),
                                     "from_texts_per_second": round(true_rate, 1)}
        log(f"  scale: retrieval over the {pages}-page index ...")
        row["others_cpu_before"]["retrieval"] = check()
        row["cached"].update(measure_index(config, embedding, items))
        log(f"  scale: unchanged re-ingest and one changed document at {pages} pages ...")
        seconds, error = ingest_timed(config, embedding)
        row["cached"]["unchanged_seconds"] = round(seconds, 2)
        changed = sorted(synthetic.corpus.glob("*.pdf"))[len(list(synthetic.corpus.glob("*.pdf"))) // 2]
        touch_pdf(changed)
        before, texts_before = cached.counts["embedded"], cached.texts
        seconds, error = ingest_timed(config, cached)
        row["cached"]["changed_one"] = {"document": changed.name, "seconds": round(seconds, 1), "error": error,
                                        "texts": cached.texts - texts_before,
                                        "embedded_for_real": cached.counts["embedded"] - before}
        if true_rate:
            row["cached"]["changed_one"]["projected_true_seconds"] = round(
                seconds + (cached.texts - texts_before) / true_rate, 1)
        result["sizes"].append(row)
        shutil.rmtree(config.index_dir, ignore_errors=True)
        shutil.rmtree(synthetic.corpus, ignore_errors=True)
    result["true_texts_per_second"] = round(true_rate, 1) if true_rate else None
    return result


def estimate_rate(ingest_figures: dict) -> float | None:
    scratch = ingest_figures.get("scratch", {})
    return scratch.get("texts_per_second")
