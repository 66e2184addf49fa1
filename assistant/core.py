"""The library API that the CLI, the web app, the evaluation and the tests all call."""
from __future__ import annotations

import threading

from .answer import Answer, ExtractiveAnswerer
from .config import Config
from .conversation import Conversation
from .ingest import IngestReport, ingest
from .language import detect_language
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

    def new_conversation(self) -> Conversation:
        return Conversation(max_turns=self.config.history_turns)

    def ask(self, question: str, conversation: Conversation | None = None, on_token=None) -> Answer:
        """One cited answer. `conversation` gives follow-ups their context and records the turn;
        `on_token(text)` receives the answer as it is produced."""
        language = detect_language(question)
        search = conversation.search_query(question) if conversation is not None else question
        passages = self.retriever.passages(question, query_text=search)
        query_vector = self.embedding.get_query_embedding(search)
        answerer = ExtractiveAnswerer(self.config, self.retriever.store)
        support = self.retriever.support(search)
        answer = answerer.answer(question, language, passages, query_vector, support, search_query=search)
        if on_token is not None:
            on_token(answer.answer)
        if conversation is not None:
            conversation.add(question, answer.answer)
        return answer
