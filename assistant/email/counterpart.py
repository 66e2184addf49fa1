"""Who the notes were with: the other party's organisation and the person the mail goes to, read from the
title ('overleg gem. Zaanstad - Petra de Vries (beleidsmw jeugd) - 4/3') and the attendees."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .dates import find_date
from .people import TITLE, Person, is_ours, merge, parse_person, same_person

if TYPE_CHECKING:
    from .notes import MeetingNotes

_ORGANISATION = re.compile(
    r"\b(?:[Gg]emeente|gem\.|[Mm]unicipality of)\s+((?:'s-)?[A-ZÀ-Ý][\w'’-]+(?:\s+(?:van|aan|op|de|den|der|in)\s+[A-Z][\w-]+)*"
    r"(?:[- ][A-ZÀ-Ý][\w'’-]+)?)"
    r"|\b([A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+)*[ \t]+(?:College|Lyceum|Gymnasium|Academie|School|Scholengemeenschap|"
    r"Woningcorporatie|Welzijn|Bibliotheek|Hogeschool|ROC|Wonen))\b"
    r"|\b((?i:ROC|Stichting|Woningstichting|Woonstichting|Hogeschool|Regio|Provincie|Province of|Zorggroep|Zorgcentrum|"
    r"Woonzorg|Welzijn|Vereniging|Sportvereniging|Voetbalvereniging|Bibliotheek|Museum|Sportbedrijf)\s+[A-ZÀ-Ý][\w'’-]+(?:[ \t]+[A-ZÀ-Ý][\w'’-]+)*)")

_MEETING_WORDS = re.compile(r"^(?:notes|notities|verslag|notulen|minutes|overleg|gesprek|meeting|mtg|call|kennismaking|"
                            r"kennismakingsgesprek|afspraak|bezoek|werkbezoek|visit|met|with|w/|bij|at|\s)+", re.I)


def _named_organisation(text: str) -> str | None:
    match = _ORGANISATION.search(text)
    if not match:
        return None
    if match.group(1):
        return re.sub(r"^gem\.", "gemeente", match.group(0).strip())
    return (match.group(2) or match.group(3)).strip()


def opening_organisation(text: str) -> str | None:
    """The organisation a line opens with: 'Stichting Jong Oss levert ...', 'Gemeente Oss stuurt ...'."""
    match = _ORGANISATION.match(text)
    return _named_organisation(match.group(0)) if match else None


# A municipal role with its place in brackets: '(beleidsmedewerker Zwolle)', '(wethouder jeugd Deventer)'.
_PLACED_ROLE = re.compile(r"\((?:beleids\w+|wethouder|ambtenaar|burgemeester|policy (?:officer|advisor)|alderman|mayor)"
                          r"(?:\s+[a-z&]+)*\s+(?:gemeente\s+|municipality of\s+)?([A-ZÀ-Ý][\w-]+)\)")
_NOT_PLACES = {"Stichting", "Regio", "Provincie", "Gemeente", "Jeugd", "Onderwijs", "MDT", "Welzijn", "Sport"}


def _outside_brackets(split, pattern: str, text: str) -> list[str]:
    """`split(pattern, text)` where the separators inside brackets do not count: 'Mr. de Groot (director,
    Stichting Sportief Samen) 20/11' is one segment."""
    guarded = re.sub(r"\([^)]*\)", lambda m: m.group(0).replace(",", "\u2063").replace(":", "\u2064"), text)
    return [part.replace("\u2063", ",").replace("\u2064", ":") for part in split(pattern, guarded)]


