"""Evaluation sets: YAML or JSONL, one item per question; only `id` and `question` are required."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ..errors import EvalSetError


@dataclass
class ExpectedSource:
    source: str
    pages: list[int] = field(default_factory=list)  # empty: any page of the document

    def matches(self, source: str, page: int | None) -> bool:
        return source == self.source and (not self.pages or page in self.pages)

    def keys(self) -> list[str]:
        return [f"{self.source}#{p}" for p in self.pages] or [f"{self.source}#*"]


@dataclass
class EvalItem:
    id: str
    question: str
    lang: str | None = None
    expected_answer: str | None = None
    expected_sources: list[ExpectedSource] = field(default_factory=list)
    must_include: list[list[str]] = field(default_factory=list)
    abstain: bool | None = None
    # The sentence(s) that answer the question, verbatim as the documents give them: each one a good
    # first sentence of the answer (lead hit), and the labels the sentence scorer is fitted on.
    expected_quote: list[str] = field(default_factory=list)
    list_answer: bool = False  # the question asks for a list (`list: true`)
    off_topic: bool = False  # not about MDT at all (`off_topic: true`): apart in abstention recall on topic

    @property
    def language(self) -> str:
        if self.lang:
            return self.lang
        from ..corpus.language import detect_language

        return detect_language(self.question)


def _source(value, where: str) -> ExpectedSource:
    if isinstance(value, str):
        name, _, page = value.partition("#")
        return ExpectedSource(name, [int(page)] if page.isdigit() else [])
    if isinstance(value, dict) and "source" in value:
        pages = value.get("pages", value.get("page", []))
        pages = [pages] if isinstance(pages, int) else list(pages or [])
        return ExpectedSource(str(value["source"]), [int(p) for p in pages])
    raise EvalSetError(f"{where}: expected_sources entries are 'file.pdf', 'file.pdf#3' or {{source, pages}}")


def _quotes(value) -> list[str]:
    return [str(q) for q in (value if isinstance(value, list) else [value] if value else [])]


def _item(raw, where: str) -> EvalItem:
    if not isinstance(raw, dict) or not str(raw.get("id", "")).strip() or not str(raw.get("question", "")).strip():
        raise EvalSetError(f"{where}: every item needs an 'id' and a 'question'")
    must = raw.get("must_include") or []
    must = [[str(x) for x in (alt if isinstance(alt, list) else [alt])] for alt in must]
    abstain = raw.get("abstain")
    return EvalItem(
        id=str(raw["id"]), question=str(raw["question"]).strip(), lang=raw.get("lang"),
        expected_answer=raw.get("expected_answer"),
        expected_sources=[_source(s, where) for s in raw.get("expected_sources") or []],
        must_include=must, abstain=None if abstain is None else bool(abstain),
        expected_quote=_quotes(raw.get("expected_quote")),
        list_answer=bool(raw.get("list")), off_topic=bool(raw.get("off_topic")),
    )


def load_set(path: Path) -> list[EvalItem]:
    path = Path(path)
    if not path.is_file():
        raise EvalSetError(f"evaluation set not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            raw_items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            raw_items = yaml.safe_load(text) or []
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise EvalSetError(f"{path}: not valid {'JSONL' if path.suffix.lower() != '.yaml' else 'YAML'} ({error})") from None
    if isinstance(raw_items, dict) and "questions" in raw_items:
        raw_items = raw_items["questions"]
    if not isinstance(raw_items, list) or not raw_items:
        raise EvalSetError(f"{path}: expected a list of questions")
    items = [_item(raw, f"{path.name} item {n}") for n, raw in enumerate(raw_items, start=1)]
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise EvalSetError(f"{path}: duplicate ids {', '.join(duplicates)}")
    return items
