"""The sentence scorer: how likely a candidate sentence answers the question, from its features.

A logistic regression fitted on the development set's labelled answering sentences (eval/tuning.yaml,
`expected_quote`) by `python -m assistant.evaluation.fit_scorer`; its coefficients, the feature
scaling and the thresholds calibrated on the same set live in data/sentence-scorer.json. Applying
it is a dot product: scikit-learn is needed only to fit it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).parent / "data" / "sentence-scorer.json"


@dataclass(frozen=True)
class SentenceScorer:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: dict  # calibrated on the development set: answer_min, fact_min, support_ratio, ...

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "SentenceScorer":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(features=tuple(data["features"]), mean=tuple(data["mean"]), scale=tuple(data["scale"]),
                   coef=tuple(data["coef"]), intercept=float(data["intercept"]), thresholds=dict(data["thresholds"]))

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(c * (features[name] - m) / s
                                 for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "thresholds": self.thresholds}
