"""The app as an attacker or a careless user meets it: forged uploads, foreign host names, guessed
passwords, oversized requests, odd paths and start-up settings. Against the real app on 127.0.0.1."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from assistant.web.access import access_credentials, allowed_hosts, host_of, is_known_host, is_loopback
from assistant.errors import AccessError
from assistant.config import ROOT, Config
from helpers import RunningApp, free_port

pytestmark = pytest.mark.slow


# -- pure rules -------------------------------------------------------------------------------------

def test_loopback_is_decided_on_the_address_not_the_name():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]") and is_loopback("localhost")
    assert is_loopback("127.8.9.10")
    for name in ("127.0.0.1.nip.io", "localhost.evil.example", "0.0.0.0", "192.168.1.5", "::"):
        assert not is_loopback(name), name
    with pytest.raises(AccessError, match="MDT_AUTH"):
        access_credentials("127.0.0.1.nip.io", None)
    with pytest.raises(AccessError, match="MDT_AUTH"):
        access_credentials("localhost.evil.example", "")


def test_logins_are_parsed_strictly():
    assert access_credentials("0.0.0.0", "anna:geheim,bob:ook:met:dubbelepunt") == [
        ("anna", "geheim"), ("bob", "ook:met:dubbelepunt")]
    for bad in ("anna:geheim,bob", "anna:", ":geheim", "anna:geheim,,bob:x", "anna:a,anna:b"):
        with pytest.raises(AccessError):
            access_credentials("0.0.0.0", bad)


def test_known_hosts():
    names = allowed_hosts("127.0.0.1", ("mdt.gemeente.example",))
    assert host_of("127.0.0.1:7860") == "127.0.0.1" and host_of("[::1]:80") == "::1"
    assert host_of("http://Evil.Example:7860") == "evil.example"
    for ok in ("127.0.0.1", "localhost", "mdt.gemeente.example", "10.1.2.3", "::1"):
        assert is_known_host(ok, names), ok
    for bad in ("evil.example", "127.0.0.1.nip.io", "localhost.evil.example", ""):
        assert not is_known_host(bad, names), bad


def test_feedback_files_live_with_the_index_not_the_program(tmp_path):
    config = Config.from_env(index_dir=tmp_path / "index")
    assert config.eval_cases_path == tmp_path / "index" / "from-feedback.yaml"
    assert config.votes_path == tmp_path / "index" / "feedback.jsonl"
    assert not config.eval_cases_path.resolve().is_relative_to(ROOT)


# -- the running app --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = RunningApp(tmp_path_factory.mktemp("security")).with_bundled_pdfs()
    try:
        yield running.start()
    finally:
        running.stop()


def _request(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _run_event(app, fn_index: int, data: list) -> dict:
    """One event through Gradio's queue, as any HTTP client can send it; the completed message."""
    session = uuid.uuid4().hex[:10]
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                       "trigger_id": None}).encode()
    status, text, _ = _request(app.url + "gradio_api/queue/join", body, {"Content-Type": "application/json"})
    assert status == 200, text
    with urllib.request.urlopen(app.url + f"gradio_api/queue/data?session_hash={session}", timeout=120) as stream:
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    raise AssertionError("the event never completed")


def _file_inputs(app) -> list[tuple[int, int, list]]:
    """(fn_index, position, inputs) of every event that takes a file input."""
    config = json.loads(_request(app.url + "config")[1])
    files = {c["id"] for c in config["components"] if c.get("type") in ("file", "uploadbutton", "image", "audio",
                                                                          "video", "model3d", "gallery")}
    events = []
    for dependency in config["dependencies"]:
        for position, component in enumerate(dependency["inputs"]):
            if component in files:
                events.append((dependency["id"], position, dependency["inputs"]))
    return events


def test_a_forged_upload_path_is_refused_by_every_file_input(app, tmp_path):
    app.wait_until_indexed()
    secret = tmp_path / "geheim-verslag.md"
    secret.write_text("# Geheim\n\nHet wachtwoord van de server is paars-olifant-42.\n", encoding="utf-8")
    events = _file_inputs(app)
    assert events, "the documents tab has a file input"
    config = json.loads(_request(app.url + "config")[1])
    defaults = {c["id"]: c.get("props", {}).get("value") for c in config["components"]}
    for fn_index, position, inputs in events:
        data = [defaults.get(component) for component in inputs]
        data[position] = [{"path": str(secret), "orig_name": secret.name, "meta": {"_type": "gradio.FileData"}}]
        message = _run_event(app, fn_index, data)
        shown = json.dumps(message)
        assert "paars-olifant" not in shown
        assert not (app.corpus / secret.name).exists(), f"event {fn_index} copied a server file into the corpus"
    assert _request(app.url + f"corpus/{secret.name}")[0] == 404
    assert not list(app.uploads.rglob(secret.name)), "the forged file was not even copied into Gradio's cache"


