"""Server mode: a real `chroma run` on 127.0.0.1, started here, holding the index (MDT_CHROMA_URL).

Ingest and retrieval against it give what the embedded store gives; the server going away
mid-session gives a clear message, and the same Assistant answers again once it is back."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Config
from assistant.core import Assistant
from assistant.errors import StoreError

from conftest import BUNDLED_CORPUS
from helpers import free_port

CHROMA = Path(sys.executable).with_name("chroma")
QUESTIONS = ["Hoe benader ik een kleine gemeente?", "How do I approach a small municipality?",
             "Wat is een impactdoel?", "Wie financiert de regionale facilitator?"]

pytestmark = pytest.mark.slow


class ChromaServer:
    def __init__(self, path: Path, port: int):
        self.path, self.port, self.process = path, port, None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ChromaServer":
        self.process = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "chroma run exited at start"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("chroma run did not start listening within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    if not CHROMA.exists():
        pytest.skip("the chroma command is not installed beside this Python")
    running = ChromaServer(tmp_path / "chroma-data", free_port()).start()
    yield running
    running.stop()


def _assistant(corpus: Path, index: Path, embedding, url: str = "") -> Assistant:
    assistant = Assistant(Config.from_env(corpus_dir=corpus, index_dir=index, chroma_url=url, llm="none"), embedding=embedding)
    return assistant


def _ranking(assistant: Assistant, question: str) -> list[tuple[str, int | None, str]]:
    return [(p.source, p.page, p.text) for p in assistant.retrieve(question, k=5)]


def test_server_mode_matches_the_embedded_store_and_recovers(tmp_path, embedding, server, bundled):
    corpus = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus, ignore=shutil.ignore_patterns("README.md"))
    remote = _assistant(corpus, tmp_path / "unused-index", embedding, server.url)

    report = remote.ingest()
    assert report.documents == 5 and not report.failed and len(report.added) == 5
    assert not (tmp_path / "unused-index" / "chroma.sqlite3").exists(), "the data went to the server"
    again = remote.ingest()
    assert again.added == [] and len(again.unchanged) == 5, "incremental against the server too"

    for question in QUESTIONS:
        assert _ranking(remote, question) == _ranking(bundled, question), question
    answer = remote.ask("Hoe benader ik een kleine gemeente?")
    assert not answer.abstained and answer.citations[0].source == "samenwerken-met-gemeenten.pdf"

    # A second app instance sharing the server sees the same index without ingesting.
    other = _assistant(corpus, tmp_path / "other-index", embedding, server.url)
    assert _ranking(other, QUESTIONS[0]) == _ranking(remote, QUESTIONS[0])

    server.stop()
    with pytest.raises(StoreError, match="Chroma server"):
        remote.ask("Wat is een impactdoel?")
    server.start()  # the same data folder and port
    answer = remote.ask("Wat is een impactdoel?")
    assert not answer.abstained and answer.citations


def test_cli_against_a_dead_server_exits_with_a_message(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "assistant", "retrieve", "Wat is MDT?"], capture_output=True,
                          text=True, env={**os.environ, "MDT_CORPUS_DIR": str(corpus),
                                          "MDT_CHROMA_URL": url}, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Chroma server" in done.stderr and url in done.stderr
    assert "Traceback" not in done.stderr
