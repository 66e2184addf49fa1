"""Dates as people write them in meeting notes ('3 okt', '15-10', 'di 14/1', 'volgende week', 'voor de
zomer', 'in november', 'by Friday'), found in a line and spelled out for a subject line."""
from __future__ import annotations

import re

_MONTH_NAMES = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
# Every spelling a note-taker uses, to the month's number.
MONTHS: dict[str, int] = {}
for _names in _MONTH_NAMES.values():
    for _number, _name in enumerate(_names, 1):
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS.update({"mrt": 3, "sept": 9, "okt": 10, "mei": 5})
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|monday|tuesday|wednesday|thursday|"
            r"friday|saturday|sunday)")
# Abbreviated days only count in front of a number ('di 14/1'): 'zo', 'do' and 'ma' are words too.
_DAY = _WEEKDAY[:-1] + r"|ma|di|wo|do|vr|za|zo|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
# After 'in', 'voor', 'by' only unambiguous month words: 'voor Jan' is for Jan, 'by may' is no date.
_MONTH_WORD = (r"(?:" + "|".join(n.lower() for n in _MONTH_NAMES["nl"] + _MONTH_NAMES["en"]
                                 if n.lower() not in ("may",)) + r"|feb|mrt|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec)")
_SEASON = (r"(?:de\s+|the\s+)?(?:zomer|zomervakantie|herfst|herfstvakantie|winter|kerst|kerstvakantie|voorjaarsvakantie|"
           r"meivakantie|jaarwisseling|summer|summer holidays|autumn|fall|christmas|xmas|new year)")

DATE = re.compile(
    r"\b(?:" + _DAY + r"\s+)?\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?\b(?![.,]\d)"
    r"|\b(?:" + _DAY + r",?\s+)?\d{1,2}(?:e|ste|de|st|nd|rd|th)?\s+" + _MONTH + r"(?:\s+\d{4})?(?![\w])"
    r"|\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?"
    r"|\b(?:begin|half|medio|eind|einde|end of|early|mid|late|in|voor|na|before|after|by|until|tot)\s+"
    + r"(?:" + _MONTH_WORD + r"|(?-i:May))\b(?!\s+\d{1,2}\b)(?:\s+\d{4})?"
    r"|\b(?:begin|half|medio|eind|einde|end of|early|mid|late|in)\s+jan\b\.?(?!\s+\d{1,2}\b)(?:\s+\d{4})?"  # not 'voor Jan'
    r"|\b(?:voor|na|rond|tijdens|before|after|around|during)\s+" + _SEASON + r"\b"
    r"|\b(?:volgende|komende|deze|next|this)\s+(?:week|wk|maand|month|" + _WEEKDAY + r")\b"
    r"|\b(?:over|na|binnen)\s+(?:een|twee|drie|vier|zes|\d+)\s+(?:weken|week|wkn|wk|maanden|maand|mnd)(?![\w])\.?"
    r"|\bz\.\s?s\.\s?m\.?|\bzsm\b|\basap\b"
    r"|\bin\s+(?:two|three|four|\d+)\s+weeks\b|\b(?:week|wk)\s+\d{1,2}\b|\bQ[1-4](?:\s+\d{4})?\b"
    r"|\b(?:(?:vóór|voor|op|by|on|uiterlijk|before)\s+)?" + _WEEKDAY + r"\b|\b(?:morgen|overmorgen|tomorrow)\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:uur|u\b)?",
    re.I,
)

def find_date(text: str) -> str | None:
    """The first date phrase in a line, as written."""
    match = DATE.search(text)
    if not match:
        return None
    found = match.group(0).strip()
    return found if ends_in_abbreviation(found) else found.rstrip(".")  # 'z.s.m.' keeps its own full stop


def ends_in_abbreviation(text: str) -> bool:
    """'..., z.s.m.': the last full stop belongs to a dotted abbreviation, not to a sentence."""
    return bool(re.search(r"\b(?:[a-z]\.){2,}$", text, re.I))


def has_date(text: str) -> bool:
    return find_date(text) is not None


def opens_with_day(text: str) -> bool:
    """'12 december', 'di 14 januari', 'Tuesday 20 January': a day, read after 'op'/'on'."""
    return bool(re.match(rf"\d|{_DAY}(?!\w)", text, re.I))


def spelled_out(date: str | None, language: str) -> str | None:
    """'3 okt' -> '3 oktober', '15-10' -> '15 oktober', 'tues 3 june' -> '3 June'; other phrases unchanged."""
    if not date:
        return None
    names = _MONTH_NAMES[language]
    text = re.sub(r"^" + _DAY + r",?\s+", "", date.strip(), flags=re.I)
    numeric = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?", text)
    if numeric and 1 <= int(numeric.group(2)) <= 12 and 1 <= int(numeric.group(1)) <= 31:
        year = numeric.group(3)
        year = f" 20{year}" if year and len(year) == 2 else (f" {year}" if year else "")
        return f"{int(numeric.group(1))} {names[int(numeric.group(2)) - 1]}{year}"
    day_month = re.fullmatch(r"(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\s+(" + _MONTH + r")(\s+\d{4})?", text, re.I)
    if day_month:
        month = MONTHS[day_month.group(2).lower().rstrip(".")]
        return f"{int(day_month.group(1))} {names[month - 1]}{day_month.group(3) or ''}"
    month_day = re.fullmatch(r"(" + _MONTH + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", text, re.I)
    if month_day:
        month = MONTHS[month_day.group(1).lower().rstrip(".")]
        year = f" {month_day.group(3)}" if month_day.group(3) else ""
        return f"{int(month_day.group(2))} {names[month - 1]}{year}"
    # 'in feb', 'eind okt.': a month written short is written out in the mail; so is a week ('wk 8')
    text = re.sub(r"\b(" + _MONTH + r")(?!\w)", lambda m: names[MONTHS[m.group(1).lower().rstrip(".")] - 1]
                  if len(m.group(1).rstrip(".")) < 5 and m.group(1).lower() != "mei" else m.group(1), date.strip(),
                  flags=re.I)
    return re.sub(r"\bwk\.?\s*(?=\d)", "week ", text, flags=re.I)
