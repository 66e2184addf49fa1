"""Reliability (issue 7), atomic index updates: an ingest killed at random points never breaks the
index, two ingests at once (one refuses), a reader answering while another process updates, and a
damaged index that ingest rebuilds. The real e5 model, a real Chroma store on disk, the real command line."""
from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from assistant import Assistant, Config, IngestBusy, StoreError
from assistant.corpus.chunking import chunk_document
from assistant.corpus.readers import file_hash, list_corpus, read_document
from assistant.indexing.ingest import ingest_lock
from assistant.indexing.store import IndexStore, IndexVersions
from conftest import BUNDLED_CORPUS, make_pdf
from helpers import cli_env, start_cli

BASE = ["meerwaarde-mdt-voor-gemeenten.pdf", "verslag-landelijke-netwerkdag-2024.pdf"]
SPARE = "hulpmiddel-in-gesprek-over-impact.pdf"
CITIES = ["Almelo", "Hengelo", "Oldenzaal", "Rijssen", "Losser", "Haaksbergen", "Tubbergen", "Dinkelland"]


def _extra(corpus: Path, n: int, version: int) -> Path:
    city = CITIES[n % len(CITIES)]
    return make_pdf(corpus / f"project-{n}.pdf", [
        f"Het MDT-project in {city} begeleidt {10 + version} jongeren naar vrijwilligerswerk bij de gemeente.",
        f"De projectleider in {city} overlegt elke maand met de wethouder over versie {version} van het plan.",
    ], title=f"Project {city}")


