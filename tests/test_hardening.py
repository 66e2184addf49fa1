"""Hardening (issue 13): a wrong corpus folder, zip bombs and endless documents, an empty, garbled or
read-only index, and bad settings on the command line. Real files, the real e5 model, a real Chroma
store on disk, the real command line."""
from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import cli_env, run_cli
from assistant.corpus.readers import FAILED_DIR, read_document, scan_corpus
from assistant.errors import DocumentOverLimit
from assistant.errors import CorpusFolderError
from assistant.errors import IndexMissing
from assistant.indexing.store import IndexVersions
from assistant.errors import StoreError
from conftest import make_docx, make_pdf, make_pptx

NOTES = {
    "overleg-almelo.md": "# Overleg Almelo\nDe wethouder van Almelo wil een vervolgafspraak over het buurthuis "
                         "en de jongeren die daar vrijwilligerswerk doen.",
    "netwerkdag.md": "# Netwerkdag\nOp de netwerkdag in Hengelo spraken de regiofacilitators over de financiering "
                     "van maatschappelijke diensttijd.",
}
QUESTION = "Wil de wethouder van Almelo een vervolgafspraak over het buurthuis?"


def _notes(corpus: Path) -> None:
    for name, text in NOTES.items():
        (corpus / name).write_text(text, encoding="utf-8")


def _env(corpus: Path, index: Path, **extra) -> dict:
    return cli_env(corpus, index, MDT_EMBEDDING="", **extra)


def _cli(*args, env, preexec_fn=None, input=None, timeout=300):
    return run_cli(*args, env=env, preexec_fn=preexec_fn, input=input, script=True, timeout=timeout)


def _one_line(err: str, *parts: str) -> None:
    """The contract's message: one line on stderr, no traceback, saying what to do."""
    assert "Traceback" not in err, err
    assert err.startswith("mdt-assistent: ") and err.count("\n") == 1, err
    for part in parts:
        assert part in err, (part, err)


@pytest.fixture
def cli_main(embedding, monkeypatch, capsys):
    """assistant.cli.main in this process, with the session's e5 (loaded once): (code, stdout, stderr)."""
    import assistant.embeddings
    import assistant.indexing.ingest
    from assistant.cli import main

    for name in ("MDT_CHROMA_URL", "MDT_LLM", "MDT_CORPUS_DIR", "MDT_INDEX_DIR", "MDT_EMBEDDING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(assistant.embeddings, "load_embedding", lambda spec=None: embedding)
    monkeypatch.setattr(assistant.indexing.ingest, "load_embedding", lambda spec=None: embedding)

    def run(*args):
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


# -- 1. a wrong corpus folder --------------------------------------------------------------------------

def test_a_missing_or_empty_corpus_folder_never_empties_the_index(fresh, tmp_path):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _notes(corpus)
    assert sorted(assistant.ingest().added) == sorted(NOTES)
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "README.md").write_text("# Geen document\n", encoding="utf-8")  # skipped: still no documents
    (empty / ".verborgen").mkdir()

    for wrong, message in ((tmp_path / "typo", "does not exist; check MDT_CORPUS_DIR or --corpus"),
                           (corpus / "netwerkdag.md", "is not a folder"),
                           (empty, "has no documents, but the index holds some")):
        with pytest.raises(CorpusFolderError, match=message):
            fresh(corpus_dir=wrong).ingest()
        assert assistant.retrieve(QUESTION, k=1)[0].source == "overleg-almelo.md"
    with pytest.raises(CorpusFolderError, match="--allow-empty"):
        fresh(corpus_dir=empty).ingest()
    # What `serve`'s background indexer calls: without allow_empty, so a wrong folder shows an error
    # in the app and the index keeps answering.
    with pytest.raises(CorpusFolderError, match="does not exist"):
        fresh(corpus_dir=tmp_path / "typo").ingest(wait=600, on_document=lambda *progress: None)
    assert {p.source for p in assistant.retrieve(QUESTION, k=2)} == set(NOTES)
    assert fresh().ingest().unchanged == sorted(NOTES)

    # On purpose: emptied, and then questions get a plain message instead of a crash.
    report = fresh(corpus_dir=empty).ingest(allow_empty=True)
    assert sorted(report.removed) == sorted(NOTES) and report.documents == 0 and not report.failed
    for call in (assistant.retrieve, assistant.ask):
        with pytest.raises(IndexMissing, match="no documents are indexed.*run 'mdt-assistent ingest'"):
            call(QUESTION)
    assert fresh().ingest().added == sorted(NOTES), "the documents come back with the right folder"