def organisation(notes: MeetingNotes, text: str) -> str | None:
    """The other party: 'gemeente Zwolle' or a named organisation in the title ('International School
    Eindhoven', 'Welzijn Veluwe-Oost'), else one named in the notes outside our own side's lines."""
    lowercase = re.search(r"\b(?:gemeente|gem\.)\s+([a-z][\w-]+)", notes.title or "")
    if lowercase and lowercase.group(1) not in ("wil", "is", "heeft", "en", "over"):  # 'overleg gem. venlo'
        return f"gemeente {lowercase.group(1).capitalize()}"
    placed = _PLACED_ROLE.search(notes.title or "")  # 'belletje met Petra (beleidsmedewerker Zwolle)'
    if placed and placed.group(1) not in _NOT_PLACES:
        return f"gemeente {placed.group(1)}"
    for raw in _outside_brackets(re.split, r"\s[-–—/|]\s|,|:|\s\+\s", notes.title or ""):
        segment = _MEETING_WORDS.sub("", re.sub(r"\([^)]*\)", " ", raw)).strip(" .")
        municipality = _ORGANISATION.search(raw)
        if municipality and municipality.group(1):  # a municipality is never ours, even in 'overleg MDT met gemeente Oss'
            return _named_organisation(raw)
        if not segment or find_date(segment) == segment or is_ours(segment):
            continue
        date = find_date(segment)
        if date:  # 'woningcorporatie De Woonbrug 1/12': the date is the meeting's, not the name's
            segment = re.sub(r"\s+", " ", segment.replace(date, " ")).strip(" .,")
        person = parse_person(segment)
        attendee = person is not None and any(same_person(person, other) or person.words() & other.words()
                                              for other in notes.attendees)
        if person is not None and person.rank >= 5 and notes.attendees and not attendee and person.surname:
            return f"gemeente {person.surname}"  # 'Kennismaking burgemeester Leeuwarden': a place, not a name
        named_person = person is not None and (person.title or person.female is not None or attendee)
        if municipality and not municipality.group(1) and re.search(r"\(", raw):
            return _named_organisation(raw)  # 'call with Hamza El Idrissi (Regio Noordkust Werkt)'
        if re.search(r"\b[A-ZÀ-Ý]", segment) and not named_person:
            return re.sub(r"\s+", " ", segment)
        if municipality:
            return _named_organisation(segment)
    theirs = "\n".join(line for line in text.splitlines() if not is_ours(line))
    return _named_organisation(theirs)


def recipient(notes: MeetingNotes) -> Person | None:
    """The other party's highest-ranking attendee; 'gesprek met X' in the title names X."""
    others = [p for p in notes.attendees if not p.ours]
    named = None
    if notes.title:
        met = re.search(r"\b(?:met|with|w/)\s+(.+)$", notes.title, re.I)
        if met and _ORGANISATION.match(met.group(1)):  # 'meeting with Municipality of X (Dijk en Waard)': no person
            met = None
        candidate = met.group(1) if met else _MEETING_WORDS.sub("", notes.title)
        for segment in re.split(r"\s[-–—+&]\s|,|\(|\s(?:about|over|on)\s", candidate):
            person = parse_person(segment) if find_date(segment.strip()) != segment.strip() else None
            # named with a title, a form of address, after 'met'; or one of their attendees, named in full
            if person and (person.title or person.female is not None or met and segment is candidate
                           or person.surname and not _named_organisation(segment) and any(
                               other.first_name == person.first_name and other.surname in (None, person.surname)
                               for other in others)):
                named = person
                break
            if met and person and not _named_organisation(segment):
                named = person
                break
    if named:
        for other in others:
            if same_person(named, other):
                return merge(named, other)
        if named.female is not None and named.title is None and TITLE.search(notes.title):
            # 'kennismaking wethouder sociaal domein Gemeente Hoogeveen, mw. A. de Wit': the role is hers
            named = merge(named, parse_person(f"{TITLE.search(notes.title).group(1)} {named.name}") or named)
        elif others and not re.search(r"\b(?:met|with)\b|\bw/", notes.title or "", re.I):
            # 'Kennismaking burgemeester Leeuwarden': a title and a place; the attendees name the person
            return max(others, key=lambda p: p.rank)
        return named
    return max(others, key=lambda p: p.rank) if others else None
