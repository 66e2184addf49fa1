"""The hybrid retriever as a llama-index BaseRetriever (for llama-index query engines and tools)."""
from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from .query import Query


class LlamaIndexRetriever(BaseRetriever):
    def __init__(self, retriever):
        super().__init__()
        self._hybrid = retriever

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        query = Query.build(query_bundle.query_str, self._hybrid.embedding)
        return [NodeWithScore(node=TextNode(id_=p.id, text=p.text, metadata={
            "source": p.source, "title": p.title, "page": p.page, "section": p.section, "similarity": p.similarity,
        }), score=p.score) for p in self._hybrid.passages(query)]