def test_cli_ingest_refuses_a_wrong_corpus_folder_and_allow_empty_empties_it(fresh, tmp_path, cli_main, monkeypatch):
    corpus = fresh().config.corpus_dir
    _notes(corpus)
    index = ["--index", str(tmp_path / "index"), "--llm", "none"]
    code, out, err = cli_main("ingest", "--json", "--corpus", str(corpus), *index)
    assert code == 0 and sorted(json.loads(out)["added"]) == sorted(NOTES), err
    empty = tmp_path / "leeg"
    empty.mkdir()

    monkeypatch.setenv("MDT_CORPUS_DIR", "/typo")  # the probe's case: a typo in the environment
    code, out, err = cli_main("ingest", *index)
    assert code == 2 and out == ""
    _one_line(err, "the corpus folder /typo does not exist", "MDT_CORPUS_DIR")
    monkeypatch.delenv("MDT_CORPUS_DIR")
    code, out, err = cli_main("ingest", "--json", "--corpus", str(empty), *index)
    assert code == 2 and out == ""
    _one_line(err, f"the corpus folder {empty} has no documents", "mdt-assistent ingest --allow-empty")

    code, out, err = cli_main("retrieve", QUESTION, "-k", "1", "--json", "--corpus", str(corpus), *index)
    assert code == 0 and json.loads(out)["results"][0]["source"] == "overleg-almelo.md", err

    code, out, err = cli_main("ingest", "--allow-empty", "--json", "--corpus", str(empty), *index)
    assert code == 0, err
    report = json.loads(out)
    assert sorted(report["removed"]) == sorted(NOTES) and report["documents"] == 0
    for command in ("ask", "retrieve"):  # the empty index: exit 1 with what to do, no traceback
        code, out, err = cli_main(command, QUESTION, "--json", "--corpus", str(empty), *index)
        assert code == 1 and out == ""
        _one_line(err, "no documents are indexed", "run 'mdt-assistent ingest'")


@pytest.mark.slow
def test_a_wrong_corpus_folder_never_empties_a_chroma_server(fresh, tmp_path):
    from helpers import free_port
    from test_server import CHROMA, ChromaServer

    if not CHROMA.exists():
        pytest.skip("the chroma command is not installed beside this Python")
    server = ChromaServer(tmp_path / "chroma-data", free_port()).start()
    try:
        remote = fresh(chroma_url=server.url)
        _notes(remote.config.corpus_dir)
        assert sorted(remote.ingest().added) == sorted(NOTES)
        empty = tmp_path / "leeg"
        empty.mkdir()
        for wrong, message in ((tmp_path / "typo", "does not exist"), (empty, "--allow-empty")):
            with pytest.raises(CorpusFolderError, match=message):
                fresh(chroma_url=server.url, corpus_dir=wrong).ingest()
        assert remote.retrieve(QUESTION, k=1)[0].source == "overleg-almelo.md"
        assert fresh(chroma_url=server.url).ingest().unchanged == sorted(NOTES)
    finally:
        server.stop()


# -- 2. documents past the reading limits --------------------------------------------------------------

def _padded_docx(path: Path, padding: int) -> Path:
    """A real .docx whose document.xml carries `padding` bytes of spaces in an XML comment: a few KB on
    disk (deflated), far more unpacked."""
    plain = make_docx(path.with_name(f"plain-{path.name}"), "Verslag", ["De wethouder opent het buurthuis."],
                      [["Regio", "Twente"]])
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                declaration, rest = data.split(b"?>", 1)
                data = declaration + b"?><!--" + b" " * padding + b"-->" + rest
            target.writestr(item.filename, data)
    plain.unlink()
    return path


def _many_paragraphs_docx(path: Path, count: int, heading: str | None = None) -> Path:
    """A .docx of `count` short paragraphs, made with python-docx (one paragraph added, then copied:
    python-docx's add_paragraph takes 110 s for 70,000)."""
    import docx

    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    template = document.add_paragraph("x")._p
    for n in range(count):
        paragraph = copy.deepcopy(template)
        paragraph.r_lst[0].t_lst[0].text = f"Regel {n} van het verslag over de jongeren."
        template.addprevious(paragraph)
    template.getparent().remove(template)
    document.save(str(path))
    return path


