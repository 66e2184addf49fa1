"""The shorthand of meeting notes written out for the mail's reader: 'gem. wil cofinanciering ivm verlenging'
-> 'gemeente wil cofinanciering in verband met verlenging', 'call w/ Ben' -> 'call with Ben'. Only forms that
mean one thing in notes; names and dates as written stay (a date is spelled out where it is read: dates.py)."""
from __future__ import annotations

import re

_DUTCH = [
    (r"\bgem\.(?=\s+\d)", "gemiddeld"),  # 'gem. 3 uur per week'
    (r"\bgem\.(?=\s)", "gemeente"),
    (r"\b(?:ivm|i\.v\.m\.?)(?=\s)", "in verband met"),
    (r"\b(?:mbt|m\.b\.t\.?)(?=\s)", "met betrekking tot"),
    (r"\bo\.a\.(?=\s|$)", "onder andere"),
    (r"\bevt\.?(?=\s)", "eventueel"),
    (r"\bbijv\.?(?=\s)", "bijvoorbeeld"),
    (r"\bz\.\s?s\.\s?m\.?|\bzsm\b", "zo snel mogelijk"),
    (r"\bwkn\b", "weken"),
    (r"\bwk\b(?=\.?\s*\d)", "week"),
    (r"\bp/w\b|(?<=\dx )pw\b", "per week"),
    (r"\baanm\.(?=\s)", "aanmeldingen"),
    (r"\bmin\.(?=\s*\d)", "minimaal"),
    (r"\bhw-(?=\w)", "huiswerk"),
    (r"\bbeleidsmw\b\.?", "beleidsmedewerker"),
    (r"\bma-(?=(avond|middag|ochtend)\b)", "maandag"),  # 'do-avond' -> 'donderdagavond'
    (r"\bdi-(?=(avond|middag|ochtend)\b)", "dinsdag"),
    (r"\bwo-(?=(avond|middag|ochtend)\b)", "woensdag"),
    (r"\bdo-(?=(avond|middag|ochtend)\b)", "donderdag"),
    (r"\bvr-(?=(avond|middag|ochtend)\b)", "vrijdag"),
    (r"\bza-(?=(avond|middag|ochtend)\b)", "zaterdag"),
    (r"\bzo-(?=(avond|middag|ochtend)\b)", "zondag"),
    (r"\bvr\.?(?=\s+\d)", "vrijdag"),  # 'vr 14/3'
    (r"\bza\.?(?=\s+\d)", "zaterdag"),
    (r"\bvr\b(?=\s+[a-zà-ÿ])", "voor"),  # 'flyer vr vrijdag', 'mdt-ers vr taalcafé'
    (r"\btbd\b", "nog te bepalen"),
    (r"\bmdt-ers\b", "MDT'ers"),
    (r"(?-i:\bWH\b)", "wethouder"),
]
_ENGLISH = [
    (r"\bw/o(?=\s)", "without"),
    (r"\bw/(?=\s)", "with"),
    (r"\bre:\s", "about "),
    (r"\basap\b", "as soon as possible"),
    (r"\by/o\b", "years old"),
    (r"\bmtg\b", "meeting"),
    (r"\bapprox\.?(?=\s)", "approximately"),
    (r"\breimb\b\.?", "reimbursement"),
    (r"\bcoord\b\.?", "coordinator"),
    (r"\binfo\b(?=\s+(?:on|about|re)\b)", "information"),
    (r"\bprob\.(?=\s)", "probably"),
    (r"\btbd\b", "to be decided"),
    (r"\btbc\b", "to be confirmed"),
]
_RULES = {language: [(re.compile(pattern, re.I), full) for pattern, full in table]
          for language, table in (("nl", _DUTCH), ("en", _ENGLISH))}


def in_full(text: str, language: str) -> str:
    """The line with its shorthand written out; a capital where the short form had one ('Evt.' -> 'Eventueel')."""
    for pattern, full in _RULES.get(language, []):
        # 'Evt.' -> 'Eventueel', but 'WH' (an abbreviation in capitals) -> 'wethouder'
        text = pattern.sub(lambda m: full[:1].upper() + full[1:]
                           if m.group(0)[:1].isupper() and not m.group(0).rstrip(".").isupper() else full, text)
    return text
