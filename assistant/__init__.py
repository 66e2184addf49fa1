"""MDT-assistent: cited answers and follow-up e-mails from the MDT guidance documents, offline.

    from assistant import Assistant, Config
    answer = Assistant(Config.from_env()).ask("Hoe benader ik een kleine gemeente?")

What a caller uses is exported here; the command line (cli.py) and the web app (web/) import only
from here and from their own package. Names are loaded on first use, so `import assistant` stays
light (the command line answers --help without loading llama-index or Chroma).
"""
from __future__ import annotations

import importlib

from .config import Config  # first: sets the offline environment before any library is imported
from .errors import (AccessError, AssistantError, BadFileName, ChromaURLError, CorpusFolderError,
                     DocumentOverLimit, EmbeddingSpecError, EvalSetError, IndexMissing, IndexNotWritable,
                     IngestBusy, LLMSpecError, LLMUnavailable, NotesError, RequestTooLarge, StoreError,
                     UnreadableDocument, UploadRefused, UsageError)
from .messages import message, texts

_LAZY = {
    "Assistant": ".core",
    "Answer": ".answers.types",
    "Citation": ".answers.types",
    "Conversation": ".answers.conversation",
    "Passage": ".retrieval.passage",
    "Query": ".retrieval.query",
    "IngestReport": ".indexing.ingest",
    "EmailDraft": ".email.draft",
    "MeetingNotes": ".email.notes",
    "parse_notes": ".email.notes",
    "Person": ".email.people",
    "to_eml": ".email.mailfile",
    "mailto_link": ".email.mailfile",
    "eml_name": ".email.mailfile",
    "check_question": ".corpus.text",
    "detect_language": ".corpus.language",
    "load_embedding": ".embeddings",
    "LlamaIndexEmbedding": ".embeddings.llama",
    "LlamaIndexRetriever": ".retrieval.llama",
    "embedding_model_id": ".embeddings",
    "load_llm": ".llm",
    "describe_llm_error": ".llm",
    "parse_chroma_url": ".indexing.chroma",
    "EvalRun": ".evaluation.runs",
    "run_evaluation": ".evaluation.runs",
    "parse_thresholds": ".evaluation.runs",
    "RUNS_DIR": ".evaluation.runs",
    "load_set": ".evaluation.sets",
    "write_report": ".evaluation.report",
    "FeedbackStore": ".evaluation.feedback",
    "add_eval_case": ".evaluation.feedback",
    "SUPPORTED": ".corpus.readers",
    "list_corpus": ".corpus.readers",
    "read_document": ".corpus.readers",
    "normalise": ".corpus.text",
    "LANGUAGES": ".messages",
    "MESSAGES": ".messages",
}

__all__ = [
    "Config", "message", "texts",
    "AssistantError", "UsageError", "EmbeddingSpecError", "LLMSpecError", "UnreadableDocument", "DocumentOverLimit",
    "CorpusFolderError", "IngestBusy", "StoreError", "IndexNotWritable", "ChromaURLError", "IndexMissing",
    "LLMUnavailable", "NotesError", "EvalSetError", "AccessError", "UploadRefused", "BadFileName", "RequestTooLarge",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
