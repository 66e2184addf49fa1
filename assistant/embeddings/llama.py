"""Any embedding model of the assistant (embeddings.base.Embedder) as a llama-index BaseEmbedding."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class LlamaIndexEmbedding(BaseEmbedding):
    _embedder: Any = PrivateAttr()

    def __init__(self, embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.model_name, embed_batch_size=embedder.embed_batch_size, **kwargs)
        self._embedder = embedder

    @classmethod
    def class_name(cls) -> str:
        return "LlamaIndexEmbedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.get_text_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.get_text_embedding_batch(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
