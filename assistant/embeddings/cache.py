"""The embedding cache: every text embedded once per model, kept by the model id and the hash of the exact
(normalised) text, in a SQLite file in the index folder.

Real corpora repeat: headers and disclaimers on every page, the same slide in several decks, a new
version of a report that changes two pages. Ingest asks the cache first and embeds only texts it has
never seen (each once, however often it recurs). With a Chroma server (MDT_CHROMA_URL) the cache stays
beside each instance, in its own index folder: a cache is a convenience, never shared state.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Callable

import numpy as np

STEP = 64  # texts embedded between two progress reports (a multiple of the models' batch of 32)


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class EmbeddingCache:
    """Vectors by (model id, text); `embed` returns the vectors of any texts, embedding only new ones."""

    def __init__(self, path: Path | None, model_id: str):
        self.path = Path(path) if path else None
        self.model_id = model_id
        self.embedded = 0  # texts given to the model by this cache
        self.reused = 0  # texts answered from the cache (or from an identical text in the same call)
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                self._db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
                                 "vector BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID")
            except (OSError, sqlite3.Error):
                self.path = None  # a read-only index folder: embed everything, as without a cache
                self._db = None
        return self._db

    def _lookup(self, keys: list[bytes]) -> dict[bytes, list[float]]:
        db, found = self._connect(), {}
        if db is None:
            return found
        for start in range(0, len(keys), 500):  # SQLite's limit on parameters
            part = keys[start:start + 500]
            rows = db.execute(f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                              [self.model_id, *part])
            found.update((key, np.frombuffer(blob, dtype=np.float32).tolist()) for key, blob in rows)
        return found

    def _store(self, pairs: list[tuple[bytes, list[float]]]) -> None:
        db = self._connect()
        if db is None or not pairs:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                               [(self.model_id, key, np.asarray(vector, dtype=np.float32).tobytes())
                                for key, vector in pairs])
        except sqlite3.Error:
            pass  # a full disk: these are embedded again next time, nothing is lost

    def embed(self, embedding, texts: list[str], on_step: Callable[[int], None] | None = None) -> list[list[float]]:
        """The vectors of `texts` in order. Known texts come from the cache; each new text is embedded
        once, in steps, `on_step(texts done so far)` after the lookup and after each step."""
        keys = [text_key(text) for text in texts]
        counts = Counter(keys)
        known = self._lookup(list(counts))
        new: dict[bytes, str] = {}
        for key, text in zip(keys, texts):
            if key not in known:
                new.setdefault(key, text)
        self.reused += len(texts) - len(new)
        done = len(texts) - len(new)
        if on_step is not None and texts:
            on_step(done)
        pending = list(new.items())
        for start in range(0, len(pending), STEP):
            step = pending[start:start + STEP]
            vectors = embedding.get_text_embedding_batch([text for _, text in step])
            fresh = [(key, list(vector)) for (key, _), vector in zip(step, vectors)]
            self._store(fresh)
            known.update(fresh)
            self.embedded += len(step)
            done += sum(counts[key] for key, _ in step)
            if on_step is not None:
                on_step(done)
        return [known[key] for key in keys]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
