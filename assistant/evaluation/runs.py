"""The evaluation suite: run a question set, measure what can be measured without an LLM judge,
store the run with the corpus fingerprint, and compare it with the previous run of the same set."""
from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..config import ROOT
from ..corpus.text import split_sentences
from ..retrieval.bm25 import tokenize
from . import reading
from .metrics import hit_and_rr, percentile
from .sets import EvalItem, load_set

RUNS_DIR = ROOT / "eval" / "runs"
DEFAULT_SET = ROOT / "eval" / "questions.yaml"


@dataclass
class EvalRun:
    set_name: str
    set_hash: str
    corpus: str  # fingerprint of the indexed document versions
    started: str
    config: dict
    metrics: dict
    breakdown: dict
    questions: list[dict]
    comparison: dict | None = None
    failures: list[str] = field(default_factory=list)  # thresholds not met

    def to_json(self) -> dict:
        return {
            "metrics": self.metrics, "questions": self.questions, "breakdown": self.breakdown,
            "comparison": self.comparison, "failures": self.failures,
            "run": {"set": self.set_name, "set_hash": self.set_hash, "corpus": self.corpus,
                    "started": self.started, "config": self.config},
        }


# -- per question ----------------------------------------------------------------------------
def must_include_recall(item: EvalItem, answer_text: str) -> float | None:
    if not item.must_include:
        return None
    text = answer_text.lower()
    return sum(any(alt.lower() in text for alt in alts) for alts in item.must_include) / len(item.must_include)


def citation_precision(item: EvalItem, citations) -> float | None:
    if not item.expected_sources or not citations:
        return None
    good = sum(any(s.matches(c.source, c.page) for s in item.expected_sources) for c in citations)
    return good / len(citations)


def faithfulness(answer) -> float | None:
    """Share of answer sentences whose content words (stemmed) stand in a passage they cite."""
    if answer.abstained or not answer.citations:
        return None
    passages = {(p.source, p.page): p.text for p in answer.passages}
    cited_text = {c.n: passages.get((c.source, c.page), c.quote) + " " + c.quote for c in answer.citations}
    sentences = split_sentences(reading.answer_body(answer.answer))
    supported = total = 0
    for sentence in sentences:
        words = set(tokenize(reading.MARKER.sub("", sentence)))
        if not words:
            continue
        numbers = [int(n) for n in re.findall(r"\[(\d{1,3})\]", sentence)] or list(cited_text)
        source = set(tokenize(" ".join(cited_text.get(n, "") for n in numbers)))
        total += 1
        supported += len(words & source) / len(words) >= 0.8
    return supported / total if total else None


def _cosine(a, b) -> float:
    return float(sum(x * y for x, y in zip(a, b)))


def evaluate_item(assistant, item: EvalItem, k: int = 5) -> dict:
    started = time.perf_counter()
    answer = assistant.ask(item.question)
    seconds = time.perf_counter() - started
    passages = answer.passages[:k]
    row = {
        "id": item.id, "question": item.question, "language": item.language,
        "retrieved": [{"source": p.source, "page": p.page, "text": p.text} for p in passages],
        "answer": answer.answer, "abstained": answer.abstained, "mode": answer.mode,
        "citations": [c.to_json() for c in answer.citations], "seconds": round(seconds, 3),
    }
    if item.expected_answer is not None:
        row["expected_answer"] = item.expected_answer
    if item.expected_sources:
        row["expected_sources"] = [{"source": s.source, "pages": s.pages} for s in item.expected_sources]
        row["hit@5"], row["rr"] = hit_and_rr(item, passages, k)
    if item.abstain is not None:
        row["abstain_expected"] = item.abstain
        row["abstention_correct"] = answer.abstained == item.abstain
    if item.off_topic:
        row["off_topic"] = True
    if item.expected_quote:
        row["expected_quote"] = item.expected_quote
    row.update(reading.describe(answer, item))
    if not item.abstain:
        row["must_include_recall"] = must_include_recall(item, answer.answer)
        row["citation_precision"] = citation_precision(item, answer.citations)
        row["faithfulness"] = faithfulness(answer)
        if item.expected_answer and not answer.abstained:
            expected = assistant.embedding.get_query_embedding(item.expected_answer)
            got = assistant.embedding.get_query_embedding(reading.MARKER.sub("", answer.answer))
            row["semantic_similarity"] = round(_cosine(expected, got), 4)
    row["passed"] = _passed(row)
    return {key: value for key, value in row.items() if value is not None}


