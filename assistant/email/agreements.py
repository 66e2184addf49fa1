"""Agreements in meeting notes: who does what by when. 'Sanne stuurt het plan voor 20 maart', 'offerte
sturen (Eva, 3/4)', 'Afgesproken dat Wim ... en dat dhr. De Vries ...', 'Annemiek en Noor stemmen af'."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import ends_in_abbreviation, find_date
from .people import TITLE

_PRONOUN = (r"wij|we|ik|I|me|mij|jullie|zij|they|jij|you|de gemeente|gemeente|the municipality|de school|the school|"
            r"our side|onze kant|us")
_ROLE_OWNER = (r"(?i:(?:de\s+|the\s+|onze\s+|our\s+)?" + TITLE.pattern + r")(?:\s+[A-Z][\w'’-]+(?:\s+(?:van|de|der|den|ter)?\s*[A-Z][\w'’-]+)?)?")
NAME = (r"(?:(?:(?:[Mm]rs?|[Mm]s|[Dd]hr|[Mm]evr|[Mm]w)\.?\s+)?[A-ZÀ-Ý][\w'’-]+(?:\s+(?:van der|van den|van|de|der|den|ter|ten|El|el)?\s*[A-ZÀ-Ý][\w'’-]+)?"
        r"|(?:[Dd]hr|[Mm]evr|[Mm]w)\.?\s+[a-zà-ÿ][\w'’-]+)")  # 'dhr jansen plant ...': notes written in lower case
VERB = re.compile(
    r"^(?:stuurt|sturen|stuur|zorgt|zorgen|regelt|regelen|plant|plannen|maakt|maken|neemt|nemen|deelt|delen|"
    r"mailt|mailen|belt|bellen|checkt|checken|zoekt(?=.*\buit\b)|zoeken(?=.*\buit\b)|vraagt|vragen|levert|leveren|organiseert|organiseren|"
    r"maak|stuur|bel|mail|plan|zoek|check|regel|vraag|schrijf|deel|lever|organiseer|neem|zorg|kijk|informeer|"
    r"werkt|werken|pakt|pakken|stemt|stemmen|overlegt|bekijkt|bekijken|zet|zetten|verzorgt|coördineert|peilt|"
    r"verkent|inventariseert|nodigt|nodigen|koppelt|schrijft|schrijven|stelt|stellen|legt|leggen|agendeert|bespreekt|bespreken|"
    r"zal|zullen|kijkt|kijken|brengt|brengen|informeert|informeren|onderzoekt|verstuurt|versturen|past|"
    r"werkt|werken|benadert|benaderen|geeft|geven|houdt|houden|komt|komen|bereidt|boekt|doet|doen|"
    r"will|'ll|sends|send|shares|share|checks|check|follows|organises|organizes|invites|invite|drafts|draft|"
    r"prepares|prepare|books|book|asks|ask|writes|write|calls|call|sets|set|looks|look|contacts|contact|"
    r"plans|plan|schedules|schedule|arranges|arrange|emails|email|finds|find|makes|make|takes|take|gets|get|"
    r"brings|bring|sets up|to|is going|are going|selects|select|selecteert|selecteren|confirms|confirm|bevestigt|"
    r"provides|provide|delivers|deliver|submits|submit|recruits|recruit|organise|organize|informs|inform|"
    r"circulates|circulate|collects|collect|verzamelt|verzamelen)\b", re.I)
_NAMES = rf"{NAME}(?:\s*[+&/]\s*{NAME}|\s+(?:en|and)\s+{NAME})*"  # 'Lotte + Mark'
_OWNER_FIRST = re.compile(rf"^(?:actie\s*[:\-]?\s*|action\s*[:\-]?\s*)?(?P<owner>{_PRONOUN}|{_ROLE_OWNER}|{_NAMES})\b"
                          rf"\s*(?P<sep>:|–|—|->|-|→)?\s*(?P<task>.+)$")
_OWNER_LAST = re.compile(rf"(?:\(\s*(?:actie:?\s*|wie:?\s*)?(?P<a>{_PRONOUN}|{_NAMES})\s*(?:[,;/]\s*[^)]*)?\)"
                         rf"|(?:→|->|—|–|\s-)\s*(?:actie:?\s*)?(?P<b>{_PRONOUN}|{_NAMES})"
                         rf"(?:\s*[,(]\s*[^)]*\)?)?\)?)\s*\.?$")
# Verbs of saying or feeling: 'Henk noemt de sportverenigingen' is a point made, not an action.
_SAYING = re.compile(r"^(?:noemt|vertelt|zegt|vindt|denkt|geeft|wil|kent|is|heeft|was|had|ziet|hoopt|twijfelt|"
                     r"mentions|mentioned|says|said|thinks|feels|likes|liked|wants|asked|has|is|was|knows|sees)\b",
                     re.I)
_NOT_OWNERS = set("""de het een the a an open mdt volgende besproken afspraken vragen met gesprek overleg meeting
next notes datum date budget interesse idee project projecten jongeren school gemeente college ook geen wel niet
goed mooi eerst alle graag misschien mogelijk""".split())
# A moment with the other party: a meeting, a visit, an invitation, a presentation.
_ABBREVIATION = re.compile(r"\b(?:mr|ms|mrs|dr|dhr|mevr|mw|ca|bijv|evt|o\.a|i\.p\.v|m\.b\.t|vs|etc)$", re.I)
AGREED = re.compile(r"(?:we hebben afgesproken|we spraken af|afgesproken|afspraak|agreed|we agreed)\b", re.I)


@dataclass
class Agreement:
    text: str
    owner: str | None
    date: str | None
    owner_first: bool = False  # the text opens with its owner ('Sanne stuurt ...')


def find_owner(text: str, names: set[str], strict: bool = False) -> tuple[str | None, bool]:
    """Who does it: 'Sanne stuurt ...', 'Sanne: ...', 'wij nodigen ...', '... (Sanne, 3/4)', '... → Kees'.
    `strict` for a loose line outside an agreements section: only an owner with an action verb counts."""
    lower = re.match(r"([a-zà-ÿ][\w'’-]+)\s+(?:\([^)]*\)\s+)?(\w+)", text)
    if lower and lower.group(1) in names and lower.group(1) not in _NOT_OWNERS and VERB.fullmatch(lower.group(2)) \
            and not _SAYING.fullmatch(lower.group(2)):
        return lower.group(1).capitalize(), True  # notes in lower case: 'kees checkt of ...', an attendee's action
    first = _OWNER_FIRST.match(text)
    if first:
        owner = first.group("owner").strip()
        task = re.sub(r"^\([^)]*\)\s*", "", first.group("task"))  # 'We (Lisa) to draft ...'
        known = bool({w.strip(".").lower() for w in owner.split()} & names) or bool(
            re.match(r"(?:mrs?|ms|dhr|mevr|mw)\b", owner, re.I))
        pronoun_or_role = re.fullmatch(rf"{_PRONOUN}|{_ROLE_OWNER}", owner, re.I) is not None
        # a known attendee or a titled person followed by a verb in the third person ('selecteert', 'decides')
        acting = (known and re.match(r"[a-zà-ÿ]+[ts]\b", task) and not _SAYING.match(task))
        if strict:
            if owner.lower() not in _NOT_OWNERS and VERB.match(task) and not _SAYING.match(task):
                return owner, True
            # 'Peter: overzicht trainingstijden sturen, z.s.m.': an attendee's (or my) task, its verb at the end
            if first.group("sep") == ":" and (known or pronoun_or_role) and any(
                    word.endswith("en") and VERB.fullmatch(word) for word in re.findall(r"[a-zà-ÿ]+", task)):
                return owner, True
        elif owner.lower() not in _NOT_OWNERS and (first.group("sep") or acting or pronoun_or_role and re.match(
                r"[a-zà-ÿ']", task) or VERB.match(task) and (known or owner[:1].isupper())):
            return owner, True
    if first and not strict and known and not _SAYING.match(first.group("task")):  # 'Wim voor eind januari een notitie schrijft'
        return first.group("owner").strip(), True
    clause = re.search(rf"[,?;]\s*(?P<owner>{_PRONOUN}|{NAME})\b\s+(?P<task>\w+.*)$", text)
    if clause and VERB.match(clause.group("task")) and clause.group("owner").lower() not in _NOT_OWNERS:
        return clause.group("owner"), False  # 'vervolgafspraak in oktober, Wouter plant die in'
    inner = re.search(rf"\((?P<owner>{_NAMES})\)", text)
    if inner and any(w.strip(".").lower() in names for w in inner.group("owner").split()):  # '(mw. El Amrani)'
        return inner.group("owner"), False
    last = _OWNER_LAST.search(text)
    if last:
        owner = (last.group("a") or last.group("b")).strip()
        # on a loose line only an attendee or a pronoun: '(Heechterp-Schieringen)' is a place, not an owner
        trusted = not strict or re.fullmatch(_PRONOUN, owner, re.I) or owner.split()[0].lower() in names
        if owner.lower() not in _NOT_OWNERS and trusted:
            return owner, False
    arrow = re.search(rf"\s(?:->|→)\s*(?P<owner>{_PRONOUN}|{NAME})\b\s+(?P<task>\w+.*)$", text)
    if arrow and VERB.match(arrow.group("task")) and arrow.group("owner").split()[0].lower() in names:
        return arrow.group("owner"), False  # '... cofinanciering ivm verlenging -> Petra checkt budget, vóór wk 12'
    return None, False


_DEADLINE_ONLY = re.compile(r"^(?:deadline|uiterlijk|vóór|voor|before|by|due)\b[^,;]{0,25}$", re.I)


def split_items(text: str) -> list[str]:
    """Several agreements in one sentence: 'Sanne stuurt X voor 20 maart en Petra checkt Y.'"""
    agreed_that = re.match(r"^(?:we hebben afgesproken|we spraken af|afgesproken)\s*dat\s", text, re.I)
    text = re.sub(r"^(?:we hebben afgesproken|we spraken af|afgesproken|afspraak|agreed|we agreed)\s*(?:dat|that|:)?\s*",
                  "", text, flags=re.I)
    parts: list[str] = []
    # a sentence's end, or a full stop before an owner and a verb in notes written in lower case
    for piece in re.split(r";\s*|(?<=[a-z0-9)])\.\s+(?=[A-Z])|(?<=\w)\.\s+(?=(?:ik|wij|we|dhr|mevr|mw)\.?\s)", text):
        if parts and _ABBREVIATION.search(parts[-1]):  # 'mevr. Van Leeuwen' is no sentence end
            parts[-1] = f"{parts[-1]}. {piece}"
        elif parts and _DEADLINE_ONLY.match(piece):  # '...; deadline 30 April': the date of the task before it
            parts[-1] = f"{parts[-1]}, {piece}"
        else:
            parts.append(piece)
    # '..., Sven will circulate it internally and I will contact ...': a comma before an owner and a verb
    split = []
    for part in parts:
        pieces = re.split(rf",\s+(?=(?:{_PRONOUN}|{NAME})\s+(?:will\s+|'ll\s+|zal\s+)?(?:{VERB.pattern[1:]}))", part)
        # only where the piece before has its own owner ('vervolgafspraak in oktober, Wouter plant die in' is one)
        if len(pieces) > 1 and not all(_OWNER_FIRST.match(p) for p in pieces):
            pieces = [part]
        split.extend(pieces)
    parts = split
    items = []
    for number, part in enumerate(parts):
        cut = 0
        clause = bool(agreed_that) and number == 0  # 'Afgesproken dat Lisa een voorstel schrijft ...'
        for joiner in re.finditer(r"\s+(?:en|and)\s+(?:dat\s+|that\s+)?", part):
            if re.match(r"\s+(?:en dat|and that)\s", joiner.group(0) + " "):  # '... en dat dhr. De Vries die doorzet'
                items.append(main_clause(part[cut:joiner.start()]) if clause else part[cut:joiner.start()])
                cut = joiner.end()
                clause = joiner.group(0).strip().lower().startswith("en dat")
                continue
            # a new item only where an owner and a verb open it ('... en Petra checkt het budget'), after more
            # than a name ('Annemiek en Noor stemmen af' is one item)
            opening = _OWNER_FIRST.match(part[joiner.end():])
            if (opening and VERB.match(opening.group("task")) and opening.group("owner").lower() not in _NOT_OWNERS
                    and not opening.group("owner").isupper()  # '... in EN and NL -> send to Tom': no owner 'NL'
                    and len(part[cut:joiner.start()].split()) >= 3):
                items.append(part[cut:joiner.start()])
                cut = joiner.end()
        items.append(main_clause(part[cut:]) if clause else part[cut:])
    return [_without_full_stop(i) for i in items if i.strip(" .")]


def _without_full_stop(item: str) -> str:
    """'..., z.s.m.' keeps the full stop of its abbreviation; a sentence's is left off."""
    item = item.strip()
    return item.lstrip(" .") if ends_in_abbreviation(item) else item.strip(" .")


def main_clause(item: str) -> str:
    """A 'dat'-clause's agreement in the word order of a sentence of its own: its verb comes last ('Lisa een
    voorstel schrijft (eind december)') and goes after the owner ('Lisa schrijft een voorstel (eind december)')."""
    opening = _OWNER_FIRST.match(item)
    if not opening or opening.group("sep") or VERB.match(opening.group("task")):
        return item
    task = opening.group("task")
    verbs = [m for m in re.finditer(r"(?<![\w-])[a-zà-ÿ]+(?=[\s,.(]|$)", task) if VERB.fullmatch(m.group(0))]
    if not verbs:
        return item
    verb = verbs[-1]
    rest = re.sub(r"\s{2,}", " ", task[:verb.start()] + task[verb.end():]).strip()
    return f"{item[:opening.start('task')]}{verb.group(0)} {rest}"


def owner_and_date(item: str, names: set[str]) -> tuple[str | None, str | None, bool]:
    who, first = find_owner(item, names)
    return who, find_date(item), first


def is_action(text: str, names: set[str]) -> bool:
    return find_owner(text, names, strict=True)[0] is not None
