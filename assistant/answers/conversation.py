"""Conversation: a bounded history, and follow-up questions made searchable on their own."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..corpus.text import words

# A follow-up leans on the previous question: 'En bij een grote gemeente?', 'What about schools?'
_FOLLOW_UP = re.compile(
    r"^(en|and|maar|but|ook|also|wat als|what if|what about|hoe zit het|en als|en bij|en voor|"
    r"en wat|en hoe|en wie|waarom dan|why|dus|so)\b", re.I)
_PRONOUNS = {"die", "dat", "dit", "hij", "zij", "ze", "hen", "hun", "daar", "daarvan", "daarbij", "hiervan",
             "it", "they", "them", "that", "this", "those", "there"}


@dataclass
class Turn:
    question: str
    answer: str
    topic: str  # the last question that stood on its own; follow-ups inherit it


@dataclass
class Conversation:
    max_turns: int = 6
    turns: list[Turn] = field(default_factory=list)

    def add(self, question: str, answer: str) -> None:
        topic = self.turns[-1].topic if self.is_follow_up(question) else question
        self.turns.append(Turn(question, answer, topic))
        del self.turns[:-self.max_turns]

    def clear(self) -> None:
        self.turns.clear()

    def is_follow_up(self, question: str) -> bool:
        if not self.turns:
            return False
        tokens = words(question)
        return bool(_FOLLOW_UP.match(question.strip())) or len(tokens) <= 3 or bool(_PRONOUNS & set(tokens[:4]))

    def search_query(self, question: str) -> str:
        """Without a model: a follow-up carries the previous question's subject into retrieval."""
        if not self.is_follow_up(question):
            return question
        return f"{self.turns[-1].topic} {question}"

    def history_text(self) -> str:
        return "\n".join(f"Vraag: {t.question}\nAntwoord: {t.answer}" for t in self.turns)
