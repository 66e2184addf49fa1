"""Reading meeting notes as people type them: who was there, what was discussed, agreements with owners and
dates, open questions, the next moment. Headers come with or without colons, in markdown or bold, or as a
bullet of their own; a line that is a header is never an item."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agreements import AGREED, VERB, Agreement, is_action, owner_and_date, split_items
from .counterpart import opening_organisation, organisation, recipient
from .dates import DATE, find_date
from .people import (FORMAL_RANK, PORTFOLIO, TITLE, Person, first_name_basis, is_ours, parse_person)

__all__ = ["DATE", "MeetingNotes", "parse_notes"]

_SECTIONS = {
    "present": r"aanwezig|aanwezigen|aanw\.?|ook aanwezig|ook bij|deelnemers|met wie|wie waren er|present|attendees|participants|"
               r"also present|also joined|joined|who",
    "discussed": r"besproken|wat we bespraken|wat is besproken|bespreekpunten|gespreksverslag|verslag|onderwerpen|"
                 r"punten|agenda|discussed|discussion|topics|summary|samenvatting|"
                 r"achtergrond|aanleiding|background|context|indruk|impressions?|gesprek",
    "agreements": r"afspraken|afgesproken|gemaakte afspraken|actiepunten|acties|actie|to ?do'?s?|wie doet wat|"
                  r"agreements|agreed|actions|action items|action points|next steps|vervolgstappen",
    "questions": r"open vragen|openstaande vragen|openstaande punten|vragen|vragen die nog openstaan|nog uitzoeken|uitzoeken|open punten|nog open|"
                 r"open questions|questions|open issues|to find out|open|unclear",
    "next": r"volgende afspraak|volgende keer|next time|vervolgafspraak|volgende? overleg|vlg\.? (?:afspraak|overleg)|vervolgoverleg|vervolg|next meeting|follow-up|"
            r"follow up|planning",
    "meta": r"datum|date|tijd|time|locatie|location|plaats|onderwerp|subject|organisatie|organisation|notulist|notulen|"
            r"verslaglegging|minutes|minute taker|note ?taker",
    # what follows is sorted line by line, as before any heading: an action, a question or a point
    "other": r"notes|notities|aantekeningen|rondvraag|w\.?v\.?t\.?t\.?k\.?|overige punten|overig|any other business|a\.?o\.?b\.?|other business|"
             r"sluiting|afsluiting|closing|close",
}
_HEADER = re.compile(
    rf"^(?P<name>{'|'.join(_SECTIONS.values())})(?:\s*\([^)]*\))?\s*(?:(?P<colon>[:：]|\s[•|]\s)\s*(?P<rest>.*))?$",
    re.I)
# A heading of the notes' own ('## Stand van zaken', '**Werkbezoek**'): what follows was discussed.
_TOPIC_HEADER = re.compile(r"^\s*(?:#{1,6}\s+\S.{0,60}|\*\*[^*]{2,60}\*\*\s*:?)\s*$")
# A line for our eyes only: 'intern: Joke sceptischer', '(intern: ...)', '[privé] ...', 'NB intern: ...'; a note
# to self 'NB: Peter is nogal chaotisch ...', 'NB voor ons: Tom heeft nog geen VOG ...' too (what a mail
# to Peter must never say; a fact for both sides marked 'NB' is rarer, and a point left out costs less).
_SECRET = (r"(?:intern|internal|note to self|notes to self|n\.?b\.?(?:\s+(?:voor|for)\s+(?:ons|us|mij|me|onszelf|ourselves))?|"
           r"privé|prive|private|confidential|vertrouwelijk|niet delen|niet voor (?:de )?(?:mail|gemeente)|"
           r"alleen voor ons|for our eyes only|not for sharing)")
INTERNAL = re.compile(rf"^\s*(?:[-*•]\s*)?[(\[]?\s*(?:nb\s*[:,]?\s*)?{_SECRET}"
                      r"\b(?:\s+(?:note|notes|notitie|notities|opmerking|remark))?(?:\s*\([^)]*\))?\s*[:\-–—\])]"
                      # 'internal – Hamza seems to have mandate', 'Internal note (not for minutes): ...' too; and
                      # 'NB wethouder wil graag een foto-moment': a capital NB opening a line is a note to self
                      r"|^\s*(?:[-*•]\s*)?(?-i:NB)\s+(?=\w)", re.I)
# The same remark in brackets inside a line: 'hoe meten we uitval? (intern: in Marendam hadden ze ...)' (left out);
# a line marked so anywhere, 'side note (internal): Linda sees overlap ...', is ours whole.
INTERNAL_ASIDE = re.compile(rf"\s*[(\[]\s*{_SECRET}\s*[:\-–—]\s*[^)\]]*[)\]]", re.I)
INTERNAL_MARK = re.compile(rf"[(\[]\s*{_SECRET}\s*[)\]]", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦>·–—+]+|\d{1,2}\.\d{1,2}\.?|\d{1,2}[.)]|[a-z]\)|[a-h]\.|\[\s?[xX ]?\s?\])\s+")
_MARKUP = re.compile(r"^\s*#{1,6}\s*|^\s*[*_]{2}|[*_]{2}\s*:?\s*$")
# Pronouns and role words that own an action ('wij nodigen ...', 'de wethouder stuurt ...').
_MEETING = re.compile(r"\b(afspraak|vervolgafspraak|vervolggesprek|vervolgoverleg|overleg|gesprek|bijeenkomst|meeting|vergadering|werkbezoek|"
                      r"bezoek|presentatie|eindpresentatie|presentation|sessie|session|call|lunch|middag|afternoon|"
                      r"evenement|event|visit|terugkoppeling|evaluatie|kennismaking|nodig\w*|uitnodig\w*|invite\w*|"
                      r"follow-up|catch-up)\b|\b(?:zien|spreken) (?:we )?elkaar\b", re.I)
# Words that name the next meeting itself ('volgende keer bij ons', 'we'll talk again Oct 23').
_NEXT = re.compile(r"\b(?:vervolgafspraak|vervolggesprek|(?:volgende?|vlg\.?) (?:keer|afspraak|overleg|gesprek)|vervolgoverleg|"
                   r"next (?:meeting|time)|follow-up meeting|talk again|meet again|speak again|catch up again|(?:zien|spreken) (?:we )?elkaar (?:weer|opnieuw))\b",
                   re.I)
_PERSON_WORDS = {"wij", "ik", "me", "we", "onze", "ons", "our", "van", "de", "der", "den", "ter", "ten", "te", "mevr.",
                 "dhr.", "mevr", "dhr", "namens", "en", "and", "&", "mw.", "v.", "wh", "bm", "beleid", "el",
                 "his", "her", "colleague", "colleagues", "collega", "collega's"}  # 'Hamza + his colleague Mrs ...'
# 'Petra Mulder, beleidsmedewerker jeugd' is one person; 'Mr. Peters (team leader), me' are two.
_SELF = {"ik", "me", "mij", "wij", "we", "myself", "onze", "our", "van"}


@dataclass
class MeetingNotes:
    title: str | None = None
    meeting_date: str | None = None
    organisation: str | None = None
    participants: list[str] = field(default_factory=list)
    attendees: list[Person] = field(default_factory=list)
    recipient: Person | None = None  # the other party's main attendee
    formal: bool = True              # 'u' (True) or 'je'
    discussed: list[str] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    next_meeting: str | None = None
    next_proposal: str | None = None  # a moment for the next meeting that is still to be set ('liefst begin maart')
    headers: list[str] = field(default_factory=list)

    @property
    def counterpart(self) -> str | None:
        return self.recipient.name if self.recipient else None


def _strip(line: str) -> tuple[str, bool]:
    """A line without its bullet and markup, and whether it had a bullet."""
    bulleted = bool(_BULLET.match(line))
    text = _BULLET.sub("", line)
    text = _MARKUP.sub("", text).strip()
    text = re.sub(r"\*\*|__", "", text).strip()
    return re.sub(r"\s+", " ", text).strip(" ;"), bulleted


def _section(name: str) -> str:
    return next(key for key, pattern in _SECTIONS.items() if re.fullmatch(pattern, name, re.I))


def notes_header(text: str) -> tuple[str, str, str] | None:
    """(section, rest, header word) for 'Afspraken:', 'ACTIEPUNTEN', '## Open vragen', 'Aanwezig: Petra, Sanne'."""
    match = _HEADER.match(text.rstrip(":").strip() if not re.search(r"[:：]\s*\S", text) else text)
    if not match:
        return None
    return _section(match.group("name")), (match.group("rest") or "").strip(), match.group("name")


def looks_like_people(line: str) -> bool:
    """'Joost en Eva (wij), Lisa Nijhuis (beleidsmedewerker jeugd)', '- Niels (wij)', 'wethouder Annet Kamphuis
    (Zorg) — laatste 20 min': an attendee line without its header. Only names, titles and portfolios."""
    text = re.split(r"\s[—–-]\s", line)[0]
    if not (re.search(r"\(", text) or TITLE.search(text) or is_ours(text)):
        return False
    words = re.findall(r"[\w'’.-]+", re.sub(r"\([^)]*\)", " ", text))
    return bool(words) and all(w[:1].isupper() or w.lower() in _PERSON_WORDS or TITLE.fullmatch(w)
                               or w.lower() in PORTFOLIO for w in words)


