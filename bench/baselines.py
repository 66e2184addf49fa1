"""Side by side on the same questions: the project's hybrid retriever, its BM25 alone, and a plain
llama-index VectorStoreIndex (SentenceSplitter defaults, in-memory store, the same e5 model)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.readers import list_corpus, read_document
from assistant.evaluation.metrics import retrieval_summary

from .common import forget_queries, stats_ms


@dataclass
class _Hit:
    source: str
    page: int | None


def bench_compare(assistant, items, hybrid: dict, hybrid_ranked: dict) -> dict:
    """Quality (hit rate@5, MRR) and latency of three retrievers on the same questions."""
    scored = [item for item in items if item.expected_sources]
    rows = {"hybrid": {"what": "this project: e5 dense (chunks + sentences) + BM25, weighted RRF",
                       **retrieval_summary(scored, hybrid_ranked, 5), "latency_ms": hybrid["retrieval_ms"]}}

    retriever = assistant.retriever
    bm25 = retriever.keyword_index()
    queries = {item.id: assistant.query(item.question) for item in items}  # embedded here, not timed
    times, ranked = [], {}
    for item in items:
        started = time.perf_counter()  # what BM25 reads: an English question's domain words in Dutch
        found = bm25.search(queries[item.id].dutch_text, 5)
        times.append(time.perf_counter() - started)
        hits = []
        for cid, _score in found:
            meta = retriever.chunk_metadata(cid)
            page = meta.get("page")
            hits.append(_Hit(meta["source"], None if page in (None, -1) else int(page)))
        ranked[item.id] = hits
    rows["bm25"] = {"what": "the project's BM25Index alone (dense weight 0)",
                    **retrieval_summary(scored, ranked, 5), "latency_ms": stats_ms(times)}

    rows["llama_index"] = _llama_index_baseline(assistant, items, scored)
    return rows


def _llama_index_baseline(assistant, items, scored) -> dict:
    """A plain VectorStoreIndex: SentenceSplitter defaults, in-memory SimpleVectorStore, the same e5 model,
    one document per page as read by the project's read_document."""
    from llama_index.core import Document as LIDocument
    from llama_index.core import Settings, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    Settings.llm = None  # no OpenAI: retrieval only
    from assistant import LlamaIndexEmbedding

    embedding = assistant.embedding
    documents = []
    for source, path in list_corpus(Path(assistant.config.corpus_dir)).items():
        document = read_document(path, source=source)
        for page in document.pages:
            documents.append(LIDocument(text=page.text, metadata={"file_name": source, "page_label": str(page.number)}))
    splitter = SentenceSplitter()
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents, embed_model=LlamaIndexEmbedding(embedding),
                                            transformations=[splitter])
    build = time.perf_counter() - started
    retriever = index.as_retriever(similarity_top_k=5)
    retriever.retrieve(items[0].question)
    times, ranked = [], {}
    for item in items:
        forget_queries(embedding)
        started = time.perf_counter()
        nodes = retriever.retrieve(item.question)
        times.append(time.perf_counter() - started)
        ranked[item.id] = [_Hit(n.node.metadata["file_name"], int(n.node.metadata["page_label"])) for n in nodes]
    return {"what": f"llama-index VectorStoreIndex, SentenceSplitter defaults (chunk_size {splitter.chunk_size}, "
                    f"overlap {splitter.chunk_overlap}), SimpleVectorStore, same e5",
            **retrieval_summary(scored, ranked, 5), "latency_ms": stats_ms(times),
            "nodes": len(index.docstore.docs), "build_seconds": round(build, 2)}
