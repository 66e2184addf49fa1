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
]
_RULES = {language: [(re.compile(pattern, re.I), full) for pattern, full in table]
          for language, table in (("nl", _DUTCH), ("en", _ENGLISH))}


def in_full(text: str, language: str) -> str:
    """The line with its shorthand written out; a capital where the short form had one ('Evt.' -> 'Eventueel')."""
    for pattern, full in _RULES.get(language, []):
        text = pattern.sub(lambda m: full[:1].upper() + full[1:] if m.group(0)[:1].isupper() else full, text)
    return text
