"""Extractive answers (the default): the documents' own sentences that answer the question, each
quoted verbatim and cited, the answering sentence first. Generative answers: see generative.py.

Which sentences answer is the sentence scorer's judgement (scorer.py: fitted on labelled answering
sentences, not hand weights); how they are put together is compose.py's.
"""
from __future__ import annotations

from ..messages import message
from ..retrieval.bm25 import tokenize
from ..retrieval.passage import Passage
from ..retrieval.query import Query
from .compose import Block, Composer
from .kinds import (DATE, DEFINITION, LIST, TIME, asks_for_actor, asks_for_fact, asks_for_views, compares, defined_term,
                    defines, holds, list_size, names_actor, names_size, question_kind, timeline_row)
from .scorer import SentenceScorer
from .sentences import (Sentence, announces_list, describe, is_answer_text, is_list_item, readable_part,
                        without_title)
from .types import Answer, Citation


ACTOR_RANK = 5  # how far down the best sentences one naming who acts may lead a 'who does ...?' question


def _dot(a, b) -> float:
    return float(sum(x * y for x, y in zip(a, b)))


class ExtractiveAnswerer:
    """Scores the sentences of the retrieved passages and composes the answer from the best."""

    def __init__(self, config, store, scorer: SentenceScorer | None = None):
        self.config = config
        self.store = store
        self.scorer = scorer

    def candidates(self, query: Query, passages: list[Passage], term_weights: dict[str, float]) -> list[Sentence]:
        """Every indexed sentence of the passages with its features and score, best first.
        `term_weights`: the BM25 idf of the question's Dutch stems (Support.term_weights)."""
        by_passage = self.store.sentence_vectors([p.id for p in passages])
        asked = set(tokenize(query.dutch_question))
        total_weight = sum(term_weights.values()) or 1.0
        rows = []  # (sentence, sentences in its passage, question similarity, keyword similarity, term weight, overlap)
        for passage in passages:
            stored = by_passage.get(passage.id, [])
            for n, text, vector in stored:
                text = without_title(readable_part(text) or text, passage.title)  # what a reader could be shown
                to_question = _dot(query.vector, vector)
                to_keywords = _dot(query.keyword_vector, vector) if query.keyword_vector else to_question
                stems = set(tokenize(text))
                rows.append((Sentence(passage, n, text, vector, similarity=max(to_question, to_keywords)), len(stored),
                             to_question, to_keywords,
                             sum(w for stem, w in term_weights.items() if stem in stems) / total_weight,
                             len(asked & stems) / len(asked) if asked else 0.0))
        best = max((row[0].similarity for row in rows), default=0.0)
        by_similarity = {row[0].key: r for r, row in enumerate(sorted(rows, key=lambda x: -x[0].similarity), start=1)}
        by_terms = {row[0].key: r for r, row in enumerate(sorted(rows, key=lambda x: -x[4]), start=1)}
        kind = question_kind(query.question)
        hubs = self.scorer.hubness([row[0].vector for row in rows], self.store.model_id) if self.scorer \
            else [0.0] * len(rows)
        for (sentence, count, to_question, to_keywords, weight, overlap), hub in zip(rows, hubs):
            sentence.features = describe(
                sentence, count=count, question_similarity=to_question, keyword_similarity=to_keywords,
                best_similarity=best, term_weight=weight, overlap=overlap, kind=kind, english=query.language == "en",
                similarity_rank=by_similarity[sentence.key], term_rank=by_terms[sentence.key], question=query.question,
                hubness=hub)
            sentence.score = self.scorer.probability(sentence.features) if self.scorer else sentence.similarity
        return sorted((row[0] for row in rows), key=lambda s: -s.score)

    def composer(self, passages: list[Passage], word_budget: int | None = None) -> Composer:
        return Composer(self.store.sentence_texts([p.id for p in passages]),
                        word_budget=word_budget or self.config.answer_words,
                        max_support=self.config.answer_support,
                        nearby=lambda passage_id: self.store.page_and_next([passage_id]).get(passage_id, []))

    def blocks(self, query: Query, passages: list[Passage], ranked: list[Sentence]) -> list[Block]:
        """The answer's parts: for a question asking for a number, a date or a name, the best sentence
        that holds one leads."""
        kind = question_kind(query.question)
        thresholds = self.scorer.thresholds if self.scorer else {}
        # a comparison gets room for both sides ('grote gemeentes ...' and 'Kleine gemeenten ...')
        composer = self.composer(passages, self.config.answer_words * 3 // 2 if compares(query.question) else None)
        if kind == LIST:  # a list question leads with a list that speaks of what was asked: not 'Minder kansrijke
            # jongeren:' for 'Wat zijn de stappen van de MDT-Impactreis?', which the documents do not list
            asked = set(tokenize(query.dutch_question))
            shared = {s.key: len(asked & set(tokenize(s.text))) for s in ranked
                      if announces_list(s.text) or is_list_item(s.text)}
            holding = [s for s in ranked if shared.get(s.key)]
            # A list announced in the question's words comes first, the more of them the sooner ('Wat zijn de
            # pijlers van MDT?': '... de unieke combinatie van drie pijlers:', not an item that mentions them; 'Noem
            # de kenmerken van meer kansrijke jongeren': 'Meer kansrijke jongeren:', not '... gekenmerkt door ...
            # drie pijlers:'), and as that many when a number was asked ('the three pillars').
            holding.sort(key=lambda s: -shared[s.key] if announces_list(s.text) else 0)
            size = list_size(query.question)
            if size:
                holding.sort(key=lambda s: not (announces_list(s.text) and names_size(s.text, size)))
        else:  # a sentence that holds the fact, or says what the asked-about thing is, leads
            holding = [s for s in ranked if holds(kind, s.text, query.question)] if kind else []
            if kind in (DATE, TIME):  # the date of what was asked about ('het budget', 'de beslisdag'), not of
                # another event; a timeline slide's row that speaks of it is quoted as the row it is (a programme's too)
                shown = {s.key: s.text if is_answer_text(s.text) else timeline_row(s.text, query.dutch_question, kind)
                         for s in holding}
                asked = set(tokenize(query.dutch_question))
                holding = sorted((s for s in holding if shown[s.key]),
                                 key=lambda s: -len(asked & set(tokenize(shown[s.key]))))
                if holding and not is_answer_text(holding[0].text):
                    return [Block([holding[0]], is_list=True, texts=[shown[holding[0].key]], continued=True)]
            if kind == DEFINITION:  # an officer's 'MDT is een krachtig instrument ...' is a view, not what it is
                holding = [s for s in holding if not composer.in_quotation(s)]
                holding.sort(key=lambda s: not defines(s.text, query.question))
            if kind is None and asks_for_actor(query.question):  # 'Wie betaalt ...?': of the best few, one naming
                best = [s for s in ranked if is_answer_text(s.text)][:ACTOR_RANK]  # who acts leads
                holding = [s for s in best if names_actor(s.text)]
        lead = ranked[0].score if ranked else 0.0
        supports = None
        if asks_for_fact(kind):  # a question for a number, a date or a name: what adds to it gives one too
            supports = lambda s: holds(kind, s.text, query.question)  # noqa: E731
        elif kind == DEFINITION:  # 'Wat is een impactverhaal?': what adds to it speaks of the impactverhaal
            term = defined_term(query.question)
            supports = lambda s: term in s.text.lower()  # noqa: E731
        blocks = composer.compose(ranked, lead_first=holding, list_wanted=kind == LIST,
                                  support_min=lead * thresholds.get("support_ratio", 0.0),
                                  quotation_leads=asks_for_views(query.question), supports=supports)
        if asks_for_fact(kind) and blocks:
            first = _with_fact_items(composer, blocks[0], lambda text: holds(kind, text, query.question))
            blocks = [first] + [b for b in blocks[1:] if not b.keys & first.keys]
        return blocks

    def answer(self, query: Query, passages: list[Passage], ranked: list[Sentence]) -> Answer:
        """The answer from the scored sentences (`candidates`), once abstention.decide has found that the
        documents hold one."""
        blocks = self.blocks(query, passages, ranked)
        citations: list[Citation] = []
        numbers: dict[str, int] = {}
        parts = []
        for block in blocks:
            passage = block.passage
            if passage.id not in numbers:
                numbers[passage.id] = len(citations) + 1
                citations.append(Citation(n=numbers[passage.id], source=passage.source, title=passage.title,
                                          page=passage.page, quote="", section=passage.section))
            parts.append(f"{block.render()} [{numbers[passage.id]}]")
        for citation in citations:  # the quote: what the answer quotes of that passage, verbatim
            quoted = [b.quote() for b in blocks if numbers[b.passage.id] == citation.n]
            citation.quote = " … ".join(quoted)
        text = _join(parts)
        if query.language == "en" and citations:
            first = citations[0]
            where = message("english_where_page", "en", title=first.title, page=first.page) if first.page \
                else message("english_where", "en", title=first.title)
            text = f"{where}\n\n{text}"
        return Answer(question=query.question, answer=text, mode="extractive", abstained=False, citations=citations,
                      passages=passages, language=query.language, search_query=query.text)


def _with_fact_items(composer: Composer, block: Block, gives_fact) -> Block:
    """A lead that is a slide's item, with the items beside it that give such a fact too: 'Hoe lang is het
    prooflabel geldig?' got '• Na 1.5 jaar tussentijdse toetsing' alone, read as the validity; the item
    before it, '• MDT-prooflabel 3 jaar', has too few words to be a candidate of its own."""
    lead = block.sentences[0]
    if block.is_list or len(block.sentences) > 1 or not is_list_item(lead.text):
        return block
    texts = composer.passage_texts.get(lead.passage.id, {})

    def beside(n: int) -> bool:
        return abs(n - lead.n) <= 2 and is_list_item(texts.get(n, "")) and gives_fact(texts[n])

    first = last = lead.n
    while beside(first - 1):
        first -= 1
    while beside(last + 1):
        last += 1
    if first == last:
        return block
    sentences = [lead if n == lead.n else Sentence(lead.passage, n, texts[n], [], score=lead.score)
                 for n in range(first, last + 1)]
    return Block(sentences, texts=[block.texts[0] if n == lead.n else texts[n] for n in range(first, last + 1)])


def _join(parts: list[str]) -> str:
    """Sentences run on; a list stands on lines of its own, and so does a list item quoted alone ('• De RSV’s
    zijn open samenwerkingsverbanden. [1]'): run on, its mark read as a stray bullet mid-paragraph."""
    text, before = "", ""
    for part in parts:
        if not text:
            separator = ""
        elif is_list_item(part) and is_list_item(before):
            separator = "\n"
        elif "\n" in part or "\n" in text.rsplit("\n\n", 1)[-1] or is_list_item(part) or is_list_item(before):
            separator = "\n\n"
        else:
            separator = " "
        text += separator + part
        before = part
    return text
