"""The sentence scorer: how likely a candidate sentence answers the question, from its features.

A logistic regression fitted on the development sets' labelled answering sentences (eval/tuning.yaml,
eval/answers-dev.yaml: `expected_quote`) by `python -m assistant.evaluation.fit_scorer`; its
coefficients, the feature scaling and the thresholds calibrated on the same sets live in
data/sentence-scorer.json, the development questions' vectors (the question bank, for `hubness`) in
data/question-bank.npy. Applying it is a dot product: scikit-learn is needed only to fit it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

MODEL_FILE = Path(__file__).parent / "data" / "sentence-scorer.json"
BANK_FILE = MODEL_FILE.with_name("question-bank.npy")
HUB_NEIGHBOURS = 5  # chosen by cross-validation on the development sets (5, 10, 20)


def hubness(vectors, bank) -> list[float]:
    """How close each sentence comes to questions in general: its mean cosine to its HUB_NEIGHBOURS nearest
    questions of the bank. A sentence near every question (a generic testimonial, a report's opening
    line) is near this one for no particular reason; the scorer weighs its similarity down (as CSLS
    does for hubs in embedding spaces)."""
    import numpy as np

    if not len(vectors):
        return []
    similarities = np.asarray(vectors, dtype=np.float32) @ np.asarray(bank).T
    return np.sort(similarities, axis=1)[:, -HUB_NEIGHBOURS:].mean(axis=1).tolist()


@dataclass(frozen=True)
class SentenceScorer:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    thresholds: dict  # calibrated on the development set: answer_min, fact_min, support_ratio, ...
    bank_model: str = ""  # the embedding model of the question bank's vectors
    bank: object = field(default=None, compare=False, repr=False)  # the development questions' vectors

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "SentenceScorer":
        data = json.loads(path.read_text(encoding="utf-8"))
        bank_file = path.with_name(data["question_bank"]) if data.get("question_bank") else None
        bank = None
        if bank_file is not None and bank_file.exists():
            import numpy as np

            bank = np.load(bank_file).astype(np.float32)  # stored in 16 bits
        return cls(features=tuple(data["features"]), mean=tuple(data["mean"]), scale=tuple(data["scale"]),
                   coef=tuple(data["coef"]), intercept=float(data["intercept"]), thresholds=dict(data["thresholds"]),
                   bank_model=data.get("question_bank_model", ""), bank=bank)

    def hubness(self, vectors, model_id: str) -> list[float]:
        """`hubness` of each sentence vector; with a bank of another embedding model (or none) every
        sentence gets the development mean, so the feature weighs nothing."""
        if self.bank is None or model_id != self.bank_model or "hubness" not in self.features:
            neutral = self.mean[self.features.index("hubness")] if "hubness" in self.features else 0.0
            return [neutral] * len(vectors)
        return hubness(vectors, self.bank)

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(c * (features[name] - m) / s
                                 for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self, bank_file: str = "") -> dict:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "thresholds": self.thresholds,
                "question_bank": bank_file, "question_bank_model": self.bank_model}
