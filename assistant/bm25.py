"""BM25 over the live chunks, with Dutch stemming and stop words (bm25s + PyStemmer)."""
from __future__ import annotations

import bm25s
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

from .text import words

# 'mdt' is on every page; question words carry no topic.
_STOPWORDS = set(STOPWORDS_DUTCH) | set(STOPWORDS_EN) | {"mdt", "welke", "welk", "precies", "eigenlijk"}
_STEMMER = Stemmer.Stemmer("dutch")


def tokenize(text: str) -> list[str]:
    """Stemmed content words; a compound like 'MDT-prooflabel' also counts as its parts."""
    tokens = []
    for token in words(text):
        parts = [token] + (token.split("-") if "-" in token else [])
        tokens.extend(part for part in parts if part not in _STOPWORDS and len(part) > 1)
    return _STEMMER.stemWords(tokens)


class BM25Index:
    def __init__(self, ids: list[str], texts: list[str]):
        self.ids = ids
        self._index = bm25s.BM25()
        if ids:
            self._index.index([tokenize(text) or ["\u2205"] for text in texts], show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        tokens = tokenize(query)
        if not self.ids or not tokens:
            return []
        documents, scores = self._index.retrieve([tokens], k=min(k, len(self.ids)), show_progress=False)
        return [(self.ids[int(i)], float(s)) for i, s in zip(documents[0], scores[0]) if s > 0]