def _passed(row: dict) -> bool | None:
    """A question passes when it is answered (or declined) as expected: the right page found, the
    key phrases said, and no wrong abstention."""
    if row.get("abstain_expected"):
        return row["abstention_correct"]
    checks = []
    if "hit@5" in row:
        checks.append(row["hit@5"] == 1.0)
    if row.get("must_include_recall") is not None:
        checks.append(row["must_include_recall"] >= 0.5)
    if "abstain_expected" in row:
        checks.append(row["abstention_correct"])
    return all(checks) if checks else None


# -- over the set ----------------------------------------------------------------------------
def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None


def summarise(rows: list[dict]) -> dict:
    metrics = {
        "questions": len(rows),
        "hit_rate@5": _mean(r.get("hit@5") for r in rows),
        "mrr": _mean(r.get("rr") for r in rows),
        "must_include_recall": _mean(r.get("must_include_recall") for r in rows),
        "citation_precision": _mean(r.get("citation_precision") for r in rows),
        "faithfulness": _mean(r.get("faithfulness") for r in rows),
        "semantic_similarity": _mean(r.get("semantic_similarity") for r in rows),
        "abstention_accuracy": _mean(float(r["abstention_correct"]) for r in rows if "abstention_correct" in r),
        # both directions: unanswerable questions declined, answerable ones not declined
        "abstention_recall": _mean(float(r["abstained"]) for r in rows if r.get("abstain_expected") is True),
        "false_abstention_rate": _mean(float(r["abstained"]) for r in rows if r.get("abstain_expected") is False),
        "pass_rate": _mean(float(r["passed"]) for r in rows if r.get("passed") is not None),
        **reading.summarise(rows),
        "latency_p50": percentile([r["seconds"] for r in rows], 0.5),
        "latency_p95": percentile([r["seconds"] for r in rows], 0.95),
    }
    return {key: value for key, value in metrics.items() if value is not None}


def breakdown(rows: list[dict]) -> dict:
    by_language: dict[str, list] = {}
    by_document: dict[str, list] = {}
    for row in rows:
        by_language.setdefault(row.get("language", "?"), []).append(row)
        documents = {s["source"] for s in row.get("expected_sources", [])} or {"(not in the corpus)" if row.get("abstain_expected") else "(no source given)"}
        for document in documents:
            by_document.setdefault(document, []).append(row)
    return {"language": {k: summarise(v) for k, v in sorted(by_language.items())},
            "document": {k: summarise(v) for k, v in sorted(by_document.items())}}


def corpus_fingerprint(assistant) -> str:
    records = assistant.retriever.store.records()
    digest = hashlib.sha256("\n".join(f"{s}:{r.doc_hash}" for s, r in sorted(records.items())).encode())
    return digest.hexdigest()[:16]


# -- runs and comparison ---------------------------------------------------------------------
def previous_run(set_name: str, runs_dir: Path) -> dict | None:
    runs = sorted(runs_dir.glob(f"*--{_slug(set_name)}.json"))
    return json.loads(runs[-1].read_text(encoding="utf-8")) if runs else None