def test_a_docx_zip_bomb_and_an_endless_docx_are_refused_set_aside_and_not_read_again(fresh):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _notes(corpus)
    bomb = _padded_docx(corpus / "bom.docx", 60 * 1024 * 1024)
    endless = _many_paragraphs_docx(corpus / "eindeloos.docx", 70_000)
    assert bomb.stat().st_size < 200_000 and endless.stat().st_size < 400_000

    started = time.perf_counter()
    report = assistant.ingest()
    print(f"ingest with the bomb and 70,000 paragraphs: {time.perf_counter() - started:.2f} s")
    assert sorted(report.added) == sorted(NOTES) and report.documents == 2
    failed = {f["source"]: f for f in report.failed}
    assert set(failed) == {"bom.docx", "eindeloos.docx"}
    assert "Word file too large to read: it would unpack to 60 MB (the limit is 50 MB)" in failed["bom.docx"]["error"]
    assert failed["eindeloos.docx"]["error"].startswith("too many paragraphs (70,000; the limit is 20,000)")
    for name, failure in failed.items():
        assert failure["moved_to"] == f"{FAILED_DIR}/{name}"
        assert f"moved to {FAILED_DIR}/{name} in the corpus folder" in failure["error"]
        assert (corpus / FAILED_DIR / name).is_file() and not (corpus / name).exists()
    assert assistant.retrieve(QUESTION, k=1)[0].source == "overleg-almelo.md"

    # The hidden folder is never scanned, so the next ingest neither reads nor reports them.
    assert sorted(scan_corpus(corpus)[0]) == sorted(NOTES)
    again = assistant.ingest()
    assert again.failed == [] and again.unchanged == sorted(NOTES) and not again.changed
    # A second bomb of the same name does not overwrite the first one set aside.
    _padded_docx(corpus / "bom.docx", 60 * 1024 * 1024)
    third = assistant.ingest()
    assert third.failed[0]["moved_to"] == f"{FAILED_DIR}/bom-2.docx" and (corpus / FAILED_DIR / "bom.docx").is_file()


