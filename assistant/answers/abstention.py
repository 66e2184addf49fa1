"""The one decision to abstain: taken once per question, before any answer is composed, for the
extractive and the generative way alike."""
from __future__ import annotations

import re

from ..messages import message
from ..retrieval.passage import Passage, Support
from ..retrieval.query import Query
from .types import Answer

def abstention(query: Query, passages: list[Passage], mode: str = "extractive") -> Answer:
    """The answer that says the documents do not hold one."""
    return Answer(question=query.question, answer=message("abstain", query.language), mode=mode, abstained=True,
                  passages=passages, language=query.language, search_query=query.text)


# The documents are guidance and reports: they forecast no amounts or dates for a coming year.
_FUTURE = re.compile(r"\b(volgend|komend) jaar\b|\bnext year\b|\bcoming year\b", re.I)


def abstain_reason(query: Query, sentences: list, support: Support, config) -> str | None:
    """Why the corpus cannot answer this question, or None. `sentences`: the candidate sentences of the
    retrieved passages (each with its .vector). Thresholds measured on eval/tuning.yaml."""
    if not sentences:
        return "no passage was found"
    # How close the best sentence is to the question itself (not to its translated keywords).
    top_similarity = max(_dot(query.vector, s.vector) for s in sentences)
    if top_similarity < config.abstain_threshold:
        return "no passage is close to the question"
    if support.coverage == 0:
        return "none of the question's words occur in the documents"
    if support.unknown_names:
        return f"the documents never mention {', '.join(support.unknown_names)}"
    if _FUTURE.search(query.question):
        return "the documents say nothing about next year"
    return None


def _dot(a, b) -> float:
    return float(sum(x * y for x, y in zip(a, b)))
