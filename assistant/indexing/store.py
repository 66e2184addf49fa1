"""Store: the Chroma collections of one embedding model, through llama-index's ChromaVectorStore.

Two collections per model: `chunks-…` holds the passages with our own embeddings (chromadb must
never embed by itself: it would try to download a model), `docs-…` holds one record per indexed
document (content hash, title, pages, chunks, time). The document record is the commit point of an
update: new chunks are written first under the new hash, then the record switches to it, then the
old chunks are deleted. Queries only see chunks whose hash a record names.

The embedded store is versioned (versions.IndexVersions): an update written into a private copy of the
live Chroma folder is published by atomically switching the CURRENT pointer, so a kill at any point
leaves the previous version answering. With a Chroma server (MDT_CHROMA_URL) the server keeps the
data; its failures become StoreError with a plain message (chroma.py).
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..corpus.chunking import CHUNKING_VERSION, Chunk
from ..config import Config
from ..errors import IndexNotWritable, StoreError
from .chroma import close_client, open_client, open_embedded
from .versions import IndexVersions, private_copy, writable

_BATCH = 500
_PAGE = 5000  # vectors read per request


@dataclass
class DocumentRecord:
    source: str
    doc_hash: str
    title: str
    kind: str
    pages: int
    chunks: int
    indexed_at: float


def _slug(model_id: str) -> str:
    digest = hashlib.sha1(model_id.encode()).hexdigest()[:8]
    readable = re.sub(r"[^a-zA-Z0-9]+", "-", model_id.rsplit("/", 1)[-1]).strip("-")[:40] or "model"
    return f"{readable}-{digest}"


class IndexStore:
    """The index of one embedding model. Embedded, a store made without `path` follows the live
    version (it switches at exists()/records(), i.e. at the start of each question); `writer()` gives
    a store on a private copy that is published when the update succeeds."""

    def __init__(self, config: Config, model_id: str, client=None, path: Path | None = None):
        self.config = config
        self.model_id = model_id
        # The index id names everything that shapes the vectors: a change of either means a rebuild.
        self.index_id = f"{model_id} (chunking v{CHUNKING_VERSION})"
        slug = _slug(self.index_id)
        self.chunks_name, self.docs_name = f"chunks-{slug}", f"docs-{slug}"
        self._client = client
        self._path = Path(path) if path is not None else None
        # Follow the published version: embedded, no client or folder given.
        self._follow = client is None and path is None and not config.chroma_url
        self._writing = path is not None
        self._versions = IndexVersions(config.index_dir)
        self._retired = None  # the client of the version before, closed at the next switch
        self._snapshot = self._retired_snapshot = None  # what those two read of a read-only index (_open)
        self._switch_lock = threading.Lock()
        self.dirty = False  # this store wrote something
        self._chunks = self._docs = self._vector_store = None
        self._published: tuple[Path, dict] | None = None  # (version folder, its records): see records()

    @property
    def client(self):
        if self._client is None:
            if self.config.chroma_url:
                self._client = open_client(self.config)
            else:
                if self._path is None and self._follow:
                    self._sync()
                if self._path is None:
                    raise StoreError(f"there is no index in {self.config.index_dir} yet; "
                                     "run 'mdt-assistent ingest' first")
                self._client = self._open(self._path)
        return self._client

    def _open(self, path: Path):
        if self._writing or writable(path):
            return open_embedded(path, writing=self._writing)
        # Chroma writes to its SQLite file even to read ("attempt to write a readonly database"), so a
        # read-only index (a shared folder, another user's) is read through a private copy of the version.
        snapshot = private_copy(self._versions, path)
        try:
            client = open_embedded(Path(snapshot.name))
        except BaseException:
            snapshot.cleanup()
            raise
        _drop(self._snapshot)
        self._snapshot = snapshot
        return client

    @property
    def path(self) -> Path | None:
        """The Chroma folder this store reads (embedded), or None."""
        return self._path

    def _sync(self) -> bool:
        """Follow the published version; False when there is no index at all."""
        if not self._follow:
            return True
        current = self._versions.current()
        with self._switch_lock:
            if current != self._path or (current is not None and self._client is None):
                if current != self._path and self._client is not None:
                    close_client(self._retired)
                    _drop(self._retired_snapshot)
                    self._retired, self._client = self._client, None
                    self._retired_snapshot, self._snapshot = self._snapshot, None
                self._path = current
                self._chunks = self._docs = self._vector_store = None
        return current is not None

    def close(self) -> None:
        for client in (self._client, self._retired):
            close_client(client)
        for snapshot in (self._snapshot, self._retired_snapshot):
            _drop(snapshot)
        self._client = self._retired = self._snapshot = self._retired_snapshot = None
        self._chunks = self._docs = self._vector_store = None

    @contextmanager
    def writer(self, fresh: bool = False):
        """A store to write one update into. Embedded: a private copy of the live version, published
        when the block ends without error and something was written, thrown away otherwise; a process
        killed inside the block leaves the live version as it was. `fresh`: start from an empty store
        instead (the live one is damaged). Server: this store itself. Callers hold ingest_lock."""
        if not self._follow:
            yield self
            return
        try:
            live = self._versions.current()
        except StoreError:
            if not fresh:
                raise
            live = None  # a damaged pointer: the fresh version replaces it, the old ones are deleted
        self._versions.tidy(live)
        try:
            staging = self._versions.create()
        except OSError as error:
            raise IndexNotWritable.at(self.config.index_dir, error) from None
        writer = None
        try:
            try:
                self._versions.copy(None if fresh else live, staging)
            except (OSError, sqlite3.Error) as error:
                raise StoreError(f"cannot copy the index in {live} ({error}); "
                                 f"delete {self.config.index_dir} and run 'mdt-assistent ingest'") from None
            writer = IndexStore(self.config, self.model_id, path=staging)
            yield writer
            writer.close()  # Chroma finishes its files before they are published
            if writer.dirty:
                self._versions.publish(staging)
                self._versions.cleanup(keep={staging, live})  # `live` is the one readers may still have open
            else:
                shutil.rmtree(staging, ignore_errors=True)
        except BaseException:
            if writer is not None:
                writer.close()
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._sync()

    def tidy(self) -> None:
        """Delete old versions and interrupted copies (embedded; callers hold ingest_lock)."""
        if self._follow:
            self._versions.tidy(self._versions.current())

    def check(self) -> None:
        """Raise StoreError when the index cannot be read: open both collections and search each once."""
        if not self.exists():
            return
        self.records()
        for collection in (self.docs, self.chunks):
            got = collection.get(limit=1, include=["embeddings"])
            if len(got["ids"]):
                collection.query(query_embeddings=[list(got["embeddings"][0])], n_results=1)

    # -- collections -------------------------------------------------------------------------
    def _collection_names(self) -> set[str]:
        return {getattr(c, "name", c) for c in self.client.list_collections()}

    def exists(self) -> bool:
        if not self._sync():
            return False
        names = self._collection_names()
        return self.docs_name in names and self.chunks_name in names

    def other_models(self) -> list[str]:
        """Model ids of indexes built with another embedding model in the same store."""
        if not self._sync():
            return []
        found = []
        for collection in self.client.list_collections():
            name = getattr(collection, "name", collection)
            if name.startswith("docs-") and name != self.docs_name:
                meta = self.client.get_collection(name).metadata or {}
                found.append(meta.get("index_id") or meta.get("embedding_model", name))
        return found

    def drop_other_models(self) -> None:
        for collection in list(self.client.list_collections()):
            name = getattr(collection, "name", collection)
            if name.startswith(("docs-", "chunks-")) and name not in (self.docs_name, self.chunks_name):
                self.client.delete_collection(name)
                self.dirty = True

    @property
    def chunks(self):
        if self._chunks is None:
            # Chroma's default search breadth missed the best of ~700 vectors now and then; a wider
            # search costs well under a millisecond at this size.
            self._chunks = self.client.get_or_create_collection(
                self.chunks_name, metadata={"embedding_model": self.model_id, "index_id": self.index_id},
                configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200, "max_neighbors": 32}},
                embedding_function=None,
            )
        return self._chunks

    @property
    def docs(self):
        if self._docs is None:
            self._docs = self.client.get_or_create_collection(
                self.docs_name, metadata={"embedding_model": self.model_id, "index_id": self.index_id}, embedding_function=None)
        return self._docs

    @property
    def vector_store(self):
        """llama-index's ChromaVectorStore over the chunks: written through when documents are added
        (imported there, so that answering a question does not load llama-index)."""
        if self._vector_store is None:
            from llama_index.vector_stores.chroma import ChromaVectorStore

            self._vector_store = ChromaVectorStore(chroma_collection=self.chunks)
        return self._vector_store

    # -- documents ---------------------------------------------------------------------------
    def records(self) -> dict[str, DocumentRecord]:
        if not self._sync():
            return {}
        # A published version is never written again: its records are read once (every question asks).
        if self._follow and self._published is not None and self._published[0] == self._path:
            return dict(self._published[1])
        if not self._writing and self.docs_name not in self._collection_names():
            return {}  # a reader never creates collections in a published version
        got = self.docs.get(include=["metadatas"])
        found = {meta["source"]: DocumentRecord(**meta) for meta in got["metadatas"] or []}
        if self._follow:
            self._published = (self._path, found)
        return dict(found)

    def commit(self, record: DocumentRecord) -> None:
        # The record carries a constant 1-d vector: Chroma requires one and must not compute it.
        self.dirty = True
        self.docs.upsert(ids=[_record_id(record.source)], embeddings=[[1.0]], metadatas=[asdict(record)],
                         documents=[record.title])

    def forget(self, source: str) -> None:
        self.dirty = True
        self.docs.delete(ids=[_record_id(source)])
        self.chunks.delete(where={"source": source})

    def add_chunks(self, chunks: list[Chunk], embeddings: list[list[float]],
                   sentence_embeddings: list[list[list[float]]]) -> None:
        """Each chunk and each of its sentences, with their vectors (a sentence record names its chunk)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        nodes = []
        for chunk, embedding, sentence_vectors in zip(chunks, embeddings, sentence_embeddings):
            source = RelatedNodeInfo(node_id=f"{chunk.source}@{chunk.doc_hash}")
            node = TextNode(id_=chunk.id, text=chunk.text, metadata=chunk.metadata(), embedding=embedding)
            node.relationships[NodeRelationship.SOURCE] = source
            nodes.append(node)
            for (n, sentence), vector in zip(chunk.indexed_sentences(), sentence_vectors):
                node = TextNode(id_=chunk.sentence_id(n), text=sentence, metadata=chunk.sentence_metadata(n),
                                embedding=vector)
                node.relationships[NodeRelationship.SOURCE] = source
                nodes.append(node)
        self.dirty = True
        for start in range(0, len(nodes), _BATCH):
            self.vector_store.add(nodes[start:start + _BATCH])

    def drop_stale_chunks(self, live: dict[str, str], sources: list[str] | None = None) -> int:
        """Delete chunks whose (source, hash) no record names: leftovers of replaced or interrupted updates.
        `sources`: look only at these documents' chunks (those an ingest changed; reading every chunk's
        metadata took 12 s at 10,000 pages); None: at all."""
        if sources is not None and not sources:
            return 0
        where = {"source": {"$in": list(sources)}} if sources is not None else None
        got = _get_all(self.chunks, include=["metadatas"], where=where)
        stale = [cid for cid, meta in zip(got["ids"], got["metadatas"])
                 if live.get(meta.get("source")) != meta.get("doc_hash")]
        for start in range(0, len(stale), _BATCH):
            self.dirty = True
            self.chunks.delete(ids=stale[start:start + _BATCH])
        return len(stale)

    # -- reading -----------------------------------------------------------------------------
    def live_chunks(self, records: dict[str, DocumentRecord]) -> list[tuple[str, str, dict]]:
        live = live_versions(records)
        got = _get_all(self.chunks, where={"kind": "chunk"}, include=["documents", "metadatas"])
        return [(cid, text, meta) for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"])
                if live.get(meta.get("source")) == meta.get("doc_hash")]

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, list[tuple[int, str, list[float]]]]:
        """The indexed sentences of these chunks, in order: (number in chunk, text, stored vector)."""
        got = self.chunks.get(where={"parent": {"$in": chunk_ids}}, include=["documents", "metadatas", "embeddings"])
        found: dict[str, list] = {cid: [] for cid in chunk_ids}
        for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"]):
            found[meta["parent"]].append((meta["n"], text, list(vector)))
        return {cid: sorted(items, key=lambda item: item[0]) for cid, items in found.items()}

    def sentence_texts(self, chunk_ids: list[str]) -> dict[str, dict[int, str]]:
        """Every sentence of these chunks by number, short ones included (they have no vector)."""
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["metadatas"])
        return {cid: _sentences(meta) for cid, meta in zip(got["ids"], got["metadatas"])}

    def page_and_next(self, chunk_ids: list[str]) -> dict[str, list[tuple[str, int, dict[int, str]]]]:
        """For each chunk, every chunk of its page and the next (same version, itself too) in reading order: (id,
        page, sentences by number). A slide's columns are chunks of their own, and its list may go on over the page."""
        got = self.chunks.get(ids=list(dict.fromkeys(chunk_ids)), include=["metadatas"])
        page_of = {cid: (m["source"], m["page"], m.get("doc_hash")) for cid, m in zip(got["ids"], got["metadatas"]) if m.get("page") is not None}
        sources, pages = {s for s, _, _ in page_of.values()}, {q for _, p, _ in page_of.values() for q in (p, p + 1)}
        rows = _get_all(self.chunks, include=["metadatas"], where={"$and": [
            {"kind": "chunk"}, {"source": {"$in": sorted(sources)}}, {"page": {"$in": sorted(pages)}}]}) if page_of else {}
        near = sorted((m.get("position", 0), cid, m) for cid, m in zip(rows.get("ids", []), rows.get("metadatas", [])))
        return {cid: [(other, m["page"], _sentences(m)) for _, other, m in near
                      if (m["source"], m.get("doc_hash")) == (source, version) and m["page"] in (page, page + 1)]
                for cid, (source, page, version) in page_of.items()}

    def document_rows(self, sources: list[str], records: dict[str, DocumentRecord]) -> list[tuple[str, str, dict, list]]:
        """Every row (chunk or sentence) of the live versions of these documents, in the store's order:
        (id, text, metadata, vector)."""
        if not sources:
            return []
        live = live_versions(records)
        got = _get_all(self.chunks, where={"source": {"$in": list(sources)}},
                       include=["documents", "metadatas", "embeddings"])
        return [(cid, text, meta, vector) for cid, text, meta, vector
                in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])
                if live.get(meta.get("source")) == meta.get("doc_hash")]

    def live_vectors(self, records: dict[str, DocumentRecord]) -> tuple[list[str], list[dict], list]:
        """Every vector of the live documents (chunks and sentences), ordered by id: ids, metadata, vectors."""
        live = live_versions(records)
        got = _get_all(self.chunks, include=["metadatas", "embeddings"])
        rows = sorted((cid, meta, vector) for cid, meta, vector in zip(got["ids"], got["metadatas"], got["embeddings"])
                      if live.get(meta.get("source")) == meta.get("doc_hash"))
        return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def live_versions(records: dict[str, DocumentRecord]) -> dict[str, str]:
    """Each live document's content hash by source: a chunk is live when its (source, doc_hash) is here."""
    return {source: record.doc_hash for source, record in records.items()}


def _get_all(collection, include: list[str], where: dict | None = None) -> dict[str, list]:
    """collection.get() of every matching record, read in pages: one get() of more than 32,766 records
    fails inside Chroma ('too many SQL variables'; seen at 10,000 pages in the benchmark)."""
    found: dict[str, list] = {"ids": [], **{key: [] for key in include}}
    for offset in itertools.count(0, _PAGE):
        got = collection.get(where=where, include=include, limit=_PAGE, offset=offset)
        found["ids"].extend(got["ids"])
        for key in include:
            found[key].extend(got[key] if got[key] is not None else [None] * len(got["ids"]))
        if len(got["ids"]) < _PAGE:
            return found


def _sentences(meta: dict) -> dict[int, str]:
    return dict(enumerate(json.loads(meta.get("sentences", "[]"))))  # every sentence of a chunk, by number


def _drop(snapshot) -> None:
    if snapshot is not None:
        snapshot.cleanup()


def _record_id(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()


def now() -> float:
    return round(time.time(), 3)
