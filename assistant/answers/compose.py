"""Composing an extractive answer like an answer: the best sentence first, then at most a few that
add to it, whole sentences only, a list whole under its announcing line, each part cited.

Every quote is verbatim page text. A sentence that points back carries the sentence it points to;
a sentence cut short by the PDF's columns ('... sleutelwoord. vanuit een aanbod') is quoted up to
where it stops being whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..corpus.text import words
from ..retrieval.bm25 import tokenize
from .sentences import (LIST_MARK, Sentence, announces_list, asks, gives_advice, head_in_item, is_answer_text, is_fragment,
                        is_heading, is_list_item, item_text, points_back, readable_part, refers_back, shown_elsewhere,
                        whole)

# A sentence about a question of the documents, not an answer to it: 'De centrale vraag is: Hoe ...? In deze
# factsheet lees je hoe je hiermee om kunt gaan', '... wat kan MDT hier betekenen? Deze vraag stond centraal ...'
# ('Spreek je een wethouder? Zorg dan dat ...' answers its question and is quoted with it).
_ABOUT_THE_QUESTION = re.compile(r"\b(deze|die|de centrale|de hoofd)\s?vraag\b|\bin deze (factsheet|leidraad|handreiking|"
                                 r"notitie|publicatie|hulpmiddel)\b", re.I)
# A list announced without a colon: 'daarom bieden we in ieder geval onderstaande ondersteuning.'
_ANNOUNCES_BELOW = re.compile(r"\b(onderstaande|hieronder|de volgende|the following|below)\b", re.I)
# A slide's heading run into the item before the items it heads: '• Onboarding en HR-pakket regiofacilitator
# Ondersteuning werk regiofacilitators en RSV's', '• Jaarlijkse evaluatie, begeleiding bij conflicten Kennis en
# ondersteuning' (two words or more, in lower case after the first but for acronyms: 'Platform MDT', 'Den Haag',
# 'Utrecht en Zeist' are names).
_RUN_IN_HEADING = re.compile(r"(?<=[a-zà-ÿ,])\s+(?=[A-ZÀ-Ý][a-zà-ÿ]+\s+[a-zà-ÿ][\w’'&/-]*"
                             r"(?:\s+(?:[a-zà-ÿ][\w’'&/-]*|[A-Z]{2,}(?:[’']s)?)){0,6}$)")
MAX_LIST_ITEMS = 12
# A sentence that speaks of a set ('Een aantal uitgangspunten keren terug ...') with a line this short after it,
# announcing a list ('Hieronder vallen onder andere:'), names the set the list gives. Not 'Jullie hebben in kaart
# gebracht ...' + 'Bespreek nu met elkaar:', a new step's list.
_A_SET = re.compile(r"\b(een aantal|enkele|verschillende|meerdere|diverse|a number of|several|various)\b", re.I)
_SHORT_HEAD = 8


@dataclass
class Block:
    """Consecutive sentences of one passage quoted together (a lead with its antecedent, a list)."""

    sentences: list[Sentence]
    is_list: bool = False
    texts: list[str] = field(default_factory=list)  # what is quoted of each sentence
    skipped: list[Sentence] = field(default_factory=list)  # within the block, not quoted (a list item's explanation)
    continued: bool = False  # a list's items on the next page (its head is in the block before)
    heads: int = 1  # a list's texts before its items: its announcing line, after the lead it continues

    @property
    def passage(self):
        return self.sentences[0].passage

    @property
    def words(self) -> int:
        return sum(len(words(t)) for t in self.texts)

    @property
    def keys(self) -> set[tuple[str, int]]:
        return {s.key for s in self.sentences + self.skipped}

    def quote(self) -> str:
        """What the block quotes, verbatim: the marks added to part of a quotation left off, and ' … ' where
        the block leaves sentences out (a list item's explanations) or goes on in another chunk of the page."""
        quoted, before, whole_before = "", None, False
        for sentence, text in zip(self.sentences, self.texts):
            text = text[1:] if text.startswith("“") and "“" not in sentence.text else text
            text = text[:-1] if text.endswith("”") and "”" not in sentence.text else text
            follows = before is not None and (before.passage.id, before.n + 1) == (sentence.passage.id, sentence.n)
            follows = follows and whole_before and sentence.text.startswith(text)  # nothing left out between
            quoted += (text if before is None else (" " if follows else " … ") + text)
            before, whole_before = sentence, sentence.text.rstrip().endswith(text)
        return quoted

    def by_page(self) -> list["Block"]:
        """A list going on over the page as one block per page, each cited with its own page."""
        pages, texts = [[self.sentences[0]]], [[self.texts[0]]]
        for sentence, text in zip(self.sentences[1:], self.texts[1:]):
            if sentence.passage.page != pages[-1][-1].passage.page:
                pages.append([])
                texts.append([])
            pages[-1].append(sentence)
            texts[-1].append(text)
        return [Block(p, is_list=self.is_list, texts=t, skipped=self.skipped if not n else [], continued=n > 0,
                      heads=self.heads) for n, (p, t) in enumerate(zip(pages, texts))]

    def render(self) -> str:
        if self.continued:  # the items of a list on the next page, under the ones before
            return "\n".join(f"- {LIST_MARK.sub('', item)}" for item in self.texts)
        if not self.is_list:
            return " ".join(self.texts)
        head, items = " ".join(self.texts[:self.heads]), self.texts[self.heads:]
        return head + "\n" + "\n".join(f"- {LIST_MARK.sub('', item)}" for item in items)


def same_words(a: str, b: str) -> bool:
    """Near-duplicates by their words: sentence vectors carry the document title, so all sentences
    of one document are close in e5 space whatever they say."""
    x, y = set(tokenize(a)), set(tokenize(b))
    return bool(x and y) and len(x & y) / len(x | y) > 0.6


class Composer:
    """Builds the blocks of an answer from the scored sentences (best first) and the passages' texts
    (every stored sentence by number, short ones included)."""

    def __init__(self, passage_texts: dict[str, dict[int, str]], word_budget: int = 60, max_support: int = 2,
                 nearby: Callable[[str], list[tuple[str, int, dict[int, str]]]] | None = None):
        """`nearby(passage id)`: the chunks of the passage's page and the next in reading order, (id, page,
        sentences) (IndexStore.page_and_next), read only for a list that goes on beyond its passage."""
        self.passage_texts = dict(passage_texts)
        self.nearby = nearby or (lambda passage_id: [])
        self.near: dict[str, list[tuple[str, int, dict[int, str]]]] = {}
        self.word_budget = word_budget
        self.max_support = max_support

    def _nearby(self, passage_id: str) -> list[tuple[str, int, dict[int, str]]]:
        if passage_id not in self.near:
            chunks = self.nearby(passage_id) or []
            self.near.update({cid: chunks for cid, _, _ in chunks} | {passage_id: chunks})
        return self.near[passage_id]

    def _sentence(self, like: Sentence, n: int) -> Sentence | None:
        text = self.passage_texts.get(like.passage.id, {}).get(n)
        return None if text is None else Sentence(like.passage, n, text, [], score=like.score)

    def in_quotation(self, sentence: Sentence) -> bool:
        """The sentence lies inside a quotation ('— Coördinator buurtsportcoach “Het is iets anders ... MDT is een
        krachtig instrument ... kunnen gaan.”'): someone's words, not the document's. Inside: the last mark
        before it in its passage opens a quotation, or the first from its start on closes one (the passage
        may start within a quotation that opened on the page before)."""
        texts = self.passage_texts.get(sentence.passage.id, {})
        before = [m for n in sorted(k for k in texts if k < sentence.n) for m in re.findall("[“”]", texts[n])]
        after = [m for n in sorted(k for k in texts if k >= sentence.n) for m in re.findall("[“”]", texts[n])]
        return (before[-1:] == ["“"]) or (after[:1] == ["”"])

    def block(self, sentence: Sentence, list_wanted: bool = False, lead: bool = True) -> Block | None:
        """The block a sentence is quoted in, or None when it cannot stand in an answer. Added to a lead
        (`lead` False), a sentence pointing back from inside stands right after its antecedent instead."""
        if is_list_item(sentence.text) and list_wanted:
            head = self._list_head(sentence)
            if head is not None:
                return self._list(head)
        if announces_list(sentence.text) or _ANNOUNCES_BELOW.search(sentence.text):
            listed = self._list(sentence)
            if listed is not None and len(listed.sentences) > 1:
                return listed
            if announces_list(sentence.text):
                return None  # a list's announcing line without its items answers nothing
        text = whole(sentence.text)
        if not text or not is_answer_text(text) or asks(text) or shown_elsewhere(text):
            return None  # a question in the documents is quoted only before the sentence that answers it
        if "“" not in text and "”" not in text and self.in_quotation(sentence):
            text = f"“{text}”"  # the middle of someone's quotation is shown as a quotation
        chain, texts = [sentence], [text]
        # 'Er zijn MDT-projecten ... die hierin een rol kunnen spelen': pointing back from inside, it needs its antecedent too
        inside = lead and not points_back(text) and refers_back(text) and not is_list_item(text)
        while points_back(texts[0]) or (inside and len(chain) == 1):
            before = self._sentence(sentence, chain[0].n - 1)
            antecedent = whole(before.text) if before is not None else ""
            if inside and asks(antecedent):
                return None
            # Quoted only with the sentence it points to, and only when that one runs straight into it.
            if (not antecedent or len(chain) > 2 or not before.text.endswith(antecedent)
                    or not is_answer_text(antecedent) or announces_list(antecedent)
                    or (asks(antecedent) and _ABOUT_THE_QUESTION.search(texts[0]))):
                return None
            chain.insert(0, before)
            texts.insert(0, antecedent)
        return Block(chain, texts=texts)

    def _continued(self, block: Block, with_list: bool = False) -> Block:
        """A lead followed by the sentence that draws its conclusion ('Kleine gemeenten hebben ...
        portefeuilles.' + 'Bij hen is het daarom goed ...') carries that sentence too; `with_list`, a lead that
        speaks of a set carries the list a short line after it announces ('Een aantal uitgangspunten keren terug
        in meerdere thema's.' + 'Hieronder vallen onder andere:' + its items), whole."""
        if block.is_list:
            return block
        quotation = self._rest_of_quotation(block)
        if quotation is not None:
            return quotation
        last = block.sentences[-1]
        after = self._sentence(last, last.n + 1)
        if with_list and after is not None and _A_SET.search(block.texts[-1]) and announces_list(after.text) \
                and len(words(after.text)) <= _SHORT_HEAD:
            listed = self._list(after)
            if listed is not None and len(listed.sentences) > 1:
                return Block(block.sentences + listed.sentences, is_list=True, texts=block.texts + listed.texts,
                             skipped=listed.skipped, heads=len(block.texts) + 1)
        if after is None or not points_back(after.text) or whole(after.text) != after.text:
            return block
        if not is_answer_text(after.text) or announces_list(after.text):
            return block
        return Block(block.sentences + [after], texts=block.texts + [after.text])

    def _rest_of_quotation(self, block: Block) -> Block | None:
        """A block that opens a quotation ('“Er is weinig geld voor preventie in onze gemeente ...') carries
        the rest of it when one or two whole sentences close it ('MDT geeft ons de mogelijkheid toch
        preventief te werken.”'): an officer's words are quoted whole, their point included."""
        last = block.sentences[-1]
        if not last.text.startswith("“") or "”" in last.text:
            return None
        rest = []
        for n in (last.n + 1, last.n + 2):
            after = self._sentence(last, n)
            text = readable_part(after.text) if after is not None else ""
            if not text or "“" in text or not is_answer_text(text.rstrip("”")):
                return None
            rest.append((after, text))
            if text.endswith("”"):
                texts = block.texts[:-1] + [block.texts[-1].removesuffix("”")] + [t for _, t in rest]
                return Block(block.sentences + [a for a, _ in rest], texts=texts)
        return None

    def _list_head(self, item: Sentence) -> Sentence | None:
        n = item.n - 1
        while n >= 0 and n >= item.n - MAX_LIST_ITEMS:
            before = self._sentence(item, n)
            if before is None:
                return None
            if announces_list(before.text):
                return before
            if not is_list_item(before.text):
                return None
            n -= 1
        return None

    def _list(self, head: Sentence) -> Block | None:
        head_text = head.text if not is_fragment(head.text) or head.text.endswith(":") else ""
        if is_list_item(head_text):  # '• Jongeren met een tussenjaar Minder kansrijke jongeren:': the last item of
            head_text = head_in_item(head_text)  # one list run into the line announcing the next
        if not head_text or is_heading(head_text):
            return None
        items, texts, skipped = self._items(head, head, head.n + 1)
        if not items and head.n == max(self.passage_texts.get(head.passage.id, {head.n: ""})):
            items, texts, skipped = self._items_elsewhere_on_page(head)
        return Block([head, *items], is_list=True, texts=[head_text, *texts], skipped=skipped)

    def _items(self, head: Sentence, first: Sentence, n: int, title: str = "") -> tuple[list, list[str], list]:
        """The items of `head`'s list from sentence `n` of `first`'s passage on, and the sentences that explain an
        item ('• Vanuit thema's ... niveau.' 'MDT landelijk kan dat faciliteren ...' '• In dezelfde lijn ...'):
        the list is shown whole as its items; the explanations stay in the passage, one click away. `title`:
        the title over the items, which a slide repeats when its list goes on over the page."""
        items, texts, skipped, between = [], [], [], []
        while len(items) < MAX_LIST_ITEMS:
            sentence = self._sentence(first, n)
            if sentence is not None and self._ends_before_head(sentence, head):
                sentence = None
            if sentence is None:  # the list may go on in the next chunk
                first, n = self._next_chunk(first, head, title)
                if first is None or not items:
                    break
                continue
            n += 1
            if not is_list_item(sentence.text):
                # Up to three sentences explain an item; before the first, only a slide's loose text may stand.
                if len(between) == (3 if items else 1) or announces_list(sentence.text) \
                        or not (items or is_fragment(sentence.text)):
                    break
                between.append(sentence)
                continue
            items.append(sentence)
            text = item_text(sentence.text)
            skipped += between
            between = []
            if text != sentence.text:
                texts.append(text)
                break  # the list ended in this item: the text run into it starts the next paragraph
            texts.append(_RUN_IN_HEADING.split(text, maxsplit=1)[0])  # the list goes on under that heading
        return items, texts, skipped

    def _items_elsewhere_on_page(self, head: Sentence) -> tuple[list, list[str], list]:
        """A list announced at the end of its passage ('Een aantal top ideeën die bij het thema (financiële)
        positie versterken naar boven kwamen:') whose items the PDF put in another column of the page: the
        page's chunk that opens with them, under a title sharing a word with the announcing line."""
        for other, page, texts in self._nearby(head.passage.id):
            if other == head.passage.id or page != head.passage.page:
                continue
            start = 1 if texts and is_fragment(texts[0]) and not is_list_item(texts[0]) else 0
            if not is_list_item(texts.get(start, "")):
                continue
            if start and not set(tokenize(texts[0])) & set(tokenize(head.text)):
                continue
            return self._items(head, self._elsewhere(head, other, page, texts, start), start, texts[0] if start else "")
        return [], [], []

    def _ends_before_head(self, sentence: Sentence, head: Sentence) -> bool:
        """In the head's own chunk, before the head, where the list's items there end: the rest ('De hoofdvraag
        binnen dit thema was: ...? En hoe kan je dit doen?') introduces the head, not the list."""
        if sentence.passage.id != head.passage.id or sentence.n > head.n:
            return False
        texts = self.passage_texts.get(head.passage.id, {})
        return sentence.n == head.n or not (is_list_item(sentence.text)
                                            or any(is_list_item(texts.get(k, "")) for k in range(sentence.n, head.n)))

    def _next_chunk(self, like: Sentence, head: Sentence, title: str) -> tuple[Sentence | None, int]:
        """Where a list goes on after `like`'s chunk: the next chunk of the page, or, over the page, the next
        page's first chunk when it opens with an item; a chunk that opens with a title only when the title is
        the list's own, repeated (a slide's list going on over the page)."""
        chunks = self._nearby(like.passage.id)
        at = next((i for i, (cid, _, _) in enumerate(chunks) if cid == like.passage.id), len(chunks))
        for other, page, texts in chunks[at + 1:]:
            if not texts:
                continue
            opening = texts[0]
            if is_fragment(opening) and not is_list_item(opening):  # a title: the list goes on only under its own
                if title and opening.strip().lower() == title.strip().lower() and 1 in texts:
                    return self._elsewhere(like, other, page, texts, 1), 1
                break
            if page == head.passage.page or is_list_item(opening):
                return self._elsewhere(like, other, page, texts, 0), 0
            break
        return None, 0

    def _elsewhere(self, like: Sentence, chunk_id: str, page: int, texts: dict[int, str], n: int) -> Sentence:
        """Sentence `n` of another chunk near `like`'s, on `page`."""
        self.passage_texts[chunk_id] = texts
        return Sentence(replace(like.passage, id=chunk_id, page=page), n, texts[n], [], score=like.score)

    def compose(self, ranked: list[Sentence], lead_first: list[Sentence] | None = None,
                list_wanted: bool = False, support_min: float = 0.0, quotation_leads: bool = True,
                supports: Callable[[Sentence], bool] | None = None) -> list[Block]:
        """The lead block (the best sentence of `lead_first`, else of `ranked`) and up to `max_support`
        blocks that add to it within the word budget. Unless `quotation_leads`, the documents' own statement
        leads before someone's quotation. `supports`: which sentences may add to the lead (all when None)."""
        lead = None
        if list_wanted:  # a list question is answered by a list, whole, and nothing else
            for sentence in lead_first or []:
                lead = self.block(sentence, list_wanted)
                if lead is not None and lead.is_list:
                    return lead.by_page()
        for sentence in (lead_first or []) + ranked:
            lead = self.block(sentence, list_wanted)
            if lead is not None:
                break
        if lead is None:
            return []
        lead = self._continued(lead, with_list=True)
        blocks = [lead]
        taken = set(lead.keys)
        for sentence in ranked:
            if len(blocks) > self.max_support or sentence.score < support_min:
                break
            if sentence.key in taken or (supports is not None and not supports(sentence)):
                continue
            if self.in_quotation(sentence) and not readable_part(sentence.text).startswith("“"):
                continue  # the rest of someone's quotation adds nothing without its start ('Het is iets anders ...')
            if refers_back(sentence.text) and (sentence.passage.id, sentence.n - 1) not in taken:
                continue  # '... is hierbij het meest waardevol': what 'hierbij' is, is in the sentence before
            block = self.block(sentence, list_wanted, lead=False)
            if block is None or block.keys & taken or (block.is_list and not list_wanted):
                continue  # a list adds to an answer that is no list only by ending it in a slide's agenda
            block = self._continued(block)
            if block.keys & taken:
                continue
            if any(same_words(a, b) for a in block.texts for other in blocks for b in other.texts):
                continue
            if sum(b.words for b in blocks) + block.words > self.word_budget:
                continue
            blocks.append(block)
            taken |= block.keys
        # An officer's words illustrate; the documents' own sentence (scored near enough to be shown at all)
        # answers first ('Vanwege de preventieve werking ...' before '“Er is weinig geld voor preventie ...”').
        # A practitioner's advice is advice: '“Zie de contactpersoon ... als een sparringpartner.' leads.
        own = next((b for b in blocks[1:] if not _quotation(b)), None) \
            if _quotation(lead) and not gives_advice(lead.texts[0]) else None
        if own is not None and not quotation_leads:
            blocks.remove(own)
            blocks.insert(0, own)
            lead = own
        # The lead stays first; what adds to it follows in the documents' own order.
        support = sorted(blocks[1:], key=lambda b: (_first_seen(blocks, b.passage.id), b.sentences[0].n))
        return [part for block in (lead, *support) for part in block.by_page()]


def _first_seen(blocks: list[Block], passage_id: str) -> int:
    return next(i for i, b in enumerate(blocks) if b.passage.id == passage_id)


def _quotation(block: Block) -> bool:
    return not block.is_list and block.texts[0].startswith("“")