def test_readers_refuse_by_the_zip_directory_and_by_counting_first(tmp_path):
    # Under the size limits but padding all the same: refused by its compression ratio.
    padded = _padded_docx(tmp_path / "opgevuld.docx", 10 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(DocumentOverLimit, match=r"unpacks [\d,]+ times its size .*the limit is 100 times"):
        read_document(padded)
    print(f"padded docx refused in {time.perf_counter() - started:.3f} s")

    endless = _many_paragraphs_docx(tmp_path / "eindeloos.docx", 70_000)
    started = time.perf_counter()
    with pytest.raises(DocumentOverLimit, match=r"too many paragraphs \(70,000; the limit is 20,000\)"):
        read_document(endless)
    print(f"70,000-paragraph docx refused in {time.perf_counter() - started:.3f} s")

    # Just under the limit: read, fast, and the heading (the one paragraph naming a style) found.
    long = _many_paragraphs_docx(tmp_path / "lang-verslag.docx", 19_000, heading="Jaarverslag jongerenwerk")
    started = time.perf_counter()
    document = read_document(long)
    print(f"19,000-paragraph docx read in {time.perf_counter() - started:.3f} s")
    assert document.title == "Jaarverslag jongerenwerk"
    assert "Regel 18999 van het verslag over de jongeren." in document.text


def test_page_slide_cell_and_time_limits(tmp_path, monkeypatch):
    from assistant.corpus import readers as documents

    pdf = make_pdf(tmp_path / "drie.pdf", ["Pagina een over Almelo.", "Pagina twee.", "Pagina drie."])
    deck = make_pptx(tmp_path / "deck.pptx", [("Welkom", "Beslisdag", ""), ("Geld", "Regiobijdrage", "")])
    word = make_docx(tmp_path / "tabel.docx", "Tabel", ["Tekst."], [["a", "b", "c"], ["d", "e", "f"]])
    for path in (pdf, deck, word):
        assert read_document(path).pages  # all within the real limits

    monkeypatch.setattr(documents, "MAX_PAGES", 2)
    with pytest.raises(DocumentOverLimit, match=r"too many pages \(3; the limit is 2\)"):
        read_document(pdf)
    with pytest.raises(DocumentOverLimit, match=r"too many slides \(3; the limit is 2\)"):
        read_document(deck)
    monkeypatch.setattr(documents, "MAX_PAGES", 2_000)
    monkeypatch.setattr(documents, "MAX_TABLE_CELLS", 5)
    with pytest.raises(DocumentOverLimit, match=r"too many table cells \(6; the limit is 5\)"):
        read_document(word)
    monkeypatch.setattr(documents, "MAX_TABLE_CELLS", 20_000)
    monkeypatch.setattr(documents, "MAX_READ_SECONDS", 0.0)
    for path in (pdf, deck, word):
        with pytest.raises(DocumentOverLimit, match="reading took longer than 0 s"):
            read_document(path)


def test_a_document_that_cannot_be_set_aside_is_only_reported(fresh):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _notes(corpus)
    _padded_docx(corpus / "bom.docx", 60 * 1024 * 1024)
    (corpus / FAILED_DIR).write_text("a file where the folder would go", encoding="utf-8")  # mkdir fails
    for _ in range(2):  # reported each time, never a crash
        report = assistant.ingest()
        (failure,) = report.failed
        assert failure["source"] == "bom.docx" and failure["moved_to"] is None
        assert "could not be moved to .failed/" in failure["error"] and "next ingest tries it again" in failure["error"]
        assert (corpus / "bom.docx").is_file()
    assert report.documents == 2


# -- read-only folders -----------------------------------------------------------------------------------

@contextmanager
def _read_only(*paths: Path):
    """`paths` (folders, with everything in them) read-only for this very process. Permission bits do
    not stop root, so as root the folders are made immutable (chattr +i: not even root may write);
    otherwise the write bits are taken away. Restored afterwards."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        done = subprocess.run([chattr, "-R", "+i", *map(str, paths)], capture_output=True, text=True) if chattr else None
        if done is None or done.returncode != 0:
            if done is not None:
                subprocess.run([chattr, "-R", "-i", *map(str, paths)], capture_output=True)
            pytest.skip("running as root without chattr +i here: no way to make a folder read-only for this test")
        try:
            yield
        finally:
            subprocess.run([chattr, "-R", "-i", *map(str, paths)], check=True)
        return
    modes = {}
    for path in paths:
        for folder, _, files in os.walk(path):
            for item in [Path(folder), *(Path(folder) / name for name in files)]:
                modes[item] = item.stat().st_mode
                item.chmod(modes[item] & ~0o222)
    try:
        yield
    finally:
        for item, mode in modes.items():
            item.chmod(mode)


def test_a_read_only_index_still_answers_and_ingest_says_it_is_not_writable(fresh, cli_main):
    assistant = fresh()
    _notes(assistant.config.corpus_dir)
    assistant.ingest()
    index = Path(assistant.config.index_dir)
    where = ["--corpus", str(assistant.config.corpus_dir), "--index", str(index), "--llm", "none"]
    with _read_only(index):
        assert not os.access(index, os.W_OK)
        reader = fresh()  # a new process's view: Chroma cannot open the folder itself, so it reads a copy
        assert reader.retrieve(QUESTION, k=1)[0].source == "overleg-almelo.md"
        assert reader.ask(QUESTION).citations[0].source == "overleg-almelo.md"
        copy_folder = Path(reader.retriever.store._snapshot.name)
        code, out, err = cli_main("retrieve", QUESTION, "-k", "1", "--json", *where)
        assert code == 0 and json.loads(out)["results"][0]["source"] == "overleg-almelo.md", err

        code, out, err = cli_main("ingest", "--json", *where)
        assert code == 2 and out == ""
        _one_line(err, f"the index folder {index} is not writable", "MDT_INDEX_DIR or --index")
        with pytest.raises(StoreError, match="is not writable"):
            fresh().ingest()
        reader.retriever.store.close()
        assert not copy_folder.exists(), "the private copy goes with the store"
    assert fresh().ingest().unchanged == sorted(NOTES), "the index is as it was"


def test_an_index_folder_under_a_file_is_refused_with_a_message(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _notes(corpus)
    (tmp_path / "bestand").write_text("not a folder", encoding="utf-8")
    index = tmp_path / "bestand" / "index"
    done = _cli("ingest", env=_env(corpus, index))
    assert done.returncode == 2 and done.stdout == ""
    _one_line(done.stderr, f"the index folder {index} is not writable (Not a directory)")


def test_a_read_only_corpus_folder_reports_a_bomb_without_moving_it(fresh, cli_main):
    """CI's shared corpus folder has no write bits: the bomb is reported each time, never a crash."""
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _notes(corpus)
    _padded_docx(corpus / "bom.docx", 60 * 1024 * 1024)
    where = ["--corpus", str(corpus), "--index", str(assistant.config.index_dir), "--llm", "none"]
    with _read_only(corpus):
        for _ in range(2):
            code, out, err = cli_main("ingest", "--json", *where)
            assert code == 0 and "Traceback" not in err, err
            report = json.loads(out)
            (failure,) = report["failed"]
            assert failure["source"] == "bom.docx" and failure["moved_to"] is None
            assert "could not be moved to .failed/ (" in failure["error"]
            assert report["documents"] == 2 and (corpus / "bom.docx").is_file()


# -- 3. an empty or garbled index -------------------------------------------------------------------------

def test_a_garbled_current_file_reads_as_damaged_and_ingest_rebuilds_it(fresh, cli_main, capsys):
    assistant = fresh()
    _notes(assistant.config.corpus_dir)
    assistant.ingest()
    pointer = Path(assistant.config.index_dir) / IndexVersions.POINTER
    pointer.write_bytes(b"\xff\xfev-\x80\x81 garbage\n")  # not UTF-8: what a disk fault can leave

    with pytest.raises(StoreError, match="damaged or unreadable.*run 'mdt-assistent ingest' to rebuild it"):
        fresh().retrieve(QUESTION)
    where = ["--corpus", str(assistant.config.corpus_dir), "--index", str(assistant.config.index_dir), "--llm", "none"]
    code, out, err = cli_main("ask", QUESTION, "--json", *where)
    assert code == 1 and out == ""
    _one_line(err, "is damaged or unreadable", "run 'mdt-assistent ingest' to rebuild it")

    code, out, err = cli_main("ingest", "--json", *where)
    assert code == 0, err
    report = json.loads(out)
    assert "CURRENT" in report["repaired"] and sorted(report["added"]) == sorted(NOTES)
    assert IndexVersions(assistant.config.index_dir).current() is not None
    assert fresh().retrieve(QUESTION, k=1)[0].source == "overleg-almelo.md"
    assert fresh().ingest().unchanged == sorted(NOTES)


# -- 4. bad settings on the command line -------------------------------------------------------------------

def test_bad_settings_exit_2_with_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    env = _env(corpus, tmp_path / "index")
    for port in ("99999", "-5", "0", "abc"):
        done = _cli("serve", "--port", port, env=env)
        assert done.returncode == 2 and done.stdout == ""
        _one_line(done.stderr, f"--port must be a number from 1 to 65535, not {port}")
    done = _cli("ask", QUESTION, "--embedding", "st:/nope", env=env)
    assert done.returncode == 2 and done.stdout == ""
    _one_line(done.stderr, "no such embedding model '/nope'")
    for url in ("http://127.0.0.1:abc", "http://127.0.0.1:70000", "ftp://127.0.0.1:8000"):
        done = _cli("retrieve", QUESTION, "--json", "--chroma-url", url, env=env)
        assert done.returncode == 2 and done.stdout == ""
        _one_line(done.stderr, f"the Chroma server address {url}", "http://host:port")
    done = _cli("ingest", env={**env, "MDT_CHROMA_URL": "http://127.0.0.1:abc"})
    assert done.returncode == 2
    _one_line(done.stderr, "the Chroma server address http://127.0.0.1:abc")


@pytest.mark.slow
def test_an_embedding_model_name_that_is_nowhere_exits_2(tmp_path):
    """A name (not a folder) goes to sentence-transformers, which finds it neither on disk nor in the
    cache (downloads are off): its error becomes the plain message (imports torch: ~20 s)."""
    pytest.importorskip("sentence_transformers")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _notes(corpus)
    done = _cli("ask", QUESTION, "--embedding", "st:geen-bestaand-model-xyz", env=_env(corpus, tmp_path / "index"))
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1].startswith("mdt-assistent: no such embedding model 'geen-bestaand-model-xyz'")


def test_chat_json_prints_only_json_on_stdout(fresh, tmp_path):
    assistant = fresh()
    _notes(assistant.config.corpus_dir)
    assistant.ingest()
    env = _env(assistant.config.corpus_dir, assistant.config.index_dir)
    done = _cli("chat", "--json", env=env, input="")  # at once end of input: nothing at all on stdout
    assert done.returncode == 0 and done.stdout == "" and "> " in done.stderr, (done.stdout, done.stderr)

    done = _cli("chat", "--json", env=env, input=f"{QUESTION}\n\n/nieuw\nEn in Hengelo?\n/stop\n")
    assert done.returncode == 0, done.stderr
    decoder, text, documents = json.JSONDecoder(), done.stdout, []
    at = 0
    while text[at:].strip():
        at += len(text[at:]) - len(text[at:].lstrip())
        document, at = decoder.raw_decode(text, at)
        documents.append(document)
    assert len(documents) == 2 and documents[0]["citations"][0]["source"] == "overleg-almelo.md"
    assert done.stderr.count("> ") == 5
