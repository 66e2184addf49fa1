"""Access: loopback by default; another address only with logins (MDT_AUTH), which then guard
the app and the document files alike."""
from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from assistant.config import ROOT

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(bundled, **extra):
    return {**os.environ, "MDT_CORPUS_DIR": str(bundled.config.corpus_dir),
            "MDT_INDEX_DIR": str(bundled.config.index_dir), "GRADIO_ANALYTICS_ENABLED": "False", **extra}


def test_another_address_without_logins_is_refused(bundled):
    done = subprocess.run([sys.executable, "app.py", "--host", "0.0.0.0", "--port", str(_free_port())], cwd=ROOT,
                          env=_env(bundled), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "set MDT_AUTH=user:password" in done.stderr


def _get(url: str, user: str | None = None, password: str | None = None) -> int:
    request = urllib.request.Request(url)
    if user is not None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        return urllib.request.urlopen(request, timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


def test_with_logins_everything_needs_one(bundled):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "app.py", "--host", "0.0.0.0", "--port", str(port)], cwd=ROOT,
                               env=_env(bundled, MDT_AUTH="team:geheim-wachtwoord"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                time.sleep(0.5)
        time.sleep(1)
        pdf = f"{base}/corpus/samenwerken-met-gemeenten.pdf"
        assert _get(pdf) == 401
        assert _get(pdf, "team", "fout") == 401
        assert _get(pdf, "team", "geheim-wachtwoord") == 200
        # Gradio's own login guards the app itself: its API refuses a visitor without a session.
        assert _get(f"{base}/gradio_api/info", "team", "geheim-wachtwoord") in (401, 403)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "a login is required" in stderr
    assert "geheim-wachtwoord" not in stderr, "secrets never appear in logs"
