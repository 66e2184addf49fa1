"""The one decision to abstain: taken once per question, before any answer is composed, for the
extractive and the generative way alike. Its thresholds were calibrated on the development set
(eval/tuning.yaml) and are checked on the held-out set (README "Evaluation")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..messages import message
from ..retrieval.bm25 import question_names, tokenize
from ..retrieval.glossary import dutch_keywords
from ..retrieval.passage import Passage, Support
from ..retrieval.query import Query
from .kinds import DATE, DEFINITION, TIME, asks_for_fact, defined_term, holds, missing_word, question_kind, timeline_row
from .scope import Topic, unspoken_topic
from .sentences import Sentence, asks, is_answer_text
from .types import Answer

# The documents are guidance and reports: they forecast no amounts or dates for a coming year.
_FUTURE = re.compile(r"\b(volgend|komend) jaar\b|\bnext year\b|\bcoming year\b", re.I)
# Nor the date of an event still to come: they report the past ones ('Wanneer wordt de volgende
# Landelijke Netwerkdag georganiseerd?' was answered with the date of the 2024 one).
_NEXT_EVENT = re.compile(r"\b(volgende|komende|eerstvolgende|next|upcoming)\s+([\w-]+\s+){0,2}([\w-]*netwerkdag|[\w-]*dag|"
                         r"[\w-]*ronde|bijeenkomst|editie|conferentie|sessie|meeting|event|round|edition|network day)\b", re.I)


# The whole country is no place the found passages must name: every document is about the Netherlands
# ('Hoeveel RSV's komen er maximaal in Nederland ...?' was declined because no found page says 'Nederland').
_COUNTRY = {"nederland", "netherlands", "holland"}

NAMED_AMONG = 3  # the best sentences whose pages (or documents) must name the question's place or organisation


@dataclass(frozen=True)
class Abstain:
    """Why the documents do not answer the question; `kind`: the fact they lack (an amount, a date ...);
    `topic`: what they do not speak of (insurance, contracts ...)."""

    reason: str
    kind: str | None = None
    topic: Topic | None = None


def decide(query: Query, ranked: list[Sentence], support: Support, config, thresholds: dict) -> Abstain | None:
    """Abstain, or None when the documents answer the question. `ranked`: the scored candidate
    sentences of the retrieved passages, best first; `thresholds`: the scorer's calibrated ones."""
    if not ranked:
        return Abstain("no passage was found")
    # How close the best sentence is to the question itself, or, for an English question naming two of the
    # domain's words or more, to those words in Dutch: English meets the Dutch sentences less closely ('Were any
    # new target groups mentioned at the network day?' came to 0.809 of the network day's 'nieuwe doelgroepen').
    # One word is no topic ('How do I bake pancakes?' is 'hoe'; '... at the municipality?' is 'gemeente').
    closest = max(s.features["question_similarity"] for s in ranked)
    if len(set(tokenize(query.keywords))) >= 2:
        closest = max(closest, max(s.features["keyword_similarity"] for s in ranked))
    if closest < config.abstain_threshold:
        return Abstain("no passage is close to the question")
    if support.coverage == 0:
        return Abstain("none of the question's words occur in the documents")
    if support.unknown_names:
        return Abstain(f"the documents never mention {', '.join(support.unknown_names)}")
    found = list({s.passage.id: s.passage.text for s in ranked}.values())  # each passage found, once
    elsewhere = names_not_found(query.question, found)
    if elsewhere:
        return Abstain(f"no passage found for the question mentions {', '.join(elsewhere)}")
    topic = unspoken_topic(query.question, found)
    if topic is not None:
        return Abstain(f"no passage found speaks of {topic.name['en']}", topic=topic)
    if _FUTURE.search(query.question):
        return Abstain("the documents say nothing about next year")
    kind = question_kind(query.question)
    usable = [s for s in ranked if is_answer_text(s.text)
              or kind in (DATE, TIME) and timeline_row(s.text, query.dutch_question, kind)] or ranked  # a timeline's
    # row gives a date ('28 maart 2023 Een beslisdag ...'), a day's programme a time ('13.45 Beslissing vorming ...')
    if usable[0].score < thresholds.get("answer_min", 0.0):
        return Abstain("no sentence of the documents answers the question")
    # A question on a named place or organisation is answered from a page that names it: 'Wie is de accounthouder
    # ... in Noord-Brabant?' found a page with 'Noord-Brabant (Ilse)' among others, and quoted 'Neem dan gerust
    # contact op met je accounthouder!' from another.
    unnamed = names_not_found(query.question, [f"{s.passage.title} {s.passage.text}" for s in ranked[:NAMED_AMONG]])
    if unnamed:
        return Abstain(f"the best sentence's page does not mention {', '.join(unnamed)}")
    # 'Wat is het MDT-prooflabel?': what it is can only be said by a sentence that names it; with none, an
    # officer's 'Het is iets anders dan wat we doen bij Zorg en Welzijn.' was quoted as its definition.
    term = defined_term(query.question) if kind == DEFINITION else ""
    names = ([term] if query.language != "en" else dutch_keywords(term).split()) if term else []  # English: glossary
    if names and not any(name in s.text.lower() for name in names for s in usable if is_answer_text(s.text)):
        return Abstain(f"no sentence found names {term}", kind=kind)
    if kind == DATE and _NEXT_EVENT.search(query.question):
        return Abstain("the documents schedule no coming event", kind=kind)
    if asks_for_fact(kind):
        place = fact_rank(kind, usable, query.question)
        if place > min(thresholds.get("fact_rank", len(usable)), len(usable)):  # none, or none well-scored
            return Abstain(f"no well-scored sentence gives the {kind} asked for", kind=kind)
        # A fact about a place or an organisation comes from a passage that names it: 'Hoeveel fte is aan de
        # provincie Zeeland toegekend?' is not answered by the fte per RSV on a page that does not name Zeeland.
        if names_not_found(query.question, [usable[place - 1].passage.text]):
            return Abstain(f"no sentence gives the {kind} for what the question names", kind=kind)
    return None


