"""Chunking: sentence-aware passages that never cross a page or slide boundary.

A citation names one page, so a chunk lives on one page. multilingual-e5-small reads 512 tokens;
chunks aim at about 110 words (at most ~180): on eval/tuning.yaml, 110 found more than 50, 80 or 150.
Each chunk also keeps its sentences: they are embedded too, so that a question matching one
sentence of a long passage still finds it (and so that answers can pick sentences without
embedding anything at question time).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .readers import Document
from .text import split_sentences, words

# Bump when chunking, the embedded text or the stored layout changes: the index name carries it,
# so an index built by an older version is rebuilt, never mixed.
CHUNKING_VERSION = 7
TARGET_WORDS = 110
MAX_WORDS = 180
MIN_WORDS = 27
MIN_SENTENCE_WORDS = 4  # a tail shorter than this joins the previous chunk of the page


@dataclass
class Chunk:
    id: str
    source: str
    title: str
    page: int | None
    text: str
    position: int  # order within the document
    doc_hash: str
    sentences: list[str]
    section: str = ""  # the heading it stands under, where the document has sections instead of pages

    def sentence_id(self, n: int) -> str:
        return f"{self.id}.s{n}"

    def indexed_sentences(self) -> list[tuple[int, str]]:
        """Sentences worth a vector of their own: fragments ('Laat je zien.') sit near every question."""
        return [(n, s) for n, s in enumerate(self.sentences) if len(words(s)) >= MIN_SENTENCE_WORDS]

    @property
    def heading(self) -> str:
        # The title (and section) tell e5 what the passage is about ('brede portefeuilles' of which document).
        return f"{self.title}. {self.section}" if self.section else self.title

    def sentence_embed_texts(self) -> list[str]:
        return [f"{self.heading}. {sentence}" for _, sentence in self.indexed_sentences()]

    @property
    def embed_text(self) -> str:
        return f"{self.heading}. {self.text}"

    def metadata(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "page": self.page if self.page is not None else -1,  # Chroma metadata cannot hold None
            "position": self.position,
            "doc_hash": self.doc_hash,
            "words": len(words(self.text)),
            "kind": "chunk",
            "sentences": json.dumps(self.sentences, ensure_ascii=False),  # to quote exact sentences
            "section": self.section,
        }

    def sentence_metadata(self, n: int) -> dict:
        meta = {**self.metadata(), "kind": "sentence", "parent": self.id, "n": n, "words": len(words(self.sentences[n]))}
        del meta["sentences"]
        return meta


def _pack(sentences: list[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    size = 0
    for sentence in sentences:
        n = len(words(sentence))
        if groups[-1] and (size + n > MAX_WORDS or size >= TARGET_WORDS):
            groups.append([])
            size = 0
        groups[-1].append(sentence)
        size += n
    if len(groups) > 1 and sum(len(words(s)) for s in groups[-1]) < MIN_WORDS:
        tail = groups.pop()
        groups[-1].extend(tail)
    return [group for group in groups if group]


def _split_long(sentence: str) -> list[str]:
    """A 'sentence' longer than MAX_WORDS (a table, a list without stops) is cut into word windows."""
    tokens = sentence.split(" ")
    if len(tokens) <= MAX_WORDS:
        return [sentence]
    return [" ".join(tokens[i:i + TARGET_WORDS]) for i in range(0, len(tokens), TARGET_WORDS)]


def chunk_document(document: Document) -> list[Chunk]:
    chunks: list[Chunk] = []
    for page in document.pages:
        sentences = [part for sentence in split_sentences(page.text) for part in _split_long(sentence)]
        for group in _pack(sentences):
            text = " ".join(group)
            position = len(chunks)
            digest = hashlib.sha1(f"{document.source}|{document.sha256}|{position}".encode()).hexdigest()[:16]
            chunks.append(Chunk(
                id=digest, source=document.source, title=document.title, page=page.number,
                text=text, position=position, doc_hash=document.sha256, sentences=group, section=page.section,
            ))
    return chunks
