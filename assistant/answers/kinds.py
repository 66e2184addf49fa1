"""What a question asks for, and whether a sentence holds that kind of thing.

'Hoeveel krijgt een deelnemer per maand?' asks for an amount: a sentence without one does not
answer it, however close its words are. A question of such a kind that no well-scored sentence
answers gets a precise abstention ("De documenten noemen geen bedrag ...") instead of a loose quote.
"""
from __future__ import annotations

import re

from ..corpus.text import words as words_of
from ..retrieval.bm25 import is_stopword, tokenize
from ..retrieval.glossary import GLOSSARY

# The kinds a question can ask for; None: an open question (how, why, what is).
AMOUNT, COUNT, DURATION, DATE, NAME, CONTACT, LIST = "amount", "count", "duration", "date", "name", "contact", "list"
FREQUENCY = "frequency"  # 'Hoe vaak ...?': per month, yearly, twice
SHARE = "share"  # 'Hoeveel procent ...?', 'Welk deel van de gemeenten ...?': a percentage or a fraction
PLACE = "place"  # 'Waar werd de beslisdag gehouden?', 'In welke stad ...?': a venue or a town
TIME = "time"  # 'Hoe laat begon de netwerkdag?': a time of day ('9.30', '14:00 uur')
DEFINITION = "definition"  # 'Wat is MDT?': a sentence that says what it is ('MDT is ...') leads
# 'Wat is (een) X?', 'What is (an) X?', 'Wat betekent X?' with a short X.
_DEFINED = re.compile(r"^\s*(wat|what)\s+(is|zijn|are|betekent|means?|bedoelen ze (eigenlijk )?met)\s+"
                      r"(een|de|het|a|an|the)?\s*(?P<term>[\w’'&-]+(\s+[\w’'&-]+){0,2})\s*\?\s*$", re.I)

_CONTACT_ASKED = (r"\b(telefoon\w*|phone( number)?|e-?mail\s*adres\w*|e-?mail address\w*|mailadres\w*|adres|"
                  r"address|contactgegevens|contact details|bellen|website|url|(de|the) link (naar|to))\b")