_MET_IN_TITLE = re.compile(r"\b(?:w/|with|met|call|belletje)\s+((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+(?:van|de|der|den)?\s*[A-ZÀ-Ý][\w'’-]+)?)(?=\s*[(,\-–—]|\s+\d|$)")
_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "el", "op", "'t"}


def _names_only(line: str) -> bool:
    """'Marieke de Vries, Ahmed, Lotte, Bas' under the title: two names or more and nothing else."""
    parts = [p.strip() for p in re.split(r",|\s\+\s|\s&\s|\s(?:en|and)\s", line) if p.strip()]
    return 2 <= len(parts) <= 12 and all(
        1 <= len(p.split()) <= 4 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in p.split()) for p in parts)


def _outside_commas(text: str) -> list[str]:
    """'Marco (jeugdvoorzitter), Fenna (vrijwilligerscoörd.), ik (Sanne)' -> its three members."""
    return [m.strip() for m in re.split(r",\s*(?![^(]*\))", text) if m.strip()]


def _people_in_title(title: str, text: str) -> list[str]:
    """Who was there, as the title says: 'vv Oranje Blauw - 20/2 - Peter (voorz.) + Mo + ik' ('+ ik' makes only
    me ours), 'VV Rood-Wit - Marco (jeugdvoorzitter), Fenna (...), ik (Sanne)' (a list that ends with me), 'bieb
    Nijkerk / Lotte' with 'lotte regelt zaal' below (a first name that acts in the notes), 'call w/ Ben
    (Zorggroep Noorderhaven, ...) 10/4'."""
    people = [member for part in re.split(r"\s+[-–—|/]\s+|,\s*", title)[1:]
              if looks_like_people(part) and re.search(r"\s[+&]\s(?:ik|me|wij|we)$", part, re.I)
              for member in re.split(r"\s[+&]\s|,", part)]
    listed = re.split(r"\s+[-–—|/]\s+", title)[-1]
    if listed != title and re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ]{2,}", listed) and any(
            VERB.fullmatch(m.group(1).lower()) for m in re.finditer(rf"^\W*{listed}\s+(\w+)", text, re.I | re.M)):
        people.append(listed)
    if re.search(r",\s*(?:ik|me|wij|we)\b(?:\s*\([^)]*\))?$", listed, re.I):
        people += [m for m in _outside_commas(listed) if looks_like_people(m) or _names_only(m + ", X")]
    met = _MET_IN_TITLE.search(title)
    return people + ([met.group(1)] if met and not is_ours(met.group(1)) else [])


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


