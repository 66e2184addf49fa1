"""The corpus's own advice on follow-up, found in the indexed documents and cited: each part of a draft
(summary, agreements, call to action, what MDT offers, keeping the relation warm) follows one advice,
and the kind of partner met (an alderman, a small municipality, a school) adds its own."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..answers.types import Citation

# (part of the draft, pattern the notes must match or None, question that finds the advice)
ADVICE_QUESTIONS = [
    ("summary", None, "Wat zet je in een follow-up mail na een gesprek met de gemeente?"),
    ("agreements", None, "Hoe laat je zien dat je betrouwbaar bent na het gesprek?"),
    ("call_to_action", None, "Wat laat je achter bij de gemeente na het gesprek?"),
    ("offer", None, "Wat zijn de drie pijlers van MDT?"),
    ("warm", None, "Hoe houd je de relatie met de gemeente warm?"),
    ("partner", r"wethouder|alderman|burgemeester|mayor",
     "Wie moet er aanschuiven bij een gesprek met een wethouder?"),
    ("partner", r"kleine gemeente|small municipality|small town|brede portefeuille",
     "Hoe benader ik een kleine gemeente?"),
    ("partner", r"grote gemeente|large municipality|big city", "Hoe benader ik een grote gemeente?"),
    ("partner", r"budget|financ|geld|subsid|funding|money|kosten|cost|businesscase",
     "Hoe onderbouw je de maatschappelijke waarde van je project met cijfers?"),
]
MAX_TIPS = 7
_LIST_ITEM = re.compile(r"^- (.+?)(?:\s*\[\d+\])*\s*$", re.M)


@dataclass
class Advice:
    tips: list[Citation]          # short cited quotes, numbered for the tips panel
    parts: list[tuple[str, int]]  # (draft part, number of the tip it follows)
    pillars: list[str]            # what MDT combines, in the documents' words (empty when not found)

    def to_json(self) -> list[dict]:
        return [{"part": part, "n": n} for part, n in self.parts]


def _tip_quote(quote: str) -> str:
    return re.sub(r"^[•▪◦·\-–]\s*", "", quote).strip()


def gather_advice(assistant, notes_text: str) -> Advice:
    tips: list[Citation] = []
    parts: list[tuple[str, int]] = []
    pillars: list[str] = []
    seen: dict[tuple, int] = {}
    for part, pattern, question in ADVICE_QUESTIONS:
        if pattern and not re.search(pattern, notes_text, re.I):
            continue
        answer = assistant.ask(question, extractive_only=True)
        if answer.abstained or not answer.citations:
            continue
        if part == "offer":
            pillars = [item.strip(" .;") for item in _LIST_ITEM.findall(answer.answer)][:4]
        cited = answer.citations[0]
        key = (cited.source, cited.page, _tip_quote(cited.quote))
        if key not in seen:
            if len(tips) >= MAX_TIPS:
                continue
            tips.append(Citation(n=len(tips) + 1, source=cited.source, title=cited.title, page=cited.page,
                                 quote=key[2], section=cited.section))
            seen[key] = len(tips)
        if (part, seen[key]) not in parts:
            parts.append((part, seen[key]))
    return Advice(tips=tips, parts=parts, pillars=pillars)
