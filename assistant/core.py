"""The library API that the CLI, the web app, the evaluation, the benchmark and the tests all call.

A question goes one way: checked, made a Query (language, keywords, vectors, once), retrieved,
judged answerable or not (once), answered (by a model or from the documents' sentences).
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .answers.conversation import Conversation
from .config import Config
from .corpus.text import check_question
from .errors import LLMUnavailable
from .indexing.ingest import IngestReport, ingest
from .messages import message
from .retrieval.query import Query

if TYPE_CHECKING:
    from .answers.scorer import SentenceScorer
    from .answers.types import Answer
    from .retrieval.passage import Passage
    from .retrieval.retriever import HybridRetriever

# Retrieval and answering (BM25, the scorer, the answerers) are imported where they are used: an
# ingest that finds nothing changed, run by scripts again and again, needs none of them.

_UNSET = object()


class Assistant:
    """One configured assistant. Its parts may be passed in (a test's or the benchmark's embedding
    model, a llama-index LLM); what is not passed is loaded from the config on first use."""

    def __init__(self, config: Config | None = None, embedding=None, llm=None):
        self.config = config or Config.from_env()
        self._embedding = embedding
        self._llm = _UNSET if llm is None else llm
        self._retriever = None
        self._scorer = None
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
        from .retrieval.retriever import HybridRetriever

        if self._retriever is None:
            embedding = self.embedding
            with self._lock:
                if self._retriever is None:
                    self._retriever = HybridRetriever(self.config, embedding)
        return self._retriever

    @property
    def scorer(self) -> SentenceScorer:
        """The fitted sentence scorer (answers/data/sentence-scorer.json), read once."""
        from .answers.scorer import SentenceScorer

        with self._lock:
            if self._scorer is None:
                self._scorer = SentenceScorer.load()
            return self._scorer

    @property
    def llm(self):
        """The configured language model (a llama-index LLM), or None: extractive answers."""
        with self._lock:
            if self._llm is _UNSET:
                from .llm import load_llm

                self._llm = load_llm(self.config)
            return self._llm

    def ingest(self, progress: bool = False, wait: float = 0.0, on_document=None,
               allow_empty: bool = False, on_page=None, on_embed=None) -> IngestReport:
        """See indexing.ingest: a missing corpus folder, or an empty one while the index holds documents
        (unless `allow_empty`), raises CorpusFolderError and leaves the index as it was. Then the state
        retrieval starts from is saved (retrieval/snapshot.py)."""
        report = ingest(self.config, embedding=self._embedding, progress=progress, wait=wait, on_document=on_document,
                        allow_empty=allow_empty, on_page=on_page, on_embed=on_embed)
        if report.documents:  # what retrieval needs in memory, saved now: the next first question is quick
            from .embeddings import embedding_model_id
            from .retrieval.snapshot import prepare

            prepare(self.config, self._embedding.model_name if self._embedding is not None
                    else embedding_model_id(self.config.embedding))
        return report

    def query(self, question: str, search: str | None = None) -> Query:
        """The question checked (ValueError with a plain message: empty, no words, too long) and made
        ready for search; `search` (the question with its conversation's context) replaces it there."""
        return Query.build(check_question(question), self.embedding, search)

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        return self.retriever.passages(self.query(question), k=k)

    def new_conversation(self) -> Conversation:
        return Conversation(max_turns=self.config.history_turns)

    def ask(self, question: str, conversation: Conversation | None = None, on_token=None,
            extractive_only: bool = False) -> Answer:
        """One cited answer. `conversation` gives follow-ups their context and records the turn;
        `on_token(text)` receives the answer as it is produced (the returned Answer is final: after a
        fallback it differs from what was streamed)."""
        from .answers.abstention import abstention, decide
        from .answers.extractive import ExtractiveAnswerer
        from .answers.generative import GenerativeAnswerer

        question = check_question(question)
        llm = None if extractive_only else self.llm
        notices: list[tuple[str, dict]] = []  # said in the question's language, once the query knows it
        search = None
        if conversation is not None and conversation.is_follow_up(question):
            search = conversation.search_query(question)
            if llm is not None:
                try:
                    search = GenerativeAnswerer(self.config, llm).condense(conversation.history_text(), question)
                except LLMUnavailable as error:
                    notices.append(("llm_down", {"reason": error}))
        query = Query.build(question, self.embedding, search)
        shown, passages = self.retriever.answer_passages(query)
        extractive = ExtractiveAnswerer(self.config, self.retriever.store, self.scorer)
        support = self.retriever.support(query)
        ranked = extractive.candidates(query, passages, support.term_weights)
        answer = None
        streamed = False
        decision = decide(query, ranked, support, self.config, self.scorer.thresholds)
        if decision is not None:
            answer = abstention(query, passages, decision, mode="generative" if llm is not None else "extractive")
        elif llm is not None:
            try:
                answer = GenerativeAnswerer(self.config, llm).answer(query, passages, ranked, on_token=on_token)
                if answer is None:
                    notices.append(("llm_unsupported", {}))
            except LLMUnavailable as error:
                notices.append(("llm_down", {"reason": error}))
            streamed = answer is not None and not answer.abstained
        if answer is None:
            answer = extractive.answer(query, passages, ranked)
        if on_token is not None and not streamed:
            on_token(answer.answer)
        answer.notice = " ".join(message(key, query.language, **values) for key, values in notices) or None
        if answer.mode != "generative" or answer.abstained:  # a model's [n] is the n-th passage it was given
            answer.passages = shown  # the sources panel: each page once
        if conversation is not None:
            conversation.add(question, answer.answer)
        return answer

    def email(self, notes: str, register: str | None = None):
        """A follow-up e-mail draft (subject, body, cited tips) from meeting notes; see email/draft.py.
        `register` ("u", "je" or "auto") overrides the configured one for a Dutch draft."""
        from .email.draft import draft_email

        return draft_email(self, notes, register=register)
