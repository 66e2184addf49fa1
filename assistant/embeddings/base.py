"""What every embedding model of the assistant offers: the methods of a llama-index BaseEmbedding that
the assistant calls (get_query_embedding, get_text_embedding_batch), without importing llama-index, so
that a question from the command line starts quickly. `LlamaIndexEmbedding` (llama.py) makes any of
them a llama-index BaseEmbedding where a llama-index component needs one."""
from __future__ import annotations


class Embedder:
    """Texts embedded in batches of `embed_batch_size`; questions cached (the same question is asked
    again in a conversation, the evaluation and the web page's examples)."""

    embed_batch_size = 32
    model_name = ""

    def __init__(self, model_name: str):
        self.model_name = model_name
        self._query_cache: dict[str, list[float]] = {}

    def _get_query_embedding(self, query: str) -> list[float]:
        raise NotImplementedError

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def clear_query_cache(self) -> None:
        """Forget the questions embedded so far (the benchmark times each question as a new one)."""
        self._query_cache.clear()

    def get_query_embedding(self, query: str) -> list[float]:
        if query not in self._query_cache:
            if len(self._query_cache) > 2048:
                self._query_cache.clear()
            self._query_cache[query] = self._get_query_embedding(query)
        return self._query_cache[query]

    def get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def get_text_embedding_batch(self, texts: list[str], **_) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.embed_batch_size):
            vectors.extend(self._get_text_embeddings(texts[start:start + self.embed_batch_size]))
        return vectors
