"""Generative answers: a language model writes from the numbered passages; its citations are checked.

The passages are fenced in the prompt and declared to be material, not instructions. While the
answer streams, a citation marker is held back until it is complete and dropped when it names a
passage that was not given; an answer left with no valid citation counts as unsupported.
"""
from __future__ import annotations

import re

from ..corpus.text import normalise, split_sentences
from ..errors import LLMUnavailable
from ..llm import describe_llm_error
from ..messages import message
from ..retrieval.bm25 import tokenize
from ..retrieval.passage import Passage
from ..retrieval.query import Query
from ..templates import render
from .sentences import is_answer_text
from .types import Answer, Citation

LANGUAGE_NAMES = {"nl": "Dutch (Nederlands)", "en": "English"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_PARTIAL = re.compile(r"\[\d{0,3}$")


class CitationFilter:
    """Streams text on, holding back an unfinished '[12' and dropping markers outside 1..n."""

    def __init__(self, valid: set[int]):
        self.valid = valid
        self._pending = ""

    def _clean(self, text: str) -> str:
        return _MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in self.valid else "", text)

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        partial = _PARTIAL.search(text)
        self._pending = partial.group(0) if partial else ""
        return self._clean(text[:partial.start()] if partial else text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._clean(text)


# '<passage' or '</passage' in any case or spacing: text inside a fence must not open or close one,
# so its '<' becomes '‹' (a model still reads the words, but no tag).
_FENCE_TAG = re.compile(r"<(\s*/?\s*passage)", re.I)


def _defuse(text: str) -> str:
    return _FENCE_TAG.sub(lambda m: f"‹{m.group(1)}", text)


def fence(passages: list[Passage]) -> str:
    blocks = []
    for number, passage in enumerate(passages, start=1):
        # A passage cannot close its own fence, nor a title (document metadata) its attribute.
        text = _defuse(passage.text)
        title = _defuse(passage.title).replace('"', "'")
        blocks.append(render("passage", n=number, title=title, page=passage.page or "-", text=text))
    return "\n".join(blocks)


def _quote_for(passage: Passage, claims: list[str]) -> str:
    """The sentence of the passage that shares most words with the answer sentences citing it."""
    claimed = set(tokenize(" ".join(claims)))
    sentences = split_sentences(passage.text) or [passage.text]
    return max(sentences, key=lambda s: len(claimed & set(tokenize(s))))


class GenerativeAnswerer:
    def __init__(self, config, llm):
        self.config = config
        self.llm = llm

    def _messages(self, question: str, language: str, passages: list[Passage], key_sentences: str = "-"):
        from llama_index.core.llms import ChatMessage

        values = dict(language=LANGUAGE_NAMES[language], abstain_text=message("abstain", language),
                      passages=fence(passages), question=question, key_sentences=key_sentences)
        return [ChatMessage(role="system", content=render("answer.system", **values)),
                ChatMessage(role="user", content=render("answer.user", **values))]

    def stream(self, question: str, language: str, passages: list[Passage], on_token=None,
               key_sentences: str = "-") -> str:
        citation_filter = CitationFilter(set(range(1, len(passages) + 1)))
        parts: list[str] = []
        try:
            for chunk in self.llm.stream_chat(self._messages(question, language, passages, key_sentences)):
                text = citation_filter.feed(chunk.delta or "")
                if text:
                    parts.append(text)
                    if on_token is not None:
                        on_token(text)
        except Exception as error:  # connection refused, timeout, HTTP error: all mean 'no model now'
            raise LLMUnavailable(describe_llm_error(error)) from None
        tail = citation_filter.flush()
        if tail:
            parts.append(tail)
            if on_token is not None:
                on_token(tail)
        return "".join(parts)

    def answer(self, query: Query, passages: list[Passage], ranked: list, on_token=None) -> Answer | None:
        """The model's answer, or None when it cited no passage (the caller falls back). The model reads
        the top_k passages in the order of their best sentence (the sentence scorer's, as for extractive
        answers), and those best sentences named first."""
        question, language, search_query = query.question, query.language, query.text
        passages, key_sentences = self._material(passages, ranked)
        # A dropped marker can leave 'ook .': close the gap before punctuation.
        text = re.sub(r"\s+([.,;:!?])", r"\1", normalise(self.stream(question, language, passages, on_token, key_sentences)))
        cited = sorted({int(n) for n in _MARKER.findall(text)})
        if message("abstain", language) in text and not cited:
            return Answer(question=question, answer=message("abstain", language), mode="generative", abstained=True,
                          passages=passages, language=language, search_query=search_query)
        if not cited:
            return None
        claims: dict[int, list[str]] = {n: [] for n in cited}
        for sentence in split_sentences(text):
            for n in {int(m) for m in _MARKER.findall(sentence)}:
                claims[n].append(_MARKER.sub("", sentence))
        citations = [
            Citation(n=n, source=passages[n - 1].source, title=passages[n - 1].title, page=passages[n - 1].page,
                     quote=_quote_for(passages[n - 1], claims[n] or [text]), section=passages[n - 1].section)
            for n in cited
        ]
        return Answer(question=question, answer=text, mode="generative", abstained=False, citations=citations,
                      passages=passages, language=language, search_query=search_query)

    def _material(self, passages: list[Passage], ranked: list) -> tuple[list[Passage], str]:
        order = list(dict.fromkeys([s.passage.id for s in ranked] + [p.id for p in passages]))
        by_id = {p.id: p for p in passages}
        chosen = [by_id[pid] for pid in order if pid in by_id][:self.config.top_k]
        number = {p.id: n for n, p in enumerate(chosen, start=1)}
        best = [s for s in ranked if s.passage.id in number and is_answer_text(s.text)][:4]
        lines = [f"[{number[s.passage.id]}] {_defuse(s.text)}" for s in best]
        return chosen, "\n".join(lines) or "-"

    def condense(self, history: str, question: str) -> str:
        from llama_index.core.llms import ChatMessage

        try:
            reply = self.llm.chat([ChatMessage(role="user", content=render("condense", history=history, question=question))])
        except Exception as error:
            raise LLMUnavailable(describe_llm_error(error)) from None
        rewritten = normalise(reply.message.content or "").split("\n")[0]
        return rewritten if 3 <= len(rewritten) <= 500 else question
