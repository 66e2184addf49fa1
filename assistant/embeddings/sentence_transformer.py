"""Any sentence-transformers model on disk (or in the user's cache) as a llama-index embedding."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from ..corpus.text import normalise


class SentenceTransformerEmbedding(BaseEmbedding):
    _model: Any = PrivateAttr()
    _query_prefix: str = PrivateAttr(default="")
    _passage_prefix: str = PrivateAttr(default="")

    def __init__(self, location: str, **kwargs: Any) -> None:
        from sentence_transformers import SentenceTransformer  # heavy: imported only when chosen

        kwargs.setdefault("model_name", f"sentence-transformers:{location}")
        super().__init__(embed_batch_size=32, **kwargs)
        self._model = SentenceTransformer(location, device="cpu")
        if "e5" in location.lower():  # e5 models were trained with these prefixes
            self._query_prefix, self._passage_prefix = "query: ", "passage: "

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [vector.tolist() for vector in vectors]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._query_prefix + normalise(query)])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + normalise(text) for text in texts])

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
