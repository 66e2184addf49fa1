"""Store: the Chroma collections of one embedding model, through llama-index's ChromaVectorStore.

Two collections per model: `chunks-…` holds the passages with our own embeddings (chromadb must
never embed by itself: it would try to download a model), `docs-…` holds one record per indexed
document (content hash, title, pages, chunks, time). The document record is the commit point of an
update: new chunks are written first under the new hash, then the record switches to it, then the
old chunks are deleted. Queries only see chunks whose hash a record names, so a process killed at
any point leaves the previous version of every document answering.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.types import (
    FilterOperator, MetadataFilter, MetadataFilters, VectorStoreQuery,
)
from llama_index.vector_stores.chroma import ChromaVectorStore

from .chunking import CHUNKING_VERSION, Chunk
from .config import Config

_BATCH = 500


class StoreError(RuntimeError):
    """The index cannot be opened or reached; the message says what to do."""


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


# A server that stops answering must not hang a question: chromadb's HTTP client waits forever.
SERVER_TIMEOUT = {"connect": 5.0, "read": 120.0, "write": 120.0, "pool": 10.0}


def _server_unreachable(url: str, error: BaseException) -> StoreError:
    return StoreError(f"cannot reach the Chroma server at {url} ({type(error).__name__}); "
                      "start it or unset MDT_CHROMA_URL")


def _server_errors(url: str):
    """Failures of a Chroma server as StoreError: unreachable, timed out, or failing inside."""
    def translate(error: Exception) -> StoreError | None:
        import httpx
        from chromadb.errors import InternalError

        if isinstance(error, (httpx.TransportError, ConnectionError)) or "Could not connect" in str(error):
            return _server_unreachable(url, error)
        if isinstance(error, InternalError):
            return StoreError(f"the Chroma server at {url} failed ({str(error)[:200]}); check its log")
        return None
    return translate


class Guarded:
    """A Chroma client or collection whose failures to reach the store become StoreError.

    Every method call goes through `translate(error)`, which returns the StoreError to raise or
    None (the error is not about the store: raised as it is). Collections it returns are guarded too.
    """

    __slots__ = ("_target", "_translate")

    def __init__(self, target, translate):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_translate", translate)

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def call(*args, **kwargs):
            try:
                result = value(*args, **kwargs)
            except StoreError:
                raise
            except Exception as error:
                translated = self._translate(error)
                if translated is None:
                    raise
                raise translated from None
            return Guarded(result, self._translate) if _is_collection(result) else result
        return call

    def __repr__(self) -> str:
        return f"Guarded({self._target!r})"


def _is_collection(value) -> bool:
    from chromadb.api.models.Collection import Collection

    return isinstance(value, Collection)


def open_client(config: Config):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if config.chroma_url:
        url = urlparse(config.chroma_url if "//" in config.chroma_url else f"http://{config.chroma_url}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1", port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=settings,
            )
            _set_timeout(client)
            client.heartbeat()
        except Exception as error:
            raise _server_unreachable(config.chroma_url, error) from None
        return Guarded(client, _server_errors(config.chroma_url))
    Path(config.index_dir).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.index_dir), settings=settings)


def _set_timeout(client) -> None:
    try:
        import httpx

        client._server._session.timeout = httpx.Timeout(**SERVER_TIMEOUT)
    except AttributeError:  # another chromadb layout: keep its default
        pass


class IndexStore:
    def __init__(self, config: Config, model_id: str, client=None):
        self.config = config
        self.model_id = model_id
        self.client = client or open_client(config)
        # The index id names everything that shapes the vectors: a change of either means a rebuild.
        self.index_id = f"{model_id} (chunking v{CHUNKING_VERSION})"
        slug = _slug(self.index_id)
        self.chunks_name, self.docs_name = f"chunks-{slug}", f"docs-{slug}"
        self._chunks = None
        self._docs = None
        self._vector_store = None

    # -- collections -------------------------------------------------------------------------
    def exists(self) -> bool:
        names = {getattr(c, "name", c) for c in self.client.list_collections()}
        return self.docs_name in names and self.chunks_name in names

    def other_models(self) -> list[str]:
        """Model ids of indexes built with another embedding model in the same store."""
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
                self.docs_name, metadata={"embedding_model": self.model_id, "index_id": self.index_id},
                embedding_function=None,
            )
        return self._docs

    @property
    def vector_store(self) -> ChromaVectorStore:
        if self._vector_store is None:
            self._vector_store = ChromaVectorStore(chroma_collection=self.chunks)
        return self._vector_store

    # -- documents ---------------------------------------------------------------------------
    def records(self) -> dict[str, DocumentRecord]:
        got = self.docs.get(include=["metadatas"])
        return {meta["source"]: DocumentRecord(**meta) for meta in got["metadatas"] or []}

    def commit(self, record: DocumentRecord) -> None:
        # The record carries a constant 1-d vector: Chroma requires one and must not compute it.
        self.docs.upsert(ids=[_record_id(record.source)], embeddings=[[1.0]], metadatas=[asdict(record)],
                         documents=[record.title])

    def forget(self, source: str) -> None:
        self.docs.delete(ids=[_record_id(source)])
        self.chunks.delete(where={"source": source})

    def add_chunks(self, chunks: list[Chunk], embeddings: list[list[float]],
                   sentence_embeddings: list[list[list[float]]]) -> None:
        """Each chunk and each of its sentences, with their vectors (a sentence record names its chunk)."""
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
        for start in range(0, len(nodes), _BATCH):
            self.vector_store.add(nodes[start:start + _BATCH])

    def drop_stale_chunks(self, live: dict[str, str]) -> int:
        """Delete chunks whose (source, hash) no record names: leftovers of replaced or interrupted updates."""
        got = self.chunks.get(include=["metadatas"])
        stale = [cid for cid, meta in zip(got["ids"], got["metadatas"] or [])
                 if live.get(meta.get("source")) != meta.get("doc_hash")]
        for start in range(0, len(stale), _BATCH):
            self.chunks.delete(ids=stale[start:start + _BATCH])
        return len(stale)

    # -- reading -----------------------------------------------------------------------------
    def live_chunks(self, records: dict[str, DocumentRecord]) -> list[tuple[str, str, dict]]:
        live = {source: record.doc_hash for source, record in records.items()}
        got = self.chunks.get(where={"kind": "chunk"}, include=["documents", "metadatas"])
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
        found = {}
        for cid, meta in zip(got["ids"], got["metadatas"]):
            found[cid] = dict(enumerate(json.loads(meta.get("sentences", "[]"))))
        return found

    def query(self, embedding: list[float], k: int, records: dict[str, DocumentRecord]):
        hashes = sorted({record.doc_hash for record in records.values()})
        if not hashes:
            return []
        filters = MetadataFilters(filters=[MetadataFilter(key="doc_hash", value=hashes, operator=FilterOperator.IN)])
        result = self.vector_store.query(VectorStoreQuery(query_embedding=embedding, similarity_top_k=k, filters=filters))
        return list(zip(result.nodes or [], result.similarities or []))


def _record_id(source: str) -> str:
    return hashlib.sha1(source.encode()).hexdigest()


def now() -> float:
    return round(time.time(), 3)