def _touch(path: Path, stamp: str) -> None:
    """A new version of a PDF with the same text: a new content hash, so ingest re-embeds it."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
    writer.add_metadata({"/Subject": stamp})
    path.chmod(0o644)
    with open(path, "wb") as handle:
        writer.write(handle)


def _corpus_state(corpus: Path) -> dict[str, str]:
    return {source: file_hash(path) for source, path in list_corpus(corpus).items()}


def _expected_rows(corpus: Path) -> tuple[dict[str, int], int]:
    chunks, rows = {}, 0
    for source, path in list_corpus(corpus).items():
        pieces = chunk_document(read_document(path, source=source))
        chunks[source] = len(pieces)
        rows += len(pieces) + sum(len(piece.indexed_sentences()) for piece in pieces)
    return chunks, rows


def _index_state(config: Config, embedding) -> tuple[dict[str, str], IndexStore]:
    store = IndexStore(config, embedding.model_name)
    return {source: record.doc_hash for source, record in store.records().items()}, store


def _assert_consistent(assistant: Assistant, config: Config, embedding) -> None:
    """The index matches the corpus exactly, as a clean rebuild would, with no duplicate passages."""
    corpus = Path(config.corpus_dir)
    state, store = _index_state(config, embedding)
    assert state == _corpus_state(corpus)
    chunks, rows = _expected_rows(corpus)
    assert {source: record.chunks for source, record in store.records().items()} == chunks
    assert store.chunks.count() == rows, "no leftover or missing passages or sentences"
    live = store.live_chunks(store.records())
    assert len(live) == sum(chunks.values())
    for question in ("Hoe benader ik een kleine gemeente?", "Welke jongeren doen vrijwilligerswerk?"):
        texts = [p.text for p in assistant.retrieve(question, k=10)]
        assert len(texts) == len(set(texts)) == 10, "no passage is retrievable twice"
    store.close()
    versions = [child for child in Path(config.index_dir).iterdir() if child.name.startswith("v-")]
    assert len(versions) <= 2, "old versions and interrupted copies are cleaned up"


def _assert_answers(config: Config, embedding, allowed: list[dict[str, str]]) -> None:
    """A fresh assistant answers from a complete version: the old one or the new one, nothing between."""
    state, store = _index_state(config, embedding)
    assert state in allowed, "the live index is exactly the previous version or exactly the new one"
    reader = Assistant(config, embedding=embedding)
    assert reader.retrieve("Wat levert MDT op voor gemeenten?", k=5)
    for cid, text, meta in {meta["source"]: (cid, text, meta) for cid, text, meta in store.live_chunks(store.records())}.values():
        found = [p.source for p in reader.retrieve(text[:300], k=10)]
        assert meta["source"] in found, f"{meta['source']} is no longer findable"
    store.close()
    reader.retriever.store.close()


def _kill_at(process: subprocess.Popen, index: Path, mode: str, delay: float) -> str:
    """SIGKILL the ingest `delay` s after it starts ("time"), after its private copy appears ("copy"),
    after Chroma first writes to that copy ("write"), or right after it publishes ("publish")."""
    before = {child.name for child in index.iterdir()}
    pointer = index / IndexVersions.POINTER
    old = pointer.read_text()
    started, staging, copied = time.monotonic(), None, None
    while process.poll() is None and time.monotonic() - started < 120:
        if staging is None:
            fresh_dirs = [c for c in index.iterdir() if c.name.startswith("v-") and c.name not in before]
            staging = fresh_dirs[0] if fresh_dirs else None
        if mode == "time" and time.monotonic() - started >= delay:
            break
        if mode == "copy" and staging is not None:
            time.sleep(delay)
            break
        if mode == "write" and staging is not None:
            try:
                stamp = (staging / "chroma.sqlite3").stat().st_mtime_ns
            except FileNotFoundError:
                stamp = None
            if copied is None and stamp is not None and any(c.is_dir() for c in staging.iterdir()):
                copied = stamp  # the copy is done
            elif copied is not None and stamp != copied:
                time.sleep(delay)
                break
        if mode == "publish" and pointer.read_text() != old:
            break
        time.sleep(0.002)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return "finished" if finished else "killed"


class _Remembering:
    """The real model, remembering what it embedded: re-indexing a touched PDF (same text) in this
    process costs nothing, so the time goes to the killed runs."""

    def __init__(self, inner):
        self.inner, self.model_name, self.seen = inner, inner.model_name, {}

    def get_text_embedding_batch(self, texts, **kwargs):
        missing = [text for text in dict.fromkeys(texts) if text not in self.seen]
        if missing:
            self.seen.update(zip(missing, self.inner.get_text_embedding_batch(missing, **kwargs)))
        return [self.seen[text] for text in texts]

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_an_ingest_killed_at_random_points_never_breaks_the_index(tmp_path, embedding):
    embedding = _Remembering(embedding)
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name in BASE:
        shutil.copy(BUNDLED_CORPUS / name, corpus / name)
        (corpus / name).chmod(0o644)
    for n in range(3):
        _extra(corpus, n, 0)
    config = Config.from_env(corpus_dir=corpus, index_dir=index, chroma_url="", llm="none")
    assistant = Assistant(config, embedding=embedding)
    assistant.ingest()

    rng = random.Random(7)
    modes = ["write", "time", "copy", "publish", "write", "time", "write", "copy", "write", "time"]
    outcomes = []
    started = time.monotonic()
    for i, mode in enumerate(modes):
        before = _corpus_state(corpus)
        # Change the corpus: add, change or remove small documents; every third run also re-embed a
        # real PDF (seconds of work to interrupt) or replace it by another one.
        if i % 3 == 1:
            target = corpus / rng.choice(BASE)
            if i == 4:  # once: another document under the same name (only once: no two documents alike)
                target.unlink()
                shutil.copy(BUNDLED_CORPUS / SPARE, target)
            _touch(target, f"run {i}")
        for _ in range(rng.choice([1, 2])):
            extras = sorted(corpus.glob("project-*.pdf"))
            action = rng.choice(["add", "change", "remove"] if len(extras) > 1 else ["add", "change"])
            if action == "add":
                _extra(corpus, 3 + i, i)
            elif action == "change":
                _extra(corpus, int(rng.choice(extras).stem.split("-")[1]), i + 1)
            else:
                rng.choice(extras).unlink()
        after = _corpus_state(corpus)

        process = start_cli("ingest", "--json", env=cli_env(corpus, index))
        delay = {"time": rng.uniform(2.0, 9.0), "copy": rng.uniform(0.0, 1.0), "write": rng.uniform(0.0, 0.3)}.get(mode, 0)
        outcomes.append((mode, _kill_at(process, index, mode, delay)))
        _assert_answers(config, embedding, [before, after])

        report = assistant.ingest()  # the next ingest completes the update
        assert not report.failed and report.documents == len(after)
        assert report.chunks == sum(_expected_rows(corpus)[0].values())
        _assert_consistent(assistant, config, embedding)
    print("kill points:", outcomes, f"{time.monotonic() - started:.0f} s")
    assert sum(outcome == "killed" for _, outcome in outcomes) >= len(modes) // 2, outcomes

    clean = Config.from_env(corpus_dir=corpus, index_dir=tmp_path / "clean", chroma_url="", llm="none")
    rebuilt = Assistant(clean, embedding=embedding)
    rebuilt.ingest()
    ours, store = _index_state(config, embedding)
    theirs, rebuilt_store = _index_state(clean, embedding)
    assert ours == theirs and store.chunks.count() == rebuilt_store.chunks.count()
    assert {s: r.chunks for s, r in store.records().items()} == {s: r.chunks for s, r in rebuilt_store.records().items()}


def test_two_ingests_at_once_one_refuses_and_the_index_stays_whole(tmp_path, embedding):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(BUNDLED_CORPUS / BASE[0], corpus / BASE[0])
    env = cli_env(corpus, index)
    runs = [start_cli("ingest", "--json", env=env, text=True) for _ in range(2)]
    results = [(run.wait(timeout=300), *run.communicate()) for run in runs]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    (_, out, _), = [r for r in results if r[0] == 0]
    (_, busy_out, busy_err), = [r for r in results if r[0] == 1]
    assert json.loads(out)["added"] == [BASE[0]]
    assert busy_out == "" and busy_err.strip() == ("mdt-assistent: another ingest is updating this index; "
                                                   "wait for it to finish and try again")

    config = Config.from_env(corpus_dir=corpus, index_dir=index, chroma_url="", llm="none")
    assistant = Assistant(config, embedding=embedding)
    _assert_consistent_base(assistant, config, embedding)
    with ingest_lock(config):  # in the library: IngestBusy, at once or after waiting
        with pytest.raises(IngestBusy, match="another ingest"):
            assistant.ingest()
        started = time.monotonic()
        with pytest.raises(IngestBusy):
            assistant.ingest(wait=0.6)
        assert time.monotonic() - started >= 0.6
    assert assistant.ingest().unchanged == [BASE[0]]


def _assert_consistent_base(assistant, config, embedding):
    state, store = _index_state(config, embedding)
    assert state == _corpus_state(Path(config.corpus_dir))
    assert store.chunks.count() == _expected_rows(Path(config.corpus_dir))[1]
    assert assistant.retrieve("Wat levert MDT op voor gemeenten?", k=5)
    store.close()


def test_a_reader_keeps_answering_while_another_process_updates(fresh, embedding):
    """A long-lived reader (the web app) sees the update at its next question and never fails
    (measured before versioned updates: 'Error finding id' from Chroma, for good)."""
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _extra(corpus, 0, 0)
    assistant.ingest()
    assert assistant.retrieve("vrijwilligerswerk Almelo", k=1)[0].source == "project-0.pdf"
    shutil.copy(BUNDLED_CORPUS / BASE[0], corpus / BASE[0])
    writer = start_cli("ingest", "--json", env=cli_env(corpus, assistant.config.index_dir), text=True)
    questions = 0
    while writer.poll() is None:
        assert assistant.retrieve("Hoe benader ik een kleine gemeente?", k=5)
        questions += 1
        time.sleep(0.05)
    assert writer.returncode == 0, writer.stderr.read()
    assert questions > 10
    assert BASE[0] in {p.source for p in assistant.retrieve("Wat levert MDT op voor gemeenten?", k=5)}


def test_a_damaged_index_gives_a_clear_message_and_ingest_rebuilds_it(fresh, embedding, capsys):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _extra(corpus, 0, 0)
    _extra(corpus, 1, 0)
    assistant.ingest()
    live = IndexVersions(assistant.config.index_dir).current()
    sqlite = live / "chroma.sqlite3"
    data = sqlite.read_bytes()
    sqlite.write_bytes(data[: len(data) // 3])  # what a disk fault or a foreign tool can leave

    reader = fresh()
    with pytest.raises(StoreError, match="damaged or unreadable.*run 'mdt-assistent ingest' to rebuild it"):
        reader.retrieve("vrijwilligerswerk Almelo")
    report = reader.ingest()
    assert report.repaired and "damaged" in report.repaired
    assert "rebuilding it from the corpus" in capsys.readouterr().err
    assert sorted(report.added) == ["project-0.pdf", "project-1.pdf"]
    assert reader.retrieve("vrijwilligerswerk Almelo", k=1)[0].source == "project-0.pdf"
