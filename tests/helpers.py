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

# Meeting notes as a user pastes them: the e-mail tab's tests in the browser and through the handlers.
TUBBERGEN_NOTES = """Eerste gesprek gemeente Tubbergen, 12 maart
Aanwezig: Petra de Vries (beleidsmedewerker jeugd), Sanne (wij)
- kleine gemeente, Petra doet jeugd, sport én welzijn
- interesse in MDT voor statushouders
Afspraken:
- Sanne stuurt de projectbeschrijving voor 20 maart
- Petra checkt of er ruimte is in het preventiebudget
Open vragen:
- wie is contactpersoon bij de regio?
"""
CONSOLE_SCRIPT = Path(sys.executable).with_name("mdt-assistent")  # the console script of this virtual environment


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(**extra) -> dict:
    """This process's environment without any MDT_ setting, offline and unbuffered; `extra` on top
    (values made strings, so paths and numbers may be given as they are)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MDT_")}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    env.update({key: str(value) for key, value in extra.items()})
    return env


def cli_env(corpus, index, **extra) -> dict:
    """A clean environment for the CLI over `corpus` and `index`: a local Chroma store, no language model."""
    return clean_env(MDT_CORPUS_DIR=corpus, MDT_INDEX_DIR=index, MDT_CHROMA_URL="", MDT_LLM="none", **extra)


def cli_command(script: bool = False) -> list[str]:
    """How the CLI is started: `python -m assistant`, or with `script` the installed `mdt-assistent`
    (when this environment has it)."""
    return [str(CONSOLE_SCRIPT)] if script and CONSOLE_SCRIPT.exists() else [sys.executable, "-m", "assistant"]


def _environment(env: dict | None, env_extra: dict | None) -> dict:
    if env is None:
        return clean_env(**(env_extra or {}))
    return {**env, **{key: str(value) for key, value in (env_extra or {}).items()}}


def run_cli(*args, env: dict | None = None, env_extra: dict | None = None, input: str | None = None,
            cwd=ROOT, preexec_fn=None, script: bool = False, timeout: float = 300):
    """The CLI run to its end with ARGS (made strings); the CompletedProcess (text).

    `env` is the whole environment; without it, a clean one (clean_env). `env_extra` goes on top of
    either. `input` is stdin; `script` runs the installed console script instead of `python -m assistant`."""
    return subprocess.run([*cli_command(script), *map(str, args)], capture_output=True, text=True,
                          env=_environment(env, env_extra), cwd=cwd, input=input, preexec_fn=preexec_fn,
                          timeout=timeout)


def start_cli(*args, env: dict | None = None, env_extra: dict | None = None, cwd=ROOT, text: bool = False,
              script: bool = False) -> subprocess.Popen:
    """The CLI started in the background with ARGS, stdout and stderr piped; the environment as in run_cli."""
    return subprocess.Popen([*cli_command(script), *map(str, args)], cwd=cwd, env=_environment(env, env_extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=text)


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
        env = clean_env(**{"MDT_CORPUS_DIR": self.corpus, "MDT_INDEX_DIR": self.index,
                           "MDT_FEEDBACK_FILE": self.feedback, "MDT_FEEDBACK_EVAL": self.eval_cases,
                           "GRADIO_TEMP_DIR": self.uploads, **self.extra_env})
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
