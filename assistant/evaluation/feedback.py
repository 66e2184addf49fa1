"""Feedback on answers: thumbs up/down kept in a local JSONL file, and a downvoted answer turned
into an evaluation case (a YAML item that assistant.evalset.load_set reads).

Where: `Config.votes_path` and `Config.eval_cases_path` (MDT_FEEDBACK_FILE, MDT_FEEDBACK_EVAL; by
default `feedback.jsonl` and `from-feedback.yaml` in the index folder, never the installed program's
folder). Nothing leaves the machine.
"""
from __future__ import annotations

import fcntl
import json
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import yaml

_EVAL_HEADER = """\
# Evaluation cases made from answers that users marked as wrong (thumbs down) in the chat window.
# Fill in expected_answer and expected_sources (and must_include / abstain where useful) after
# checking the documents; `mdt-assistent eval --set eval/from-feedback.yaml` runs them.
"""
_lock = threading.Lock()


@contextmanager
def _locked(path: Path):
    """One writer at a time, across threads and processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class FeedbackStore:
    """Votes as one JSON object a line: {id, time, vote, question, answer, citations, ...}."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def add(self, vote: str, question: str, answer: str, citations: list[dict] | None = None,
            **extra) -> dict:
        if vote not in ("up", "down", "none"):
            raise ValueError(f"vote must be 'up', 'down' or 'none', not {vote!r}")
        entry = {"id": uuid.uuid4().hex[:12], "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "vote": vote,
                 "question": question, "answer": answer, "citations": citations or []}
        entry.update({k: v for k, v in extra.items() if v is not None})
        line = json.dumps(entry, ensure_ascii=False)
        with _locked(self.path):
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return entry

    def entries(self) -> list[dict]:
        if not self.path.is_file():
            return []
        found = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a crash; the others still count
        return found


def eval_case(entry: dict) -> dict:
    """The evaluation item for a downvoted answer: the question, with the expectations left to fill in."""
    sources = ", ".join(
        f"{c.get('source')}" + (f" p. {c['page']}" if c.get("page") else "") for c in entry.get("citations") or []
    ) or "none"
    answer = " ".join(str(entry.get("answer", "")).split())
    if len(answer) > 300:
        answer = answer[:297] + "..."
    return {
        "id": f"fb-{entry['id']}",
        "question": entry["question"],
        "expected_answer": "",
        "expected_sources": [],
        "note": f"downvoted in the chat window on {entry.get('time', '?')[:10]}; "
                f"answer given: {answer!r}; cited: {sources}",
    }


def add_eval_case(entry: dict, path: Path) -> tuple[dict, bool]:
    """Append the evaluation case of a downvoted answer to a YAML set; (item, False) if it is there already."""
    path = Path(path)
    item = eval_case(entry)
    with _locked(path):
        existing = []
        if path.is_file():
            existing = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            if not isinstance(existing, list):
                raise ValueError(f"{path} is not a list of evaluation items")
        if any(isinstance(old, dict) and old.get("id") == item["id"] for old in existing):
            return item, False
        text = yaml.safe_dump([item], allow_unicode=True, sort_keys=False, width=100)
        with open(path, "a", encoding="utf-8") as handle:
            if not existing and (not path.is_file() or path.stat().st_size == 0):
                handle.write(_EVAL_HEADER)
            handle.write("\n" + text)
    return item, True
