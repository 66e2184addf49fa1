"""The package installed the normal way: a built wheel in a new virtual environment runs ingest, ask
and serve against a corpus folder given by MDT_CORPUS_DIR, with no file of the checkout in reach."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from assistant.config import ROOT
from helpers import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # Built from a copy of the sources, so that the build leaves nothing in the checkout; without
    # build isolation, so that it uses this environment's setuptools instead of fetching one.
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "index", "build", "dist", "*.egg-info", "__pycache__", "test-artifacts", "eval"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(source)], check=True, capture_output=True, text=True, timeout=300)
    wheel = next(dist.glob("mdt_assistent-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The dependencies come from the test environment (a .pth line, read after the venv's own
    # site-packages), so the test installs nothing from the network; the package itself is the wheel's.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    venv_site = Path(site)
    (venv_site / "zz-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True, text=True, timeout=300)
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "samenwerken-met-gemeenten.pdf", corpus)
    work = base / "work"  # the working folder: neither the checkout nor the corpus
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MDT_", "PYTHON"))}
    env.update(MDT_CORPUS_DIR=str(corpus), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    return {"wheel": wheel, "venv": venv, "site": venv_site, "work": work, "env": env}


def _run(wheel_env, *args, timeout=600):
    return subprocess.run([str(wheel_env["venv"] / "bin" / "mdt-assistent"), *args], cwd=wheel_env["work"],
                          env=wheel_env["env"], capture_output=True, text=True, timeout=timeout)


def test_the_wheel_carries_prompts_styles_and_data(wheel_env):
    names = set(zipfile.ZipFile(wheel_env["wheel"]).namelist())
    for expected in ("assistant/prompts/answer.system.txt", "assistant/prompts/email.body.txt",
                     "assistant/web/static/web.css", "assistant/retrieval/data/glossary-en-nl.tsv",
                     "assistant/answers/data/sentence-scorer.json", "assistant/answers/data/question-bank.npy",
                     *(str(f.relative_to(ROOT)) for f in (ROOT / "assistant").rglob("*.py"))):
        assert expected in names, expected  # every module of every stage folder
    assert not any(name.startswith(("tests/", "eval/", "corpus/")) for name in names)


def test_installed_wheel_ingests_answers_and_serves(wheel_env):
    where = subprocess.run([str(wheel_env["venv"] / "bin" / "python"), "-c", "import assistant; print(assistant.__file__)"],
                           cwd=wheel_env["work"], env=wheel_env["env"], capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(wheel_env["site"])), "the package comes from the wheel"

    ingest = _run(wheel_env, "ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["documents"] == 1
    assert (wheel_env["work"] / "index").is_dir(), "the default index folder is in the working folder"

    ask = _run(wheel_env, "ask", "Hoe benader ik een kleine gemeente?", "--json")
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert not answer["abstained"] and answer["citations"]
    assert answer["citations"][0]["source"] == "samenwerken-met-gemeenten.pdf"
    assert "[1]" in answer["answer"]

    port = free_port()
    server = subprocess.Popen([str(wheel_env["venv"] / "bin" / "mdt-assistent"), "serve", "--port", str(port)],
                              cwd=wheel_env["work"], env=wheel_env["env"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.5)
        assert page and "MDT-assistent" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/theme.css", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
