"""Who was at the meeting, who the e-mail goes to, and how to address them.

An attendee is written in many ways: 'wethouder Van Dijk (sociaal domein)', 'wethouder Jeugd & Onderwijs
Marieke de Vries', 'mevr. De Vries', 'Mr. Peters (team leader mbo)', 'onze directeur Linda', 'Sanne (wij)'.
The name is what follows a title or honorific, past any portfolio; a role or a portfolio is never the name."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Title -> rank: the other party's highest-ranking attendee is the one addressed.
_RANKS = {
    "burgemeester": 6, "mayor": 6,
    "wethouder": 5, "alderman": 5, "gedeputeerde": 5,
    "directeur": 4, "director": 4, "bestuurder": 4, "rector": 4, "principal": 4, "bestuursvoorzitter": 4,
    "teamleider": 3, "team leader": 3, "manager": 3, "afdelingshoofd": 3, "head": 3, "voorzitter": 3,
    "programmamanager": 3, "coördinator": 2, "coordinator": 2, "projectleider": 2, "project leader": 2,
    "beleidsmedewerker": 2, "beleidsadviseur": 2, "adviseur": 2, "policy officer": 2, "policy advisor": 2,
    "policy adviser": 2, "accountmanager": 2, "consulent": 2, "docent": 2, "teacher": 2, "mentor": 2,
    "contactpersoon": 2, "ambtenaar": 2, "officer": 2, "regiocoördinator": 2, "regiofacilitator": 2,
}
# Titles that address a person in a greeting ('Beste wethouder Van Dijk,'), in Dutch and English.
ADDRESS_TITLES = {"wethouder": "Alderman", "burgemeester": "Mayor", "gedeputeerde": "Deputy",
                  "alderman": "Alderman", "mayor": "Mayor"}
# Ranks at which 'u' is used whatever the notes call the person.
FORMAL_RANK = 4
TITLE = re.compile(r"\b(" + "|".join(sorted((re.escape(t) for t in _RANKS), key=len, reverse=True)) + r")\b", re.I)
_HONORIFIC = re.compile(r"(?<![\w])(mevrouw|mevr\.?|mw\.?|mrs\.?|ms\.?|miss|meneer|dhr\.?|de heer|mr\.?)(?=\s)", re.I)
_DOCTOR = re.compile(r"(?<![\w])(?:dr\.?|drs\.?)(?=\s)", re.I)
_FEMALE = {"mevrouw", "mevr", "mw", "mrs", "ms", "miss"}
_OURS = re.compile(r"\b(wij|ik|we|me|us|ons|onze|our|zelf|myself|namens ons|van ons|on our side)\b", re.I)
PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op", "von", "la", "le", "du", "da", "el",
             "al", "v."}
# Abbreviations of titles in quick notes: 'wh De Groot', 'bm Ingrid'.
ABBREVIATED_TITLES = {"wh": "wethouder", "weth.": "wethouder", "bm": "beleidsmedewerker", "burg.": "burgemeester",
                      "dir.": "directeur"}
# A portfolio between a title and the name ('wethouder Jeugd & Onderwijs Marieke de Vries') is skipped.
PORTFOLIO = set("""jeugd onderwijs zorg welzijn sport cultuur sociaal sociale domein economie werk inkomen participatie
wonen financiën financien armoede veiligheid duurzaamheid mobiliteit gezondheid jongeren jeugdzaken schuldhulp
volksgezondheid ruimte klimaat energie integratie statushouders wmo jeugdzorg arbeidsmarkt & en / , and youth
education care welfare culture housing economy work income social affairs domain poverty health safety finance
climate energy mobility beleid soc""".split())
# Capitalised words that are never a name.
_NOT_NAME = PORTFOLIO | set("""mbo hbo vo po gemeente municipality school college regio stichting namens aanwezig
aanwezigen deelnemers present attendees the de het een mdt beleid team gem wij ik we notes notities verslag overleg
gesprek meeting call kennismaking kennismakingsgesprek afspraak bezoek werkbezoek visit""".split())
# A single word given without a first name reads as a surname where it ends like a Dutch surname ('Verhagen').
_INITIALS = re.compile(r"(?:[A-Z]\.?){1,3}")  # 'A', 'J.P' (the name's dots are stripped before)
_SURNAME_ENDING = re.compile(r"\w{3,}(?:gen|ink|ing|stra|sma|man|mans|ers|sen|huis|veld|berg|kamp|hof|link|dijk|"
                             r"hout|horst|broek|beek|meijer|maker)$", re.I)
_TOKEN = re.compile(r"[\w'’.-]+|&|/|,")


@dataclass
class Person:
    name: str                    # as written, without title, honorific or portfolio
    first_name: str | None = None
    surname: str | None = None   # with its particles as written ('de Vries', 'Van Dijk')
    title: str | None = None     # 'wethouder', 'beleidsmedewerker', 'team leader' ...
    female: bool | None = None   # from an honorific only
    ours: bool = False
    doctor: bool = False         # 'Dr. Helen Whitaker': greeted 'Dear Dr Whitaker,'
    rank: int = 1

    def words(self) -> set[str]:
        return {w.lower() for w in self.name.split()}


def _split_name(tokens: list[str], after_title: bool) -> tuple[str | None, str | None]:
    """(first name, surname): 'Marieke de Vries' -> ('Marieke', 'de Vries'); 'Van Dijk' -> (None, 'Van Dijk');
    a single word after a title or honorific is a surname ('wethouder Bakker', 'Mr. Peters')."""
    if len(tokens) > 1 and _INITIALS.fullmatch(tokens[0]):  # 'mw. A. Bosman', 'J.P. de Wit': an initial is no
        surname = " ".join(t for t in tokens if not _INITIALS.fullmatch(t))  # first name to greet by
        return None, surname or tokens[-1]
    if len(tokens) == 1:
        surname = after_title or bool(_SURNAME_ENDING.fullmatch(tokens[0]))
        return (None, tokens[0]) if surname else (tokens[0], None)
    if tokens[0].lower() in PARTICLES:
        return None, " ".join(tokens)
    for i, token in enumerate(tokens[1:], 1):
        if token.lower() in PARTICLES:
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    return " ".join(tokens[:-1]), tokens[-1]


def _name_tokens(text: str) -> list[str]:
    """The run of name words: capitalised words with particles between them, past portfolio words."""
    tokens = _TOKEN.findall(text)
    run: list[str] = []
    for n, token in enumerate(tokens):
        word = token.strip(".")
        if re.search(r"['’]s$", word):  # "Hannah's colleague Ravi Sharma": a possessive is not the name
            run = []
            continue
        capital = word[:1].isupper() and word.lower() not in _NOT_NAME and not TITLE.fullmatch(word)
        after = tokens[n + 1].strip(".") if n + 1 < len(tokens) else ""
        if capital or (word.lower() in PARTICLES and run):
            run.append(word)
        elif word.lower() in PARTICLES and not run and (word[:1].isupper() or (
                after[:1].isupper() and after.lower() not in _NOT_NAME and not TITLE.fullmatch(after))):
            run.append(word)  # 'Van Dijk', 'mevr. de Vries'
        elif run or word.lower() not in PORTFOLIO:
            break  # 'burgemeester gemeente Oldenzaal' names no one
    while run and run[-1].lower() in PARTICLES:
        run.pop()
    return run


def parse_person(entry: str) -> Person | None:
    """One attendee entry, or None where it names nobody ('gemeente Zwolle', 'ik')."""
    entry = re.sub(r"(?<![\w.])(wh|weth\.|bm|burg\.|dir\.)(?=\s)",
                   lambda m: ABBREVIATED_TITLES[m.group(1).lower()], entry, flags=re.I)
    ours = is_ours(entry)
    outside = re.sub(r"\([^)]*\)", " ", entry)
    doctor = bool(_DOCTOR.search(outside))
    outside = _DOCTOR.sub(" ", outside)
    inside = " ".join(re.findall(r"\(([^)]*)\)", entry))
    title_match = TITLE.search(outside) or TITLE.search(inside)
    title = title_match.group(1).lower() if title_match else None
    honorific = _HONORIFIC.search(outside)
    female = None
    if honorific:
        female = honorific.group(1).lower().rstrip(".") in _FEMALE
    title_in = TITLE.search(outside)
    # Where the name is: after the title or honorific ('wethouder Van Dijk', 'mevr. De Vries'), between
    # them ('mevr. Anja van den Berg, manager ...') or before the title ('Petra de Vries, wethouder').
    regions = []
    if title_in or honorific:
        regions.append((max(m.end() for m in (title_in, honorific) if m), True))
    if honorific and title_in and title_in.start() > honorific.end():
        regions.append((honorific.end(), True, title_in.start()))
    if title_in:
        regions.append((0, bool(honorific), title_in.start()))
    if not regions:
        regions.append((0, False))
    tokens, after_title = [], False
    for start, after, *end in regions:
        tokens = _name_tokens(outside[start:end[0] if end else None])
        if tokens:
            after_title = after
            break
    if not tokens:
        return None
    first, surname = _split_name(tokens, after_title)
    return Person(name=" ".join(tokens), first_name=first, surname=surname, title=title, female=female,
                  ours=ours, rank=_RANKS.get(title, 1) if title else 1, doctor=doctor)


def is_ours(text: str) -> bool:
    """'(wij)', 'onze directeur', 'ik', 'namens MDT Twente': our side of the table."""
    return bool(_OURS.search(text) or re.search(r"\bMDT\b|\bnamens\b(?!\s+(?:de\s+)?gemeente)", text))


def people(entries: list[str]) -> list[Person]:
    return [p for p in (parse_person(e) for e in entries) if p is not None]


def same_person(a: Person, b: Person) -> bool:
    if a.surname and b.surname:
        return a.surname.lower() == b.surname.lower()
    return bool(a.first_name and b.first_name and a.first_name.lower() == b.first_name.lower())


def merge(a: Person, b: Person) -> Person:
    """One person seen twice ('overleg wethouder Van Dijk' in the title, 'Hans van Dijk' among attendees)."""
    richer = a if len(a.name) >= len(b.name) else b
    return Person(name=richer.name, first_name=a.first_name or b.first_name, surname=richer.surname or a.surname,
                  title=a.title or b.title, female=a.female if a.female is not None else b.female,
                  ours=a.ours and b.ours, rank=max(a.rank, b.rank), doctor=a.doctor or b.doctor)


def first_name_basis(person: Person, notes_text: str) -> bool:
    """Do the notes call this person by their first name alone ('Petra checkt ...')?"""
    if not person.first_name:
        return False
    if not person.surname:
        return True
    alone = re.compile(rf"\b{re.escape(person.first_name)}\b(?!\s+{re.escape(person.surname)})")
    return bool(alone.search(notes_text))


def capitalised_surname(surname: str) -> str:
    """Without a first name, a Dutch surname's first particle takes a capital: 'de Vries' -> 'De Vries'."""
    return surname[:1].upper() + surname[1:]


def greeting(person: Person | None, language: str, formal: bool, fallback: str) -> str:
    """'Beste wethouder Van Dijk,', 'Geachte mevrouw De Vries,', 'Beste Petra,', 'Dear Mr Peters,'."""
    dutch = language == "nl"
    hello = "Beste" if dutch else "Dear"
    if person is None:
        return f"{hello} {fallback},"
    surname = capitalised_surname(person.surname) if person.surname else None
    if not formal and person.first_name:
        return f"{hello} {person.first_name},"
    if person.title in ADDRESS_TITLES and surname:
        title = person.title if dutch else ADDRESS_TITLES[person.title]
        return f"{hello} {title} {surname},"
    if person.doctor and surname and not dutch:
        return f"Dear Dr {surname},"
    if person.female is not None and surname:
        if dutch:
            return f"Geachte {'mevrouw' if person.female else 'heer'} {surname},"
        return f"Dear {'Ms' if person.female else 'Mr'} {surname},"
    if person.first_name and person.surname:
        return f"{hello} {person.first_name} {person.surname},"
    return f"{hello} {surname or person.first_name},"
