"""Topics readers ask about that guidance for MDT organisations and municipalities need not cover: a
participant's own rules and status (insurance, a contract, benefits, a certificate, sick leave, holidays,
a certificate of conduct, privacy rules, expenses, age limits, how participants rate their MDT, a job beside
it, housing, what they wear, working hours, waiting lists), how to object to a decision or complain, taxes,
and the software an organisation uses.

Asked about one, the retrieval still finds pages on participants in general, and the best of their
sentences was quoted as if it answered ("Mag een deelnemer tijdens MDT een uitkering houden?" got "De
gekozen deelthema's zijn ... tijdens de brainstorm."). No sentence score separates those quotes from real
answers (README "Evaluation"), but the words do: a page that answers a question on insurance speaks of
insurance. So the question is answered only when a passage found mentions its topic; a corpus that
covers the topic answers it as any other question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: dict[str, str]  # how the abstention names it, per language
    asked: re.Pattern  # the words of a question about it (Dutch and English)
    spoken: re.Pattern  # the words of a passage that speaks of it (Dutch and English)


def _words(pattern: str) -> re.Pattern:
    return re.compile(rf"\b({pattern})", re.I)


_INSURANCE = r"verzeker\w*|aansprakelijk\w*|ongevallen\w*|insur\w*|insured|liabilit\w*"
_CONTRACT = (r"\w*contract\w*|vrijwilligersovereenkomst\w*|deelnemersovereenkomst\w*|arbeidsovereenkomst\w*|"
             r"volunteer agreement\w*|employment agreement\w*")
_BENEFIT = (r"\w*uitkering\w*|bijstand\w*|WW\b|(unemployment|welfare|social) (benefits?|assistance|security)|"
            r"welfare\b|on benefits\b|(los\w*|keep\w*|affect\w*) (their|his|her|a|the) (\w+ )?benefits?\b")
_CERTIFICATE = (r"certifica\w*|diploma\w*|getuigschrift\w*|(bewijs|verklaring) van deelname|deelnamebewijs\w*|"
                r"proof of (participation|completion)")
_SICKNESS = r"ziek\w*|verzuim\w*|sick\w*|illness\w*|ill\b"
_LEAVE = r"vakantie\w*|verlof\w*|vrije dagen|holidays?\b|vacation\w*|days off\b|annual leave"
_CONDUCT = r"VOG\b|verklaring omtrent (het )?gedrag|certificate of conduct|background check\w*"
_PRIVACY = r"privacy\w*|AVG\b|GDPR\b|persoonsgegevens|personal data"
_EXPENSES = r"reiskost\w*|onkost\w*|reisvergoeding\w*|travel\w*|expenses?\b|reimburs\w*"
# Who may take part at what age: a question on taking part that names an age. 'Vanaf welke leeftijd telt een
# jongere ... als minder kansrijk?' asks about a category the documents define ('... zonder baan vanaf 18 jaar').
_AGE_ASKED = re.compile(r"^(?=.*\b(mee ?doen|meedoet|mee ?te doen|deelnemen|deelneemt|deel te nemen|aanmelden|take part|"
                        r"join|participate|eligible|sign up))(?=.*\b(leeftijd\w*|te oud|te jong|(van|vanaf|tot|tussen) "
                        r"\d\d\b|\d\d jaar|age\b|ages\b|aged \d\d|how old|too (old|young)|\d\d[- ]years?[- ]old))",
                        re.I | re.S)
_AGE_SPOKEN = (r"leeftijd\w*|ages?\b|aged\b|jaar oud|years? old|jonger dan|ouder dan|"
               r"\d{1,2}\s*(-|tot|t/m|en|to)\s*\d{2}\s*(jaar|years)|(jongeren|jongere|young people) (vanaf|tot|van|"
               r"tussen|from|up to|under|over) \d\d")
# Objections and complaints against a decision: a procedure of the grant giver, not guidance on working together.
_OBJECTION = (r"bezwaar (maken|indienen|aantekenen)|bezwaarschrift\w*|beroep (instellen|aantekenen)|klacht\w* (indienen|"
              r"melden)|klachtenprocedure\w*|(file|lodge|make) an? (complaint|objection|appeal)|appeal against|"
              r"object to (the|a) decision")
# What a participant wears, when they may work, whether they wait for a place: the organisation's own rules.
_DRESS = (r"dress ?code\w*|kledingvoorschrift\w*|wat (moeten|mogen) (ze|zij|jongeren|deelnemers) aan|"
          r"what to wear")
_HOURS = (r"nachts\b|nachtwerk\w*|nachtdienst\w*|avonds laat|werktijden|working hours|at night|night shifts?|"
          r"late at night|late in the evening")
_WAITING = r"wachtlijst\w*|waiting ?lists?|wachttijd\w*|waiting times?"
_HOUSING = r"huisvesting\w*|woonruimte\w*|onderdak|kamer (huren|regelen)|housing|accommodation|a place to live"
_SIDE_JOB = (r"bijbaan\w*|bijbaantje\w*|(een )?(baan|baantje|werk) (naast|ernaast)|werken naast|side jobs?\b|"
             r"part-time jobs?\b|second job|job on the side|work alongside")
# Tax and the software an organisation runs its administration on: its own affairs, not MDT's guidance.
_TAX = r"btw\b|belasting\w*|fiscal\w*|\w*tax\b|\w*taxes\b|VAT\b|taxable"
_SOFTWARE = (r"software\w*|applicatie\w*|app\b|apps\b|registratiesysteem\w*|registration system\w*|"
             r"(welk|welke|which|what) (systeem|systemen|system|systems)\b")  # not 'which tool': the hulpmiddel is one
_RATING = r"rapportcijfer\w*|tevredenheid\w*|satisf\w*|ratings?\b|rate (their|the|his|her)\b"

TOPICS = [
    Topic({"nl": "verzekering", "en": "insurance"}, _words(_INSURANCE), _words(_INSURANCE)),
    Topic({"nl": "contracten", "en": "contracts"}, _words(_CONTRACT), _words(_CONTRACT)),
    Topic({"nl": "uitkeringen", "en": "benefits"}, _words(_BENEFIT), _words(_BENEFIT + r"|benefits?\b")),
    Topic({"nl": "certificaten", "en": "certificates"}, _words(_CERTIFICATE), _words(_CERTIFICATE)),
    Topic({"nl": "ziekte", "en": "sickness"}, _words(_SICKNESS), _words(_SICKNESS)),
    Topic({"nl": "vakantie en verlof", "en": "holidays and leave"}, _words(_LEAVE), _words(_LEAVE)),
    Topic({"nl": "de VOG", "en": "certificates of conduct"}, _words(_CONDUCT), _words(_CONDUCT)),
    Topic({"nl": "privacyregels", "en": "privacy rules"}, _words(_PRIVACY), _words(_PRIVACY)),
    Topic({"nl": "reiskosten en onkosten", "en": "travel and other expenses"}, _words(_EXPENSES),
          _words(_EXPENSES + r"|reizen|\w*vergoeding\w*")),
    Topic({"nl": "leeftijdsgrenzen", "en": "age limits"}, _AGE_ASKED, _words(_AGE_SPOKEN)),
    Topic({"nl": "de waardering door deelnemers", "en": "how participants rate it"}, _words(_RATING),
          _words(_RATING + r"|waardering\w*|beoordeel\w*|cijfers? van")),
    Topic({"nl": "bijbanen naast MDT", "en": "jobs beside MDT"}, _words(_SIDE_JOB), _words(_SIDE_JOB)),
    Topic({"nl": "kledingvoorschriften", "en": "dress codes"}, _words(_DRESS), _words(_DRESS + r"|kleding\w*|clothing")),
    Topic({"nl": "werktijden", "en": "working hours"}, _words(_HOURS), _words(_HOURS)),
    Topic({"nl": "wachtlijsten", "en": "waiting lists"}, _words(_WAITING), _words(_WAITING)),
    Topic({"nl": "huisvesting", "en": "housing"}, _words(_HOUSING), _words(_HOUSING + r"|wonen\b|woning\w*")),
    Topic({"nl": "belastingen en btw", "en": "taxes and VAT"}, _words(_TAX), _words(_TAX)),
    Topic({"nl": "software", "en": "software"}, _words(_SOFTWARE),
          _words(_SOFTWARE + r"|systeem\w*|system\w*|portal\w*|platform\w*|tool\w*")),
    Topic({"nl": "bezwaar en klachten", "en": "objections and complaints"}, _words(_OBJECTION),
          _words(_OBJECTION + r"|bezwaar\w*|klacht\w*|objection\w*|complaint\w*|appeal\w*")),
]


def unspoken_topic(question: str, texts: list[str]) -> Topic | None:
    """The topic the question asks about that none of the texts (the passages found) speaks of, or None."""
    for topic in TOPICS:
        if topic.asked.search(question) and not any(topic.spoken.search(text) for text in texts):
            return topic
    return None
