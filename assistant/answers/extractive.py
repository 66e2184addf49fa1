"""Answers: cited, built from the retrieved passages.

Extractive (the default): the sentences of the top passages that best answer the question, each
quoted verbatim and cited. Generative (with a language model): see generative.py; both return an Answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus.text import words
from ..messages import message
from ..retrieval.bm25 import tokenize
from ..retrieval.passage import Passage
from ..retrieval.query import Query
from .types import Answer, Citation

# Words at the start of a sentence that point back to the one before it.
_CONTINUES = re.compile(r"^(\S+\s+){0,3}(hen|hun|daarom|dus|daardoor|hierdoor|zo|dit|dat|deze|die|daarbij|hierbij|"
                        r"bovendien|ook|dan|therefore|this|they|them)\b", re.I)
# Text from a numbered diagram: 'Begrijp de context van de gemeente 8.'
_DIAGRAM_LABEL = re.compile(r"^(?:\S+\s+){0,8}\S+\s+\d{1,2}\.?$")
_LIST_ITEM = re.compile(r"^([•▪●◦–-]|\d{1,2}[.)])\s")


def _is_heading(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def _same_words(a: str, b: str) -> bool:
    """Near-duplicates by their words: sentence vectors carry the document title, so all sentences
    of one document are close in e5 space (cosine 0.96-0.98) whatever they say."""
    x, y = set(tokenize(a)), set(tokenize(b))
    return bool(x and y) and len(x & y) / len(x | y) > 0.6


def _dot(a, b) -> float:
    return float(sum(x * y for x, y in zip(a, b)))


@dataclass
class Sentence:
    """A candidate sentence of a retrieved passage, scored for how well it answers the question."""

    passage: Passage
    n: int  # sentence number within the passage
    text: str
    vector: list[float]
    score: float


class ExtractiveAnswerer:
    """Chooses sentences by cosine similarity to the question (stored sentence vectors), drops
    near-duplicates, keeps those close to the best, and cites each with its page."""

    def __init__(self, config, store):
        self.config = config
        self.store = store

    def candidates(self, query: Query, passages: list[Passage]) -> list[Sentence]:
        """Sentences of the passages, best first. A sentence counts its best similarity to any of the
        query's vectors (an English question's Dutch keywords have their own)."""
        sentences = self.store.sentence_vectors([p.id for p in passages])
        asked = set(tokenize(query.dutch_text))
        found = []
        for passage in passages:
            for n, text, vector in sentences.get(passage.id, []):
                # e5 similarities are compressed (0.8-0.9); the question's own words in the sentence and
                # the passage's fused rank break the ties.
                overlap = len(asked & set(tokenize(text))) / len(asked) if asked else 0.0
                similarity = max(_dot(v, vector) for v in query.vectors)
                score = (similarity + self.config.overlap_weight * overlap
                         + self.config.passage_weight * passage.score)
                found.append(Sentence(passage, n, text, vector, score))
        return sorted(found, key=lambda c: -c.score)

    def select(self, found: list[Sentence]) -> list[Sentence]:
        chosen: list[Sentence] = []
        if not found:
            return chosen
        best = found[0].score
        for candidate in found:
            if len(chosen) >= self.config.answer_sentences or candidate.score < best - self.config.answer_margin:
                break
            if sum(len(words(c.text)) for c in chosen) > self.config.answer_words:
                break
            if any(_same_words(candidate.text, c.text) for c in chosen):
                continue  # says what a chosen sentence already says
            if len(words(candidate.text)) < 4 or _is_heading(candidate.text) or _DIAGRAM_LABEL.search(candidate.text):
                continue
            chosen.append(candidate)
        return chosen

    def with_continuations(self, chosen: list[Sentence]) -> list[Sentence]:
        """A sentence that continues a chosen one ('Bij hen is het daarom goed ...') completes its advice."""
        taken = {(c.passage.id, c.n) for c in chosen}
        sentences = self.store.sentence_texts([c.passage.id for c in chosen])
        extra = []
        for candidate in chosen:
            texts = sentences.get(candidate.passage.id, {})
            n = candidate.n + 1
            if candidate.text.rstrip().endswith(":"):  # a list follows: take its items
                while n in texts and _LIST_ITEM.match(texts[n]) and n - candidate.n <= 6:
                    if (candidate.passage.id, n) not in taken:  # an item chosen on its own is quoted once
                        extra.append(Sentence(candidate.passage, n, texts[n], [], candidate.score))
                        taken.add((candidate.passage.id, n))
                    n += 1
            elif n in texts and (candidate.passage.id, n) not in taken and _CONTINUES.search(texts[n]):
                extra.append(Sentence(candidate.passage, n, texts[n], [], candidate.score))
                taken.add((candidate.passage.id, n))
        return chosen + extra

    def answer(self, query: Query, passages: list[Passage], found: list[Sentence]) -> Answer:
        """The answer from the candidate sentences (`candidates`), once abstention.abstain_reason has
        found that the documents hold one."""
        chosen = self.select(found)
        # Readable order: the best passage first, and within a passage the document's own order.
        passage_order = []
        for candidate in chosen:
            if candidate.passage.id not in passage_order:
                passage_order.append(candidate.passage.id)
        chosen = self.with_continuations(chosen)
        chosen.sort(key=lambda c: (passage_order.index(c.passage.id), c.n))
        citations: list[Citation] = []
        parts: list[str] = []
        for passage_id in passage_order:
            group = [c for c in chosen if c.passage.id == passage_id]
            passage = group[0].passage
            number = len(citations) + 1
            # Runs of consecutive sentences; one marker after each run, not after every bullet.
            runs: list[list[str]] = []
            for i, candidate in enumerate(group):
                if i and group[i - 1].n + 1 == candidate.n:
                    runs[-1].append(candidate.text)
                else:
                    runs.append([candidate.text])
            parts.extend(f"{' '.join(run)} [{number}]" for run in runs)
            # The quote is verbatim page text; an ellipsis marks where sentences were left out.
            citations.append(Citation(n=number, source=passage.source, title=passage.title, page=passage.page,
                                      quote=" … ".join(" ".join(run) for run in runs)))
        text = " ".join(parts)
        if query.language == "en":
            text = f"{message('english_lead', 'en')} {text}"
        return Answer(question=query.question, answer=text, mode="extractive", abstained=False, citations=citations,
                      passages=passages, language=query.language, search_query=query.text)
