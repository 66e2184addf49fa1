"""Follow-up e-mails from meeting notes, shaped by the corpus's advice on follow-up."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..answers.types import Citation
from ..corpus.language import supported_language
from ..corpus.text import normalise
from ..errors import LLMUnavailable, NotesError
from ..llm import describe_llm_error
from ..messages import message, texts
from ..templates import render
from .notes import DATE, MeetingNotes, parse_notes

MAX_NOTES = 20_000


@dataclass
class EmailDraft:
    subject: str
    body: str
    citations: list[Citation] = field(default_factory=list)  # the corpus's tips, cited
    language: str = "nl"
    mode: str = "template"  # "template" or "generative"
    notice: str | None = None

    def to_json(self) -> dict:
        data = {"subject": self.subject, "body": self.body, "citations": [c.to_json() for c in self.citations],
                "language": self.language, "mode": self.mode}
        if self.notice:
            data["notice"] = self.notice
        return data


# The corpus's advice on follow-up, and on the kind of partner met.
_TIP_QUESTIONS = [
    (None, "Wat zet je in een follow-up mail na een gesprek met de gemeente?"),
    (r"wethouder|alderman|directeur|bestuurder", "Wie moet er aanschuiven bij een gesprek met een wethouder?"),
    (r"kleine gemeente|small municipality|small town|brede portefeuille", "Hoe benader ik een kleine gemeente?"),
    (r"grote gemeente|large municipality|big city", "Hoe benader ik een grote gemeente?"),
    (r"school|onderwijs|education|mbo|hbo|student", "Hoe werkt MDT samen met het onderwijs en scholen?"),
    (r"budget|financ|geld|subsid|funding|money|kosten|cost", "Hoe onderbouw je de maatschappelijke waarde van je project met cijfers?"),
]


def _check_notes(text: str) -> str:
    if not text or not text.strip():
        raise NotesError(message("notes_empty", "en"), message("notes_empty", "nl"))
    if len(text) > MAX_NOTES:
        raise NotesError(message("notes_too_long", "en", length=f"{len(text):,}", limit=f"{MAX_NOTES:,}"),
                         message("notes_too_long", "nl", length=f"{len(text):,}".replace(",", "."),
                                 limit=f"{MAX_NOTES:,}".replace(",", ".")))
    language = supported_language(text)
    if language is None:
        raise NotesError(message("notes_language", "en"), message("notes_language", "nl"))
    return language


def tips_for(assistant, notes_text: str) -> list[Citation]:
    """Cited advice from the corpus: follow-up, and the kind of partner the notes mention."""
    citations: list[Citation] = []
    seen = set()
    for pattern, question in _TIP_QUESTIONS:
        if pattern and not re.search(pattern, notes_text, re.I):
            continue
        answer = assistant.ask(question, extractive_only=True)
        if answer.abstained:
            continue
        for citation in answer.citations:
            key = (citation.source, citation.page, citation.quote)
            if key not in seen:
                seen.add(key)
                citations.append(Citation(n=len(citations) + 1, source=citation.source, title=citation.title,
                                          page=citation.page, quote=citation.quote))
    return citations[:6]


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


_HONORIFICS = {"mr", "mrs", "ms", "dr", "dhr", "mevr", "mevrouw", "meneer", "heer", "prof"}


def compose(notes: MeetingNotes, language: str) -> tuple[str, str]:
    """Subject and body from the parsed notes, by the template in prompts/email.<language>.txt."""
    t = {key[len("email_"):]: text for key, text in texts(language).items() if key.startswith("email_")}
    subject = f"{t['subject']}: {notes.title}" if notes.title else t["subject"]
    sections = []
    if notes.discussed:
        sections.append(f"{t['discussed']}\n{_bullets(notes.discussed)}\n")
    if notes.agreements:
        items = []
        for agreement in notes.agreements:
            missing = [t["who"]] if agreement.owner is None else []
            missing += [t["when"]] if agreement.date is None else []
            items.append(agreement.text + (f" ({'; '.join(missing)})" if missing else ""))
        sections.append(f"{t['agreements']}\n{_bullets(items)}\n")
    if notes.questions:
        sections.append(f"{t['questions']}\n{_bullets(notes.questions)}\n{t['questions_after']}\n")
    first_name = (notes.counterpart or "").split()[0] if notes.counterpart else None
    owned = [a for a in notes.agreements if first_name and a.owner and a.owner.split()[0] == first_name]
    if owned:
        plural = len(owned) > 1
        cta = t["cta_owned"].format(s="s" if plural else "", are="are" if plural else "is")
    else:
        cta = t["cta"]
    next_step = t["next_known"].format(next=notes.next_meeting.rstrip(".")) if notes.next_meeting else t["next_unknown"]
    # 'Petra de Vries' is greeted as 'Petra'; a surname alone ('Jansen') stays as it is.
    greeting = notes.counterpart
    if greeting and " " in greeting and greeting.split()[0].lower().rstrip(".") not in _HONORIFICS:
        greeting = greeting.split()[0]
    body = render(f"email.{language}", name=greeting or t["name"],
                  when=t["on"].format(date=notes.meeting_date) if notes.meeting_date else "",
                  sections="\n".join(sections), call_to_action=cta, next_step=next_step)
    return subject, re.sub(r"\n{3,}", "\n\n", body)


# Words that may start with a capital in a draft without being a name or a fact.
_COMMON = set("""beste dear dank thank thanks hierbij zoals as wat what afspraken agreements nog still open ik i
wil could als as met kind regards vriendelijke groet onderwerp subject follow-up opvolging mdt de het een the
a an we wij jij je you your our onze ons graag zou would hi hallo hello tot ziens best wishes groeten
also ook daarnaast verder in on op van of for and en dit this that dat gemeente municipality
zoals zullen shall let laat wil wilt kun kunt can please graag fijn goed mooi prettig hartelijk
samenvatting summary vervolg volgende next stap step agenda tips advies advice punten points vragen questions
open nog still verder further hoe how wie who wanneer when waar where waarom why welke which
ben is zijn are was were heb have hebben has houd keep hoor hear past suits afspraak afspraken agreement agreements actie acties actiepunt actiepunten action
groet groeten bedankt dankjewel dankuwel gesprek overleg meeting regards sincerely cheers morgen tomorrow
vandaag today""".split())


def unsupported_facts(draft: str, notes_text: str, vocabulary: frozenset | set = frozenset()) -> list[str]:
    """Names and dates in a draft that the notes do not contain (placeholders excepted).

    A capitalised word counts as a name unless it is an ordinary word: in _COMMON or in the
    vocabulary of the documents ('Afspraak' is, 'Kees' is not)."""
    source = notes_text.lower()
    facts = []
    body = re.sub(r"\[[^\]]{1,30}\]", " ", draft)  # placeholders are allowed
    for match in DATE.finditer(body):
        if match.group(0).lower() not in source:
            facts.append(match.group(0))
    # Every capitalised word, sentence starts included ('Kees stuurt ...'): ordinary words that
    # open a sentence are in _COMMON; an unknown one makes the draft fall back (the safe side).
    for word in re.findall(r"\b([A-ZÀ-Ý][\w'’-]{2,})", body):
        lower = word.lower()
        if lower not in source and lower not in _COMMON and lower not in vocabulary:
            facts.append(word)
    return sorted(set(facts))


def _generative(assistant, llm, notes_text: str, language: str, tips: list[Citation]):
    from llama_index.core.llms import ChatMessage

    from ..answers.generative import LANGUAGE_NAMES

    label = message("email_subject_label", language)
    tip_text = "\n".join(f"[{c.n}] {c.quote} ({c.title}, p. {c.page})" for c in tips) or "-"
    messages = [
        ChatMessage(role="system", content=render("email.system", language=LANGUAGE_NAMES[language], subject_label=label)),
        ChatMessage(role="user", content=render("email.user", tips=tip_text, notes=notes_text.replace("</notes>", ""),
                                                subject_label=label)),
    ]
    try:
        reply = llm.chat(messages)
    except Exception as error:
        raise LLMUnavailable(describe_llm_error(error)) from None
    text = (reply.message.content or "").strip()
    match = re.match(rf"^\s*(?:{label}|Subject|Onderwerp)\s*:\s*(.+)$", text, re.I | re.M)
    if not match:
        return None, "no subject line"
    subject = normalise(match.group(1))
    body = text[match.end():].strip()
    vocabulary = assistant.retriever.vocabulary()
    invented = unsupported_facts(subject + "\n" + body, notes_text + "\n" + tip_text, vocabulary)
    if not body or invented:
        return None, ", ".join(invented[:5]) or "empty"
    return (subject, body), None


def draft_email(assistant, notes_text: str) -> EmailDraft:
    language = _check_notes(notes_text)
    notes = parse_notes(notes_text)
    tips = tips_for(assistant, notes_text)
    llm = assistant.llm
    notice = None
    if llm is not None:
        try:
            drafted, why = _generative(assistant, llm, notes_text, language, tips)
            if drafted is not None:
                return EmailDraft(subject=drafted[0], body=drafted[1], citations=tips, language=language, mode="generative")
            notice = message("email_llm_invented", language, why=why)
        except LLMUnavailable as error:
            notice = message("email_llm_down", language, why=error)
    subject, body = compose(notes, language)
    return EmailDraft(subject=subject, body=body, citations=tips, language=language, mode="template", notice=notice)