def _numbered_heading(lines: list[str], number: int) -> bool:
    """'2. Mogelijkheden MDT' over indented items ('   a. jongeren kunnen meedraaien ...'), or minutes' '3. Financiering
    2025-2026' over a paragraph ('De gemeente is bereid ...'): a topic, not a point."""
    raw = lines[number]
    match = re.match(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+([^.:?!]{2,40})$", raw)  # '* Wat loopt' over '  - 6 mdt-ers ...' too
    if not match or len(match.group(1).split()) > 4 or number + 1 >= len(lines):
        return False
    below = lines[number + 1]
    return _indent(below) > _indent(raw) or not _BULLET.match(below) and bool(re.search(r"[.!?]\s*$", below)) \
        and len(below.split()) > len(match.group(1).split()) + 3


def parse_notes(text: str) -> MeetingNotes:
    notes = MeetingNotes()
    section = None
    lines = [line for line in text.replace("\r", "").split("\n") if line.strip()]
    pending: list[tuple[str | None, str]] = []
    title_people: list[str] = []
    for number, raw in enumerate(lines):
        line, bulleted = _strip(raw)
        if INTERNAL_MARK.search(line):
            continue
        line = line if INTERNAL.match(line) else INTERNAL_ASIDE.sub("", line).strip()
        if not line:
            continue
        header = notes_header(line)
        if header is None and (_TOPIC_HEADER.match(raw) and not bulleted or _numbered_heading(lines, number)):
            header = ("discussed", "", line.rstrip(":"))  # '## Stand van zaken', '**Budget**': a topic of the talk
        if header:
            name, rest, word = header
            notes.headers.append(word)
            if name == "other":
                name = "aside"  # '4. Rondvraag': its lines are actions, questions or points by what they say
            if name == "next" and _NEXT.search(word):
                name = "next_named"  # 'Volgende afspraak: over 6 weken, Dirk plant in': its moment is the meeting's
            if not rest:
                section = name
                continue
            if name == "meta":
                if re.match(r"dat|date", line, re.I) and not notes.meeting_date:
                    notes.meeting_date = find_date(rest)
                if re.match(r"organisat", line, re.I):
                    notes.organisation = rest
                continue
            pending.append((name, rest))
            continue
        if INTERNAL.match(line):
            continue  # 'intern: Joke sceptischer', '(intern: wethouder leek enthousiaster)': for our eyes only
        if notes.title is None and not pending and not bulleted and len(line) < 140 and find_date(line) != line:
            notes.title = line.rstrip(":")
            notes.meeting_date = notes.meeting_date or find_date(line)
            # 'vv Oranje Blauw - 20/2 - Peter (voorz.) + Mo + ik': who was there, in the title
            title_people = _people_in_title(line, text)
            continue
        date = find_date(line)
        # 'do 23 jan' under the title; '12 februari 2025, stadhuis', 'March 5, 2025 (online, Teams)': where, too
        if date and line.startswith(date) and len(line[len(date):].split()) <= 4 and not notes.meeting_date \
                and not pending:
            notes.meeting_date = date
            continue
        on_behalf = re.match(r"^(?:namens|van de kant van|on behalf of|for)\s+([^:]{2,60}):\s*(.+)$", line, re.I)
        if on_behalf and section in (None, "present"):  # 'Namens MDT Zeeland: Femke Dekker, Bram Sinke'
            theirs = re.search(r"gemeente|municipality|provincie|province|school|college|woon", on_behalf.group(1), re.I)
            pending.append(("present", on_behalf.group(2) + ("" if theirs else " (wij)")))
            continue
        with_whom = re.match(r"^(?:met|with)\s+(.+?)\.?$", line, re.I)
        if section is None and with_whom and looks_like_people(with_whom.group(1)):
            pending.append(("present", with_whom.group(1)))  # 'Met mevr. Van der Berg (...) en dhr. Koster (...).'
            continue
        if section is None and (looks_like_people(line) or not pending and _names_only(line)):
            pending.append(("present", line))
            continue
        marked = _ACTION_MARK.match(line)  # 'ACTIE Fenna: vaste begeleider za vóór eind maart': hers, whatever the section
        pending.append(("agreements", line[marked.end():]) if marked else (section, line))
    for line in title_people:
        _attendees(line, notes)
    for section_of_line, line in pending:
        if section_of_line == "present":
            _attendees(line, notes)
    names = {w for p in notes.attendees for w in p.words()}
    # Minutes that list their agreements ('6. Afspraken') give them there: a 'Rondvraag' line on one of those tasks
    # is what was discussed (the blind reader found each agreement twice); a new task there is an agreement.
    listed = [_content(line) for section_of_line, line in pending if section_of_line == "agreements"]
    to_plan = False  # the notes say the next meeting is still to be planned: no task's date is its moment
    for section_of_line, line in pending:
        if section_of_line == "present":
            continue
        if section_of_line == "aside":
            said = _content(line)
            section_of_line = "discussed" if any(len(said & task) >= 3 for task in listed) else None
        named_next = section_of_line == "next_named"
        section_of_line = "next" if named_next else section_of_line
        if section_of_line == "next" and not is_action(line, names) and _TO_PLAN.search(line):
            notes.next_proposal = notes.next_proposal or find_date(line)  # 'nog plannen, liefst begin maart'
            to_plan = True
            continue
        if section_of_line == "next" and (named_next or not is_action(line, names) or _MEETING.search(line)) \
                and has_moment(line):
            notes.next_meeting = line if not notes.next_meeting else f"{notes.next_meeting}; {line}"
            if not is_action(line, names):
                continue
        no_next_said = _NO_NEXT.search(line)
        # 'no follow-up meeting planned yet', under Actions too (not 'X raises it (no date yet)'), and 'persbericht?
        # -> nog niet, eerst afspraken rond' (decided against): nobody's action
        if no_next_said and not line[:no_next_said.start()].rstrip().endswith("(") or _DECIDED_NOT.search(line):
            notes.discussed.append(line)
            continue
        # '?? reiskostenvergoeding, wie betaalt': a question marked as still open
        marked = _MARKED_OPEN.match(line)
        if marked and section_of_line != "agreements":
            line = line[marked.end():].rstrip(" .")
            line = line if line.endswith("?") else line + "?"
        # 'Mo: check KNVB-cursus pupillentrainer, kosten?' is Mo's action, its question a detail of it
        if section_of_line == "questions" or (line.endswith("?") and section_of_line != "agreements"
                                              and not (section_of_line is None and _ACTION_ASKING.search(line)
                                                       and is_action(line, names))):
            # 'wie betaalt de begeleiding? kan de bibliotheek aansluiten?': one open question per item
            notes.questions.extend(re.split(r"(?<=\?)\s+(?=\S)", line))
        elif section_of_line == "next" and _NEXT.search(line):
            continue  # 'we spreken elkaar weer na het regio-overleg, 17 dec': the next meeting, nobody's action
        elif section_of_line in ("agreements", "next") or section_of_line is None and (
                is_action(line, names) or AGREED.match(line)):
            items = [Agreement(item, *owner_and_date(item, names)) for item in split_items(line)]
            if re.search(r"\b(?:all|both|allebei|beide|beiden|alle)\b", items[-1].text) and items[-1].date:
                for item in items:  # '..., allebei voor eind februari': one date for every item of the line
                    item.date = item.date or items[-1].date
            notes.agreements.extend(items)
        else:
            notes.discussed.append(line)
    no_next = next((line for line in notes.discussed + notes.questions if _NO_NEXT.search(line)), None)
    if no_next:  # 'Geen vervolgafspraak gemaakt.': nothing to tie the call to action to
        (notes.discussed if no_next in notes.discussed else notes.questions).remove(no_next)
    if notes.next_meeting is None and not no_next and not to_plan:  # the next meeting named in a line, then a dated moment
        named = next((line for line in notes.discussed + notes.questions if _NEXT.search(line) and find_date(line)),
                     None)
        if named:
            (notes.discussed if named in notes.discussed else notes.questions).remove(named)
            if is_action(named, names):  # 'Els plant een vervolggesprek ... na de zomer': hers to do, too
                notes.agreements.append(Agreement(named, *owner_and_date(named, names)))
        shared = next((a for a in notes.agreements if _NEXT.search(a.text) and a.date
                       and (a.owner or "we").lower() in ("we", "wij")), None)
        if shared and not named:  # "we'll talk again Oct 23" is the next meeting, nobody's action
            notes.agreements.remove(shared)
            named = shared.text
        notes.next_meeting = named or next((a.text for a in notes.agreements if a.date and _moment_with_them(a.text)),
                                           None)
    notes.organisation = notes.organisation or organisation(notes, text)
    for agreement in notes.agreements:  # 'Stichting Jong Oss levert vóór 1 maart een voorstel aan': the organisation's
        named = None if agreement.owner else opening_organisation(agreement.text)
        if named and re.match(r"\s+[a-zà-ÿ]+[ts]\b", agreement.text[len(named):]):
            agreement.owner, agreement.owner_first = named, True
    notes.recipient = recipient(notes)
    notes.formal = notes.recipient is None or notes.recipient.rank >= FORMAL_RANK or not first_name_basis(
        notes.recipient, text)
    return notes


def _content(line: str) -> set[str]:
    """The longer words of a line, lower case: what two lines on one task share ('Smit', 'secretariaat')."""
    return {w for w in re.findall(r"\w{4,}", line.lower()) if not w.isdigit()}


def _attendees(line: str, notes: MeetingNotes) -> None:
    """'Joost en Eva (wij), Lisa Nijhuis (beleidsmedewerker jeugd)': a group marked as ours is ours whole.
    'Petra Mulder, beleidsmedewerker jeugd' is one person; 'Joost (teamleider), mentor Esra' are two."""
    groups: list[str] = []
    for part in re.split(r"[,;•|]", line):
        opening = part.strip().split(" ")[0].lower() if part.strip() else ""
        describes = groups and opening not in _SELF and parse_person(part) is None and not is_ours(part)
        if describes:
            groups[-1] += "," + part
        elif part.strip():
            groups.append(part)
    for group in groups:
        members = [m.strip(" .") for m in re.split(r"\s\+\s|\ben\b|\band\b", group) if m.strip(" .")]
        ours = is_ours(group)
        for member in members:
            notes.participants.append(member)
            person = parse_person(member)
            if person is not None:
                person.ours = person.ours or ours
                notes.attendees.append(person)


_NO_NEXT = re.compile(r"\b(?:geen|nog geen) (?:vervolgafspraak|vervolgoverleg|nieuwe afspraak|datum)|\bno (?:follow-up|next)"
                      r" (?:meeting|mtg|date|call)|\bno date (?:set|yet)\b|\bnog geen datum\b|^niet afgesproken\b|"
                      r"^not (?:yet )?agreed\b", re.I)
# 'Mo: check KNVB-cursus pupillentrainer, kosten?': an owner's task, a short question about it after a comma
_DECIDED_NOT = re.compile(r"\?\s*(?:->|→|:|-)?\s*(?:nee|nog niet|niet nu|no|not yet|not now)\b", re.I)
_ACTION_MARK = re.compile(r"^(?:ACTIE|ACTION|TODO|TO DO)\s*[:\-–]?\s+(?=[A-ZÀ-Ýa-z])")
_ACTION_ASKING = re.compile(r"^[^:?]{1,40}:\s[^?]*,\s*[^,?]{1,25}\?$|\s(?:->|→)\s*[^,?]+,\s*[^,?]{1,25}\?$")
# A moment still to be set ('ik: evaluatie plannen na 6 wkn'): no agreed meeting to name in the call to action.
_TO_PLAN = re.compile(r"\b(?:plannen|inplannen|te plannen|nog te bepalen|wordt (?:nog )?gepland|to schedule|schedule|to plan|tbc|"
                      r"to be confirmed|to be (?:scheduled|planned))\b",
                      re.I)
_INVITATION = re.compile(r"\b(?:nodig\w*|uitnodig\w*|invite\w*)\b", re.I)
_MARKED_OPEN = re.compile(r"^\?{1,3}\s+")
_TENTATIVE = re.compile(r"\b(?:checkt?|check(?:s|ing)?|kijkt|kijken|gaat na|vraagt na|navragen|peilt|polst|"
                        r"onderzoekt|asks?|see|find out)\b.*\b(?:of|whether|if)\b", re.I)


def _moment_with_them(text: str) -> bool:
    """A dated meeting, visit or presentation; an invitation only where it names the other party ('wij nodigen
    de wethouder uit voor ...'), not one we send out ('Anouk stuurt de uitnodiging voor de MDT-dag'). One that
    somebody is still to check ('Mirjam checkt of wethouder Peters in januari een werkbezoek kan doen') is
    no agreed moment."""
    if _TENTATIVE.search(text) or _TO_PLAN.search(text):
        return False
    if not _MEETING.search(_INVITATION.sub("", text)):
        return bool(_INVITATION.search(text)) and bool(re.search(
            r"\b(?:de|the)\s+(?:wethouder|alderman|burgemeester|mayor|gemeente|municipality|school|directeur|director)\b",
            text, re.I)) and not re.search(r"\buitnodiging\b", text, re.I)
    return True


def is_next_meeting(line: str) -> bool:
    """'Volgend overleg half januari', 'we'll talk again Oct 23': the parties' next meeting."""
    return bool(_NEXT.search(line))


def has_moment(line: str) -> bool:
    return find_date(line) is not None or bool(_MEETING.search(line))
