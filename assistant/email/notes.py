"""Reading rough meeting notes: who was there, what was discussed, agreements with owners and
dates, open questions, the next meeting. Notes are bullets or loose lines, Dutch or English."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
           "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|january|february|march|may|june|july|"
           "august|october")
_DAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|friday"
DATE = re.compile(
    rf"\b\d{{1,2}}[-/.]\d{{1,2}}(?:[-/.]\d{{2,4}})?\b"
    rf"|\b\d{{1,2}}(?:e|ste|de|st|nd|rd|th)?\s+(?:{_MONTHS})\b(?:\s+\d{{4}})?"
    rf"|\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:begin|half|eind|end of|early|mid|late)\s+(?:{_MONTHS})\b"
    rf"|\b(?:{_DAYS})(?:\s+\d{{1,2}}\s+(?:{_MONTHS}))?\b"
    rf"|\b(?:volgende|komende|next)\s+(?:week|maand|month)\b|\bover\s+\w+\s+weken\b|\bin\s+\w+\s+weeks\b"
    rf"|\bQ[1-4](?:\s+\d{{4}})?\b|\b\d{{1,2}}[:.]\d{{2}}\s*(?:uur|u)?\b",
    re.I,
)

_SECTION = {
    "present": r"aanwezig|aanwezigen|deelnemers|met wie|present|attendees|participants|who",
    "discussed": r"besproken|onderwerpen|notities|punten|agenda|discussed|topics|notes|summary|samenvatting",
    "agreements": r"afspraken|actiepunten|acties|actie|to ?do|agreements|agreed|actions|action items|next steps",
    "questions": r"open vragen|vragen|open punten|open questions|questions|unclear",
    "next": r"volgende afspraak|vervolgafspraak|volgend overleg|vervolg|next meeting|follow-up meeting|next",
}
_SECTION_LINE = re.compile(rf"^\s*(?P<name>{'|'.join(_SECTION.values())})\s*[:\-–]\s*(?P<rest>.*)$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦>·]+|\d{1,2}[.)]|\[\s?[xX ]?\s?\])\s*")
_ACTION_VERB = re.compile(
    r"\b(stuurt|sturen|stuur|zorgt|zorgen|regelt|regelen|plant|plannen|maakt|maken|neemt|nemen|deelt|delen|"
    r"mailt|mailen|belt|bellen|checkt|zoekt|uitzoeken|vraagt|levert|organiseert|nodigt|koppelt|schrijft|"
    r"stelt|legt|agendeert|bespreekt|will|sends|send|shares|share|checks|check|to send|to share|"
    r"follows up|organises|organizes|invites|drafts|prepares|books)\b", re.I)
_OWNER = re.compile(
    r"^(?:actie\s*[:\-]?\s*|action\s*[:\-]?\s*)?(?P<owner>(?:[A-ZÀ-Ý][\w'’-]+)(?:\s+(?:van|de|der|den|ter|te|el)?\s*[A-ZÀ-Ý][\w'’-]+)?"
    r"|wij|we|ik|jullie|zij|I|they)\b\s*(?::|–|-|→)?\s*(?P<task>.+)$")
_NOT_NAMES = {"de", "het", "een", "wij", "we", "ik", "jullie", "zij", "gemeente", "the", "a", "an", "i", "they",
              "mdt", "volgende", "open", "actie", "besproken", "afspraken", "vragen", "met", "gesprek", "overleg",
              "meeting", "next", "notes", "wethouder", "alderman", "school", "datum", "date"}
_ROLES = re.compile(r"wethouder|alderman|beleidsmedewerker|beleidsadviseur|ambtenaar|policy|officer|gemeente|"
                    r"municipality|council|school|directeur|director|teamleider|coördinator|coordinator|partner", re.I)
_US = re.compile(r"\b(wij|ik|ons|onze|we|me|us|our|zelf)\b", re.I)


@dataclass
class Agreement:
    text: str
    owner: str | None
    date: str | None


@dataclass
class MeetingNotes:
    title: str | None = None
    meeting_date: str | None = None
    participants: list[str] = field(default_factory=list)
    counterpart: str | None = None  # the person met, for the greeting
    discussed: list[str] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    next_meeting: str | None = None


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", _BULLET.sub("", line)).strip(" ;")


def _agreement(text: str) -> Agreement:
    owner = None
    match = _OWNER.match(text)
    if match and match.group("owner").lower() not in _NOT_NAMES - {"wij", "we", "ik", "jullie", "zij", "i", "they"}:
        owner = match.group("owner")
    date = DATE.search(text)
    return Agreement(text=text, owner=owner, date=date.group(0) if date else None)


def _is_action(text: str) -> bool:
    return bool(_ACTION_VERB.search(text)) and bool(_OWNER.match(text))


def _people(text: str) -> list[str]:
    return [p.strip(" .") for p in re.split(r",|;|\ben\b|\band\b|\+", text) if p.strip(" .")]


def _person_name(entry: str) -> str | None:
    """'Petra de Vries (beleidsmedewerker)' -> 'Petra de Vries'; a role alone is no name."""
    name = re.split(r"\(|\s[-–]\s|,|:", entry)[0].strip()
    # 'wethouder Marieke Bakker', 'onze directeur Linda': the role is not the name
    name = re.sub(r"^(?:(?:onze|our|his|her|de|the)\s+)?(?:wethouder|alderman|beleidsmedewerker|beleidsadviseur|"
                  r"policy advisor|directeur|director|teamleider|team leader)\s+", "", name, flags=re.I).strip()
    first = name.split()[0] if name.split() else ""
    if not first[:1].isupper() or first.lower() in _NOT_NAMES or _ROLES.fullmatch(first):
        return None
    return name


def parse_notes(text: str) -> MeetingNotes:
    notes = MeetingNotes()
    section = None
    lines = [line for line in text.replace("\r", "").split("\n")]
    first_content = next((line for line in lines if line.strip()), "")
    for raw in lines:
        if not raw.strip():
            continue
        heading = _SECTION_LINE.match(_BULLET.sub("", raw))
        if heading and not _BULLET.match(raw):
            found = next(name for name, pattern in _SECTION.items() if re.fullmatch(pattern, heading.group("name"), re.I))
            rest = heading.group("rest").strip()
            if not rest:  # 'Afspraken:' on its own line heads the lines below it
                section = found
                continue
            section_of_line, raw = found, rest  # 'Aanwezig: Petra, Sanne' is one line
        else:
            section_of_line = section
        line = _clean(raw)
        if not line:
            continue
        if raw == first_content and not _BULLET.match(raw) and section_of_line is None and len(line) < 120:
            notes.title = line.rstrip(":")
            date = DATE.search(line)
            notes.meeting_date = date.group(0) if date else None
            continue
        if section_of_line == "present":
            notes.participants.extend(_people(line))
        elif section_of_line == "next":
            notes.next_meeting = line if not notes.next_meeting else f"{notes.next_meeting}; {line}"
        elif section_of_line == "questions" or line.endswith("?"):
            notes.questions.append(line)
        elif section_of_line == "agreements" or _is_action(line):
            notes.agreements.append(_agreement(line))
        else:
            notes.discussed.append(line)
    notes.counterpart = _counterpart(notes)
    return notes


def _counterpart(notes: MeetingNotes) -> str | None:
    candidates = [p for p in notes.participants if not _US.search(p)]
    with_role = [p for p in candidates if _ROLES.search(p)]
    for entry in with_role + candidates:
        name = _person_name(entry)
        if name:
            return name
    if notes.title:  # 'Gesprek met Petra de Vries (gemeente Tubbergen)'
        match = re.search(r"\b(?:met|with)\s+(?:(?:wethouder|alderman|beleidsmedewerker|mevrouw|meneer|mr\.?|ms\.?)\s+)?"
                          r"([A-ZÀ-Ý][\w'’-]+(?:\s+(?:van|de|der|den)?\s*[A-ZÀ-Ý][\w'’-]+)*)", notes.title)
        if match and match.group(1).lower() not in _NOT_NAMES:
            return match.group(1)
    return None