def names_not_found(question: str, texts) -> list[str]:
    """The question's names (places, organisations; not MDT's own words or abbreviations) that none of the
    found passages mentions. 'Welke MDT-projecten lopen er in de gemeente Groningen?': the corpus names
    Groningen in a list of regions, but what the found passages say is not about Groningen."""
    found = " ".join(texts).lower()
    missing = []
    for name in question_names(question):
        bare = re.sub(r"(?<=[A-Z])s$", "", re.sub(r"[’']s?$", "", name))  # 'RSV’s', 'RSVs': the abbreviation
        if "mdt" in bare.lower() or bare.isupper() or bare[:1].isdigit() or bare.lower() in _COUNTRY:
            continue
        parts = [p for p in re.split(r"[-'’]", bare.lower()) if len(p) > 2]
        if any(p[:max(4, len(p) - 2)] not in found for p in parts):  # 'Europe' is found as 'Europa'
            missing.append(bare)
    return missing


def fact_rank(kind: str, usable: list[Sentence], question: str) -> int:
    """The place (1 = best) of the best-scored sentence that holds the kind of fact asked for; past the
    end when none does. Scores differ by language and question; a place among the best does not.
    A question in the documents ('Waar staat jouw MDT over 5 jaar?') gives no fact, whatever it holds."""
    return next((n for n, s in enumerate(usable, start=1) if holds(kind, s.text, question) and not asks(s.text)),
                len(usable) + 1)


def abstention(query: Query, passages: list[Passage], decision: Abstain | None = None,
               mode: str = "extractive") -> Answer:
    """The answer that says, once, that the documents do not hold one (and which fact they lack)."""
    if decision is not None and decision.topic is not None:
        text = message("abstain_topic", query.language, topic=decision.topic.name[query.language],
                       question=query.question)
    elif decision is not None and decision.kind:
        text = message("abstain_fact", query.language, what=missing_word(decision.kind, query.language),
                       question=query.question)
    else:
        text = message("abstain", query.language)
    return Answer(question=query.question, answer=text, mode=mode, abstained=True,
                  passages=passages, language=query.language, search_query=query.text)
