"""Follow-up e-mails from meeting notes, shaped by the corpus's advice on follow-up.

The draft thanks, summarises the points, lists the agreements as owner - action - date, asks for one
clear next step, says what MDT and the project offer, and keeps the relation warm: each part follows
an advice of the factsheet's follow-up section (advice.py), cited in the tips."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..answers.types import Citation
from ..corpus.language import supported_language
from ..corpus.text import words
from ..errors import LLMUnavailable, NotesError
from ..messages import message
from ..templates import render
from .advice import Advice, gather_advice
from .dates import find_date, opens_with_day, spelled_out
from .shorthand import in_full
from .agreements import VERB, Agreement
from .notes import MeetingNotes, is_next_meeting, parse_notes
from .people import capitalised_surname, greeting
from .rewrite import rewrite

MAX_NOTES = 20_000
SUBJECT_CHARS = 70
REGISTERS = ("auto", "u", "je")


@dataclass
class EmailDraft:
    subject: str
    body: str
    citations: list[Citation] = field(default_factory=list)  # the corpus's tips, cited
    language: str = "nl"
    mode: str = "template"  # "template" or "generative"
    notice: str | None = None
    register: str | None = None  # "u" or "je" for Dutch; None for English
    advice: list[dict] = field(default_factory=list)  # which tip each part of the draft follows

    def to_json(self) -> dict:
        data = {"subject": self.subject, "body": self.body, "citations": [c.to_json() for c in self.citations],
                "language": self.language, "mode": self.mode, "register": self.register, "advice": self.advice}
        if self.notice:
            data["notice"] = self.notice
        return data


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


def subject_line(notes: MeetingNotes, language: str) -> str:
    """'Opvolging gesprek MDT – gemeente Zwolle, 3 oktober': short and specific, at most about 70 characters."""
    base = message("email_subject", language)
    who = notes.organisation
    if not who and notes.recipient and notes.recipient.surname and notes.recipient.title:
        who = f"{notes.recipient.title} {capitalised_surname(notes.recipient.surname)}"
    date = spelled_out(notes.meeting_date, language)
    for candidate in (f"{base} – {who}, {date}", f"{base} – {who}", f"{base}, {date}"):
        if "None" not in candidate and len(candidate) <= SUBJECT_CHARS:
            return candidate
    return message("email_subject_plain", language)


# 'datum volgt', '(date to be set by her office)': the notes already say the date is still to come.
_DATE_TO_COME = re.compile(r"\b(?:dat(?:um|e)s?\s+(?:volgt|volgen|nog\s+te\s+(?:bepalen|plannen)|nog\s+niet\s+bekend|"
                           r"tbd|tbc|to\s+be\s+(?:set|confirmed|decided|agreed|determined))|(?:nog\s+)?te\s+plannen)\b", re.I)


_MINE = re.compile(r"^(?:me|i|myself)\s*[:–-]\s*(?=[a-z])", re.I)


def _agreement_line(agreement: Agreement, language: str) -> str:
    """Owner - action - date: 'Sanne stuurt het plan voor 20 maart', 'Kees: offerte sturen – 3/4'."""
    # the owner opens the line or a clause of it ('..., Wouter plant die in', '... -> Petra checkt budget'): kept whole
    if agreement.owner and (agreement.owner_first or re.search(rf"(?:,|->|→)\s*{re.escape(agreement.owner)}\s+\w",
                                                               agreement.text)):
        # 'me: send our model by Friday' is written to the other party as 'I will send our model by Friday'
        text = _MINE.sub("I will ", agreement.text) if language == "en" else agreement.text
        if agreement.date and agreement.date not in text:  # a date the line shares ('..., allebei voor 1 mei')
            text += f" – {agreement.date}"
    elif agreement.owner:
        task = re.sub(r"\s*(?:\([^)]*\)|(?:→|->|—|–|\s-)\s*[^()]*)\s*\.?$", "", agreement.text) or agreement.text
        text = f"{agreement.owner}: {task}"
        if agreement.date and agreement.date not in task:
            text += f" – {agreement.date}"
    else:
        text = agreement.text
    # the next meeting is the parties' together: nobody's to do ('Volgend overleg half januari')
    missing = [message("email_who", language)] if agreement.owner is None and not is_next_meeting(text) else []
    missing += [message("email_when", language)] if agreement.date is None and not _DATE_TO_COME.search(text) else []
    return text + (f" ({'; '.join(missing)})" if missing else "")


# Dutch speaks to 'je' or 'u' with the verb form of 'hij' ('Marieke checkt' -> 'Je checkt'), but for these;
# English drops the third person's -s ('Hamza checks' -> 'You check').
_SECOND_PERSON = {"wil": "wilt", "kan": "kunt", "is": "bent", "zal": "zult"}
_SECOND_PERSON_EN = {"is": "are", "has": "have", "does": "do", "goes": "go", "will": "will"}
_SAYS = frozenset("vindt ziet denkt gaat mag moet wil kan is zal heeft wilt kunt".split())
_HONORIFIC = r"(?:(?:mw|mevr|mevrouw|dhr|meneer|de heer|wethouder|burgemeester|mrs|ms|mr|alderman|mayor)\.?\s+)?(?:[A-Z]\.\s*)*"


def _second_person(verb: str, language: str, formal: bool) -> str | None:
    """The verb as said to the recipient, or None when the word is no verb of an agreement or a view."""
    if language == "en":
        base = verb[:-2] if re.search(r"(ss|sh|ch|x|z)es$", verb) else verb[:-1]
        return _SECOND_PERSON_EN.get(verb) or (base if verb.endswith("s") and VERB.fullmatch(base) else None)
    if verb == "heeft":
        return "heeft" if formal else "hebt"
    if verb in _SAYS or (VERB.fullmatch(verb) and (verb.endswith("t") or verb == "zal")):
        return _SECOND_PERSON.get(verb, verb)
    return None


def _addressed(line: str, person, formal: bool, language: str) -> str:
    """A line of the notes about the recipient, as said to them: 'Marieke checkt of er ruimte is' (or 'Marieke: checkt
    ...') -> 'Je checkt of er ruimte is', 'mw. Bosman vindt ...' -> 'U vindt ...', 'Hamza checks ...' -> 'You check ...'. Only where
    a verb follows the name."""
    if person is None or person.ours:
        return line
    names = sorted({n for n in (person.name, person.first_name, person.surname, person.title) if n}, key=len,
                   reverse=True)  # 'Wethouder is positief' -> 'U bent positief'
    if not names:
        return line
    variant = language if language == "en" or formal else "nl_je"
    # 'Ilse: stuurt format ...' too: notes put a colon after the owner. The name may also open a clause of the
    # line ('kennismakingsavond 13/3 19u, lotte regelt zaal', 'Evaluatierapport Q4 -> Ilse heeft nog niet gelezen').
    named = "|".join(map(re.escape, names))
    clause = re.compile(rf"(?:^|(?<=[,;?!:])\s+|\s+(?:->|→)\s+)(?P<owner>{_HONORIFIC}(?:{named}):?\s+(?P<verb>[a-zà-ÿ]+)\b)",
                        re.I)
    for found in clause.finditer(line):
        verb = _second_person(found.group("verb"), language, formal)
        if verb is None:
            continue
        you = message("email_you", variant)
        opens = found.start("owner") == 0 or line[:found.start("owner")].rstrip()[-1:] in "?!"
        you = you if opens else you[:1].lower() + you[1:]  # mid-line: ', je regelt de zaal
        # their own board, office, college: 'Mr de Groot asks his board' -> 'You ask your board'
        theirs = r"\b(his|her)\b" if language == "en" else r"\bhaar\b(?=\s+[a-zà-ÿ])"
        rest = re.sub(theirs, message("email_your", variant), line[found.end("owner"):])
        return f"{line[:found.start('owner')]}{you} {verb}{rest}"
    return line


def _bullets(items: list[str], language: str) -> str:
    """One line per item, opening with a capital as a list in a letter does ('- Wij organiseren ...'), its
    shorthand written out ('ivm' -> 'in verband met')."""
    return "\n".join(f"- {item[:1].upper()}{item[1:]}" for item in (in_full(i, language) for i in items))


_INTEREST = re.compile(r"\b(?:interesse in|geïnteresseerd in|enthousiast over|positief over|behoefte aan|"
                       r"interested in|enthusiastic about|keen on|need for)\s+(?P<what>[^.;!?]{3,80})", re.I)


def _interest(notes: MeetingNotes) -> str | None:
    for point in notes.discussed:
        match = _INTEREST.search(point)
        if match:
            return re.sub(r"\s*[(,].*$", "", match.group("what")).strip(" .")
    return None


def _moment(date: str | None, language: str) -> str:
    """' op 12 december', ' in juni', ' volgende week': how the next moment reads after 'elkaar weer'."""
    if not date:
        return ""
    spelled = spelled_out(date, language) or date
    if opens_with_day(spelled) or opens_with_day(date):
        return f" {'op' if language == 'nl' else 'on'} {spelled}"
    return f" {spelled}"


_SAYS_MEET = {"we", "wij", "spreken", "zien", "elkaar", "weer", "opnieuw", "op", "in", "rond", "om", "na", "volgende",
              "volgend", "gesprek", "vervolggesprek", "afspraak", "overleg", "vervolgafspraak", "vervolgoverleg", "talk",
              "meet", "again", "speak", "on", "next", "meeting", "follow-up", "ll", "will", "we'll"}


def _adds_to(next_meeting: str, cta: str) -> bool:
    """The next meeting's line says more than the call to action that names its moment (a place, a time, who)."""
    said = set(words(cta)) | _SAYS_MEET
    return any(w not in said for w in words(next_meeting))


def _own_actions(notes: MeetingNotes) -> list[Agreement]:
    person = notes.recipient
    if person is None:
        return []
    words = {w.lower() for w in (person.first_name, person.surname, person.title) if w}
    return [a for a in notes.agreements if a.owner and (a.owner.lower() in words or any(
        w in a.owner.lower().split() for w in words) or (person.surname or "~").lower() in a.owner.lower())]


def compose(notes: MeetingNotes, language: str, formal: bool, advice: Advice | None = None) -> tuple[str, str]:
    """Subject and body from the parsed notes, laid out by prompts/email.body.txt."""
    variant = language if language == "en" or formal else "nl_je"
    sections = []
    if notes.discussed:
        discussed = [_addressed(point, notes.recipient, formal, language) for point in notes.discussed]
        sections.append(f"{message('email_discussed', variant)}\n{_bullets(discussed, language)}\n")
    if notes.agreements:
        lines = [_addressed(_agreement_line(a, language), notes.recipient, formal, language) if a.owner
                 else _agreement_line(a, language) for a in notes.agreements]  # no 'U ... (wie: [naam])
        sections.append(f"{message('email_agreements', variant)}\n{_bullets(lines, language)}\n")
    if notes.questions:
        sections.append(f"{message('email_questions', variant)}\n{_bullets(notes.questions, language)}\n"
                        f"{message('email_questions_after', variant)}\n")
    next_date = find_date(notes.next_meeting) if notes.next_meeting else None
    own = _own_actions(notes)
    own_text = message("email_cta_own", variant, s=("en" if language == "nl" else "s") if len(own) > 1 else "",
                       are="are" if len(own) > 1 else "is") if own else ""
    if notes.next_meeting:
        cta = message("email_cta_next", variant, moment=_moment(next_date, language), own=own_text)
        # 'we spreken elkaar weer op 12 december' is what the call to action says: not a line of its own too
        if all(notes.next_meeting != a.text for a in notes.agreements) and _adds_to(notes.next_meeting, cta):
            sections.append(message("email_next_line", variant, next=in_full(notes.next_meeting.rstrip("."), language)) + "\n")
    else:
        # 'Volgende afspraak: nog plannen, liefst begin maart': the moment the notes would like, proposed
        when = spelled_out(notes.next_proposal, language) or message("email_date_placeholder", language)
        cta = message("email_cta_unknown", variant, own=own_text, when=when)
    offer = []
    if advice and advice.pillars:
        pillars = advice.pillars if language == "nl" else [f"“{p}”" for p in advice.pillars]
        joined = ", ".join(pillars[:-1]) + (" en " if language == "nl" else " and ") + pillars[-1]
        offer.append(message("email_offer_mdt", variant, pillars=joined))
    interest = _interest(notes)
    offer.append(message("email_offer_interest", variant, interest=interest) if interest
                 else message("email_offer_plain", variant))
    date = spelled_out(notes.meeting_date, language)
    body = render("email.body",
                  greeting=greeting(notes.recipient, language, formal, message("email_name", language)),
                  thanks=message("email_thanks", variant, when=message("email_on", variant, date=date) if date else ""),
                  sections="\n".join(sections), offer=" ".join(offer), call_to_action=cta,
                  warm=message("email_warm", variant), closing=message("email_closing", variant),
                  signature=message("email_signature", variant))
    return subject_line(notes, language), re.sub(r"\n{3,}", "\n\n", body)


def draft_email(assistant, notes_text: str, register: str | None = None) -> EmailDraft:
    language = _check_notes(notes_text)
    notes = parse_notes(notes_text)
    advice = gather_advice(assistant, notes_text)
    register = register or assistant.config.email_register
    formal = notes.formal if register not in ("u", "je") else register == "u"
    subject, body = compose(notes, language, formal, advice)
    draft = EmailDraft(subject=subject, body=body, citations=advice.tips, language=language, mode="template",
                       register=("u" if formal else "je") if language == "nl" else None, advice=advice.to_json())
    if assistant.llm is None:
        return draft
    try:
        rewritten, why = rewrite(assistant, assistant.llm, draft, notes_text, language)
    except LLMUnavailable as error:
        draft.notice = message("email_llm_down", language, why=error)
        return draft
    if rewritten is None:
        draft.notice = message("email_llm_invented", language, why=why)
        return draft
    draft.subject, draft.body, draft.mode = rewritten[0], rewritten[1], "generative"
    return draft