# A question for a web address ('Can you give me the link to the page where we apply for ...?') is answered by
# one on what it asks about, not by any site the documents mention ('doemeemetmdt.nl' for project locations).
_WEB_ASKED = re.compile(r"\b(website|url|link|site|webpagina|web page)\b", re.I)
_WEB_WORDS = {"link", "website", "websit", "url", "site", "pagina", "page", "webpagina", "web", "give", "geef", "mdt"}
_QUESTION_KINDS = [  # first match wins: 'hoeveel kost' is an amount before it is a count
    (CONTACT, _CONTACT_ASKED),
    (AMOUNT, r"\b(hoeveel (geld|euro|subsidie|budget|financiering|krijg\w*|ontvang\w*|verdien\w*|betaal\w*)|"
             r"\w*bedrag\w*|(wat|hoeveel) (kost|kosten|kostte)|\w*vergoeding\w*|vergoed|salaris|"
             r"loon|zakgeld|verdien\w*|"
             r"subsidiebedrag|how much|what (does|do|did|will) .{1,60} cost|(the|what are the) costs? of|"
             r"(average |total |gemiddelde |totale )?(costs?|kosten) per|"
             r"allowance|salary|wage|fee|euros?|price|grants?|(maximum|maximale|hoogte van de) (subsidie|subsidy)|"
             r"subsidy amount|(hoeveel|hoe groot|how big|"
             r"how large)( is)?( het| de| the)? budget)\b"),
    (SHARE, r"\b(hoeveel procent|welk percentage|welk (deel|aandeel) van (de|alle)|hoeveel van (de|alle|deze)|"
            r"how many of (the|all|these)|what (percentage|share|proportion)|"
            r"which (percentage|share|proportion))\b"),  # 'welk deel van het hulpmiddel' asks for a part
    (FREQUENCY, r"\b(hoe vaak|hoe dikwijls|how often|how frequently)\b"),
    # 'hoe laat je zien ...' is the verb laten, not the clock
    (TIME, r"\b(hoe laat(?!\s+(je|jij|u|we|wij|ik|jullie|ze|zij|hij|men|de|het|een|dat|dit|zien|merken|weten)\b)|"
           r"what time|aanvangstijd|begintijd|starttijd|eindtijd|start time|openingstijden|opening hours)\b"),
    (DURATION, r"\b(hoe lang|how long|duurt|looptijd|opzegtermijn|notice period|hoeveel (maanden|weken|uur|uren|dagen|jaar)|"
               r"how many (months|weeks|hours|days|years)|duration)\b"),
    (COUNT, r"\b(hoeveel|how many|aantal|number of)\b"),
    (PLACE, r"\b(in welke (stad|plaats)|op welke locatie|welke locatie|waar (werd|wordt|vond|vindt|was|is|zal) .{0,80}\b"
            r"(gehouden|georganiseerd|plaats)|where (was|is|will|were|did) .{0,80}\b(held|hosted|organi[sz]ed|take place|"
            r"located)|in (which|what) (city|town|place)|what (city|town|venue|location))\b"),
    (DATE, r"(\b(op welke datum|welke datum|deadline|per wanneer|vanaf wanneer|tot wanneer|sinds wanneer|"
           r"in welk jaar|which year|what year|what date|by when|since when|until when)\b|"
           r"^\s*(when|wanneer)\b(?!.*\b(goed|good|mdt-proof|nodig|needed|useful|nuttig|slim|wise)\b)"
           # 'When we make plans ..., what should happen with ...?': a condition, then the question
           r"(?![^?]*,\s*(what|how|who|which|should|do|does|can|is|are|wat|hoe|wie|welke|moet|moeten|kan|mag)\b))"),
    (NAME, r"\b(((wie|who) (is|was|zijn|are) ([^?]{0,40} )?(de|het|the) (huidige |current |nieuwe |new )?(\w+ ){0,2}|"
           r"(welke|which|what) (huidige |current )?)(minister|wethouder|"
           r"alderman|directeur|director|voorzitter|chair\w*|ceo|leider|leader|contactpersoon|contact person|"
           r"projectleider|project leader|coördinator|coordinator|staatssecretaris|burgemeester|mayor|"
           r"regiofacilitator|kwartiermaker|\w*manager|\w*hoofd|head|woordvoerder|spokesperson|\w*secretaris|"
           r"secretary)\b|wat is de naam|what is the name|hoe heet|what is \w+ called|"
           r"who (chairs|leads|heads|runs))\b"),
    (LIST, r"\b(welke (drie|twee|vier|vijf|zes|\d+)|wat zijn de (drie|twee|vier|vijf|zes|\d+|stappen|pijlers|"
           r"onderdelen|fasen|thema)|which (three|two|four|five|six|\d+)|what are the (three|two|four|five|six|\d+|"
           r"steps|pillars|parts|phases)|noem de|list the|welke stappen|what steps|opsomming)\b"),
]

_WHO = re.compile(r"^\s*(wie|who)\b", re.I)

# What holds each kind. Numbers as words count too ('drie pijlers', 'twaalf regio's').
_NUMBER = r"(\d[\d.,]*|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|honderd|" \
          r"duizend|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand)"
_MONTHS = r"(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|" \
          r"february|march|may|june|july|august|october)"
