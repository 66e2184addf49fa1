"""Fit the sentence scorer on the development set and calibrate the abstention thresholds there.

    python -m assistant.evaluation.fit_scorer [--dev eval/tuning.yaml eval/answers-dev.yaml] [--check eval/questions.yaml]

Each answerable development question's `expected_quote` sentences are the positives, every other
candidate sentence of its retrieved passages a negative; a logistic regression (scikit-learn, needed
only here) learns from their features (answers/sentences.py FEATURES). The thresholds are set on the
same development set: `answer_min` (the best sentence's probability under which a question abstains)
as high as keeps false abstentions at most 2 %, `fact_min` likewise for questions asking for a number,
a date, a name or an address. `--check` reports the figures on the held-out set, which is never fitted on.
"""
from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import replace
from pathlib import Path

from .. import Assistant, Config
from ..answers.abstention import decide, fact_rank
from ..answers.sentences import whole
from ..answers.extractive import ExtractiveAnswerer
from ..answers.kinds import asks_for_fact, question_kind
from ..answers.scorer import BANK_FILE, MODEL_FILE, SentenceScorer, hubness
from ..answers.sentences import FEATURES, is_answer_text
from ..config import ROOT
from .reading import answers
from .sets import load_set

# The development sets: retrieval's (also the first labelled answers) and one written for the scorer.
DEV_SETS = ("tuning.yaml", "answers-dev.yaml")
FALSE_ABSTENTION = 0.02
# A sentence adds to the lead only when the scorer rates it at least this share of the lead's score.
SUPPORT_RATIO = 0.8


def answers_it(sentence, quotes: list[str]) -> bool:
    """A candidate answers when the part of it a reader would be shown counts as a lead hit."""
    return answers(whole(sentence.text) or sentence.text, quotes, (sentence.passage.title,))


def collect(assistant: Assistant, items) -> list[dict]:
    """For every question: its candidate sentences with features (unscored), and what it expects."""
    answerer = ExtractiveAnswerer(assistant.config, assistant.retriever.store, scorer=None)
    cases = []
    for item in items:
        query = assistant.query(item.question)
        _, passages = assistant.retriever.answer_passages(query)
        support = assistant.retriever.support(query)
        ranked = answerer.candidates(query, passages, support.term_weights)
        cases.append({"item": item, "query": query, "passages": passages, "sentences": ranked, "support": support})
    return cases


def question_bank(cases: list[dict]):
    """The development questions' vectors: what questions to the assistant look like (scorer.hubness)."""
    import numpy as np

    # kept in 16 bits (data/question-bank.npy): fitted on the same rounded vectors the app will read
    return np.array([case["query"].vector for case in cases], dtype=np.float16).astype(np.float32)


def set_hubness(cases: list[dict], bank, own_question_left_out: bool) -> None:
    """Every candidate's `hubness` against the bank; a development question's own vector is left out of
    its bank, as a new question's is not in it."""
    import numpy as np

    for number, case in enumerate(cases):
        questions = np.delete(bank, number, axis=0) if own_question_left_out else bank
        for sentence, value in zip(case["sentences"], hubness([s.vector for s in case["sentences"]], questions)):
            sentence.features["hubness"] = value


