"""Ingest: bring the index up to date with the corpus folder, re-embedding only what changed."""
from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .chunking import chunk_document
from .config import Config
from .documents import UnreadableDocument, file_hash, read_document, scan_corpus
from .embeddings import embedding_model_id, load_embedding
from .store import DocumentRecord, IndexStore, StoreError, now


class IngestBusy(RuntimeError):
    """Another ingest holds the index."""


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    rebuilt_from: str | None = None  # the embedding model of the index this run replaced
    repaired: str | None = None  # why the index could not be read and was rebuilt from the corpus

    def to_json(self) -> dict:
        return asdict(self)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def _lock_path(config: Config) -> Path:
    if config.chroma_url:
        import hashlib
        import tempfile

        return Path(tempfile.gettempdir()) / f"mdt-ingest-{hashlib.sha1(config.chroma_url.encode()).hexdigest()[:10]}.lock"
    Path(config.index_dir).mkdir(parents=True, exist_ok=True)
    return Path(config.index_dir) / ".ingest.lock"


@contextmanager
def ingest_lock(config: Config, wait: float = 0.0):
    """One ingest at a time per index; a second one waits up to `wait` seconds, then refuses."""
    handle = open(_lock_path(config), "a+")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestBusy("another ingest is updating this index; wait for it to finish and try again") from None
                time.sleep(0.2)
        yield
    finally:
        handle.close()


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="indexing", unit="doc", file=sys.stderr, disable=not enabled or total == 0)


def ingest(config: Config, embedding=None, progress: bool = False, wait: float = 0.0, on_document=None) -> IngestReport:
    """Index the corpus folder incrementally. `on_document(i, total, source)` reports progress to callers."""
    started = time.perf_counter()
    report = IngestReport()
    model_id = embedding.model_name if embedding is not None else embedding_model_id(config.embedding)
    with ingest_lock(config, wait=wait):
        store = IndexStore(config, model_id)
        try:
            store.tidy()
            store.check()
            others = store.other_models()
            records = store.records()
        except StoreError as error:
            if config.chroma_url:
                raise
            # A damaged embedded index (e.g. one from before versioned updates, killed mid-write):
            # the documents are all still in the corpus folder, so it is rebuilt from scratch.
            report.repaired = str(error)
            print(f"The index could not be read ({error}); rebuilding it from the corpus.", file=sys.stderr)
            others, records = [], {}
        if others and not store.exists():
            report.rebuilt_from = others[0]
            print(f"The index was built with {others[0]}; rebuilding it for {store.index_id}.",
                  file=sys.stderr)
        root = Path(config.corpus_dir).resolve()
        files, refused = scan_corpus(root)
        report.failed.extend(refused)
        todo: list[tuple[str, Path, str]] = []
        for source, path in files.items():
            record = records.get(source)
            try:
                digest = file_hash(path, root)  # refuses links out, odd files and oversized ones unread
            except (UnreadableDocument, OSError) as error:
                reason = str(error) if isinstance(error, UnreadableDocument) else \
                    f"cannot be read ({error.strerror or error})"
                if record is not None:
                    reason += "; the previous version stays indexed"
                report.failed.append({"source": source, "error": reason})
                continue
            if record is not None and record.doc_hash == digest:
                report.unchanged.append(source)
            else:
                todo.append((source, path, "updated" if record is not None else "added"))
        gone = sorted(set(records) - set(files))

        if todo or gone or others or report.repaired:
            # Embedded: everything is written into a private copy, published at the end.
            with store.writer(fresh=bool(report.repaired)) as writer:
                _update(config, writer, todo, gone, bool(others), report, embedding, progress, on_document)
        records = store.records()
        store.close()
        report.documents = len(records)
        report.chunks = sum(record.chunks for record in records.values())
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _update(config: Config, store: IndexStore, todo, gone, rebuild: bool, report: IngestReport,
            embedding, progress: bool, on_document) -> None:
    bar = _progress(len(todo), progress)
    for number, (source, path, change) in enumerate(todo, start=1):
        if on_document is not None:
            on_document(number, len(todo), source)
        bar.set_postfix_str(source[-40:])
        try:
            document = read_document(path, source=source, root=Path(config.corpus_dir).resolve())
        except UnreadableDocument as error:
            reason = str(error) + ("; the previous version stays indexed" if change == "updated" else "")
            report.failed.append({"source": source, "error": reason})
            bar.update(1)
            continue
        chunks = chunk_document(document)
        if embedding is None:
            embedding = load_embedding(config.embedding)
        vectors = embedding.get_text_embedding_batch([chunk.embed_text for chunk in chunks])
        flat = embedding.get_text_embedding_batch([t for chunk in chunks for t in chunk.sentence_embed_texts()])
        per_chunk, start = [], 0
        for chunk in chunks:
            count = len(chunk.indexed_sentences())
            per_chunk.append(flat[start:start + count])
            start += count
        store.add_chunks(chunks, vectors, per_chunk)
        store.commit(DocumentRecord(
            source=source, doc_hash=document.sha256, title=document.title, kind=document.kind,
            pages=len({page.number for page in document.pages}), chunks=len(chunks), indexed_at=now(),
        ))
        getattr(report, change).append(source)
        bar.update(1)
    bar.close()

    for source in gone:
        store.forget(source)
        report.removed.append(source)

    if report.changed or rebuild:
        records = store.records()
        store.drop_stale_chunks({source: record.doc_hash for source, record in records.items()})
    if rebuild:
        store.drop_other_models()
