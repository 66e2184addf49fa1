"""The candidate sentences of an answer, their shape, and the features the sentence scorer reads.

A sentence's shape decides what it may be in an answer: a heading, a diagram label or a fragment is
never answer text; a sentence that points back ('Bij hen is het daarom goed ...') comes with the one
it points to; a line that announces a list ('Bespreek nu met elkaar:') comes with its items.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..corpus.text import words
from ..retrieval.passage import Passage
from .kinds import LIST, asks_for_fact, holds, is_timeline

# A sentence that starts by pointing back to the one before it: 'Bij hen is het daarom goed ...',
# 'Dit maakt dat ...', 'Zorg dan dat ...', 'They ...'.
_POINTS_BACK = re.compile(r"^[“\"‘']?((bij|voor|met|door|in|op|van|aan|naast|zonder|na)\s+)?(hen|hun|ze|zij|dit|dat|deze|die|"
                          r"daarom|dus|zodoende|aldus|daardoor|hierdoor|daarmee|hiermee|zo|daarbij|hierbij|bovendien|ook|this|these|"
                          r"they|them|therefore|that|those|daar|hier)\b|\beerdergenoemde\b|^\S+\s+dan\b|^[“\"‘']?het gaat (hier )?(over|om)\b", re.I)
# A word inside a sentence that points to the one before it ('Inzicht in de impact ... is hierbij het meest waardevol').
_REFERS_BACK = re.compile(r"\b(hierbij|daarbij|hiermee|daarmee|hierin|daarin|hiervoor|daarvoor|hierdoor|daardoor|"
                          r"hiervan|daarvan|bovengenoemde?)\b", re.I)
# A sentence about a table or figure the answer cannot show ('In de onderstaande tabel is weergegeven ...').
_SHOWN_ELSEWHERE = re.compile(r"\b((onder|boven)staande|volgende) (tabel|figuur|grafiek|afbeelding|schema|illustratie)|"
                              r"\b(tabel|figuur|grafiek|afbeelding) (hieronder|hierboven)|\bzie (figuur|tabel|bijlage)\b|"
                              r"\b(table|figure|chart) (below|above)|\bsee (figure|table)\b", re.I)
# Text from a numbered diagram: 'Begrijp de context van de gemeente 8.', '6. KIJK WIE ... 7.'
_DIAGRAM_LABEL = re.compile(r"^(?:\S+\s+){0,8}\S+\s+\d{1,2}\.?$|\s\d{1,2}\.$")
LIST_MARK = re.compile(r"^([•▪●◦–-]|\d{1,2}[.)]|[a-z][.)])\s+")  # '• ', '3. ', 'b) ' before a list item
_MARKDOWN = re.compile(r"^\s*(#{1,6}\s|>\s|\|)|\*\*|__|`")
_ENDS_WHOLE = re.compile(r"[.!?:;)”\"'’]$")
# Guidance is written as imperatives ('Zorg dat ...', 'Houd de relatie warm'); a how-question wants one.
_IMPERATIVE = set("""zorg kijk vraag bekijk houd wees laat maak ga neem spreek breng kies stel draag meld identificeer
leg plan denk toon deel onderneem bespreek bedenk probeer sluit geef blijf let zoek start begin betrek nodig schrijf
gebruik investeer verbind werk benader formuleer onderzoek organiseer creëer focus richt check zie""".split())
_HOW = re.compile(r"^\s*(hoe|wat (moet|kan|zet)|waar (moet|let)|how|what should|what do i|what can)\b", re.I)
_WHY = re.compile(r"^\s*(waarom|why)\b|\b(waarom|why)\b", re.I)
_REASON = re.compile(r"\b(omdat|doordat|want|zodat|daardoor|because|so that)\b", re.I)
# A participant's or officer's testimonial, an attribution, a link: material, rarely the answer itself.
_TESTIMONIAL = re.compile(r"^[“\"‘]|[”\"]\s*[—–-]|\s[—–]\s*[A-Z]\w+ (\w+ ){0,4}(gemeente|Gemeente|deelnemer|jongere)")
_LINK = re.compile(r"https?://|www\.|\.nl/", re.I)


# Where a stored 'sentence' stops being one: a full stop before a lowercase word (two PDF columns run
# together: '... sleutelwoord. vanuit een aanbod'); and where a heading ran into the sentence after it
# ('Presentatie profiel regiofacilitator De rol van ...', '... centraal staat MDT wordt gekenmerkt ...').
_RUN_ON = re.compile(r"(?<=[.!?])\s+(?=[a-zà-ÿ<*\[#`|])")
# 'Etc. Vanuit het bovenstaande ...': the end of the list before, which the sentence splitter ran in.
_CONTINUES = re.compile(r"^(Etc|Enz|Bijv|Bv)\.\s+", re.I)
# A worksheet's label repeated by the sentence after it: the label is left off.
_REPEATED_LABEL = re.compile(r"^(?P<label>[^:.!?]{3,60}):\s+(?=(?P=label)\b)", re.I)
# Capitalised, these words only open a sentence: after a lowercase word, a new one starts there.
OPENERS = "Vanwege|Doordat|Omdat|Daarom"
_FUSED = re.compile(r"(?<=[a-zà-ÿ0-9)’'>])\s+(?=(De|Het|Een|Ieder|Iedere|Elke|Elk|Alle|Dit|Deze|Wij|We|Zij|Er|Veruit|"
                    rf"{OPENERS}|Volgens|Voor|Jullie|Je|Jij|Ik|MDT (wordt|heeft|is|kan|biedt|helpt))\s+[\wà-ÿ])")
# A heading does not end in a word that opens a clause or wants a complement: '... geven aan dat MDT kan
# helpen ...' is one sentence, not a heading 'Veruit de meeste gemeenten geven aan dat' and a sentence.
_CLAUSE_WORDS = frozenset("""dat die en of om als want omdat doordat waarbij waardoor wat door van voor met aan
in op te bij naar uit over tot is zijn wordt worden maar dan zodat hoe waar wanneer ook dus welke""".split())


# A slide's diagram labels with their numbers ('... Borgen van MDT-werkwijze 1 2 3 Na een kort ...'): the
# sentence starts after the run of numbers.
_NUMBERED_LABELS = re.compile(r"\b\d(\s\d){1,}\s+(?=[A-ZÀ-Ý])")


# A line announcing what a slide listed, run into the next sentence ('Zo ga je aan de slag met: Het hulpmiddel
# werkt toe naar ...', 'Vul hier in: Welke ...'): it stops at a preposition, so what it announced is missing.
_ANNOUNCED_MISSING = re.compile(r"^.{0,60}?\b(met|zoals|namelijk|over|voor|van|om|aan|in|op|bij|door):\s+(?=[A-ZÀ-Ý])")


# A numbered slide title run into its text: 'Kaders RSV Opdracht en commitment (2) Leden van het RSV ...'.
_TITLE_WORD = re.compile(r"(?<![\w’'-])[^\W\d_][\w’'-]*")
_NUMBERED_HEADING = re.compile(r"\(\d{1,2}\)\s+(?=[A-ZÀ-Ý])")


# A line announcing items that stops at a section's number ('... potentieel van MDT zijn: 3.1.').
_NUMBER_AFTER_COLON = re.compile(r":\s*\d+(\.\d+)*\.?$")
# A section's number before its title, run into the section's first sentence (a numbered item is short).
_SECTION_NUMBER = re.compile(r"^\d{1,2}\.\s+(?=[A-ZÀ-Ý])")


# A testimonial's attribution after its closing quote ('... aanbod.” — Beleidsmedewerker, gemeente Elburg “...').
_ATTRIBUTION = re.compile(r"(?<=[”\".!?])\s*[—–]\s")
# A figure's number and caption before the text ('3.1 — Besparingspotentieel ... Bron: enquête ... NL'):
# the text starts at the quote after it, or at the first sentence after its source.
_CAPTION = re.compile(r"^\d+(\.\d+)*\s+[—–]\s")
# A sentence the splitter cut at an abbreviation ('... gekoppeld aan bijv.').
_ABBREVIATION_END = re.compile(r"\b(bijv|b\.v|bv|o\.a|m\.b\.t|i\.p\.v|t\.a\.v|zgn|nl|dmv|d\.m\.v|e\.g|i\.e|incl|"
                               r"excl|ca|resp|evt|vnl)\.$", re.I)
# A footnote's number before its sentence ('1 Werkzame elementen zijn onderdelen ...').
_FOOTNOTE_START = re.compile(r"^\d{1,2}\s+(?=[A-ZÀ-Ý][a-zà-ÿ]+\s)")
# A programme or timetable slide run together: clock times ('9.30 Welkom ... 11.15 Vorming ...').
_TIMETABLE = re.compile(r"(\b\d{1,2}[.:]\d{2}\b.*){2,}")


def readable_part(text: str) -> str:
    """The part of a stored sentence a reader can be shown as a sentence (verbatim): without a heading
    run into its start, without a second column or a testimonial's attribution run into its end."""
    if is_timeline(text):  # 'Datum Mijlpalen 28 maart 2023 ...': its rows are read by kinds.timeline_row
        return text
    text = _ATTRIBUTION.split(_RUN_ON.split(text, maxsplit=1)[0], maxsplit=1)[0]
    text = _CONTINUES.sub("", text, count=1)
    if _FOOTNOTE_START.match(text) and _ENDS_WHOLE.search(text):  # '1 Werkzame elementen zijn ...' (a footnote)
        text = _FOOTNOTE_START.sub("", text, count=1)
    if _CAPTION.match(text):
        quote, source = text.find("“"), text.find("Bron:")
        starts = [m.end() for m in _FUSED.finditer(text, max(source, 0))]
        text = text[quote:] if quote > 0 else text[starts[0]:] if source > 0 and starts else text
    repeated = _REPEATED_LABEL.match(text)  # 'Een impactdoelstelling: Een impactdoelstelling laat zien ...'
    if repeated:
        text = text[repeated.end():]
    announced = _ANNOUNCED_MISSING.match(text)
    if announced:
        text = text[announced.end():]
    labels = [m.end() for m in _NUMBERED_LABELS.finditer(text) if m.start() < 200]
    if labels:
        text = text[labels[-1]:]
    if not is_list_item(text) or _SECTION_NUMBER.match(text):  # '3. Kansen en het potentieel ... MDT biedt ...'
        starts = sorted([m.end() for m in _NUMBERED_HEADING.finditer(text) if m.start() < 80]
                        + [m.end() for m in _FUSED.finditer(text)
                           if m.start() < 80 and text[:m.start()].rsplit(None, 1)[-1].lower() not in _CLAUSE_WORDS])
        if starts and len(words(text[:starts[-1]])) <= 12:
            text = text[starts[-1]:]
    return text


