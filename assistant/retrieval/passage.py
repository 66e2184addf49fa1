"""What retrieval hands on: passages with their place in the corpus, and what the corpus knows of a question."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Passage:
    rank: int
    source: str
    title: str
    page: int | None
    text: str
    score: float  # fused score, scaled so that first place in both rankings is 1.0
    similarity: float  # cosine similarity of question and passage (dense model)
    id: str = ""
    section: str = ""  # the heading of the cited part, where the document has sections instead of pages

    def to_json(self) -> dict:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        data["similarity"] = round(self.similarity, 4)
        return data


@dataclass
class Support:
    coverage: float  # share of the question's content words found anywhere in the corpus
    unknown_names: list[str]  # names and numbers of the question that the corpus never mentions
    term_weights: dict[str, float] = field(default_factory=dict)  # BM25 idf of the question's Dutch stems
