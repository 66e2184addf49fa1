"""Metrics over an evaluation set that need no language-model judge."""
from __future__ import annotations

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate

from .sets import EvalItem


def passage_keys(item: EvalItem, passages) -> tuple[list[str], list[str]]:
    """Expected and retrieved ids in one key space ('file#page'), for llama-index's retrieval metrics.

    A passage that matches an expected source is given that source's key, so that 'any page' and
    'one of these pages' both count as a hit.
    """
    expected = [key for source in item.expected_sources for key in source.keys()]
    retrieved = []
    for passage in passages:
        match = next((s for s in item.expected_sources if s.matches(passage.source, passage.page)), None)
        if match is None:
            retrieved.append(f"{passage.source}#{passage.page}")
        else:
            key = f"{passage.source}#{passage.page}" if match.pages else f"{match.source}#*"
            retrieved.append(key)
    return expected, retrieved


def hit_and_rr(item: EvalItem, passages, k: int) -> tuple[float, float]:
    expected, retrieved = passage_keys(item, passages[:k])
    hit = HitRate().compute(expected_ids=expected, retrieved_ids=retrieved).score
    rr = MRR().compute(expected_ids=expected, retrieved_ids=retrieved).score
    return float(hit), float(rr)


def retrieval_summary(items: list[EvalItem], ranked: dict[str, list], k: int = 5) -> dict[str, float]:
    scored = [hit_and_rr(item, ranked[item.id], k) for item in items if item.expected_sources]
    if not scored:
        return {}
    return {
        f"hit_rate@{k}": sum(h for h, _ in scored) / len(scored),
        "mrr": sum(r for _, r in scored) / len(scored),
    }


def percentile(values, q: float, digits: int = 3):
    """The q-quantile of the values (nearest rank), rounded; None for none."""
    values = sorted(values)
    if not values:
        return None
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return round(values[index], digits)
