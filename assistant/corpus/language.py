"""Which language a question or a set of notes is in: Dutch or English (the two the assistant answers in)."""
from __future__ import annotations

from .text import words

_DUTCH = set("de het een en van ik je jij wij we is zijn niet wat hoe wie waar waarom welke wanneer voor met "
             "op aan bij om dat die dit er ook maar kan kun moet mijn onze ons hun naar over uit als of nog "
             "zo tot door heb heeft hebben wordt worden gemeente jongeren afspraken in te al na wil wel geen ze zij hij "
             "haar mee dan nu ja nee alleen volgende keer".split())
_ENGLISH = set("the a an and of i you we is are not what how who where why which when for with on at to "
               "that this there also but can could should must my our their from about as or still so "
               "do does have has be been will would municipality young people meeting in by if no yes need they get send next "
               "only it he she his her them us me was were did after before all some any more call week".split())


def detect_language(text: str) -> str:
    """'nl' or 'en' by counting function words; Dutch wins ties (the corpus is Dutch)."""
    tokens = words(text)
    dutch = sum(token in _DUTCH for token in tokens)
    english = sum(token in _ENGLISH for token in tokens)
    return "en" if english > dutch else "nl"


def supported_language(text: str) -> str | None:
    """'nl' or 'en', or None when the text is clearly in another language (little of either)."""
    tokens = words(text)
    if len(tokens) < 12:
        return detect_language(text)
    known = sum(token in _DUTCH or token in _ENGLISH for token in tokens)
    return detect_language(text) if known >= 0.08 * len(tokens) else None
