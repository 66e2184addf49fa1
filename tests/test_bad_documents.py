"""Reliability (issue 7), bad documents: broken, encrypted, empty, oversized, binary and oddly named
files are reported and everything else is indexed; no path outside the corpus folder is ever read.
Real files, the real e5 model, a real Chroma store on disk."""
from __future__ import annotations

import os
import random
import struct
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest

from assistant import UnreadableDocument
from assistant.corpus.readers import file_hash, list_corpus, read_document, scan_corpus
from conftest import BUNDLED_CORPUS, make_pdf

ACCENTED = "Notulen overleg Café Zuid – één.md"
SECRET = "Het geheime wachtwoord van de kluis is zeeleeuw42."


def _bytes_read() -> int | None:
    """Bytes this process has read through read(2) (Linux), to prove a file was not read."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _encrypted_pdf(tmp: Path, target: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp / f"plain-{target.stem}.pdf", ["Vertrouwelijke afspraken over de subsidie van Enschede."])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="eigenaar")
    with open(target, "wb") as handle:
        writer.write(handle)
    plain.unlink()
    return target


def _zip_bomb_docx(target: Path) -> Path:
    """A small .docx whose directory claims 500 MB unpacked (what a zip bomb looks like to a reader)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>" * 100)
    data = bytearray(target.read_bytes())
    at = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, at + 24, 500 * 1024 * 1024)
    target.write_bytes(bytes(data))
    return target


