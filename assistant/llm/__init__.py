"""Language models by spec string, as llama-index LLMs (see CONTRACT.md):

none | openai:<base-url>[#model] | ollama:<model>[@url] | gguf:<path-to-model.gguf>

`gguf:` runs the file in this process with xllamacpp, which serves an OpenAI-compatible endpoint on
a free loopback port; the same OpenAILike client then talks to it.
"""
from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from ..config import Config
from ..errors import LLMSpecError


def parse_spec(spec: str | None) -> tuple[str, str, str | None]:
    """(kind, target, model) for a spec; kind 'none' when no model is configured."""
    spec = (spec or "none").strip()
    if spec.lower() in ("", "none", "off", "extractive"):
        return "none", "", None
    kind, _, rest = spec.partition(":")
    kind = kind.lower()
    if kind == "openai" and rest:
        url, _, model = rest.partition("#")
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise LLMSpecError(f"'{url}' is not a server address: use openai:http://host:port/v1[#model]")
        if parsed.path in ("", "/"):
            url = url.rstrip("/") + "/v1"
        return "openai", url, model or None
    if kind == "ollama" and rest:
        model, _, url = rest.partition("@")
        return "ollama", url or "http://127.0.0.1:11434", model
    if kind == "gguf" and rest:
        path = Path(rest).expanduser()
        if not path.is_file():
            raise LLMSpecError(f"no GGUF model file at {path}")
        return "gguf", str(path.resolve()), path.stem
    raise LLMSpecError(f"unknown language model '{spec}': use none, openai:<url>[#model], ollama:<model>[@url] or gguf:<path>")


def describe(spec: str | None) -> str:
    """The spec for messages and logs, without credentials in a URL."""
    kind, target, model = parse_spec(spec)
    if kind in ("openai", "ollama"):
        parsed = urlparse(target)
        target = f"{parsed.scheme}://{parsed.hostname}{':' + str(parsed.port) if parsed.port else ''}{parsed.path}"
    return "none" if kind == "none" else f"{kind}:{target}" + (f"#{model}" if model and kind == "openai" else "")


_GGUF_SERVERS: dict[str, tuple[object, int]] = {}
_GGUF_LOCK = threading.Lock()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gguf_server(path: str, port: int | None = None, host: str = "127.0.0.1", n_ctx: int = 4096):
    """An xllamacpp server for a GGUF file, in this process; returns (server, port)."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = path
    params.n_ctx = n_ctx
    params.cpuparams.n_threads = 2
    params.cpuparams_batch.n_threads = 2
    params.hostnames = [host]
    params.port = port or _free_port()
    params.verbosity = -1  # llama.cpp logs every slot and timing to stderr otherwise
    return xllamacpp.Server(params), params.port


def _gguf_endpoint(path: str) -> str:
    with _GGUF_LOCK:
        if path not in _GGUF_SERVERS:
            _GGUF_SERVERS[path] = start_gguf_server(path)
        return f"http://127.0.0.1:{_GGUF_SERVERS[path][1]}/v1"


def load_llm(config: Config):
    """The configured llama-index LLM, or None for extractive answers."""
    kind, target, model = parse_spec(config.llm)
    if kind == "none":
        return None
    if kind == "ollama":
        from llama_index.llms.ollama import Ollama

        return Ollama(model=model, base_url=target, request_timeout=config.llm_timeout, temperature=0.1)
    from llama_index.llms.openai_like import OpenAILike

    api_base = _gguf_endpoint(target) if kind == "gguf" else target
    return OpenAILike(
        model=model or "default", api_base=api_base, api_key=config.llm_api_key or "none",
        is_chat_model=True, timeout=config.llm_timeout, max_retries=0, max_tokens=400, temperature=0.1,
    )


def describe_llm_error(error: Exception) -> str:
    """A failed call to the model in a few plain words, without its URL or key."""
    name = type(error).__name__
    if "Timeout" in name:
        return "the language model did not answer in time"
    if "Connection" in name or "ConnectError" in name:
        return "the language model server cannot be reached"
    return f"the language model failed ({name})"
