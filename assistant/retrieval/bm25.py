"""BM25 over the live chunks, with Dutch stemming and stop words (bm25s + PyStemmer)."""
from __future__ import annotations

import bm25s
import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH, STOPWORDS_EN

import bisect
import json
import math
import re
from collections import Counter
from pathlib import Path

from ..corpus.text import words
from .glossary import GLOSSARY

# 'mdt' is on every page; question words carry no topic.
# bm25s's English list lacks question words: 'what' in 'What is MDT?' is no topic.
_ENGLISH_QUESTION_WORDS = {"what", "which", "who", "whom", "whose", "how", "why", "when", "where", "do", "does",
                           "did", "can", "could", "should", "would", "i", "my", "our", "your", "you", "about"}
# bm25s's Dutch list lacks some pronouns and question words: 'onze' in 'Onze gemeente heeft amper budget'
# is rare in the documents (an officer's quotation has it), so it weighed as much as 'budget'.
_DUTCH_FUNCTION_WORDS = {"onze", "we", "wij", "jullie", "jij", "jouw", "hen", "zouden", "moeten", "waarom",
                         "wanneer", "hoeveel"}
_STOPWORDS = (set(STOPWORDS_DUTCH) | set(STOPWORDS_EN) | _ENGLISH_QUESTION_WORDS | _DUTCH_FUNCTION_WORDS
              | {"mdt", "welke", "welk", "precies", "eigenlijk", "gebeurt", "gebeuren", "happen", "happens"})
_STEMMER = Stemmer.Stemmer("dutch")
# Words the stemmer merges with another meaning: 'geldig' (valid) became 'geld' (money).
_KEEP = {"geldig": "geldig", "geldige": "geldig", "geldigheid": "geldig"}


def _content_words(candidates: list[str]) -> list[str]:
    """The words that carry a question's topic. 'mdt' only when nothing else does ('Wat is MDT?'):
    on every page, it says nothing about whether the rest of the question is answered."""
    content = [w for w in candidates if w not in _STOPWORDS and len(w) > 1]
    return content or [w for w in candidates if w == "mdt"]


def is_stopword(word: str) -> bool:
    return word.lower() in _STOPWORDS


def tokenize(text: str) -> list[str]:
    """Stemmed content words; a compound like 'MDT-prooflabel' also counts as its parts."""
    tokens = []
    for token in words(text):
        # 'RSV's' as users type it: the stemmer made 'rsf' of it, while the documents' 'RSV’s' is 'rsv'
        token = token[:-2] if token.endswith("'s") else token
        parts = [token] + (token.split("-") if "-" in token else [])
        tokens.extend(part for part in parts if part not in _STOPWORDS and len(part) > 1)
    return [_KEEP.get(token) or stem for token, stem in zip(tokens, _STEMMER.stemWords(tokens))]


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][\w'-]+|\d{2,})")


def tokenizer_id() -> str:
    """What `parse` makes of a text, as a hash: this module's code, its stop words and the stemmer's version.
    A saved BM25 index of another tokenizer is stale (a new stop word made the questions' stems differ
    from the saved chunks': one question in 62 lost its page), so retrieval rebuilds it."""
    import hashlib

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps([sorted(_STOPWORDS), sorted(_KEEP.items()), getattr(Stemmer, "__version__", "")]).encode())
    return digest.hexdigest()[:16]


def parse(text: str) -> tuple[list[str], list[str]]:
    """A chunk as BM25 keeps it: its stems, and its words as written (with the parts of 'MDT-project')."""
    return tokenize(text), sorted({part for word in words(text) for part in {word, *re.split(r"[-']", word)}})


# Capitalised words that name nothing: 'Is it OK to share ...?' was declined as if 'OK' were an unknown name.
_NO_NAMES = {"ok", "oke", "oké", "okay", "hi", "hoi"}


def question_names(question: str) -> list[str]:
    """The names and numbers in a question: capitalised words after its first, numbers of two digits or more."""
    return [name for name in _NAME.findall(question.strip()) if name.lower() not in _NO_NAMES]


