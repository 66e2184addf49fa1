"""A language model rewrites the structured draft into fluent prose; a rewrite that names a person or a
date that is not in the notes (or the draft built from them) is rejected, and the structured draft stays."""
from __future__ import annotations

import re

from ..corpus.text import normalise
from ..errors import LLMUnavailable
from ..llm import describe_llm_error
from ..messages import MESSAGES, message
from ..templates import render
from .dates import DATE, spelled_out
from .people import ADDRESS_TITLES

# Words that may start with a capital in a draft without being a name or a fact.
_COMMON = set("""beste dear dank thank thanks hierbij zoals as wat what afspraken agreements nog still open ik i
wil could als as met kind regards vriendelijke groet onderwerp subject follow-up opvolging mdt de het een the
a an we wij jij je you your our onze ons graag zou would hi hallo hello tot ziens best wishes groeten
also ook daarnaast verder in on op van of for and en dit this that dat gemeente municipality
zoals zullen shall let laat wil wilt kun kunt can please graag fijn goed mooi prettig hartelijk geachte
samenvatting summary vervolg volgende next stap step agenda tips advies advice punten points vragen questions
open nog still verder further hoe how wie who wanneer when waar where waarom why welke which mevrouw heer
ben is zijn are was were heb have hebben has houd keep hoor hear past suits afspraak afspraken agreement agreements actie acties actiepunt actiepunten action
groet groeten bedankt dankjewel dankuwel gesprek overleg meeting regards sincerely cheers morgen tomorrow
vandaag today""".split())
# The drafts' own wording ('Verandert er ...', 'Dear Alderman ...') is no invented fact either.
_COMMON |= {w.lower() for key, entry in MESSAGES.items() if key.startswith("email_") for text in entry.values()
            for w in re.findall(r"[\w'’-]+", text)}
_COMMON |= {t.lower() for t in ADDRESS_TITLES.values()}


def _date_forms(date: str) -> set[str]:
    return {date.lower(), *((spelled_out(date, lang) or "").lower() for lang in ("nl", "en"))}


def unsupported_facts(draft: str, notes_text: str, vocabulary: frozenset | set = frozenset()) -> list[str]:
    """Names and dates in a draft that the notes do not contain (placeholders excepted).

    A capitalised word counts as a name unless it is an ordinary word: in _COMMON or in the
    vocabulary of the documents ('Afspraak' is, 'Kees' is not)."""
    source = notes_text.lower()
    facts = []
    body = re.sub(r"\[[^\]]{1,30}\]", " ", draft)  # placeholders are allowed
    # '3 okt' in the notes supports '3 oktober' in the draft.
    known_dates = {form for match in DATE.finditer(notes_text) for form in _date_forms(match.group(0))}
    for match in DATE.finditer(body):
        date = match.group(0).rstrip(".")
        if date.lower() not in source and not _date_forms(date) & known_dates:
            facts.append(date)
    # Every capitalised word, sentence starts included ('Kees stuurt ...'): ordinary words that
    # open a sentence are in _COMMON; an unknown one makes the draft fall back (the safe side).
    for word in re.findall(r"\b([A-ZÀ-Ý][\w'’-]{2,})", body):
        lower = word.lower()
        if lower not in source and lower not in _COMMON and lower not in vocabulary:
            facts.append(word)
    return sorted(set(facts))


EMAIL_TOKENS = 1200


def _cut_off(reply) -> bool:
    """The model stopped at its token limit: a half e-mail is no draft."""
    raw = reply.raw
    choices = getattr(raw, "choices", None) or (raw.get("choices") if isinstance(raw, dict) else None)
    if choices:
        first = choices[0]
        reason = getattr(first, "finish_reason", None) or (first.get("finish_reason") if isinstance(first, dict) else None)
        return reason == "length"
    return isinstance(raw, dict) and raw.get("done_reason") == "length"


def rewrite(assistant, llm, draft, notes_text: str, language: str):
    """((subject, body), None) from the model, or (None, why) where its text cannot be used."""
    from llama_index.core.llms import ChatMessage

    from ..answers.generative import LANGUAGE_NAMES

    label = message("email_subject_label", language)
    tips = "\n".join(f"[{c.n}] {c.quote} ({c.title}, p. {c.page})" for c in draft.citations) or "-"
    register = {"u": "'u' (formal)", "je": "'je' (informal)"}.get(draft.register or "", "you")
    messages = [
        ChatMessage(role="system", content=render("email.system", language=LANGUAGE_NAMES[language],
                                                  subject_label=label, register=register)),
        ChatMessage(role="user", content=render("email.user", tips=tips, notes=notes_text.replace("</notes>", ""),
                                                subject_label=label, subject=draft.subject,
                                                body=draft.body.replace("</draft>", ""))),
    ]
    if getattr(llm, "max_tokens", None):  # an e-mail is longer than an answer: room for about 900 words
        llm = llm.model_copy(update={"max_tokens": max(llm.max_tokens, EMAIL_TOKENS)})
    try:
        reply = llm.chat(messages)
    except Exception as error:
        raise LLMUnavailable(describe_llm_error(error)) from None
    if _cut_off(reply):
        return None, "cut off"
    text = (reply.message.content or "").strip()
    match = re.match(rf"^\s*(?:{label}|Subject|Onderwerp)\s*:\s*(.+)$", text, re.I | re.M)
    if not match:
        return None, "no subject line"
    subject = normalise(match.group(1))
    body = text[match.end():].strip()
    vocabulary = assistant.retriever.vocabulary()
    # What the model may use: the notes, the structured draft built from them and the cited advice.
    known = "\n".join([notes_text, draft.subject, draft.body, tips])
    invented = unsupported_facts(subject + "\n" + body, known, vocabulary)
    if not body or invented:
        return None, ", ".join(invented[:5]) or "empty"
    return (subject, body), None