def without_title(text: str, title: str) -> str:
    """A sentence without its document's title run into its start: a report's cover, 'Samen werken aan ideeën
    voor een duurzame toekomst voor MDT Op maandag 17 juni 2024 vond ...', starts at 'Op maandag'."""
    head = title.split(":")[0].strip()
    if len(words(head)) < 3 or not text.startswith(head):
        return text
    rest = text[len(head):].lstrip(" :–—-")
    return rest if rest[:1].isupper() and len(words(rest)) >= 4 else text


def is_heading(text: str) -> bool:
    """Capitals ('BESLISDAG REGIONALE SAMENWERKING'), or a slide's title in title case without an end mark
    ('Vorming Regionale Samenwerkingsverbanden (RSV’s)')."""
    letters = [ch for ch in text if ch.isalpha()]
    if bool(letters) and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
        return True
    title = _TITLE_WORD.findall(text)
    return len(title) >= 3 and all(w[0].isupper() for w in title) and not text.rstrip().endswith((".", "!", "?", ":"))


def is_diagram_label(text: str) -> bool:
    return bool(_DIAGRAM_LABEL.search(text.strip()))


def is_list_item(text: str) -> bool:
    return bool(LIST_MARK.match(text))


def announces_list(text: str) -> bool:
    return text.rstrip().endswith(":")


