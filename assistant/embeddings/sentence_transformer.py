"""Any sentence-transformers model on disk (or in the user's cache)."""
from __future__ import annotations

from ..corpus.text import normalise
from .base import Embedder


class SentenceTransformerEmbedding(Embedder):
    def __init__(self, location: str, model_name: str | None = None):
        from sentence_transformers import SentenceTransformer  # heavy: imported only when chosen

        super().__init__(model_name or f"sentence-transformers:{location}")
        self._model = SentenceTransformer(location, device="cpu")
        # e5 models were trained with these prefixes
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if "e5" in location.lower() else ("", "")

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [vector.tolist() for vector in vectors]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._query_prefix + normalise(query)])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + normalise(text) for text in texts])
