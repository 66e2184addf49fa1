"""English questions meet Dutch documents through a small EN->NL glossary of the domain's words.

Dictionary-based query translation: no translation model is available offline.
"""
from __future__ import annotations

from pathlib import Path

from ..corpus.text import words

_GLOSSARY_FILE = Path(__file__).parent / "data" / "glossary-en-nl.tsv"


def _glossary() -> dict[str, list[str]]:
    entries = {}
    for line in _GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, _, dutch = line.partition("\t")
            entries[english.strip()] = dutch.split()
    return entries


GLOSSARY = _glossary()


def _dutch_words(question: str) -> list[str]:
    """The glossary's Dutch words for the question's English ones. Two English words that Dutch writes as one
    ('decision day': 'beslisdag') are put into that word alone: word by word, 'besluit' and 'dag' drowned it
    out and 'When was the decision day?' found the slides on decisions, not the day's date."""
    tokens = words(question)
    dutch, n = [], 0
    while n < len(tokens):
        pair = " ".join(tokens[n:n + 2])
        if pair in GLOSSARY:
            dutch += GLOSSARY[pair]
            n += 2
        else:
            dutch += GLOSSARY.get(tokens[n], [])
            n += 1
    return dutch


def dutch_keywords(question: str) -> str:
    """The glossary's Dutch words for an English question's domain words ('' when none)."""
    return " ".join(dict.fromkeys(_dutch_words(question)))


def dutch_query(question: str, language: str) -> str:
    """An English question with its domain words put into Dutch: BM25's index and stemmer are Dutch.
    A Dutch question passes unchanged."""
    if language != "en":
        return question
    return " ".join([question, *_dutch_words(question)])


# The word the documents put beside what such a question asks for: a timeline's dates stand under 'Datum'
# ('Wanneer was de beslisdag?' found the slides 'Hoe was het?', not 'Datum Mijlpalen 28 maart 2023 Een beslisdag ...').
_ASKED = {"wanneer": "datum", "when": "datum"}


def with_asked_words(query: str) -> str:
    """The search text with the word the documents write beside the fact it asks for (BM25 only: what a
    sentence of the answer should speak of stays the question's own words)."""
    extra = list(dict.fromkeys(_ASKED[token] for token in words(query) if token in _ASKED))
    return " ".join([query, *extra])