def gives_advice(text: str) -> bool:
    """The sentence tells the reader what to do ('Zorg dat ...', '“Zie de contactpersoon ... als ...')."""
    return _first_word(text) in _IMPERATIVE


def asks(text: str) -> bool:
    """A question in the documents ('Welke werkzame elementen zijn er?'): it asks, it does not answer."""
    return text.rstrip().endswith("?")


def shown_elsewhere(text: str) -> bool:
    """It speaks of a table or figure: what the reader needs is in the figure, not in the sentence."""
    return bool(_SHOWN_ELSEWHERE.search(text))


def points_back(text: str) -> bool:
    return bool(_POINTS_BACK.search(text))


def refers_back(text: str) -> bool:
    """Anywhere in it, a word that points to the sentence before ('hierbij', 'daarmee'): it needs that one."""
    return bool(_REFERS_BACK.search(text))


def is_fragment(text: str) -> bool:
    """Not a whole sentence: starts in the middle (lowercase, punctuation), or stops without an end mark."""
    text = text.strip()
    if not text:
        return True
    first = text[0]
    starts_whole = first.isupper() or first.isdigit() or first in "“\"'‘(€" or is_list_item(text)
    # A slide's bullet is whole without a full stop; a sentence is not.
    ends_whole = bool(_ENDS_WHOLE.search(text)) or (is_list_item(text) and text[-1].isalnum())
    return (not starts_whole or not ends_whole or bool(_MARKDOWN.search(text))
            or bool(_ABBREVIATION_END.search(text)) or bool(_CONTINUES.match(text))
            or bool(_NUMBER_AFTER_COLON.search(text)))  # '... potentieel van MDT zijn: 3.1.': the items are missing


