"""The library API that the CLI, the web app, the evaluation and the tests all call."""
from __future__ import annotations

import threading

from .config import Config
from .ingest import IngestReport, ingest
from .retrieve import HybridRetriever, Passage


class Assistant:
    """One configured assistant: the embedding model and retriever are loaded once, on first use."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config.from_env()
        self._embedding = None
        self._retriever = None
        self._lock = threading.Lock()

    @property
    def embedding(self):
        with self._lock:
            if self._embedding is None:
                from .embeddings import load_embedding

                self._embedding = load_embedding(self.config.embedding)
            return self._embedding

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            embedding = self.embedding
            with self._lock:
                if self._retriever is None:
                    self._retriever = HybridRetriever(self.config, embedding)
        return self._retriever

    def ingest(self, progress: bool = False, wait: float = 0.0, on_document=None) -> IngestReport:
        return ingest(self.config, embedding=self._embedding, progress=progress, wait=wait, on_document=on_document)

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        return self.retriever.passages(question, k=k)
