"""Ingest: bring the index up to date with the corpus folder, re-embedding only what changed."""
from __future__ import annotations

import fcntl
import itertools
import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..config import Config
from ..corpus.chunking import chunk_document
from ..corpus.ocr import CACHE_FOLDER as OCR_CACHE, PageOCR
from ..corpus.readers import FAILED_DIR, SUPPORTED, file_hash, read_document, scan_corpus
from ..embeddings import embedding_model_id, load_embedding
from ..embeddings.cache import EmbeddingCache
from ..errors import CorpusFolderError, DocumentOverLimit, IndexNotWritable, IngestBusy, StoreError, UnreadableDocument
from .store import DocumentRecord, IndexStore, live_versions, now


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    skipped_pages: list[dict] = field(default_factory=list)  # {source, page, error}: read around, rest indexed
    ocr_pages: list[dict] = field(default_factory=list)  # {source, pages}: pages read from their picture by OCR
    texts_embedded: int = 0  # passages and sentences given to the embedding model
    texts_reused: int = 0  # passages and sentences whose vector the embedding cache already had
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
    try:
        handle = open(_lock_path(config), "a+")
    except OSError as error:  # a read-only or misplaced index folder: the first thing an ingest writes
        where = config.index_dir if not config.chroma_url else _lock_path(config).parent
        raise IndexNotWritable.at(where, error) from None
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


def check_corpus_folder(corpus_dir: Path) -> Path:
    """The corpus folder, resolved; CorpusFolderError when it is missing, not a folder or unreadable
    (a typo in MDT_CORPUS_DIR must not read as 'every document was deleted')."""
    root = Path(corpus_dir).expanduser()
    if not root.exists():
        raise CorpusFolderError(f"the corpus folder {root} does not exist; check MDT_CORPUS_DIR or --corpus")
    if not root.is_dir():
        raise CorpusFolderError(f"the corpus folder {root} is not a folder; check MDT_CORPUS_DIR or --corpus")
    try:
        with os.scandir(root):
            pass
    except OSError as error:
        raise CorpusFolderError(f"cannot read the corpus folder {root} ({error.strerror or error}); "
                                "check its permissions") from None
    return root.resolve()


EMBEDDING_CACHE = "embedding-cache.sqlite"  # in the index folder, beside the versions


def ingest(config: Config, embedding=None, progress: bool = False, wait: float = 0.0, on_document=None,
           allow_empty: bool = False, on_page=None, on_embed=None) -> IngestReport:
    """Index the corpus folder incrementally. `on_document(i, total, source)` reports progress to callers,
    `on_page(source, page, done, total)` the pages of a document being read by OCR, and
    `on_embed(source, done, total)` its texts being embedded.

    A corpus folder without any supported document empties the index only with `allow_empty`:
    otherwise CorpusFolderError, and the index stays as it was (a wrong or unmounted folder)."""
    started = time.perf_counter()
    report = IngestReport()
    model_id = embedding.model_name if embedding is not None else embedding_model_id(config.embedding)
    root = check_corpus_folder(config.corpus_dir)
    with ingest_lock(config, wait=wait):
        store = IndexStore(config, model_id)
        try:
            store.tidy()
            store.check()
            others = store.other_models()
            records = store.records()
        except StoreError as error:
            if config.chroma_url or isinstance(error, IndexNotWritable):
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
        files, refused = scan_corpus(root)
        if not allow_empty and (records or others or report.repaired) \
                and not any(path.suffix.lower() in SUPPORTED for path in files.values()):
            raise CorpusFolderError(f"the corpus folder {root} has no documents, but the index holds some; "
                                    "check MDT_CORPUS_DIR or --corpus, or run 'mdt-assistent ingest --allow-empty' "
                                    "to empty the index on purpose")
        report.failed.extend(refused)
        remembered = FailedFiles(Path(config.index_dir))
        todo: list[tuple[str, Path, str, str]] = []
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
            elif (known := remembered.get(source, digest)) is not None:
                report.failed.append({"source": source, "error": known, "not_retried": True})
            else:
                todo.append((source, path, "updated" if record is not None else "added", digest))
        gone = sorted(set(records) - set(files))

        if todo or gone or others or report.repaired:
            # Embedded: everything is written into a private copy, published at the end.
            with store.writer(fresh=bool(report.repaired)) as writer:
                _update(root, config, writer, todo, gone, bool(others), report, embedding, progress,
                        on_document, on_page, on_embed)
        records = store.records()
        store.close()
        remembered.update(files, todo, report.failed)
        report.documents = len(records)
        report.chunks = sum(record.chunks for record in records.values())
    report.seconds = round(time.perf_counter() - started, 2)
    return report