def _slug(name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", name).strip("-")


def compare(current: list[dict], current_metrics: dict, previous: dict, indexed: set[str] | None = None) -> dict:
    """Questions that got worse or better since the previous run, each with why (`indexed`: the
    documents in the index now, to tell a removed document from a changed answer)."""
    before = {q["id"]: q for q in previous.get("questions", [])}
    regressed, improved = [], []
    for row in current:
        old = before.get(row["id"])
        if old is None or old.get("passed") is None or row.get("passed") is None:
            continue
        change = {"id": row["id"], "question": row["question"],
                  "before": {k: old.get(k) for k in ("passed", "hit@5", "must_include_recall", "abstained")},
                  "after": {k: row.get(k) for k in ("passed", "hit@5", "must_include_recall", "abstained")}}
        if old["passed"] and not row["passed"]:
            regressed.append({**change, "why": _why(old, row, indexed)})
        elif row["passed"] and not old["passed"]:
            improved.append({**change, "why": _why(old, row, indexed)})
    deltas = {}
    for key, value in current_metrics.items():
        old = previous.get("metrics", {}).get(key)
        if isinstance(value, (int, float)) and isinstance(old, (int, float)) and key != "questions":
            deltas[key] = round(value - old, 4)
    run = previous.get("run", {})
    return {"previous": run.get("started"), "previous_corpus": run.get("corpus"), "metric_deltas": deltas,
            "regressed": regressed, "improved": improved}


def _why(old: dict, new: dict, indexed: set[str] | None) -> str:
    """What changed for one question, in words."""
    gone = sorted({s["source"] for s in new.get("expected_sources", [])} - indexed) if indexed is not None else []
    if gone:
        return f"its document is no longer indexed: {', '.join(gone)}"
    reasons = []
    if old.get("hit@5") != new.get("hit@5"):
        reasons.append("the expected page is " + ("now" if new.get("hit@5") else "no longer") + " in the top 5")
    if old.get("must_include_recall") != new.get("must_include_recall"):
        reasons.append(f"key phrases in the answer {old.get('must_include_recall')} -> {new.get('must_include_recall')}")
    if old.get("abstained") != new.get("abstained"):
        reasons.append("now declines to answer" if new.get("abstained") else "now answers instead of declining")
    return "; ".join(reasons) or "the answer changed"


# Metrics where lower is better; all others must reach their threshold.
LOWER_IS_BETTER = {"false_abstention_rate", "latency_p50", "latency_p95", "answer_words_p50", "answer_words_p90",
                   "list_answer_words_p50", "fragments_per_answer", "unresolved_per_answer"}


def parse_thresholds(spec: str | None) -> dict[str, float]:
    """'hit_rate@5=0.85,pass_rate=0.7' -> {'hit_rate@5': 0.85, 'pass_rate': 0.7}"""
    thresholds = {}
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        name, _, value = part.partition("=")
        try:
            thresholds[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--fail-under takes metric=number pairs, e.g. hit_rate@5=0.85 (got '{part}')") from None
    return thresholds


def check_thresholds(metrics: dict, thresholds: dict[str, float]) -> list[str]:
    failures = []
    for name, limit in thresholds.items():
        value = metrics.get(name)
        if value is None:
            continue  # the set does not measure it
        bad = value > limit if name in LOWER_IS_BETTER else value < limit
        if bad:
            failures.append(f"{name} = {value} ({'above' if name in LOWER_IS_BETTER else 'under'} {limit})")
    return failures


def run_evaluation(assistant, set_path: Path | None = None, thresholds: dict[str, float] | None = None,
                   runs_dir: Path = RUNS_DIR, progress=None, ingest: bool = True) -> EvalRun:
    """Bring the index up to date, run the set, store the run and compare it with the previous one."""
    set_path = Path(set_path or DEFAULT_SET)
    items = load_set(set_path)
    if ingest:
        assistant.ingest()
    rows = []
    for number, item in enumerate(items, start=1):
        rows.append(evaluate_item(assistant, item, k=assistant.config.top_k))
        if progress is not None:
            progress(number, len(items))
    metrics = summarise(rows)
    config = assistant.config
    run = EvalRun(
        set_name=set_path.name, set_hash=hashlib.sha256(set_path.read_bytes()).hexdigest()[:16],
        corpus=corpus_fingerprint(assistant), started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        config={"embedding": config.embedding, "llm": __import__("assistant.llm", fromlist=["describe"]).describe(config.llm),
                "bm25_weight": config.bm25_weight, "rrf_k": config.rrf_k, "abstain_threshold": config.abstain_threshold},
        metrics=metrics, breakdown=breakdown(rows), questions=rows,
    )
    previous = previous_run(set_path.name, runs_dir)
    if previous is not None:
        run.comparison = compare(rows, metrics, previous, indexed=set(assistant.retriever.store.records()))
    run.failures = check_thresholds(metrics, thresholds if thresholds is not None else config.eval_thresholds)
    runs_dir.mkdir(parents=True, exist_ok=True)
    stamp = run.started.replace(":", "").replace("-", "")
    (runs_dir / f"{stamp}--{_slug(set_path.name)}.json").write_text(
        json.dumps(run.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return run