class BM25Index:
    def __init__(self, ids: list[str], texts: list[str] | None = None, *, saved: Path | None = None,
                 parsed: list[tuple[list[str], list[str]]] | None = None):
        """Built from the chunks' texts, or from their `parsed` form (`parse` of each text, kept by an
        earlier index), or loaded from `saved` (a folder `save` wrote)."""
        if saved is not None:
            self._load(ids, Path(saved))
            return
        self.ids = ids
        self.parsed = parsed if parsed is not None else [parse(text) for text in texts]
        self.words = {word for _, surface in self.parsed for word in surface}
        tokenized = [tokens for tokens, _ in self.parsed]
        self.stems = {stem for tokens in tokenized for stem in tokens}
        # In how many chunks each stem occurs: a rare word of the question weighs more in a sentence.
        self._document_frequency = Counter(stem for tokens in tokenized for stem in set(tokens))
        self._sorted_words = sorted(self.words)
        self._index = bm25s.BM25()
        if ids:
            self._index.index([tokens or ["\u2205"] for tokens in tokenized], show_progress=False)

    def save(self, folder: Path) -> None:
        """Into `folder`: bm25s's own files and the word lists (the ids are the caller's to keep)."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self._index.save(str(folder / "bm25s"), show_progress=False)
        (folder / "words.json").write_text(json.dumps({
            "words": self._sorted_words, "frequency": self._document_frequency}, ensure_ascii=False), encoding="utf-8")

    def _load(self, ids: list[str], folder: Path) -> None:
        saved = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        self.ids = ids
        self.parsed = None  # kept beside the state (snapshot.py), read only to derive the next one
        self._sorted_words = saved["words"]
        self.words = set(self._sorted_words)
        self._document_frequency = Counter(saved["frequency"])
        self.stems = set(self._document_frequency)
        self._index = bm25s.BM25.load(str(folder / "bm25s"), mmap=True, show_progress=False) if ids else bm25s.BM25()

    def term_weights(self, dutch_text: str) -> dict[str, float]:
        """The BM25 idf of each stem of a query's Dutch text (0 for stems the corpus lacks)."""
        n = max(len(self.ids), 1)
        return {stem: math.log(1 + (n - df + 0.5) / (df + 0.5)) if (df := self._document_frequency.get(stem, 0)) else 0.0
                for stem in dict.fromkeys(tokenize(dutch_text))}

    def coverage(self, question: str, language: str) -> float:
        """Share of the question's content words that occur anywhere in the corpus."""
        if language == "en":
            # an English word counts as known when the corpus has it or one of its Dutch glossary words
            english = _content_words(words(question))
            known = [t for t in english if _STEMMER.stemWord(t) in self.stems or t in self.words
                     or any(s in self.stems for s in tokenize(" ".join(GLOSSARY.get(t, []))))]
            return len(known) / len(english) if english else 0.0
        # Dutch writes compounds as one word: 'impactdoel' is known from 'impactdoelstelling'.
        content = _content_words([w for w in words(question) for w in [w, *w.split("-")] if "-" not in w])
        known = [w for w in content if _STEMMER.stemWord(w) in self.stems or w in self.words or self._compound_head(w)]
        # Only stopwords or single letters ('x', 'wat is dat?'): there is nothing to answer.
        return len(known) / len(content) if content else 0.0

    def _compound_head(self, word: str) -> bool:
        """A word of six letters or more that begins a longer corpus word (a compound)."""
        if len(word) < 6:
            return False
        at = bisect.bisect_left(self._sorted_words, word)
        return at < len(self._sorted_words) and self._sorted_words[at].startswith(word)

    def unknown_names(self, question: str) -> list[str]:
        """Names and numbers in the question (not its first word) that the corpus never mentions.

        A compound ('MDT-helpdesk') is known when its parts are; a long name also when a corpus word
        shares all but its last two letters ('Theory' ~ 'Theorie', 'Europe' ~ 'Europa').
        """
        unknown = []
        for name in question_names(question):
            # 'I'm', "MDT's": a contraction's or possessive's single letters are no names
            parts = [p for p in re.split(r"[-'’]", name.lower()) if len(p) > 1]
            if all(self._known(part) for part in parts):
                continue
            unknown.append(name.strip("'"))
        return unknown

    def _known(self, word: str) -> bool:
        if word in self.words or word in _STOPWORDS or (word.endswith("s") and word[:-1] in self.words):
            return True  # 'RSVs' is the corpus's 'RSV’s' written in English
        if word.isdigit():  # a year may be written short: '22-'26
            return len(word) == 4 and word.startswith(("19", "20")) and word[2:] in self.words
        if len(word) < 6:
            return False
        stem = word[:-2]
        return any(w.startswith(stem) for w in self.words)

    def rare_stems(self, dutch_text: str, at_most: int) -> list[str]:
        """The query's stems that occur in at least one chunk and at most `at_most` ('MDT-prooflabel', 'kwartiermaker').
        Not a place's or an organisation's name: 'Limburg' found a slide of region names for 'Welke gemeenten doen
        mee in Limburg?', which the documents cannot answer (abstention.names_not_found reads their absence)."""
        names = {stem for name in question_names(dutch_text) if "mdt" not in name.lower() and not name.isupper()
                 for stem in tokenize(name)}  # places and organisations; MDT's own terms are no such names
        return [stem for stem in dict.fromkeys(tokenize(dutch_text))
                if stem not in names and 0 < self._document_frequency.get(stem, 0) <= at_most]

    def search_stems(self, stems: list[str], k: int) -> list[tuple[str, float]]:
        """`search` for stems already tokenized."""
        if not self.ids or not stems:
            return []
        documents, scores = self._index.retrieve([stems], k=min(k, len(self.ids)), show_progress=False)
        return [(self.ids[int(i)], float(s)) for i, s in zip(documents[0], scores[0]) if s > 0]

    def search(self, dutch_text: str, k: int) -> list[tuple[str, float]]:
        """Chunk ids and scores for a query's Dutch text (Query.dutch_text)."""
        return self.search_stems(tokenize(dutch_text), k)
