"""Retrieval: dense (e5 vectors stored in Chroma, searched exactly: see dense.py) and BM25, fused by weighted reciprocal rank fusion.

Dense finds the Dutch passage for an English question; BM25 rescues exact Dutch terms (names,
'regiofacilitator') that the small embedding model blurs. The weights in Config were set by
measurement on eval/tuning.yaml (see `python -m assistant.tune`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from .bm25 import BM25Index, dutch_keywords
from .config import Config
from .dense import ExactDenseIndex
from .language import detect_language
from .store import IndexStore


class IndexMissing(RuntimeError):
    """No index for this embedding model yet; the message says what to run."""


@dataclass
class Passage:
    rank: int
    source: str
    title: str
    page: int | None
    text: str
    score: float  # fused score, scaled so that first place in both rankings is 1.0
    similarity: float  # cosine similarity of question and passage (dense model)
    id: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        data["similarity"] = round(self.similarity, 4)
        return data


@dataclass
class Support:
    coverage: float  # share of the question's content words found anywhere in the corpus
    unknown_names: list[str]  # names and numbers of the question that the corpus never mentions


class HybridRetriever(BaseRetriever):
    def __init__(self, config: Config, embedding, store: IndexStore | None = None):
        super().__init__()
        self.config = config
        self.embedding = embedding
        self.store = store or IndexStore(config, embedding.model_name)
        self._fingerprint = None
        self._records = {}
        self._chunks: dict[str, tuple[str, dict]] = {}
        self._bm25: BM25Index | None = None
        self._dense_index: ExactDenseIndex | None = None

    # The BM25 side is rebuilt only when the set of indexed document versions changes.
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
        fingerprint = tuple(sorted((s, r.doc_hash) for s, r in records.items()))
        if fingerprint == self._fingerprint:
            return
        live = self.store.live_chunks(records)
        self._chunks = {cid: (text, meta) for cid, text, meta in live}
        self._bm25 = BM25Index([cid for cid, _, _ in live], [f"{meta['title']}. {text}" for cid, text, meta in live])
        self._dense_index = ExactDenseIndex(*self.store.live_vectors(records), short_words=self.config.short_words)
        self._records, self._fingerprint = records, fingerprint

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=TextNode(id_=p.id, text=p.text, metadata={
            "source": p.source, "title": p.title, "page": p.page, "similarity": p.similarity,
        }), score=p.score) for p in self.passages(query_bundle.query_str)]

    def passages(self, question: str, k: int | None = None, query_text: str | None = None) -> list[Passage]:
        """Top-k passages for the question; `query_text` (a question with its context) may replace it for search."""
        self.refresh()
        k = k or self.config.top_k
        text = query_text or question
        n = max(self.config.candidates, k)
        vector = self.embedding.get_query_embedding(text)
        similarity: dict[str, float] = {}
        dense = self._dense(vector, n, similarity)
        english = detect_language(question) == "en"
        c, wd = self.config.rrf_k, self.config.dense_weight
        # English meets Dutch text: BM25 sees the glossary translation, and the translated keywords
        # get a dense search of their own (both weights measured on the English dev questions).
        wb = self.config.bm25_weight_en if english else self.config.bm25_weight
        lists = [(dense, wd), ([cid for cid, _ in self._bm25.search(text, n)], wb)]
        keywords = dutch_keywords(text) if english else ""
        wt = self.config.translated_weight if keywords else 0.0
        if wt:
            lists.append((self._dense(self.embedding.get_query_embedding(keywords), n, {}), wt))
        fused: dict[str, float] = {}
        for ranking, weight in lists:
            for rank, cid in enumerate(ranking, start=1):
                fused[cid] = fused.get(cid, 0.0) + weight / (c + rank)
        best = (wd + wb + wt) / (c + 1)
        ranked = sorted(fused.items(), key=lambda item: -item[1])[:k]
        missing = [cid for cid, _ in ranked if cid not in similarity]
        if missing:  # BM25-only hits: their cosine similarity, for abstention and display
            similarity.update(self._similarities(vector, missing))
        result = []
        for rank, (cid, score) in enumerate(ranked, start=1):
            chunk_text, meta = self._chunks[cid]
            page = meta.get("page")
            result.append(Passage(
                rank=rank, source=meta["source"], title=meta["title"], page=None if page in (None, -1) else int(page),
                text=chunk_text, score=score / best, similarity=similarity.get(cid, 0.0), id=cid,
            ))
        return result

    def _dense(self, vector, n: int, similarity: dict[str, float]) -> list[str]:
        """Chunk ids by dense score: a chunk scores its own best match or its best sentence's (short
        ones discounted, see Config.short_penalty); `similarity` receives their cosines."""
        ranked, cosines = self._dense_index.search(vector, n, self.config.short_penalty)
        for cid, cosine in cosines.items():
            similarity[cid] = max(similarity.get(cid, -1.0), cosine)
        return ranked

    def support(self, question: str) -> "Support":
        """What the corpus knows of the question's words and names (for abstaining)."""
        self.refresh()
        return Support(coverage=self._bm25.coverage(question), unknown_names=self._bm25.unknown_names(question))

    def vocabulary(self) -> set[str]:
        """Every word of the indexed documents, lowercased."""
        self.refresh()
        return self._bm25.words

    def _similarities(self, vector: list[float], ids: list[str]) -> dict[str, float]:
        return self._dense_index.similarity(vector, ids)