_MONTH_WORDS = _MONTHS.strip("()").split("|")
_PHONE, _EMAIL = r"\b0\d{1,3}[- ]?\d{6,8}\b|\+31", r"@[\w-]+\.\w+"
_HOLDS = {
    AMOUNT: re.compile(r"(€|\beuro\b|\bEUR\b|\d[\d.,]*\s*(miljoen|duizend|k\b)|\bbedrag van\b)", re.I),
    COUNT: re.compile(rf"\b{_NUMBER}\b|\d", re.I),
    SHARE: re.compile(r"%|\b(procent|percent|driekwart|kwart|helft|derde|meerderheid|minderheid|half|majority|"
                      r"(de|het) meeste|merendeel|vrijwel alle|bijna alle|most|almost all|"
                      rf"quarter|third)\b|\b(een|{_NUMBER}) (op|van|in|out of) (de |the )?{_NUMBER}\b", re.I),  # 'een op de vijf'
    # 'een uur', 'anderhalf jaar', 'an hour': a duration written with the article or a fraction
    DURATION: re.compile(rf"\b({_NUMBER}|een|half|anderhalf|one|an?)\s+(\w+\s+)?(maand|maanden|week|weken|uur|uren|"
                         r"dag|dagen|jaar|jaren|month|months|week|weeks|hour|hours|day|days|year|years)\b", re.I),
    DATE: re.compile(rf"\b(19|20)\d\d\b|\b\d{{1,2}}[-/]\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTHS}\b|\b{_MONTHS}\b", re.I),
    NAME: re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+\s+(van\s+(der?\s+|den\s+)?|de\s+|ter\s+)?[A-ZÀ-Ý][a-zà-ÿ]+"),
    FREQUENCY: re.compile(r"\bper (dag|week|maand|kwartaal|half jaar|jaar|day|week|month|quarter|year)\b|"
                          r"\b(dagelijks|wekelijks|maandelijks|jaarlijks|halfjaarlijks|daily|weekly|monthly|quarterly|"
                          r"yearly|annually|once|twice)\b|\b(elke|iedere|every) (\w+ )?(dag|week|weken|maand|maanden|jaar|"
                          rf"day|week|weeks|month|months|year)\b|\b({_NUMBER}|een)\s*(keer|maal|times)\b", re.I),
    # a place after a preposition inside the sentence ('gehouden in Utrecht', 'te Amersfoort', 'at the Jaarbeurs')
    PLACE: re.compile(r"(?<=\S)\s(in|te|at)\s+(de |het |the )?(?!Nederland\b|the Netherlands\b)[A-ZÀ-Ý][a-zà-ÿ]{2,}"),
    CONTACT: re.compile(rf"({_PHONE}|{_EMAIL}|\bwww\.|https?://|\b\w+\.nl\b)", re.I),
    TIME: re.compile(r"\b([01]?\d|2[0-3])[.:][0-5]\d\b|\b\d{1,2}\s*uur\b|\b\d{1,2}\s*(am|pm|o'clock)\b", re.I),
}

_AGE_BEFORE = re.compile(r"\b(vanaf|tot( en met)?|t/m|jonger dan|ouder dan|tussen( de)?|leeftijd van|aged?|"
                         r"under|over)\s*$", re.I)
_AGE_AFTER = re.compile(r"\s*(oud|old)\b", re.I)
# A contact question that asks for an e-mail address or a phone number is not answered by a website.
_CONTACT_WAYS = [
    (re.compile(r"e-?mail|mailadres", re.I), re.compile(_EMAIL)),
    (re.compile(r"telefoon|phone|bellen", re.I), re.compile(_PHONE)),
]
# A postal address is a postcode or a PO box, not a website.
_POSTAL_ASKED = re.compile(r"\b(postadres|post address|postal address|postal|bezoekadres|visiting address)\b", re.I)
_POSTAL = re.compile(r"\b\d{4}\s?[A-Z]{2}\b|\bPostbus\b|\bP\.?\s?O\.? Box\b")
_OTHER_WAYS = re.compile(r"(?<![-\w])(?<!mail )(adres|address)\b|\b(website|url|contactgegevens|contact details|"
                         r"postadres|postal)\b", re.I)

# The role a 'who is the ...' question asks about, and the words a sentence naming it would use.
_ROLE = re.compile(r"minister|staatssecretaris|wethouder|alderman|directeur|director|voorzitter|chair\w*|ceo|"
                   r"projectleider|project leader|leider|leader|contactpersoon|contact person|coördinator|"
                   r"coordinator|burgemeester|mayor|regiofacilitator|kwartiermaker|\w*manager|\w*hoofd|head|"
                   r"woordvoerder|spokesperson|\w*secretaris|secretary")
