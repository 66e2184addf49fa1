"""The fusion step: weighted reciprocal rank fusion of several rankings of the same chunks."""
from __future__ import annotations


def weighted_rrf(rankings: list[tuple[list[str], float]], c: int) -> list[tuple[str, float]]:
    """Ids by fused score, best first. Each ranking adds weight / (c + rank) to its ids; the score is
    scaled so that first place in every ranking is 1.0 (an absolute scale the answer step can read)."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, cid in enumerate(ranking, start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (c + rank)
    best = sum(weight for _, weight in rankings) / (c + 1)
    return [(cid, score / best) for cid, score in sorted(fused.items(), key=lambda item: -item[1])]
