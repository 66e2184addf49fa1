"""Chroma clients: the embedded store in a folder, or a Chroma server (MDT_CHROMA_URL), whose
failures become StoreError with a plain message.

chromadb reports a store it cannot reach, or a damaged index folder, with errors of its own (and
its Rust core panics with a BaseException); `Guarded` wraps a client and the collections it returns
so that every such failure reaches the caller as a StoreError saying what to do.
"""
from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

from ..config import Config
from ..errors import ChromaURLError, StoreError


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """(host, port, https) of a Chroma server address: http(s)://host[:port], or host[:port]."""
    parsed = urlparse(url if "//" in url else f"http://{url}")
    hint = "give it as http://host:port (MDT_CHROMA_URL or --chroma-url), e.g. http://127.0.0.1:8000"
    if parsed.scheme not in ("http", "https"):
        raise ChromaURLError(f"the Chroma server address {url} must start with http:// or https://; {hint}")
    try:
        port = parsed.port
    except ValueError:  # not a number, or past 65535
        port = 0
    if not parsed.hostname or port == 0:
        raise ChromaURLError(f"the Chroma server address {url} needs a host and a port number from 1 to 65535; {hint}")
    return parsed.hostname, port or (443 if parsed.scheme == "https" else 8000), parsed.scheme == "https"


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
            except (StoreError, KeyboardInterrupt, SystemExit, GeneratorExit):
                raise
            except BaseException as error:  # Chroma's Rust core panics with a BaseException
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
        host, port, https = parse_chroma_url(config.chroma_url)
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=https, settings=settings)
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


def _embedded_errors(where: Path, writing: bool = False):
    """Failures of the embedded store as StoreError (a damaged or unreadable index folder)."""
    def translate(error: BaseException) -> StoreError | None:
        from chromadb.errors import ChromaError

        detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        if isinstance(error, (sqlite3.DatabaseError, OSError)) or type(error).__name__ == "PanicException" \
                or (isinstance(error, ChromaError) and type(error).__name__ == "InternalError"):
            if writing:
                return StoreError(f"cannot write the index in {where} ({detail})")
            return StoreError(f"the index in {where} is damaged or unreadable ({detail}); "
                              "run 'mdt-assistent ingest' to rebuild it")
        return None
    return translate


def open_embedded(path: Path, writing: bool = False):
    """A guarded client of the embedded Chroma store in `path`; StoreError when it cannot be opened."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    translate = _embedded_errors(path, writing)
    try:
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        # Chroma may hide the cause behind errors of its own clean-up: report the first that says something.
        chain, seen = [], error
        while seen is not None and len(chain) < 10:
            chain.append(seen)
            seen = seen.__cause__ or seen.__context__
        for candidate in reversed(chain):
            translated = translate(candidate)
            if translated is not None:
                raise translated from None
        raise StoreError(f"the index in {path} cannot be opened ({type(error).__name__}: {str(error)[:200]}); "
                         "run 'mdt-assistent ingest' to rebuild it") from None
    return Guarded(client, translate)


def close_client(client) -> None:
    """Release a client (None, or one of a store that is gone, is fine)."""
    if client is None:
        return
    try:
        client.close()
    except Exception:  # a client of a store that is gone: nothing left to release
        pass
