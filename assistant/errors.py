"""Every error a user can see, in one place. Each carries the exit code the command line gives it
(CONTRACT.md: 1 the work failed, 2 bad usage or bad input); its message says what to do."""
from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base of the errors the assistant reports to its user: the message is safe to show."""

    exit_code = 1


class UsageError(AssistantError):
    """Bad usage or bad input on the command line."""

    exit_code = 2


# -- settings ------------------------------------------------------------------------------------

class EmbeddingSpecError(AssistantError, ValueError):
    """An embedding model that cannot be found or understood."""

    exit_code = 2


class LLMSpecError(AssistantError, ValueError):
    """A language model spec that cannot be understood."""

    exit_code = 2


# -- the corpus and the index ------------------------------------------------------------------

class UnreadableDocument(AssistantError):
    """A document that cannot be indexed; the message is the plain reason shown in the ingest report
    (the document is reported and the rest of the corpus still indexes)."""


class DocumentOverLimit(UnreadableDocument):
    """A document past one of the reading limits (size unpacked, pages, paragraphs, time): costly to
    even try, so ingest moves it out of the corpus folder's way (readers.FAILED_DIR)."""


class CorpusFolderError(AssistantError, RuntimeError):
    """The corpus folder is missing, not a folder, unreadable, or empty while the index holds
    documents; the index is left as it was."""

    exit_code = 2


class IngestBusy(AssistantError, RuntimeError):
    """Another ingest holds the index."""


class StoreError(AssistantError, RuntimeError):
    """The index cannot be opened or reached."""


class IndexNotWritable(StoreError):
    """The index folder cannot be written by this user: a setting to fix, not damage."""

    exit_code = 2

    @classmethod
    def at(cls, where: Path, error: OSError) -> "IndexNotWritable":
        return cls(f"the index folder {where} is not writable ({error.strerror or error}); give this user "
                   "write access or choose another folder with MDT_INDEX_DIR or --index")


class ChromaURLError(StoreError):
    """A Chroma server address that cannot be one."""

    exit_code = 2


class IndexMissing(AssistantError, RuntimeError):
    """No index for this embedding model yet, or an empty one."""


# -- answers, e-mails, evaluation --------------------------------------------------------------------

class LLMUnavailable(AssistantError, RuntimeError):
    """The model server is down, timed out or failed (no secrets in the message). Answers fall back to
    quotes and e-mails to the template, so a user sees it as a notice, not as a failure."""


class NotesError(AssistantError, ValueError):
    """Notes that cannot be used (empty, too long, a language the assistant does not write).
    str() is English (the command line); `.dutch` is the same message for the Dutch interface."""

    exit_code = 2

    def __init__(self, message: str, dutch: str):
        super().__init__(message)
        self.dutch = dutch


class EvalSetError(AssistantError, ValueError):
    """An evaluation set that cannot be used; the message names the file and the item."""

    exit_code = 2


# -- the web app -------------------------------------------------------------------------------

class AccessError(AssistantError, ValueError):
    """A setting that would open the app wrongly (no logins beyond loopback, a malformed MDT_AUTH):
    refused at start."""

    exit_code = 2


class UploadRefused(AssistantError, ValueError):
    """A file input that is not a file this user uploaded, or one too large."""


class BadFileName(AssistantError, ValueError):
    """An uploaded file's name that cannot be a corpus document's."""


class RequestTooLarge(AssistantError):
    """A request body over the limit; answered with 413 before it is read."""