def fit(cases: list[dict], c: float = 1.0) -> SentenceScorer:
    """A linear scorer learnt from pairs: within one question, an answering sentence against each other
    candidate (what matters is which sentence leads, not a probability across questions). The scale of
    its output is set afterwards by a one-feature logistic fit, so that thresholds read as probabilities."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    rows, groups, labels = [], [], []
    for number, case in enumerate(cases):
        item = case["item"]
        if item.abstain or not item.expected_quote:
            continue
        for sentence in case["sentences"]:
            rows.append([sentence.features[name] for name in FEATURES])
            groups.append(number)
            labels.append(int(answers_it(sentence, item.expected_quote)))
    x, groups, labels = np.array(rows, dtype=float), np.array(groups), np.array(labels)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    pairs, sides = [], []
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        for p in members[labels[members] == 1]:
            for n in members[labels[members] == 0]:
                pairs += [z[p] - z[n], z[n] - z[p]]
                sides += [1, 0]
    ranker = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(np.array(pairs), sides)
    utility = z @ ranker.coef_[0]
    calibration = LogisticRegression(C=1e4, class_weight="balanced").fit(utility.reshape(-1, 1), labels)
    slope, intercept = float(calibration.coef_[0][0]), float(calibration.intercept_[0])
    return SentenceScorer(features=tuple(FEATURES), mean=tuple(map(float, mean)), scale=tuple(map(float, scale)),
                          coef=tuple(float(w) * slope for w in ranker.coef_[0]), intercept=intercept, thresholds={})


def score(cases: list[dict], scorer: SentenceScorer) -> None:
    for case in cases:
        for sentence in case["sentences"]:
            sentence.score = scorer.probability(sentence.features)
        case["sentences"].sort(key=lambda s: -s.score)


def _usable(case: dict) -> list:
    return [s for s in case["sentences"] if is_answer_text(s.text)] or case["sentences"]


def calibrate(cases: list[dict], config: Config) -> dict:
    """The thresholds that decline the most unanswerable development questions while declining at most
    FALSE_ABSTENTION of the answerable ones (the most lenient such `answer_min`, the middle such `fact_rank`):
    `answer_min`, the best sentence's score under which a question abstains, and `fact_rank`, how far down
    the ranking a sentence holding the number, date, name or address asked for may stand."""
    open_cases = [c for c in cases if decide(c["query"], c["sentences"], c["support"], config, {}) is None]
    answerable = [c for c in cases if c["item"].abstain is False]
    allowed = int(FALSE_ABSTENTION * len(answerable)) - (len(answerable) - sum(c in open_cases for c in answerable))
    rows = []
    for case in open_cases:
        usable, kind = _usable(case), question_kind(case["item"].question)
        place = fact_rank(kind, usable, case["item"].question) if asks_for_fact(kind) else 0
        rows.append((case["item"].abstain, usable[0].score if usable else 0.0, place))
    results = {}  # (answer_min, rank) -> unanswerable questions declined, for the pairs within the budget
    for answer_min in sorted({0.0} | {round(score, 6) for _, score, _ in rows}):
        for rank in range(1, 21):
            declined = [a for a, score, place in rows if score < answer_min or place > rank]
            if sum(a is False for a in declined) <= max(allowed, 0):
                results[answer_min, rank] = sum(a is True for a in declined)
    most = max(results.values())
    answer_min = min(m for (m, _), right in results.items() if right == most)
    # The ranks that do equally well lie between the last answerable question's fact and the first
    # unanswerable one's loose match: the middle keeps a margin on both sides for new questions.
    ranks = sorted(r for (m, r), right in results.items() if m == answer_min and right == most)
    return {"support_ratio": SUPPORT_RATIO, "answer_min": answer_min, "fact_rank": ranks[(len(ranks) - 1) // 2]}


def cross_validate(cases: list[dict], cs=(0.01, 0.03, 0.1, 0.3, 1.0, 3.0)) -> float:
    """The C whose scorer, fitted on four fifths of the questions, most often ranks an answering
    sentence first on the fifth left out."""
    labelled = [c for c in cases if c["item"].abstain is False and c["item"].expected_quote]
    folds = [labelled[i::5] for i in range(5)]
    results = {}
    for c in cs:
        hits = []
        for fold in folds:
            scorer = fit([x for x in labelled if x not in fold], c=c)
            score(fold, scorer)
            hits += [_first_answers(x) for x in fold]
        results[c] = statistics.fmean(hits)
    print("cross-validated best-sentence accuracy by C:", {c: round(v, 3) for c, v in results.items()})
    return max(results, key=results.get)


def _first_answers(case: dict) -> bool:
    first = next((s for s in case["sentences"] if is_answer_text(s.text)), None)
    return first is not None and answers_it(first, case["item"].expected_quote)


def report(cases: list[dict], config: Config, scorer: SentenceScorer, label: str) -> dict:
    answerable = [c for c in cases if c["item"].abstain is False and c["item"].expected_quote]
    top1 = [_first_answers(c) for c in answerable]
    abstained = {c["item"].id: decide(c["query"], c["sentences"], c["support"], config, scorer.thresholds) is not None
                 for c in cases}
    unanswerable = [c for c in cases if c["item"].abstain is True]
    figures = {
        "set": label, "questions": len(cases),
        "best_sentence_answers": round(statistics.fmean(top1), 3) if top1 else None,
        "abstention_recall": round(statistics.fmean(abstained[c["item"].id] for c in unanswerable), 3)
        if unanswerable else None,
        "false_abstention": round(statistics.fmean(abstained[c["item"].id] for c in cases
                                                   if c["item"].abstain is False), 3),
    }
    print(json.dumps(figures))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.evaluation.fit_scorer")
    parser.add_argument("--dev", nargs="+", default=[str(ROOT / "eval" / name) for name in DEV_SETS])
    parser.add_argument("--check", default=str(ROOT / "eval" / "questions.yaml"))
    parser.add_argument("--out", default=str(MODEL_FILE))
    parser.add_argument("-C", type=float, help="inverse regularisation strength (default: cross-validated)")
    args = parser.parse_args(argv)
    assistant = Assistant(Config.from_env(llm="none"))
    assistant.ingest()
    dev_items = [item for name in args.dev for item in load_set(Path(name))]
    check_items = load_set(Path(args.check))
    overlap = {i.question.lower() for i in dev_items} & {i.question.lower() for i in check_items}
    if overlap:
        parser.error(f"the development and held-out sets share questions: {sorted(overlap)[:3]}")
    dev = collect(assistant, dev_items)
    bank = question_bank(dev)
    set_hubness(dev, bank, own_question_left_out=True)
    scorer = fit(dev, c=args.C or cross_validate(dev))
    score(dev, scorer)
    scorer = replace(scorer, thresholds=calibrate(dev, assistant.config), bank=bank,
                     bank_model=assistant.retriever.store.model_id)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    import numpy as np

    np.save(out.with_name(BANK_FILE.name), bank.astype(np.float16))  # 16 bits: cosines to 3 decimals
    out.write_text(json.dumps(scorer.to_json(BANK_FILE.name), indent=1) + "\n", encoding="utf-8")
    print("weights:", {n: round(c, 3) for n, c in zip(scorer.features, scorer.coef)})
    print("thresholds:", scorer.thresholds)
    report(dev, assistant.config, scorer, "development")
    check = collect(assistant, check_items)
    set_hubness(check, bank, own_question_left_out=False)
    score(check, scorer)
    report(check, assistant.config, scorer, "held-out")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