class FailedFiles:
    """The files that could not be read, by content hash (failed.json in the index folder): a file that
    failed is not read again, and reported as failed, until it changes (a new upload of the same name
    replaces it) or is removed. Failures that depend on this machine (OCR not installed) are retried."""

    def __init__(self, index_dir: Path):
        self.path = Path(index_dir) / "failed.json"
        try:
            self.known: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}

    def get(self, source: str, digest: str) -> str | None:
        """Why this version of the file failed before, or None when it was not tried (or has changed)."""
        entry = self.known.get(source)
        return entry["error"] if isinstance(entry, dict) and entry.get("sha256") == digest else None

    def update(self, files: dict[str, Path], todo, failed: list[dict]) -> None:
        read = {source: digest for source, _, _, digest in todo}
        # a file over a reading limit is moved out of the folder (set_aside) and says so itself
        errors = {f["source"]: f["error"] for f in failed if f["source"] in read and "moved_to" not in f}
        known = {source: entry for source, entry in self.known.items() if source in files and source not in read}
        known.update({source: {"sha256": read[source], "error": error} for source, error in errors.items()
                      if "Tesseract" not in error and "OCR is off" not in error})
        if known == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
            temporary.replace(self.path)
            self.known = known
        except OSError:
            pass  # a read-only index folder: the files are read again next time, nothing lost


def set_aside(root: Path, path: Path, source: str) -> tuple[str | None, str]:
    """Move a document refused for a reading limit into FAILED_DIR of the corpus folder (hidden: never
    read again). Returns its new place relative to the corpus folder (None when it cannot be moved,
    e.g. a read-only corpus folder) and a note for the failure's reason."""
    target = root / FAILED_DIR / source
    for n in itertools.count(2):
        if not target.exists() and not target.is_symlink():
            break
        target = target.with_name(f"{Path(source).stem}-{n}{Path(source).suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(path, target)
    except OSError as error:
        return None, (f"it could not be moved to {FAILED_DIR}/ ({error.strerror or error}), "
                      "so the next ingest tries it again")
    moved = target.relative_to(root).as_posix()
    return moved, f"moved to {moved} in the corpus folder, so it is not read again"


def _update(root: Path, config: Config, store: IndexStore, todo, gone, rebuild: bool, report: IngestReport,
            embedding, progress: bool, on_document, on_page, on_embed) -> None:
    bar = _progress(len(todo), progress)
    cache = None  # opened with the first document that needs embedding
    for number, (source, path, change, _) in enumerate(todo, start=1):
        if on_document is not None:
            on_document(number, len(todo), source)
        bar.set_postfix_str(source[-40:])

        def page_read(page: int, done: int, total: int, source=source) -> None:
            bar.set_postfix_str(f"{source[-30:]}: OCR page {page} ({done + 1} of {total})")
            if on_page is not None:
                on_page(source, page, done, total)

        ocr = PageOCR(cache_dir=Path(config.index_dir) / OCR_CACHE, on_page=page_read)
        try:
            document = read_document(path, source=source, root=root, ocr=ocr)
        except UnreadableDocument as error:
            failure = {"source": source, "error": str(error)}
            if isinstance(error, DocumentOverLimit):  # costly to try: out of the way of later ingests
                failure["moved_to"], note = set_aside(root, path, source)
                failure["error"] += f"; {note}"
            if change == "updated":
                failure["error"] += "; the previous version stays indexed" + \
                    (" until the next ingest" if failure.get("moved_to") else "")
            report.failed.append(failure)
            bar.update(1)
            continue
        report.skipped_pages.extend({"source": source, "page": page, "error": reason}
                                    for page, reason in document.problems)
        if document.ocr_pages:
            report.ocr_pages.append({"source": source, "pages": document.ocr_pages})
        chunks = chunk_document(document)
        if embedding is None:
            embedding = load_embedding(config.embedding)
        if cache is None:
            cache = EmbeddingCache(Path(config.index_dir) / EMBEDDING_CACHE, embedding.model_name)
        passages = [chunk.embed_text for chunk in chunks]
        sentences = [t for chunk in chunks for t in chunk.sentence_embed_texts()]

        def embedded(done: int, total: int = len(passages) + len(sentences), source=source) -> None:
            bar.set_postfix_str(f"{source[-30:]}: {done} of {total} texts embedded")
            if on_embed is not None:
                on_embed(source, done, total)

        vectors = cache.embed(embedding, passages, lambda done: embedded(done))
        flat = cache.embed(embedding, sentences, lambda done: embedded(len(passages) + done))
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
    if cache is not None:
        report.texts_embedded, report.texts_reused = cache.embedded, cache.reused
        cache.close()

    for source in gone:
        store.forget(source)
        report.removed.append(source)

    if report.changed or rebuild:
        records = store.records()
        touched = None if rebuild else report.added + report.updated + report.removed
        store.drop_stale_chunks(live_versions(records), touched)
    if rebuild:
        store.drop_other_models()