def test_only_known_host_names_are_served(app):
    assert _request(app.url + "mdt-status")[0] == 200
    assert _request(app.url + "mdt-status", headers={"Host": f"localhost:{app.port}"})[0] == 200
    for host in ("evil.example", f"127.0.0.1.nip.io:{app.port}", "localhost.evil.example"):
        assert _request(app.url + "mdt-status", headers={"Host": host})[0] == 421, host
        assert _request(app.url + "config", headers={"Host": host})[0] == 421, host
    # A page elsewhere that reaches the app by its own address still cannot call its API.
    status, _, headers = _request(app.url + "config", headers={"Origin": "http://evil.example"})
    assert status == 421 and "access-control-allow-origin" not in {k.lower() for k in headers}
    assert _request(app.url + "config", headers={"Origin": app.url.rstrip("/")})[0] == 200


def test_oversized_and_overlong_questions_are_refused_on_the_server(app):
    app.wait_until_indexed()
    config = json.loads(_request(app.url + "config")[1])
    ask = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")
    huge = json.dumps({"data": ["x" * 20_000_000, "nl", None], "fn_index": ask, "session_hash": "h"}).encode()
    started = time.monotonic()
    try:
        status = _request(app.url + "gradio_api/queue/join", huge, {"Content-Type": "application/json"})[0]
    except urllib.error.URLError as error:  # answered 413 and closed while the body was still being sent
        assert isinstance(error.reason, (ConnectionResetError, BrokenPipeError)), error
        status = 413
    assert status == 413
    print(f"20 MB question refused in {time.monotonic() - started:.2f} s")
    assert _request(app.url + "mdt-status")[0] == 200
    message = _run_event(app, ask, ["Hoe benader ik een kleine gemeente? " * 100, "nl", None])
    assert message["success"] and "te lang" in json.dumps(message["output"], ensure_ascii=False)


def test_odd_corpus_paths_are_not_found_without_a_server_error(app):
    logged = app.log.stat().st_size
    for path in ("corpus/x%00.pdf", "corpus/%00", "corpus/..%00/etc/passwd", "corpus/.failed/x.pdf"):
        assert _request(app.url + path)[0] == 404, path
    time.sleep(0.5)
    assert "Traceback" not in app.log.read_bytes()[logged:].decode(errors="replace")


# -- logins ---------------------------------------------------------------------------------------

def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def _login(app, user: str, password: str):
    body = f"username={user}&password={password}".encode()
    return _request(app.url + "login", body, {"Content-Type": "application/x-www-form-urlencoded"})


def test_one_login_for_app_and_files_and_guessing_is_slowed(tmp_path):
    running = RunningApp(tmp_path, MDT_AUTH="anna:geheim-wachtwoord").with_bundled_pdfs()
    try:
        running.start()
        pdf = running.url + "corpus/samenwerken-met-gemeenten.pdf"
        assert _request(pdf)[0] == 401
        status, _, headers = _login(running, "anna", "geheim-wachtwoord")
        assert status == 200
        cookie = "; ".join(part.split(";", 1)[0] for key, part in headers.items() if key.lower() == "set-cookie")
        assert cookie
        assert _request(pdf, headers={"Cookie": cookie})[0] == 200, "the app's login also opens the files"
        assert _request(running.url + "mdt-status", headers={"Cookie": cookie})[0] == 200
        assert _request(pdf, headers=_basic("anna", "geheim-wachtwoord"))[0] == 200  # scripts: basic auth
        codes = [_login(running, "anna", f"fout-{i}")[0] for i in range(30)]
        assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}, codes
        assert _login(running, "anna", "geheim-wachtwoord")[0] == 429, "locked out for a while, even when right"
        basic_codes = [_request(pdf, headers=_basic("anna", f"fout-{i}"))[0] for i in range(3)]
        assert set(basic_codes) == {429}, "the same count guards the files' basic auth"
    finally:
        running.stop()
    assert "geheim-wachtwoord" not in running.log_tail()


@pytest.mark.parametrize("host, auth, expected", [
    ("127.0.0.1", "anna:geheim,bob", "MDT_AUTH entry 2"),
    ("127.0.0.1.nip.io", None, "set MDT_AUTH"),
    ("localhost.evil.example", None, "set MDT_AUTH"),
])
def test_bad_access_settings_stop_the_start(tmp_path, host, auth, expected):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MDT_")}
    env.update(MDT_CORPUS_DIR=str(tmp_path), MDT_INDEX_DIR=str(tmp_path / "index"), GRADIO_ANALYTICS_ENABLED="False")
    if auth:
        env["MDT_AUTH"] = auth
    done = subprocess.run([sys.executable, "app.py", "--host", host, "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir())
