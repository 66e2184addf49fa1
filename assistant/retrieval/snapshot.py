"""What retrieval holds in memory for one index content (the live chunks, BM25, the vector matrix), kept
on disk so that a new process or a new index version starts answering in milliseconds.

Reading every vector back from Chroma and rebuilding BM25 took 1.8 s at 1,000 pages and 13.9 s at
10,000: the first question after every ingest paid it. Now each ingest (Assistant.ingest, `prepare`)
saves the state of the index it leaves (index/retrieval/<key>/: the matrix as .npy, loaded
memory-mapped; bm25s's own files; the chunks as JSON), and a retriever loads it. The key is a hash of the
index's name (model, chunking), of the BM25 tokenizer (bm25.tokenizer_id: a new release with other stop
words must not read the old stems) and of every live document version, so a state is never served for
other content; a missing or damaged one is rebuilt from Chroma and written again.

After a change to a few documents the new state is derived from the one before (`derive`): its rows of
unchanged documents kept, only the changed documents' rows read from Chroma, BM25 rebuilt from the
chunks' saved stems. Building it from Chroma read every vector back (28 s of a 31 s one-document
update at 10,000 pages); a derived state is the same, array for array (tests/test_ingest.py).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: an unchanged ingest only checks that a state is saved
    from .bm25 import BM25Index
    from .dense import ExactDenseIndex

FORMAT = 2  # bump when what is saved changes
FOLDER = "retrieval"  # in the index folder
KEEP = 2  # states kept: the live one and the one before it (a reader may still be on it)


def fingerprint(records) -> tuple:
    """The live document versions: (source, content hash) of each, sorted."""
    return tuple(sorted((source, record.doc_hash) for source, record in records.items()))


class RetrievalState:
    """The live chunks (id -> (text, metadata)), their BM25 index and the exact dense index."""

    def __init__(self, chunks: dict[str, tuple[str, dict]], bm25: BM25Index, dense: ExactDenseIndex):
        self.chunks, self.bm25, self.dense = chunks, bm25, dense

    @classmethod
    def from_store(cls, store, records, short_words: int) -> "RetrievalState":
        from .bm25 import BM25Index
        from .dense import ExactDenseIndex

        live = store.live_chunks(records)
        chunks = {cid: (text, meta) for cid, text, meta in live}
        bm25 = BM25Index([cid for cid, _, _ in live], parsed=[parse_chunk(text, meta) for _, text, meta in live])
        return cls(chunks, bm25, ExactDenseIndex(*store.live_vectors(records), short_words=short_words))

    @classmethod
    def derive(cls, previous: Path, store, records, short_words: int) -> "RetrievalState | None":
        """The state for `records` from an earlier saved one (see the module's text); None when that one
        cannot serve (missing parts, another format) or most documents changed."""
        from .bm25 import BM25Index, tokenizer_id
        from .dense import ExactDenseIndex

        try:
            saved = json.loads((previous / "key.json").read_text(encoding="utf-8"))
            if saved.get("tokenizer") != tokenizer_id():  # its chunks' stems are another tokenizer's
                return None
            before = {source: digest for source, digest in saved["documents"]}
            old = cls.load(previous, saved["key"], short_words)
            parsed = json.loads((previous / "parsed.json").read_text(encoding="utf-8"))
            row_ids = ExactDenseIndex.saved_row_ids(previous / "dense")
        except (OSError, ValueError, KeyError, TypeError):
            return None
        live = dict(fingerprint(records))
        kept = {source for source, digest in before.items() if live.get(source) == digest}
        fresh = [source for source in live if source not in kept]
        if old is None or len(parsed) != len(old.chunks) or len(fresh) > len(live) // 2:
            return None
        rows = store.document_rows(fresh, records)

        def keep(chunk_id: str) -> bool:
            return chunk_id in old.chunks and old.chunks[chunk_id][1].get("source") in kept

        # chunks in the store's order: the kept ones as they were, then the new versions (added last)
        chunks = {cid: chunk for cid, chunk in old.chunks.items() if keep(cid)}
        chunks.update((cid, (text, meta)) for cid, text, meta, _ in rows if meta.get("kind") == "chunk")
        by_id = {cid: tuple(p) for cid, p in zip(old.chunks, parsed) if keep(cid)}
        bm25 = BM25Index(list(chunks), parsed=[by_id.get(cid) or parse_chunk(*chunks[cid]) for cid in chunks])
        ordered = sorted(rows, key=lambda row: row[0])
        dense = ExactDenseIndex.merged(old.dense, row_ids, keep, [r[0] for r in ordered], [r[2] for r in ordered],
                                       [r[3] for r in ordered], short_words)
        return cls(chunks, bm25, dense)

    def save(self, folder: Path, key: str, records) -> None:
        """Written whole into a hidden folder, then renamed into place: never seen half-written."""
        from .bm25 import tokenizer_id

        temporary = folder.parent / f".{folder.name}-{uuid.uuid4().hex[:8]}"
        try:
            self.dense.save(temporary / "dense")
            self.bm25.save(temporary / "bm25")
            ids = list(self.chunks)
            (temporary / "chunks.json").write_text(json.dumps(
                {"ids": ids, "texts": [self.chunks[c][0] for c in ids], "metas": [self.chunks[c][1] for c in ids]},
                ensure_ascii=False), encoding="utf-8")
            if self.bm25.parsed is not None:  # read only to derive the next state
                (temporary / "parsed.json").write_text(json.dumps(self.bm25.parsed, ensure_ascii=False),
                                                       encoding="utf-8")
            (temporary / "key.json").write_text(json.dumps(  # written last
                {"key": key, "documents": fingerprint(records), "tokenizer": tokenizer_id()}), encoding="utf-8")
            temporary.rename(folder)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, key: str, short_words: int) -> "RetrievalState | None":
        """The saved state, or None when it is missing, for other content, or cannot be read."""
        from .bm25 import BM25Index
        from .dense import ExactDenseIndex

        try:
            if json.loads((folder / "key.json").read_text(encoding="utf-8")).get("key") != key:
                return None
            saved = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
            chunks = {cid: (text, meta) for cid, text, meta in zip(saved["ids"], saved["texts"], saved["metas"])}
            bm25 = BM25Index(saved["ids"], saved=folder / "bm25")
            return cls(chunks, bm25, ExactDenseIndex.load(folder / "dense", short_words))
        except (OSError, ValueError, KeyError):
            return None


def parse_chunk(text: str, meta: dict) -> tuple[list[str], list[str]]:
    """What BM25 keeps of a chunk: its title and text, parsed (bm25.parse)."""
    from .bm25 import parse

    return parse(f"{meta['title']}. {text}")


def state_key(index_id: str, records) -> str:
    """The state's name: the index, the live document versions, and the tokenizer its BM25 was built with."""
    from .bm25 import tokenizer_id

    return hashlib.sha256(json.dumps([FORMAT, index_id, tokenizer_id(), fingerprint(records)]).encode()).hexdigest()[:32]


def is_saved(index_dir: Path, key: str) -> bool:
    try:
        return json.loads((Path(index_dir) / FOLDER / key / "key.json").read_text(encoding="utf-8")).get("key") == key
    except (OSError, ValueError):
        return False


def current_state(index_dir: Path, store, records, short_words: int) -> RetrievalState:
    """The state for these records: loaded when saved, else built from Chroma and saved (best effort:
    a read-only index folder still answers, it only rebuilds in every new process)."""
    key = state_key(store.index_id, records)
    folder = Path(index_dir) / FOLDER / key
    state = RetrievalState.load(folder, key, short_words)
    if state is None:
        previous = _saved_others(Path(index_dir) / FOLDER, key)[:1]
        state = (RetrievalState.derive(previous[0], store, records, short_words) if previous else None) \
            or RetrievalState.from_store(store, records, short_words)
        try:
            if folder.exists():  # damaged: replaced whole
                shutil.rmtree(folder)
            folder.parent.mkdir(parents=True, exist_ok=True)
            state.save(folder, key, records)
        except OSError:
            pass
    return state


def _saved_others(root: Path, key: str) -> list[Path]:
    """The saved states other than `key`, newest first (hidden ones are being written by another process)."""
    try:
        others = [p for p in root.iterdir() if p.name != key and not p.name.startswith(".") and p.is_dir()]
    except OSError:
        return []
    return sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)


def prune(index_dir: Path, keep: str) -> None:
    """Delete saved states other than `keep` and the most recent others (KEEP in all)."""
    for stale in _saved_others(Path(index_dir) / FOLDER, keep)[KEEP - 1:]:
        shutil.rmtree(stale, ignore_errors=True)


def prepare(config, model_id: str) -> None:
    """After an ingest: the state of the index as it now stands saved (when it is not yet), older ones
    pruned, so that the first question after the ingest starts from it."""
    from ..indexing.store import IndexStore

    store = IndexStore(config, model_id)
    try:
        records = store.records()
        if records and store.exists():
            key = state_key(store.index_id, records)
            if not is_saved(config.index_dir, key):
                current_state(config.index_dir, store, records, config.short_words)
            prune(config.index_dir, keep=key)
    finally:
        store.close()
