"""Vectors for the synthetic corpora without running e5 over them: the real index's vectors by text
(vector_cache), and CachedEmbedding, which stands in for e5 while a synthetic corpus is ingested."""
from __future__ import annotations

import time

import numpy as np

from assistant import Config
from assistant.corpus.text import normalise, split_sentences
from assistant.indexing.store import IndexStore


def vector_cache(config: Config, embedding) -> dict:
    """Every vector of an index by the text it was embedded from ('title. text', normalised), plus the
    statistics that calibrate the synthetic vectors."""
    store = IndexStore(config, embedding.model_name)
    try:
        got = store.chunks.get(include=["documents", "metadatas", "embeddings"])
    finally:
        store.close()
    cache, sentences_of, chunk_vectors, by_source = {}, {}, {}, {}
    for cid, text, meta, vector in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]):
        vector = np.asarray(vector, dtype=np.float32)
        cache[normalise(f"{meta['title']}. {text}")] = vector
        if meta.get("kind") == "sentence":
            sentences_of.setdefault(meta["parent"], []).append(vector)
            by_source.setdefault(meta["source"], []).append(vector)
        else:
            chunk_vectors[cid] = vector
    # How close is the mean of a chunk's sentence vectors to its true vector (the stand-in used for
    # synthetic chunks)? And how similar are two sentences of one document (calibrates the jitter)?
    approx = []
    for cid, vector in chunk_vectors.items():
        if sentences_of.get(cid):
            mean = np.mean(sentences_of[cid], axis=0)
            approx.append(float(vector @ mean / np.linalg.norm(mean)))
    within = []
    for vectors in by_source.values():
        matrix = np.asarray(vectors)
        sims = matrix @ matrix.T
        within.extend(sims[np.triu_indices(len(matrix), k=1)].tolist())
    return {"cache": cache, "chunk_mean_cosine": round(float(np.mean(approx)), 4) if approx else None,
            "chunk_min_cosine": round(float(np.min(approx)), 4) if approx else None,
            "within_document_cosine": round(float(np.median(within)), 4) if within else 0.97}


class CachedEmbedding:
    """Stands in for e5 while a synthetic corpus is ingested (the project's ingest(), unchanged).

    A text seen in the real corpus gets its true e5 vector from the cache; a chunk (new combination of
    real sentences) gets the normalised mean of its sentences' vectors; a sentence that ran into its
    neighbour gets the mean of its parts; anything else is embedded for real by e5 and counted. Every
    vector gets a small seeded jitter, so that ~100 copies of one sentence are not exact duplicates in
    the HNSW graph: a copy is as similar to another copy as two sentences of one real document are."""

    def __init__(self, inner, cache: dict, titles: list[str], merges: dict, copy_cosine: float = 0.97, seed: int = 0):
        self.inner = inner
        self.model_name = inner.model_name
        self.cache = cache
        self.titles = sorted(titles, key=len, reverse=True)
        self.merges = merges
        self._rng = np.random.default_rng(seed)
        dim = len(next(iter(cache.values())))
        # copy.copy ~ 1 / (1 + sigma^2 dim): choose sigma so that it is copy_cosine
        self.sigma = (max(1.0 / max(copy_cosine, 0.5) - 1.0, 0.0) / dim) ** 0.5
        self.counts = {"cached": 0, "composed": 0, "embedded": 0}
        self.seconds = 0.0
        self.embed_seconds = 0.0
        self.texts = 0

    def _jitter(self, vector):
        noisy = vector + self._rng.normal(0.0, self.sigma, len(vector)).astype(np.float32)
        return noisy / np.linalg.norm(noisy)

    def _embed(self, texts: list[str]) -> None:
        """Embed these texts for real (one batch) and remember them."""
        started = time.perf_counter()
        vectors = self.inner.get_text_embedding_batch(texts)
        self.embed_seconds += time.perf_counter() - started
        self.counts["embedded"] += len(texts)
        for text, vector in zip(texts, vectors):
            self.cache[text] = np.asarray(vector, dtype=np.float32)

    def _split(self, key: str):
        title = next((t for t in self.titles if key.startswith(f"{t}. ")), None)
        return title, (split_sentences(key[len(title) + 2:]) if title else [])

    def _unknown(self, key: str) -> bool:
        """Neither cached nor composable from known sentences: e5 must embed it."""
        if key in self.cache:
            return False
        title, sentences = self._split(key)
        return title is None or all(self._known(title, s) is None for s in sentences)

    def _known(self, title: str, sentence: str):
        """The true (cached) vector of a sentence, or one composed from its parts, or None."""
        vector = self.cache.get(normalise(f"{title}. {sentence}"))
        if vector is not None:
            return vector
        parts = [self.cache.get(normalise(f"{title}. {part}")) for part in self.merges.get(sentence, [])]
        parts = [p for p in parts if p is not None]
        if parts:
            mean = np.mean(parts, axis=0)
            return mean / np.linalg.norm(mean)
        return None

    def _vector(self, key: str):
        if key in self.cache:
            self.counts["cached"] += 1
            return self._jitter(self.cache[key])
        title, sentences = self._split(key)
        found = [v for v in (self._known(title, s) for s in sentences) if v is not None]
        self.counts["composed"] += 1
        if len(found) == 1:
            return self._jitter(found[0])
        mean = np.mean([self._jitter(v) for v in found], axis=0)
        return mean / np.linalg.norm(mean)

    def get_text_embedding_batch(self, texts, **_kwargs):
        started = time.perf_counter()
        keys = [normalise(text) for text in texts]
        unknown = list(dict.fromkeys(key for key in keys if self._unknown(key)))
        if unknown:
            self._embed(unknown)
        vectors = [self._vector(key).tolist() for key in keys]
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors
