"""What an answer is: its text, its mode, and the citations a reader can check."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..retrieval.passage import Passage


@dataclass
class Citation:
    n: int
    source: str
    title: str
    page: int | None
    quote: str
    section: str = ""  # where the document has no pages: the heading the quote stands under

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    mode: str  # "extractive" or "generative"
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    language: str = "nl"
    search_query: str | None = None  # the question as searched, with context from the conversation
    notice: str | None = None  # e.g. the model was unreachable and this answer is extractive instead

    def to_json(self) -> dict:
        data = {
            "question": self.question, "answer": self.answer, "mode": self.mode, "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations], "language": self.language,
        }
        if self.search_query and self.search_query != self.question:
            data["search_query"] = self.search_query
        if self.notice:
            data["notice"] = self.notice
        return data