def test_bad_documents_are_reported_and_everything_else_is_indexed(fresh, tmp_path):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    make_pdf(corpus / "goed.pdf", ["De regiocoördinator van Twente plant elk kwartaal een overleg.",
                                   "Het budget voor de jongerenwerker bedraagt 40.000 euro per jaar."], title="Goed")
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(4000))
    real = (BUNDLED_CORPUS / "samenwerken-met-gemeenten.pdf").read_bytes()
    (corpus / "half.pdf").write_bytes(real[: len(real) // 2])
    _encrypted_pdf(tmp_path, corpus / "geheim.pdf", user_password="wachtwoord")
    _encrypted_pdf(tmp_path, corpus / "alleen-eigenaar.pdf", user_password="")  # opens without a password
    (corpus / "leeg.pdf").write_bytes(b"")
    with zipfile.ZipFile(corpus / "presentatie.pptx", "w") as package:
        for n in range(3):
            package.writestr(f"rommel{n}.bin", random.Random(n).randbytes(2000))
    _zip_bomb_docx(corpus / "bom.docx")
    with open(corpus / "enorm.pdf", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    (corpus / "utf16.txt").write_bytes("Het jongerenwerk in Hengelo start in september met een nieuwe groep.".encode("utf-16"))
    (corpus / "ruis.txt").write_bytes(random.Random(2).randbytes(5000))
    (corpus / ACCENTED).write_text("# Notulen\nDe wethouder van Zuid wil een vervolgafspraak over het buurthuis "
                                   "en de jongeren die daar vrijwilligerswerk doen.", encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "Verslag één.md")  # as a Mac writes it
    (corpus / decomposed).write_text("Het verslag noemt de samenwerking met de bibliotheek in Oldenzaal.", encoding="utf-8")
    with open(os.fsencode(corpus) + b"/caf\xe9.md", "wb") as handle:  # a Latin-1 name: not UTF-8
        handle.write(b"Tekst achter een onleesbare naam.")
    (corpus / "tabel.xlsx").write_bytes(b"PK\x03\x04")
    os.mkfifo(corpus / "pijp.txt")  # would block a reader for ever

    started = time.perf_counter()
    report = assistant.ingest()
    assert time.perf_counter() - started < 120

    failed = {f["source"]: f["error"] for f in report.failed}
    assert sorted(report.added) == sorted(["goed.pdf", "alleen-eigenaar.pdf", "utf16.txt", ACCENTED, "Verslag één.md"])
    assert set(failed) == {"kapot.pdf", "half.pdf", "geheim.pdf", "leeg.pdf", "presentatie.pptx", "bom.docx",
                           "enorm.pdf", "ruis.txt", "caf\ufffd.md", "tabel.xlsx"}
    assert failed["kapot.pdf"].startswith("not a readable PDF")
    assert failed["half.pdf"].startswith("not a readable PDF")
    assert failed["geheim.pdf"].startswith("encrypted PDF")
    assert failed["leeg.pdf"] == "empty file"
    assert failed["presentatie.pptx"].startswith("not a readable PowerPoint file")
    assert "unpack to 500 MB" in failed["bom.docx"]
    assert failed["enorm.pdf"] == "file too large (200 MB; the limit is 100 MB)"
    assert failed["ruis.txt"] == "binary data, not text"
    assert "not valid UTF-8" in failed["caf\ufffd.md"]
    assert failed["tabel.xlsx"].startswith("unsupported file type")
    assert all("Traceback" not in reason and len(reason) < 200 for reason in failed.values())
    assert report.documents == 5

    found = assistant.retrieve("Wil de wethouder een vervolgafspraak over het buurthuis?", k=3)
    assert found[0].source == ACCENTED and found[0].title == "Notulen"
    answer = assistant.ask("Wil de wethouder van Zuid een vervolgafspraak over het buurthuis?")
    assert not answer.abstained and answer.citations[0].source == ACCENTED
    assert assistant.retrieve("Wanneer start het jongerenwerk in Hengelo?", k=1)[0].source == "utf16.txt"
    assert assistant.retrieve("samenwerking bibliotheek Oldenzaal", k=1)[0].source == "Verslag één.md"
    assert assistant.retrieve("subsidie Enschede vertrouwelijke afspraken", k=1)[0].source == "alleen-eigenaar.pdf"

    assert (corpus / ".failed" / "bom.docx").is_file(), "past a reading limit: set aside (issue 13)"

    again = assistant.ingest()  # nothing changed: the same failures but the one set aside, nothing re-read
    assert sorted(again.unchanged) == sorted(report.added) and not again.added
    assert {f["source"] for f in again.failed} == set(failed) - {"bom.docx"}


def _damaged_metadata_pdf(target: Path) -> Path:
    """A PDF whose pages are fine but whose document information is no dictionary (an array)."""
    import re

    make_pdf(target, ["De jongerenraad van Oosterzee adviseert de wethouder over het buurtbudget.",
                      "Het buurtbudget wordt elk voorjaar verdeeld."], title="Oude titel")
    data = target.read_bytes()
    info = int(re.search(rb"/Info (\d+) 0 R", data).group(1))
    damaged = re.sub(rb"(\n%d 0 obj\s*)<<.*?>>" % info, rb"\1[1 2 3]", data, count=1, flags=re.S)
    assert damaged != data
    target.write_bytes(damaged)
    return target


def test_a_pdf_with_damaged_metadata_is_read_by_its_pages(fresh):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    _damaged_metadata_pdf(corpus / "jongerenraad-oosterzee.pdf")
    document = read_document(corpus / "jongerenraad-oosterzee.pdf")
    assert document.title == "Jongerenraad oosterzee" and len(document.pages) == 2, "the file name as title"
    report = assistant.ingest()
    assert report.added == ["jongerenraad-oosterzee.pdf"] and not report.failed and not report.skipped_pages
    found = assistant.retrieve("Wie adviseert de wethouder over het buurtbudget in Oosterzee?", k=1)[0]
    assert found.source == "jongerenraad-oosterzee.pdf" and found.page == 1


def test_an_oversized_file_is_refused_without_reading_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    huge = corpus / "enorm.pdf"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    before, started = _bytes_read(), time.perf_counter()
    for attempt in (lambda: file_hash(huge, corpus), lambda: read_document(huge, root=corpus)):
        with pytest.raises(UnreadableDocument, match="file too large"):
            attempt()
    assert time.perf_counter() - started < 0.5
    if before is not None:
        assert _bytes_read() - before < 1024 * 1024, "the 200 MB file was read"


def test_no_path_outside_the_corpus_is_ever_read(fresh, tmp_path):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    outside = tmp_path / "buiten"
    outside.mkdir()
    (outside / "geheim.md").write_text(SECRET, encoding="utf-8")
    (outside / "map").mkdir()
    (outside / "map" / "notities.md").write_text(SECRET, encoding="utf-8")
    make_pdf(corpus / "goed.pdf", ["De regiocoördinator van Twente plant elk kwartaal een overleg."])
    (corpus / "link.md").symlink_to(outside / "geheim.md")  # a file link out
    (corpus / "relatief.md").symlink_to(Path("..") / "buiten" / "geheim.md")  # relative, still out
    (corpus / "maplink").symlink_to(outside / "map", target_is_directory=True)  # a folder link out
    (corpus / "kapot.md").symlink_to(corpus / "bestaat-niet.md")  # dangling
    crafted = ["%2e%2e%2f%2e%2e%2fgeheim.md", "map\\..\\..\\geheim.md", "-rf .md", "$(cat geheim.md).md"]
    for n, name in enumerate(crafted):  # names, nothing more
        (corpus / name).write_text(f"Gewone tekst nummer {n} over de sportvereniging.", encoding="utf-8")
    (corpus / ".verborgen.md").write_text(SECRET, encoding="utf-8")  # hidden files are skipped

    files, refused = scan_corpus(corpus)
    assert sorted(files) == sorted(["goed.pdf", *crafted])
    assert all(path.resolve().is_relative_to(corpus.resolve()) for path in files.values())
    assert {r["source"]: r["error"] for r in refused} == {
        "link.md": "a link to a file outside the corpus folder; not indexed (copy the file in)",
        "relatief.md": "a link to a file outside the corpus folder; not indexed (copy the file in)",
        "maplink": "a link to a folder outside the corpus folder; not indexed"}
    report = assistant.ingest()
    assert sorted(report.added) == sorted(files)
    assert sorted(f["source"] for f in report.failed) == ["link.md", "maplink", "relatief.md"]
    texts = " ".join(p.text for p in assistant.retrieve("geheime wachtwoord kluis zeeleeuw", k=10))
    assert "zeeleeuw42" not in texts

    # A link swapped in after the folder was listed is refused when the file is opened.
    listed = list_corpus(corpus)["goed.pdf"]
    moved = tmp_path / "goed-origineel.pdf"
    listed.rename(moved)
    listed.symlink_to(outside / "geheim.md")
    with pytest.raises(UnreadableDocument, match="link"):
        read_document(listed, root=corpus)
    with pytest.raises(UnreadableDocument, match="link"):
        file_hash(listed, root=corpus)
    # So is a folder on the way that became a link to the outside.
    sub = corpus / "sub"
    sub.mkdir()
    (sub / "notities.md").write_text("Binnen de corpusmap.", encoding="utf-8")
    listed = list_corpus(corpus)["sub/notities.md"]
    sub.rename(corpus / "sub-oud")
    sub.symlink_to(outside / "map", target_is_directory=True)
    with pytest.raises(UnreadableDocument, match="outside the corpus folder"):
        read_document(listed, root=corpus)
    # A file outside, named directly, is refused too.
    with pytest.raises(UnreadableDocument, match="outside the corpus folder"):
        read_document(outside / "geheim.md", root=corpus)


def test_a_file_that_failed_is_not_read_again_until_it_changes(fresh):
    assistant = fresh()
    corpus = assistant.config.corpus_dir
    make_pdf(corpus / "goed.pdf", ["Jongeren doen mee aan maatschappelijke diensttijd in hun eigen gemeente."])
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    (first,) = assistant.ingest().failed
    assert first["source"] == "kapot.pdf" and not first.get("not_retried")

    # the next ingest (another upload, say) reports it as before without reading it again
    again = assistant.ingest()
    assert again.failed == [{**first, "not_retried": True}] and again.added == []

    # a new version of the same name is read: here a good one, indexed, and no longer failed
    make_pdf(corpus / "kapot.pdf", ["Een hersteld document over de regiofacilitator en het RSV."])
    fixed = assistant.ingest()
    assert fixed.failed == [] and fixed.added == ["kapot.pdf"]

    # broken again, then removed from the folder: forgotten, nothing reported
    (corpus / "kapot.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    assert assistant.ingest().failed[0]["error"].endswith("the previous version stays indexed")
    (corpus / "kapot.pdf").unlink()
    gone = assistant.ingest()
    assert gone.failed == [] and gone.removed == ["kapot.pdf"]
    assert "kapot.pdf" not in (assistant.config.index_dir / "failed.json").read_text()