def is_answer_text(text: str) -> bool:
    """Whether a sentence may stand in an answer at all."""
    return (len(words(text)) >= 4 and not is_heading(text) and not is_diagram_label(text)
            and not is_fragment(text) and not _TIMETABLE.search(text))


@dataclass
class Sentence:
    """A candidate sentence of a retrieved passage."""

    passage: Passage
    n: int  # its number within the passage
    text: str
    vector: list[float]
    similarity: float = 0.0  # best cosine to any of the query's vectors
    features: dict[str, float] = field(default_factory=dict)
    score: float = 0.0  # the scorer's probability that it answers the question

    @property
    def key(self) -> tuple[str, int]:
        return self.passage.id, self.n


FEATURES = [
    "similarity", "similarity_gap", "question_similarity", "keyword_similarity", "term_weight", "overlap",
    "passage_score", "passage_rank", "position", "log_words", "short", "long", "heading", "diagram_label",
    "fragment", "list_item", "announces_list", "points_back", "fact_question", "holds_fact", "list_question",
    "english", "capitals", "digits", "similarity_rank", "term_rank", "list_for_list_question", "passage_first",
    "imperative", "imperative_for_how", "reason_for_why", "testimonial", "link", "asks", "hubness",
]


def describe(sentence: Sentence, *, count: int, question_similarity: float, keyword_similarity: float,
             best_similarity: float, term_weight: float, overlap: float, kind: str | None, english: bool,
             similarity_rank: int, term_rank: int, question: str = "", hubness: float = 0.0) -> dict:
    """The features of one sentence (names in FEATURES); `count` is the number of sentences in its passage,
    the ranks are its place among the question's candidates by similarity and by term weight (1 = best),
    `hubness` how close it comes to questions in general (scorer.hubness)."""
    text = sentence.text
    tokens = text.split()
    n_words = len(words(text))
    fact = asks_for_fact(kind)
    inner = tokens[1:] or [""]
    return {
        # Headings run into a sentence ('Kaders RSV Opdracht en commitment (1) Ieder RSV ...') and slide
        # text are dense with capitals and numbers; prose is not.
        "capitals": sum(t[:1].isupper() for t in inner) / len(inner),
        "digits": sum(any(ch.isdigit() for ch in t) for t in tokens) / max(len(tokens), 1),
        "similarity_rank": 1.0 / similarity_rank,
        "term_rank": 1.0 / term_rank,
        "list_for_list_question": float(kind == LIST and (announces_list(text) or is_list_item(text))),
        "passage_first": float(sentence.passage.rank == 1),
        "imperative": float(gives_advice(text)),
        "imperative_for_how": float(gives_advice(text) and bool(_HOW.search(question))),
        "reason_for_why": float(bool(_WHY.search(question)) and bool(_REASON.search(text))),
        "testimonial": float(bool(_TESTIMONIAL.search(text))),
        "link": float(bool(_LINK.search(text))),
        "asks": float(asks(text)),
        "hubness": hubness,
        "similarity": sentence.similarity,
        "similarity_gap": best_similarity - sentence.similarity,
        "question_similarity": question_similarity,
        "keyword_similarity": keyword_similarity,
        "term_weight": term_weight,
        "overlap": overlap,
        "passage_score": sentence.passage.score,
        "passage_rank": 1.0 / sentence.passage.rank,
        "position": sentence.n / max(count - 1, 1),
        "log_words": math.log(1 + n_words),
        "short": float(n_words < 7),
        "long": float(n_words > 40),
        "heading": float(is_heading(text)),
        "diagram_label": float(is_diagram_label(text)),
        "fragment": float(is_fragment(text)),
        "list_item": float(is_list_item(text)),
        "announces_list": float(announces_list(text)),
        "points_back": float(points_back(text)),
        "fact_question": float(fact),
        "holds_fact": float(fact and holds(kind, text)),
        "list_question": float(kind == LIST),
        "english": float(english),
    }