_ROLE_WORDS = {"alderman": ["wethouder", "alderman"], "director": ["directeur", "director"],
               "chair": ["voorzitter", "chair"], "chairs": ["voorzitter", "chair"], "chairman": ["voorzitter", "chair"],
               "leader": ["leider", "leader"],
               "project leader": ["projectleider", "project leader"], "contact person": ["contactpersoon", "contact"],
               "coordinator": ["coördinator", "coordinator"], "mayor": ["burgemeester", "mayor"],
               "head": ["hoofd", "head", "leid"], "spokesperson": ["woordvoerder", "spokesperson"],
               "secretary": ["secretaris", "secretary"]}

# How the precise abstention names what is missing.
_MISSING = {
    "nl": {AMOUNT: "bedrag", COUNT: "aantal", DURATION: "duur", DATE: "datum", NAME: "naam", CONTACT: "contactgegevens",
           SHARE: "percentage", FREQUENCY: "frequentie", PLACE: "locatie", TIME: "tijdstip", DEFINITION: "omschrijving"},
    "en": {AMOUNT: "amount", COUNT: "number", DURATION: "duration", DATE: "date", NAME: "name",
           CONTACT: "contact details", SHARE: "percentage", FREQUENCY: "frequency", PLACE: "location", TIME: "time",
           DEFINITION: "definition"},
}


_PRICE = re.compile(r"\b(kosten|costs?|prijs|price|tarief|fee)\b", re.I)


def question_kind(question: str) -> str | None:
    """The kind of thing the question asks for, or None for an open question."""
    if _DEFINED.search(question) and not re.search(_CONTACT_ASKED, question, re.I) and not _PRICE.search(question):
        # 'Wat is de website van MDT?' asks for contact details, 'Wat zijn de kosten per deelnemer?' for an amount,
        # 'Wat zijn de pijlers van MDT?' for a list
        return LIST if re.search(dict(_QUESTION_KINDS)[LIST], question, re.I) else DEFINITION
    for kind, pattern in _QUESTION_KINDS:
        if kind in (AMOUNT, COUNT) and _WHO.search(question):
            continue  # 'Who pays the salary ...?', 'Wie beslist hoeveel fte ...?' ask for a party
        if re.search(pattern, question, re.I):
            return kind
    return None


# 'Hoeveel deelnemers moet een project minimaal hebben?' is not answered by 'drie groepen': the number has to
# count what was asked ('maximaal 20 RSV’s' for 'Hoeveel regionale samenwerkingsverbanden ...?').
_COUNTED = re.compile(r"\b(hoeveel|how many|number of|aantal)\s+([\w’'-]+)(\s+[\w’'-]+)?", re.I)
_TOKEN = re.compile(r"[\w’'.,-]+")


def counted_words(question: str) -> list[str]:
    """The words for what a 'how many' question counts ('Hoeveel MDT-projecten hebben ...' -> ['projecten']),
    with the glossary's Dutch for English ones; [] when it names nothing ('Hoeveel is dat?')."""
    found = _COUNTED.search(question)
    if not found:
        return []
    counted = []
    for word in (found.group(2), found.group(3) or ""):
        word = word.strip().lower()
        if not word or is_stopword(word):
            break
        counted += [part for part in [word, *word.split("-")[1:]] if part != "mdt"]
    return [w for word in counted for w in [word, *GLOSSARY.get(word, [])]]


# 'Hoeveel procent van de jongeren ...', 'How many of the municipalities ...', 'Welk deel van de gemeenten ...'
_SHARED = re.compile(r"\b(?:procent|percentage|deel|aandeel|share|proportion|many|hoeveel)\s+(?:van|of)\s+(?:de|het|alle|the|all|"
                     r"these|deze)?\s*([\w’'-]+)", re.I)


def shared_words(question: str) -> list[str]:
    """What a share is asked of ('Hoeveel procent van de jongeren ...?' -> ['jongeren', ...glossary]), or []."""
    found = _SHARED.search(question)
    word = found.group(1).lower() if found else ""
    if not word or is_stopword(word):
        return []
    return [word, *GLOSSARY.get(word, [])]


