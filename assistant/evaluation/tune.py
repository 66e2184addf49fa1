"""Set the retrieval weights by measurement: grid search on a development set (eval/tuning.yaml).

    python -m assistant.evaluation.tune [--set eval/tuning.yaml] [--check eval/questions.yaml]

Prints hit rate@5 and MRR for BM25 alone, dense alone and each fusion setting, on the development
set, and for the chosen setting also on the held-out set given with --check.
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from ..config import ROOT, Config
from ..core import Assistant
from .sets import load_set
from .metrics import retrieval_summary


def measure(assistant: Assistant, items, k: int = 5) -> dict[str, float]:
    ranked = {item.id: assistant.retrieve(item.question, k=k) for item in items if item.expected_sources}
    return retrieval_summary(items, ranked, k)


def with_settings(assistant: Assistant, **settings) -> Assistant:
    assistant.retriever.config = assistant.config.with_(**settings)
    return assistant


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.evaluation.tune")
    parser.add_argument("--set", default=str(ROOT / "eval" / "tuning.yaml"))
    parser.add_argument("--check", default=str(ROOT / "eval" / "questions.yaml"))
    args = parser.parse_args(argv)
    assistant = Assistant(Config.from_env())
    assistant.ingest()
    dev = load_set(Path(args.set))
    rows = []
    for name, settings in (("bm25 only", dict(dense_weight=0.0, bm25_weight=1.0, bm25_weight_en=1.0, translated_weight=0.0,
                                              short_penalty=0.0)),
                           ("dense only", dict(dense_weight=1.0, bm25_weight=0.0, bm25_weight_en=0.0, translated_weight=0.0,
                                               short_penalty=0.0)),
                           ("dense only + short prior", dict(dense_weight=1.0, bm25_weight=0.0, bm25_weight_en=0.0,
                                                             translated_weight=0.0))):
        rows.append((name, settings, measure(with_settings(assistant, **settings), dev)))
    for bm25_weight, rrf_k, penalty in itertools.product((0.25, 0.5, 0.75, 1.0), (10, 30, 60), (0.0, 0.01, 0.02, 0.04)):
        settings = dict(dense_weight=1.0, bm25_weight=bm25_weight, bm25_weight_en=bm25_weight, translated_weight=0.0,
                        rrf_k=rrf_k, short_penalty=penalty)
        rows.append((f"hybrid w_bm25={bm25_weight} k={rrf_k} short={penalty}", settings,
                     measure(with_settings(assistant, **settings), dev)))
    for name, _, scores in rows:
        print(f"{name:45s} hit@5 {scores['hit_rate@5']:.3f}  mrr {scores['mrr']:.3f}")
    hybrid = [row for row in rows if row[0].startswith("hybrid")]
    best = max(hybrid, key=lambda row: (round(row[2]["hit_rate@5"], 3), round(row[2]["mrr"], 3)))
    print(f"\nbest on {Path(args.set).name}: {best[0]}")
    # English questions: their BM25 side is the glossary translation, weighted on its own.
    english = [item for item in dev if item.language == "en"]
    en_rows = []
    for weight, translated in itertools.product((0.0, 0.25, 0.5, 1.0), (0.0, 0.25, 0.5, 1.0)):
        settings = {**best[1], "bm25_weight_en": weight, "translated_weight": translated}
        en_rows.append(((weight, translated), settings, measure(with_settings(assistant, **settings), english)))
        print(f"english only, bm25_weight_en={weight:<4} translated_weight={translated:<4}  "
              f"hit@5 {en_rows[-1][2]['hit_rate@5']:.3f}  mrr {en_rows[-1][2]['mrr']:.3f}")
    en_best = max(en_rows, key=lambda row: (round(row[2]["hit_rate@5"], 3), round(row[2]["mrr"], 3)))
    best = (f"{best[0]} en={en_best[0]}", en_best[1], best[2])
    print(f"best for english questions: bm25_weight_en, translated_weight = {en_best[0]}")
    if args.check and Path(args.check).is_file():
        held_out = load_set(Path(args.check))
        for name, settings, _ in rows[:3] + [best]:
            scores = measure(with_settings(assistant, **settings), held_out)
            print(f"held-out {Path(args.check).name}: {name:40s} hit@5 {scores['hit_rate@5']:.3f}  mrr {scores['mrr']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
