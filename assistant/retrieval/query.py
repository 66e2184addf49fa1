"""A question made ready for search, once: its language, its Dutch keywords and its vectors.

Retrieval, the abstention decision and the sentence choice all read the same Query, so a question
is never embedded, translated or classified twice on its way to an answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..corpus.language import detect_language
from .glossary import dutch_keywords, dutch_query, with_asked_words


@dataclass(frozen=True)
class Query:
    question: str  # as asked (checked and normalised)
    text: str  # as searched: the question, or the question with its conversation's context
    language: str  # 'nl' or 'en', of the question as asked: the answer's language
    keywords: str  # an English question's domain words in Dutch (the glossary); '' otherwise
    vector: tuple[float, ...]  # e5 query vector of `text`
    keyword_vector: tuple[float, ...] | None  # e5 query vector of `keywords`, when there are any

    @classmethod
    def build(cls, question: str, embedding, search: str | None = None) -> "Query":
        text = search or question
        language = detect_language(question)
        keywords = dutch_keywords(text) if language == "en" else ""
        return cls(question=question, text=text, language=language, keywords=keywords,
                   vector=tuple(embedding.get_query_embedding(text)),
                   keyword_vector=tuple(embedding.get_query_embedding(keywords)) if keywords else None)

    @property
    def dutch_text(self) -> str:
        """What BM25 reads: the searched text, with an English question's domain words put into Dutch and
        the word beside the fact it asks for ('wanneer' -> 'datum')."""
        return with_asked_words(dutch_query(self.text, self.language))

    @property
    def dutch_question(self) -> str:
        """The question as asked (without a conversation's context), its domain words in Dutch: what a
        sentence of the answer should speak of ('En bij een grote gemeente?' -> 'grote gemeente')."""
        return dutch_query(self.question, self.language)

    @property
    def vectors(self) -> tuple[tuple[float, ...], ...]:
        """Every vector that stands for the question: a sentence counts its best similarity to any."""
        return (self.vector,) if self.keyword_vector is None else (self.vector, self.keyword_vector)