def _names_counted(token: str, counted: list[str]) -> bool:
    """A sentence's word names what is counted: the same word up to its ending ('scholen', 'school';
    'fte’s', 'fte'), or an abbreviation of it ('RSV’s' for 'regionale samenwerkingsverbanden')."""
    bare = re.sub(r"[’']s$|[’'.,]+$", "", token)
    word = bare.lower()
    if len(bare) >= 2 and bare.isupper() and any(word.startswith(a[0] + b[0]) for n, a in enumerate(counted)
                                                 for b in counted[n + 1:]):
        return True  # the initials of two of its words, English ones put into Dutch included
    return any(word in (c, c.removesuffix("s"))  # 'RSVs' in the question counts 'RSV’s'
               or (min(len(word), len(c)) >= 5 and _common_prefix(word, c) >= 4) for c in counted)


def _common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


_PERCENT_AFTER = re.compile(r"\s*(%|procent\b|percent\b)", re.I)
_BOUND = {"max", "max.", "maximaal", "minimaal", "min", "min.", "ca", "ca.", "circa", "ruim", "bijna", "zo'n", "zo’n"}


def _is_year_of(before: str, token: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", token)) and before.lower().rsplit("-", 1)[-1] in _MONTH_WORDS


def _counts_it(sentence: str, counted: list[str]) -> bool:
    """A number stands before what is counted, at most two words between ('ruim 100 scholen', '3 aanvullende
    partners'), or right after it ('RSV’s (max 20)'; not 'de deelnemers in drie groepen')."""
    found = list(_TOKEN.finditer(sentence))
    tokens = [m.group(0) for m in found]
    numbers = [i for i, t in enumerate(tokens) if (_HOLDS[COUNT].fullmatch(t.rstrip(".,")) or t[:1].isdigit())
               and not _PERCENT_AFTER.match(sentence, found[i].end())  # '37% jongeren' is a share, no count
               and not (i and _is_year_of(tokens[i - 1], t))]  # 'juni-oktober 2023 RSV’s komen ...': a date
    named = [j for j, t in enumerate(tokens) if _names_counted(t, counted)]
    return any(0 < j - i <= 3 or j == i - 1 or (j == i - 2 and tokens[i - 1].lower() in _BOUND)
               for i in numbers for j in named)


# A timeline slide run into one line ('Datum Mijlpalen 28 maart 2023 Een beslisdag met ... half april
# Vaststelling verdeling budget over RSV’s ... april-mei 2023 ...'): its rows each open with a date.
_ROW_DATE = re.compile(rf"(?:\b(?:half|begin|eind|medio)\s+)?(?:\b\d{{1,2}}\s+)?\b{_MONTHS}(?:\s*-\s*{_MONTHS})?"
                       rf"(?:\s+(?:19|20)\d\d)?(?:\s*-\s*(?:\d{{1,2}}\s+)?{_MONTHS}(?:\s+(?:19|20)\d\d)?)?", re.I)


_MONTH_STEMS = set(tokenize(" ".join(_MONTH_WORDS)))  # a row's date is no topic it shares with the question


# A day's programme: '9.30 Welkom ... 11.15 Vorming regionale samenwerkingsverbanden ...'
_ROW_TIME = re.compile(r"\b([01]?\d|2[0-3])[.:][0-5]\d\b")


def is_timeline(text: str) -> bool:
    return sum(1 for _ in _ROW_DATE.finditer(text)) >= 3 or sum(1 for _ in _ROW_TIME.finditer(text)) >= 3


def timeline_row(text: str, question: str, kind: str = DATE) -> str | None:
    """The row of a timeline (three dated rows or more; timed rows for a question asking for a time of day) that
    speaks of what the question asks about: the most of its words, the earlier row on a tie; None for a text that
    is no timeline or has no such row."""
    starts = [m.start() for m in (_ROW_TIME if kind == TIME else _ROW_DATE).finditer(text)]
    if len(starts) < 3:
        return None
    asked = set(tokenize(question)) - _MONTH_STEMS
    rows = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    shortest = 4 if kind == TIME else 6  # '11.15 Vorming regionale samenwerkingsverbanden (subgroepen)'
    scored = [(len(asked & set(tokenize(row))), -n, row) for n, row in enumerate(rows) if len(row.split()) >= shortest]
    best = max(scored, default=None)
    return best[2] if best and best[0] else None


# What says what a thing is, not how it is: 'Een impactdoelstelling laat zien waarom ...' before '... is ambitieus
# genoeg om te inspireren'.
_DEFINING = re.compile(r"^[\w’'&-]*\s+((is|zijn|are) (een|de|het|a|an|the)\b|betekent|means|houdt in|staat voor|laat zien|"
                       r"omvat)", re.I)


_COPULA = re.compile(r"[\w’'&-]*\s+(is|zijn|are|betekent|means|houdt in|staat voor|laat zien|wordt|omvat|heeft)\b")


def _after_term(sentence: str, question: str) -> str | None:
    """What follows the term a definition question asks about, when the sentence opens with it ('Een
    impactdoelstelling laat zien ...' -> ' laat zien ...'); None otherwise."""
    term = defined_term(question)
    opening = re.sub(r"^\W*(een|de|het|the|an?)\s+", "", sentence.lower())
    return opening[len(term):] if term and opening.startswith(term) else None


def defines(sentence: str, question: str) -> bool:
    """The sentence says what the thing the definition question asks about is (holds(DEFINITION) with a verb
    of meaning: 'is een', 'betekent', 'laat zien')."""
    rest = _after_term(sentence, question)
    return rest is not None and bool(_DEFINING.match(rest))


def defined_term(question: str) -> str:
    """What a definition question asks about: 'Wat is een impactverhaal?' -> 'impactverhaal'."""
    found = _DEFINED.search(question)
    return found.group("term").lower() if found else ""


def holds(kind: str | None, sentence: str, question: str = "") -> bool:
    """Whether the sentence holds the kind of thing asked for (always, for an open question or a list).
    A name counts only when it is not already in the question ('Social Finance' does not answer 'Who is
    the director of Social Finance NL?')."""
    if kind == DEFINITION:  # the term itself, then a copula: 'MDT is ...', 'Een impactdoelstelling laat zien ...'
        rest = _after_term(sentence, question)
        return rest is not None and bool(_COPULA.match(rest))
    pattern = _HOLDS.get(kind)
    if pattern is None:
        return True
    counted = counted_words(question) if kind == COUNT else []
    if counted:
        return _counts_it(sentence, counted)
    if kind == SHARE and not pattern.search(sentence):
        return False
    of_whom = shared_words(question) if kind == SHARE else []
    if of_whom:  # 'Hoeveel procent van de jongeren ...?' is not answered by 'drie van de vijf top ideeën'
        return any(_names_counted(token, of_whom) for token in _TOKEN.findall(sentence))
    if kind == NAME:  # a capitalised pair after the sentence's first word, not one the question gave,
        asked = question.lower()  # in a sentence that speaks of the role asked about ('wethouder', 'director')
        if not any(m.group(0).lower() not in asked for m in pattern.finditer(sentence, 1)):
            return False
        role = _ROLE.search(asked)
        return role is None or any(word in sentence.lower() for word in _ROLE_WORDS.get(role.group(0), [role.group(0)]))
    if kind == CONTACT and _POSTAL_ASKED.search(question):
        return bool(_POSTAL.search(sentence))
    if kind == DURATION:  # 'vanaf 18 jaar', '16 jaar oud' give an age, not how long something lasts
        return any(not _AGE_BEFORE.search(sentence[:m.start()]) and not _AGE_AFTER.match(sentence[m.end():])
                   for m in pattern.finditer(sentence))
    if kind == CONTACT and _WEB_ASKED.search(question) and pattern.search(sentence):
        content = [word for word in words_of(question) if not is_stopword(word) and word not in _WEB_WORDS]
        asked = {stem for word in content + [w for word in content for w in GLOSSARY.get(word, [])]
                 for stem in tokenize(word)} - _WEB_WORDS
        return not asked or bool(asked & set(tokenize(sentence)))
    if kind == CONTACT and not _OTHER_WAYS.search(question):
        ways = [holding for asked, holding in _CONTACT_WAYS if asked.search(question)]
        if ways:
            return any(way.search(sentence) for way in ways)
    return bool(pattern.search(sentence))


# 'Wat is het verschil tussen een grote en een kleine gemeente?': both sides belong in the answer.
_COMPARES = re.compile(r"\b(verschil(len)? tussen|verschilt|difference(s)? between|differ|vergelijk\w*|compar\w*|"
                       r"versus|vs\.?)\b", re.I)


def compares(question: str) -> bool:
    """The question asks how two things differ: the answer gets room for both."""
    return bool(_COMPARES.search(question))


# 'Wat zeggen gemeenten over ...?', 'Wat verwacht de gemeente Delft ...?': someone's own words may answer first.
_VIEWS = re.compile(r"\b(zeg(t|gen)|zei(den)?|vind(t|en)|vonden|verwacht(en)?|ervar(en|ingen?)|volgens|citaat|"
                    r"quotes?|says?|said|think|thinks|expects?|experiences?|according to|gemeente [A-Z]\w+|"
                    r"municipality of [A-Z]\w+)\b")


# 'Wie beslist ...?', 'Who pays ...?': a party that acts ('Wie is de wethouder?' asks for a name; 'Wie kan ...?' for help).
_ACTOR_ASKED = re.compile(r"^\s*(?i:wie|who)\s+(?!(is|was|zijn|waren|are|were|kan|kunnen|can|could|heeft|hebben|has|"
                          r"have)\b)[a-z]+")
# A sentence naming who acts: 'door programmateam MDT verdeeld', 'OCW financiert ...', 'Het programmateam MDT zal ...'
# (not '... vanuit programmateam MDT': that says where from).
_ACTOR_NAMED = re.compile(r"\b(door|by) (het |de |the )?(programmateam|OCW|ZonMw|ministerie|gemeente|provincie|RSV|"
                          r"regiofacilitator|kerngroep|[A-Z][a-z]+ [A-Z])|^[•–-]?\s*(Het |De |The )?(OCW|ZonMw|[Pp]rogrammateam( MDT)?|"
                          r"[Mm]inisterie|(?!MDT\b)[A-Z]{2,}\b)\s+[a-z]")


def asks_for_actor(question: str) -> bool:
    """The question asks who does something ('Wie beslist hoeveel fte ...?', 'Who pays for ...?')."""
    return bool(_ACTOR_ASKED.search(question))


def names_actor(sentence: str) -> bool:
    """The sentence says who acts: a party after 'door'/'by', or a party that opens it."""
    return bool(_ACTOR_NAMED.search(sentence))


# What the asker may say themselves is no one's view: 'Wat kan ik daarover zeggen?' asks for the documents' answer.
_OWN_WORDS = re.compile(r"\b(ik|we|wij|i)\b[^?]{0,40}\b(zeggen|vertellen|say|tell)\b", re.I)


def asks_for_views(question: str) -> bool:
    """The question asks what someone says, thinks or expects: a quotation may lead the answer."""
    return bool(_VIEWS.search(question)) and not _OWN_WORDS.search(question)


_SIZES = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "two": 2, "three": 3,
          "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_SIZE = re.compile(r"\b(" + "|".join(_SIZES) + r"|[2-9])\b", re.I)


def list_size(question: str) -> int | None:
    """How many items a list question asks for ('Wat zijn de drie pijlers?', 'What are the three pillars?')."""
    found = _SIZE.search(question)
    return (_SIZES.get(found.group(1).lower()) or int(found.group(1))) if found else None


def names_size(sentence: str, size: int) -> bool:
    """The sentence names that many ('... de unieke combinatie van drie pijlers:'), in words or digits."""
    return any((_SIZES.get(m.group(1).lower()) or int(m.group(1))) == size for m in _SIZE.finditer(sentence))


def missing_word(kind: str, language: str) -> str:
    """'bedrag', 'duration': what the documents do not give, for the abstention line."""
    return _MISSING[language][kind]


def asks_for_fact(kind: str | None) -> bool:
    """Kinds whose answer is a specific fact (a number, a date, a name, an address)."""
    return kind in _HOLDS
