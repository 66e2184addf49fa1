"""Retrieval: dense (e5 vectors stored in Chroma, searched exactly: see dense.py) and BM25, fused by weighted reciprocal rank fusion.

Dense finds the Dutch passage for an English question; BM25 rescues exact Dutch terms (names,
'regiofacilitator') that the small embedding model blurs. The weights in Config were set by
measurement on eval/tuning.yaml (see `python -m assistant.evaluation.tune`).
"""
from __future__ import annotations

from ..config import Config
from ..errors import IndexMissing
from ..indexing.store import IndexStore
from .bm25 import BM25Index
from .dense import ExactDenseIndex
from .fusion import weighted_rrf
from .snapshot import current_state, fingerprint
from .passage import Passage, Support
from .query import Query


class HybridRetriever:
    """Passages for a query; as a llama-index BaseRetriever: LlamaIndexRetriever (llama.py)."""

    def __init__(self, config: Config, embedding, store: IndexStore | None = None):
        self.config = config
        self.embedding = embedding
        self.store = store or IndexStore(config, embedding.model_name)
        self._fingerprint = None
        self._records = {}
        self._chunks: dict[str, tuple[str, dict]] = {}
        self._bm25: BM25Index | None = None
        self._dense_index: ExactDenseIndex | None = None

    # What retrieval holds in memory changes only with the set of indexed document versions; it is
    # loaded from what ingest saved for them (snapshot.py), or built from Chroma once.
    def refresh(self) -> None:
        if not self.store.exists():
            others = self.store.other_models()
            hint = f" (the index was built with {others[0]})" if others else ""
            raise IndexMissing(f"no index for {self.store.index_id}{hint}; "
                               "run 'mdt-assistent ingest' first")
        records = self.store.records()
        if not records:  # an index emptied on purpose (ingest --allow-empty), or made from an empty folder
            raise IndexMissing(f"no documents are indexed; add documents to the corpus folder "
                               f"{self.config.corpus_dir} and run 'mdt-assistent ingest'")
        live = fingerprint(records)
        if live == self._fingerprint:
            return
        state = current_state(self.config.index_dir, self.store, records, self.config.short_words)
        self._chunks, self._bm25, self._dense_index = state.chunks, state.bm25, state.dense
        self._records, self._fingerprint = records, live

    def passages(self, query: Query, k: int | None = None) -> list[Passage]:
        """The top-k passages for the query, each page once (by its best chunk)."""
        k = k or self.config.top_k
        fused, similarity = self._fused(query, k)
        return self._as_passages(query, _page_best(fused, self._chunks)[:k], similarity)

    def answer_passages(self, query: Query) -> tuple[list[Passage], list[Passage]]:
        """What an answer shows and what it reads: the best `answer_passages` pages, each once (as `passages`),
        and the best `answer_passages` chunks as they rank, whose sentences the answer is chosen from (a long
        page's second chunk often holds the answering sentence)."""
        k = max(self.config.top_k, self.config.answer_passages)
        fused, similarity = self._fused(query, k)
        return (self._as_passages(query, _page_best(fused, self._chunks)[:k], similarity),
                self._as_passages(query, fused[:k], similarity))

    def _fused(self, query: Query, k: int) -> tuple[list[tuple[str, float]], dict[str, float]]:
        """Every candidate chunk by fused score, and the dense cosines met on the way."""
        self.refresh()
        n = max(self.config.candidates, k)
        similarity: dict[str, float] = {}
        english = query.language == "en"
        # English meets Dutch text: BM25 sees the glossary translation, and the translated keywords
        # get a dense search of their own (both weights measured on the English dev questions).
        rankings = [(self._dense(query.vector, n, similarity), self.config.dense_weight),
                    ([cid for cid, _ in self._bm25.search(query.dutch_text, n)],
                     self.config.bm25_weight_en if english else self.config.bm25_weight)]
        if query.keyword_vector is not None and self.config.translated_weight:
            rankings.append((self._dense(query.keyword_vector, n, {}), self.config.translated_weight))
        rare = self._bm25.rare_stems(query.dutch_text, self.config.rare_chunks)
        if rare and self.config.rare_weight:
            rankings.append(([cid for cid, _ in self._bm25.search_stems(rare, n)], self.config.rare_weight))
        return weighted_rrf(rankings, self.config.rrf_k), similarity

    def _as_passages(self, query: Query, ranked: list[tuple[str, float]], similarity: dict[str, float]) -> list[Passage]:
        missing = [cid for cid, _ in ranked if cid not in similarity]
        if missing:  # BM25-only hits: their cosine similarity, for abstention and display
            similarity.update(self._dense_index.similarity(query.vector, missing))
        result = []
        for rank, (cid, score) in enumerate(ranked, start=1):
            chunk_text, meta = self._chunks[cid]
            page = meta.get("page")
            result.append(Passage(
                rank=rank, source=meta["source"], title=meta["title"], page=None if page in (None, -1) else int(page),
                text=chunk_text, score=score, similarity=similarity.get(cid, 0.0), id=cid,
                section=meta.get("section") or "",
            ))
        return result

    def _dense(self, vector, n: int, similarity: dict[str, float]) -> list[str]:
        """Chunk ids by dense score: a chunk scores its own best match or its best sentence's (short
        ones discounted, see Config.short_penalty); `similarity` receives their cosines."""
        ranked, cosines = self._dense_index.search(vector, n, self.config.short_penalty)
        for cid, cosine in cosines.items():
            similarity[cid] = max(similarity.get(cid, -1.0), cosine)
        return ranked

    def support(self, query: Query) -> Support:
        """What the corpus knows of the question (for abstaining), and what each of its words is worth
        there (the BM25 idf of the question's Dutch stems, for choosing sentences)."""
        self.refresh()
        return Support(coverage=self._bm25.coverage(query.text, query.language),
                       unknown_names=self._bm25.unknown_names(query.text),
                       term_weights=self._bm25.term_weights(query.dutch_question))

    def vocabulary(self) -> set[str]:
        """Every word of the indexed documents, lowercased."""
        self.refresh()
        return self._bm25.words

    def keyword_index(self) -> BM25Index:
        """The BM25 side alone, up to date (the benchmark's BM25-only baseline)."""
        self.refresh()
        return self._bm25

    def chunk_metadata(self, chunk_id: str) -> dict:
        """The metadata (source, title, page) of an indexed chunk, as of the last refresh."""
        return self._chunks[chunk_id][1]


def _page_key(cid: str, chunks: dict[str, tuple[str, dict]]):
    meta = chunks[cid][1]
    page = meta.get("page")
    return (meta["source"], page) if page not in (None, -1) else cid  # a text without pages: each chunk


def _page_best(ranked: list[tuple[str, float]], chunks: dict[str, tuple[str, dict]]) -> list[tuple[str, float]]:
    """Each page once, by its best chunk: three chunks of one long page filled three of the top five and pushed
    the answering page out (development sets: hit rate@5 up on two sets, down on none)."""
    seen, best = set(), []
    for cid, score in ranked:
        key = _page_key(cid, chunks)
        if key not in seen:
            seen.add(key)
            best.append((cid, score))
    return best
