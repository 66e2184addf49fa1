"""What several test modules need: free ports, the CLI as a process, and the real app running."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from assistant.config import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_cli(*args, env: dict | None = None, input: str | None = None, timeout: float = 300):
    """`python -m assistant ARGS` as a process; the CompletedProcess (text)."""
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=ROOT, input=input, timeout=timeout)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode())


class RunningApp:
    """`python app.py` in a subprocess over its own corpus and index folders under `base`."""

    def __init__(self, base: Path, host: str = "127.0.0.1", **env):
        self.base = base
        self.corpus = base / "corpus"
        self.index = base / "index"
        self.feedback = base / "feedback.jsonl"
        self.eval_cases = base / "from-feedback.yaml"
        self.uploads = base / "gradio-tmp"
        self.log = base / "app.log"
        self.host = host
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.extra_env = env
        self.process: subprocess.Popen | None = None

    def with_bundled_pdfs(self) -> "RunningApp":
        self.corpus.mkdir(parents=True, exist_ok=True)
        for pdf in sorted((ROOT / "corpus").glob("*.pdf")):
            shutil.copy(pdf, self.corpus / pdf.name)
        return self

    def status(self) -> dict:
        return get_json(self.url + "mdt-status")

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def start(self, ready: str = "/mdt-status", timeout: float = 90) -> "RunningApp":
        env = {k: v for k, v in os.environ.items() if not k.startswith("MDT_")}
        env.update(MDT_CORPUS_DIR=str(self.corpus), MDT_INDEX_DIR=str(self.index),
                   MDT_FEEDBACK_FILE=str(self.feedback), MDT_FEEDBACK_EVAL=str(self.eval_cases),
                   GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", GRADIO_TEMP_DIR=str(self.uploads),
                   PYTHONUNBUFFERED="1", **self.extra_env)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "app.py"), "--host", self.host, "--port", str(self.port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                urllib.request.urlopen(self.url.rstrip("/") + ready, timeout=5)
                return self
            except urllib.error.HTTPError:
                return self  # it answers (a login may be required)
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise AssertionError(f"the app did not answer on {self.url} in {timeout} s:\n{self.log_tail()}")
                time.sleep(0.3)

    def wait_until_indexed(self, timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["ready"] and not status["indexing"]:
                return status
            time.sleep(0.5)
        raise AssertionError(f"indexing did not finish in {timeout} s\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