def _first_word(text: str) -> str:
    found = words(LIST_MARK.sub("", text)[:40])
    return found[0] if found else ""


# A list item running into the next sentence's capital ('• anderen ontmoeten De combinatie ...').
_ITEM_RUN_ON = re.compile(r"(?<=[a-zà-ÿ)])\s+(?=(De|Het|Een|Dit|Deze|Die|Daar|Dat|Zo|Ook|In|Op|Met|Voor|Bij|Als|"
                          rf"MDT wordt|Wij|We|Ze|Er|Daarnaast|Hierbij|{OPENERS})\s)")
# Where a list's announcing line starts inside the item before it: a capital after a lowercase word.
_HEAD_IN_ITEM = re.compile(r"(?<=[a-zà-ÿ])\s+(?=[A-ZÀ-Ý][a-zà-ÿ]+(?:\s+[a-zà-ÿ]+)*:$)")


def whole(text: str) -> str:
    """The part of a stored sentence that is a whole sentence (verbatim), or '' when none is."""
    run_on = run_on_sentence(text)
    if run_on and is_answer_text(run_on):  # '• anderen ontmoeten De combinatie van deze pijlers ...': the item's
        text = run_on  # words glued to a sentence read as neither; the sentence is what can be quoted
    text = readable_part(text)
    # A testimonial quoted in part stays a quotation, not the assistant's voice ('Er is weinig geld in onze
    # gemeente ...'): its opening mark whose closing one is in a later sentence gets one, and the other way round.
    if text.startswith("“") and "”" not in text:
        text = text + "”"
    elif text.endswith("”") and "“" not in text:
        text = "“" + text
    return "" if is_fragment(text) else text


def shown_parts(text: str) -> list[str]:
    """A stored sentence and the sentences a reader is shown of it where the PDF ran a heading or a list
    item into it ('Kaders Regiofacilitator Profiel De rol van ...' shows 'De rol van ...'; '• Jongeren met
    een tussenjaar Minder kansrijke jongeren:' shows 'Minder kansrijke jongeren:'). The item itself is not
    one of them: a phrase like 'Jeugdzorg' answers no question by itself."""
    parts = [text, readable_part(text)]
    if is_list_item(text):
        head = head_in_item(text)
        parts.append(head if head != text else "")
        parts.append(run_on_sentence(text))
    return [p for n, p in enumerate(parts) if p and p not in parts[:n] and (n == 0 or is_answer_text(p)
                                                                            or announces_list(p))]


def head_in_item(text: str) -> str:
    """The line announcing a list that the PDF ran into the last item of the list before ('• Jongeren met een
    tussenjaar Minder kansrijke jongeren:' -> 'Minder kansrijke jongeren:'); the text itself when none is."""
    return _HEAD_IN_ITEM.split(text, maxsplit=1)[-1]


def item_text(text: str) -> str:
    """A list item without the next sentence that the PDF ran into it ('• anderen ontmoeten De combinatie ...')."""
    return _ITEM_RUN_ON.split(text, maxsplit=1)[0].rstrip()


def run_on_sentence(text: str) -> str:
    """The sentence the PDF ran into a list item ('• anderen ontmoeten De combinatie ...' -> 'De combinatie ...'),
    or '' when there is none."""
    return text[len(item_text(text)):].strip() if is_list_item(text) else ""
