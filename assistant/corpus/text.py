"""Text cleaning shared by reading, chunking and answering.

e5 vectors shift with stray whitespace, so every text is normalised the same way before it is
embedded or compared.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

_SOFT_HYPHEN = "\u00ad"
# 'kun-\nnen' -> 'kunnen': a lowercase letter, a hyphen at line end, a lowercase continuation.
_LINE_END_HYPHEN = re.compile(r"(?<=[a-zà-ÿ])-[ \t]*\n[ \t]*(?=[a-zà-ÿ])")
# 'MDT\n-projecten' -> 'MDT-projecten': a hyphen that the line break pushed to the next line.
_LEADING_HYPHEN = re.compile(r"(?<=\w)[ \t]*\n[ \t]*-(?=[a-zà-ÿ])")
# 'MDT-\nproject' keeps its hyphen but loses the break.
_KEPT_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n[ \t]*(?=\w)")
_WHITESPACE = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(r"^\s*(pagina\s*|page\s*|p\.\s*)?\d{1,4}(\s*(/|van|of)\s*\d{1,4})?\s*$", re.I)


def normalise(text: str) -> str:
    """One canonical form: NFC, no soft hyphens or control characters, single spaces, stripped."""
    text = unicodedata.normalize("NFC", text).replace(_SOFT_HYPHEN, "")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return _WHITESPACE.sub(" ", text).strip()


def join_hyphenated(text: str) -> str:
    """Undo line-end hyphenation while keeping real compounds such as 'MDT-projecten'."""
    text = _LINE_END_HYPHEN.sub("", text)
    text = _LEADING_HYPHEN.sub("-", text)
    return _KEPT_HYPHEN.sub("-", text)


def clean_page(text: str) -> str:
    return normalise(join_hyphenated(text))


def furniture_lines(pages: list[str], min_share: float = 0.5) -> set[str]:
    """Lines that repeat on most pages (running headers, footers, logos) or are bare page numbers."""
    if len(pages) < 3:
        return set()
    counts = Counter()
    for page in pages:
        counts.update({normalise(line) for line in page.splitlines() if normalise(line)})
    repeated = {line for line, n in counts.items() if n >= max(3, min_share * len(pages)) and len(line) < 120}
    return repeated


def strip_furniture(page: str, furniture: set[str]) -> str:
    kept = [
        line for line in page.splitlines()
        if normalise(line) not in furniture and not _PAGE_NUMBER.match(line)
    ]
    return "\n".join(kept)


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {"bijv", "bv", "o.a", "m.b.t", "i.p.v", "e.d", "etc", "d.w.z", "z.s.m", "incl", "excl",
                  "nr", "ca", "mr", "dr", "drs", "ir", "prof", "e.g", "i.e", "vs", "t.a.v", "o.b.v", "dhr", "mevr"}
# The break is the whitespace after an end mark (and its closing quote), or before a bullet.
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(\s+)(?=[\"“‘(\[]?[A-ZÀ-Ý0-9•–-])|(\s+)(?=[•▪●◦]\s)")


_LIST_NUMBER = re.compile(r"^(\d{1,2}(\.\d{1,2})*\.?|[a-z]\))$")


# An ALL-CAPS heading run into the sentence after it: '... VAN JOUW PROJECT Stuur een mail'.
_HEADING_END = re.compile(r"(\b[A-ZÀ-Ý]{2,}(?:[ –-]+[A-ZÀ-Ý]{2,}){2,}) (?=[\"“‘]?[A-ZÀ-Ý][a-zà-ÿ])")


def split_sentences(text: str) -> list[str]:
    """Split normalised text into sentences; bullets and ALL-CAPS headings stand on their own."""
    parts: list[str] = []
    for piece in _HEADING_END.sub("\\1\x00", text).split("\x00"):
        if piece.strip():
            parts.extend(_split_plain(piece.strip()))
    return parts


def _split_plain(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        gap = 1 if match.group(1) is not None else 2
        candidate = text[start:match.start(gap)].strip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        if _LIST_NUMBER.match(candidate):
            continue  # '8.' numbers the item that follows
        if candidate:
            parts.append(candidate)
        start = match.end(gap)
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


MAX_QUESTION_CHARS = 2000
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def check_question(text: str) -> str:
    """The question as searched: normalised, or ValueError with a plain message.

    Refused: an empty question, one without a single letter or digit (only emoji or punctuation:
    there is nothing to search for) and one over MAX_QUESTION_CHARS characters (embedding a
    100,000-character text takes minutes; a question that long is a document, not a question).
    """
    if not isinstance(text, str):
        raise ValueError("the question must be text")
    # Lone surrogates (undecodable bytes from a terminal) cannot be printed or stored, and terminal
    # colour codes are not words: both go.
    text = _ANSI_ESCAPE.sub(" ", "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff"))
    question = normalise(text)
    if not question:
        raise ValueError("the question is empty; type a question")
    if len(question) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is too long ({len(question):,} characters; the limit is "
                         f"{MAX_QUESTION_CHARS:,}); ask it in fewer words")
    if not any(ch.isalnum() for ch in question):
        raise ValueError("the question has no words in it; type a question in words")
    return question
