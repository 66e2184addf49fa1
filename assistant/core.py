"""The library API that the CLI, the web app, the evaluation and the tests all call."""
from __future__ import annotations

import threading

from .answer import Answer, ExtractiveAnswerer
from .bm25 import dutch_keywords
from .config import Config
from .conversation import Conversation
from .ingest import IngestReport, ingest
from .language import detect_language
from .retrieve import HybridRetriever, Passage
from .text import check_question


class Assistant:
    """One configured assistant: the embedding model and retriever are loaded once, on first use."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config.from_env()
        self._embedding = None
        self._retriever = None
        self._llm = _UNSET
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

    def ingest(self, progress: bool = False, wait: float = 0.0, on_document=None,
               allow_empty: bool = False) -> IngestReport:
        """See ingest.ingest: a missing corpus folder, or an empty one while the index holds documents
        (unless `allow_empty`), raises CorpusFolderError and leaves the index as it was."""
        return ingest(self.config, embedding=self._embedding, progress=progress, wait=wait, on_document=on_document,
                      allow_empty=allow_empty)

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        question = check_question(question)  # ValueError with a plain message: empty, no words, too long
        return self.retriever.passages(question, k=k)

    def new_conversation(self) -> Conversation:
        return Conversation(max_turns=self.config.history_turns)

    @property
    def llm(self):
        """The configured language model (a llama-index LLM), or None: extractive answers."""
        with self._lock:
            if self._llm is _UNSET:
                from .llm import load_llm

                self._llm = load_llm(self.config)
            return self._llm

    def ask(self, question: str, conversation: Conversation | None = None, on_token=None,
            extractive_only: bool = False) -> Answer:
        """One cited answer. `conversation` gives follow-ups their context and records the turn;
        `on_token(text)` receives the answer as it is produced (the returned Answer is final: after a
        fallback it differs from what was streamed)."""
        from .answer import abstain_reason, abstention
        from .generate import GenerativeAnswerer
        from .llm import LLMUnavailable

        question = check_question(question)
        language = detect_language(question)
        llm = None if extractive_only else self.llm
        notices: list[str] = []
        search = question
        if conversation is not None and conversation.is_follow_up(question):
            search = conversation.search_query(question)
            if llm is not None:
                try:
                    search = GenerativeAnswerer(self.config, llm).condense(conversation.history_text(), question)
                except LLMUnavailable as error:
                    notices.append(_notice(language, str(error)))
        passages = self.retriever.passages(question, query_text=search,
                                           k=max(self.config.top_k, self.config.answer_passages))
        query_vector = self.embedding.get_query_embedding(search)
        # An English question is also matched by its Dutch keywords (embedded already by retrieval).
        keywords = dutch_keywords(search) if language == "en" else ""
        also = [self.embedding.get_query_embedding(keywords)] if keywords else []
        extractive = ExtractiveAnswerer(self.config, self.retriever.store)
        support = self.retriever.support(search)
        answer = None
        if llm is not None and passages:
            found = extractive.candidates(query_vector, passages, search)  # abstention looks at the question itself
            top = max((sum(a * b for a, b in zip(query_vector, c.vector)) for c in found), default=0.0)
            if abstain_reason(question, top, support, self.config):
                answer = abstention(question, language, passages, mode="generative", search_query=search)
            else:
                try:
                    answer = GenerativeAnswerer(self.config, llm).answer(  # the model reads the top_k only
                        question, language, passages[:self.config.top_k], on_token=on_token, search_query=search)
                    if answer is None:
                        notices.append(_notice(language, "unsupported"))
                except LLMUnavailable as error:
                    notices.append(_notice(language, str(error)))
            streamed = answer is not None and not answer.abstained
        if answer is None:
            answer = extractive.answer(question, language, passages, query_vector, support, search_query=search, also=also)
            streamed = False
        if on_token is not None and not streamed:
            on_token(answer.answer)
        answer.notice = " ".join(notices) or None
        if conversation is not None:
            conversation.add(question, answer.answer)
        return answer


    def email(self, notes: str):
        """A follow-up e-mail draft (subject, body, cited tips) from meeting notes; see email.py."""
        from .email import draft_email

        return draft_email(self, notes)


_UNSET = object()

_NOTICES = {
    "nl": {"unsupported": "Het taalmodel gaf geen antwoord met bronnen; hieronder citaten uit de documenten.",
           "down": "Het taalmodel is niet beschikbaar ({reason}); hieronder citaten uit de documenten."},
    "en": {"unsupported": "The language model gave no answer with sources; quotes from the documents instead.",
           "down": "The language model is not available ({reason}); quotes from the documents instead."},
}


def _notice(language: str, reason: str) -> str:
    texts = _NOTICES[language]
    return texts["unsupported"] if reason == "unsupported" else texts["down"].format(reason=reason)
