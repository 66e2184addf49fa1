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


def _one_blas_thread() -> None:
    """numpy's OpenBLAS on one thread (config.py sets OPENBLAS_NUM_THREADS=1 for the same reason), also
    where numpy was loaded before the package: its idle threads spin and starve e5's own (a question's
    encoding took 128 ms instead of 14 ms at 10,000 pages). torch's BLAS is left alone."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # the environment variable still holds where the package is imported first
        return
    ThreadpoolController().select(internal_api="openblas").limit(limits=1)


_one_blas_thread()


def normalised(vectors, rows: int):
    """The vectors as a float32 matrix of unit rows (a zero row stays zero)."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(rows, -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class ExactDenseIndex:
    """Vectors by row; each row belongs to a chunk (a sentence row to its parent chunk)."""

    def __init__(self, ids: list[str], metadatas: list[dict], vectors, short_words: int):
        """From the rows as the store holds them, ordered by id: ids, metadata, raw vectors."""
        self._build(ids, [meta.get("parent") for meta in metadatas],
                    [meta.get("words", short_words) for meta in metadatas], normalised(vectors, len(ids)), short_words)

    @classmethod
    def merged(cls, kept: "ExactDenseIndex", row_ids: list[str], keep, new_ids: list[str], new_metadatas: list[dict],
               new_vectors, short_words: int) -> "ExactDenseIndex":
        """The rows of `kept` whose chunk `keep(chunk_id)` accepts (`row_ids`: its rows' ids, as saved) and
        new rows from the store, ordered by id as a build from the store would order them."""
        parents = [kept.chunk_ids[c] for c in kept.row_chunk.tolist()]
        old = [i for i, parent in enumerate(parents) if keep(parent)]
        ids = [row_ids[i] for i in old] + list(new_ids)
        order = sorted(range(len(ids)), key=ids.__getitem__)
        new = normalised(new_vectors, len(new_ids)) if new_ids else np.zeros((0, kept.matrix.shape[1]), np.float32)
        matrix = np.concatenate([np.asarray(kept.matrix)[old], new])[order]
        parent = [parents[i] if parents[i] != row_ids[i] else None for i in old] + \
            [meta.get("parent") for meta in new_metadatas]
        words = kept.words[old].tolist() + [meta.get("words", short_words) for meta in new_metadatas]
        index = cls.__new__(cls)
        index._build([ids[i] for i in order], [parent[i] for i in order], [words[i] for i in order], matrix,
                      short_words)
        return index

    def _build(self, ids: list[str], parents: list, words: list, matrix, short_words: int) -> None:
        chunk_ids = list(dict.fromkeys(parent or cid for cid, parent in zip(ids, parents)))
        position = {cid: i for i, cid in enumerate(chunk_ids)}
        self.row_ids = list(ids)
        self._arrange(matrix, chunk_ids,
                      np.array([position[parent or cid] for cid, parent in zip(ids, parents)], dtype=np.int64),
                      np.array(words, dtype=np.float32),
                      {cid: i for i, (cid, parent) in enumerate(zip(ids, parents)) if not parent}, short_words)

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
        if self.row_ids is not None:  # every row's id: read only to derive the next state from this one
            (folder / "row_ids.json").write_text(json.dumps(self.row_ids), encoding="utf-8")

    @staticmethod
    def saved_row_ids(folder: Path) -> list[str]:
        return json.loads((folder / "row_ids.json").read_text(encoding="utf-8"))

    @classmethod
    def load(cls, folder: Path, short_words: int) -> "ExactDenseIndex":
        rows = json.loads((folder / "rows.json").read_text(encoding="utf-8"))
        index = cls.__new__(cls)
        index.row_ids = None  # read only when needed (saved_row_ids)
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
