"""Dense search: exact cosine similarity over every live vector (chunks and their sentences).

Chroma stores the vectors, but its HNSW search is approximate and, measured here, not repeatable:
each process rebuilds the graph from Chroma's log, and the same question over the same index got a
different top 90 in each of four processes (held-out hit rate@5 between 0.887 and 0.919). At this
size (a few thousand vectors; ~90,000 at 10,000 pages) one matrix product is exact, repeatable and
fast, so the vectors are read once per index version and searched here.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class ExactDenseIndex:
    """Vectors by row; each row belongs to a chunk (a sentence row to its parent chunk)."""

    def __init__(self, ids: list[str], metadatas: list[dict], vectors, short_words: int):
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        chunk_ids = list(dict.fromkeys(meta.get("parent") or cid for cid, meta in zip(ids, metadatas)))
        position = {cid: i for i, cid in enumerate(chunk_ids)}
        self._arrange(matrix / np.where(norms == 0, 1.0, norms), chunk_ids,
                      np.array([position[meta.get("parent") or cid] for cid, meta in zip(ids, metadatas)], dtype=np.int64),
                      np.array([meta.get("words", short_words) for meta in metadatas], dtype=np.float32),
                      {cid: i for i, (cid, meta) in enumerate(zip(ids, metadatas)) if not meta.get("parent")}, short_words)

    def _arrange(self, matrix, chunk_ids: list[str], row_chunk, words, chunk_row: dict[str, int], short_words: int):
        self.matrix, self.chunk_ids, self.row_chunk, self.words = matrix, chunk_ids, row_chunk, words
        # How far each row is under short_words: very short passages sit close to every short
        # question in e5 space and lose short_penalty times this (Config.short_penalty).
        self.shortfall = np.clip(1.0 - words / short_words, 0.0, None)
        self._chunk_row = chunk_row

    def save(self, folder: Path) -> None:
        """Into `folder`: the normalised matrix as .npy (loaded memory-mapped) and what each row is."""
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "matrix.npy", np.ascontiguousarray(self.matrix, dtype=np.float32))
        np.save(folder / "row_chunk.npy", self.row_chunk)
        np.save(folder / "words.npy", self.words)
        (folder / "rows.json").write_text(json.dumps({"chunk_ids": self.chunk_ids, "chunk_row": self._chunk_row}),
                                          encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, short_words: int) -> "ExactDenseIndex":
        rows = json.loads((folder / "rows.json").read_text(encoding="utf-8"))
        index = cls.__new__(cls)
        index._arrange(np.load(folder / "matrix.npy", mmap_mode="r"), rows["chunk_ids"],
                       np.load(folder / "row_chunk.npy"), np.load(folder / "words.npy"), rows["chunk_row"], short_words)
        return index

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def search(self, vector, n: int, short_penalty: float = 0.0) -> tuple[list[str], dict[str, float]]:
        """The n best chunks (a chunk scores its own match or its best sentence's), and the cosine
        similarity of each chunk's best row."""
        if not self.chunk_ids:
            return [], {}
        cosine = self.matrix @ np.asarray(vector, dtype=np.float32)
        best = np.full(len(self.chunk_ids), -np.inf, dtype=np.float32)
        np.maximum.at(best, self.row_chunk, cosine - short_penalty * self.shortfall)
        raw = np.full(len(self.chunk_ids), -np.inf, dtype=np.float32)
        np.maximum.at(raw, self.row_chunk, cosine)
        # Stable order: equal scores keep the index order (chunk ids sorted), so ties are repeatable.
        top = np.argsort(-best, kind="stable")[:n]
        ranked = [self.chunk_ids[i] for i in top]
        return ranked, {self.chunk_ids[i]: float(raw[i]) for i in top}

    def similarity(self, vector, chunk_ids: list[str]) -> dict[str, float]:
        """Cosine similarity of the question and these chunks' own vectors."""
        query = np.asarray(vector, dtype=np.float32)
        return {cid: float(self.matrix[self._chunk_row[cid]] @ query) for cid in chunk_ids if cid in self._chunk_row}
