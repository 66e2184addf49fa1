"""Scanned PDFs: pages that are pictures of text are read by Tesseract OCR (real Tesseract, real PDFs
made of page images of the corpus's own pages), cached by page image, reported where OCR cannot run."""
from __future__ import annotations

import json
import shutil
import stat

import pytest
from PIL import Image

from assistant.config import ROOT
from assistant.corpus.ocr import PageOCR, join_broken_lines
from assistant.corpus.readers import read_document
from assistant.errors import UnreadableDocument
from assistant.evaluation.reading import word_key
from helpers import cli_env, run_cli

from conftest import make_pdf

SOURCE = ROOT / "corpus" / "samenwerken-met-gemeenten.pdf"
HAS_TESSERACT = PageOCR().missing() is None
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="Tesseract with nld and eng is not installed")


def page_image(number: int, dpi: int = 150) -> Image.Image:
    """Page `number` (1-based) of the corpus's 'Samenwerken met gemeenten', as a scanner would give it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(SOURCE))
    try:
        return document[number - 1].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()


def scanned_pdf(path, images: list[Image.Image]):
    """A PDF of page images only: no text layer at all."""
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


def corpus_page_text(number: int) -> str:
    import pypdf

    return word_key(pypdf.PdfReader(str(SOURCE)).pages[number - 1].extract_text())


@needs_tesseract
def test_a_scanned_pdf_is_answerable_and_the_quote_is_on_the_cited_page(tmp_path):
    # pages 4, 5 and 6 of the guide as scans: the answer to the small-municipality question is on page 5,
    # which is page 2 of the scan
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    scanned_pdf(corpus / "scan.pdf", [page_image(4), page_image(5), page_image(6)])

    done = run_cli("ingest", env=cli_env(corpus, index))
    assert done.returncode == 0, done.stderr
    assert "read by OCR: scan.pdf: pages 1, 2, 3" in done.stdout
    for page in (1, 2, 3):  # progress per page, on stderr
        assert f"OCR scan.pdf: page {page} ({page} of 3)" in done.stderr

    asked = run_cli("ask", "--json", "Hoe benader ik een kleine gemeente?", env=cli_env(corpus, index))
    answer = json.loads(asked.stdout)
    assert not answer["abstained"]
    assert "brede portefeuilles" in answer["answer"]
    first = answer["citations"][0]
    assert first["source"] == "scan.pdf" and first["page"] == 2
    # what is quoted is on the original of the cited page, word for word
    assert word_key(first["quote"].replace(" … ", " ")) in corpus_page_text(5)


@needs_tesseract
def test_a_page_scanned_sideways_is_turned_upright_and_read(tmp_path):
    sideways = page_image(5).rotate(90, expand=True, fillcolor=255)
    path = scanned_pdf(tmp_path / "sideways.pdf", [sideways])
    document = read_document(path, ocr=PageOCR())
    assert document.ocr_pages == [1]
    assert "brede portefeuilles" in document.pages[0].text
    assert "Kleine gemeenten hebben vaak beleidsmedewerkers" in document.pages[0].text


@needs_tesseract
def test_ocr_reads_a_page_once_and_only_pages_without_text(tmp_path):
    # a wrapper that counts the real Tesseract's runs
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "tesseract"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("tesseract")} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    cache = tmp_path / "cache"

    # one page with a text layer (never OCR'd) beside one scanned page
    mixed = tmp_path / "mixed.pdf"
    text_page = make_pdf(tmp_path / "text.pdf", ["Een pagina met een tekstlaag over jongeren en gemeenten."])
    scanned_pdf(tmp_path / "scan.pdf", [page_image(5)])
    import pypdf

    writer = pypdf.PdfWriter()
    writer.append(str(text_page))
    writer.append(str(tmp_path / "scan.pdf"))
    writer.write(str(mixed))

    first = read_document(mixed, ocr=PageOCR(cache_dir=cache, binary=str(wrapper)))
    assert first.ocr_pages == [2] and "brede portefeuilles" in first.pages[1].text
    runs = [line for line in log.read_text().splitlines() if "--list-langs" not in line]
    assert len(runs) == 2  # orientation, then the text of page 2 only

    # the same page in another file: read from the cache, Tesseract not run again
    again = read_document(scanned_pdf(tmp_path / "again.pdf", [page_image(5)]),
                          ocr=PageOCR(cache_dir=cache, binary=str(wrapper)))
    assert again.pages[0].text == first.pages[1].text
    assert len([line for line in log.read_text().splitlines() if "--list-langs" not in line]) == 2


def test_without_tesseract_a_scan_is_reported_with_what_to_install(tmp_path):
    missing = PageOCR(binary=str(tmp_path / "no-tesseract-here"))
    scan = scanned_pdf(tmp_path / "scan.pdf", [page_image(5, dpi=60)])
    with pytest.raises(UnreadableDocument) as refused:
        read_document(scan, ocr=missing)
    assert "pictures" in str(refused.value)
    assert "apt-get install tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng" in str(refused.value)

    # beside a page with text: that page is read, the scanned one reported by number
    import pypdf

    mixed = tmp_path / "mixed.pdf"
    writer = pypdf.PdfWriter()
    writer.append(str(make_pdf(tmp_path / "text.pdf", ["Een pagina met een tekstlaag over jongeren en gemeenten."])))
    writer.append(str(scan))
    writer.write(str(mixed))
    document = read_document(mixed, ocr=missing)
    assert [page.number for page in document.pages] == [1]
    assert document.problems and document.problems[0][0] == 2
    assert "Tesseract OCR is not installed" in document.problems[0][1]


def test_ocr_line_breaks_are_joined_where_a_sentence_runs_on():
    read = "Een vertegenwoordiger kan iemand zijn.\nHoe\n\nneutraler, hoe beter.\n\nNieuwe alinea."
    assert join_broken_lines(read) == "Een vertegenwoordiger kan iemand zijn.\nHoe\nneutraler, hoe beter.\n\nNieuwe alinea."


@needs_tesseract
def test_ingest_json_names_the_pages_read_by_ocr(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    make_pdf(corpus / "text.pdf", ["Een pagina met een tekstlaag over jongeren en gemeenten."])
    scanned_pdf(corpus / "scan.pdf", [page_image(5)])
    done = run_cli("ingest", "--json", env=cli_env(corpus, index))
    report = json.loads(done.stdout)  # nothing but JSON on stdout, no progress lines on stderr either
    assert report["ocr_pages"] == [{"source": "scan.pdf", "pages": [1]}]
    assert report["skipped_pages"] == [] and sorted(report["added"]) == ["scan.pdf", "text.pdf"]
    assert "OCR" not in done.stderr


@needs_tesseract
def test_the_app_shows_which_page_ocr_is_reading(tmp_path):
    import time

    from assistant.web.render import index_status_html
    from helpers import RunningApp

    app = RunningApp(tmp_path)
    app.corpus.mkdir(parents=True)
    scanned_pdf(app.corpus / "scan.pdf", [page_image(4), page_image(5), page_image(6)])
    app.start()
    try:
        seen = set()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            status = app.status()
            ocr = (status["progress"] or {}).get("ocr")
            if ocr:
                assert status["progress"]["source"] == "scan.pdf" and ocr["of"] == 3
                seen.add(ocr["page"])
            if status["ready"] and not status["indexing"]:
                break
            time.sleep(0.2)
        assert seen and seen <= {1, 2, 3}, status  # pages take seconds each: at least one is seen being read
        assert status["documents"] == 1 and not status["failed"]
        assert "OCR scan.pdf: page 3 (3 of 3)" in app.log_tail()
    finally:
        app.stop()
    # the banner above the tabs says it in the page's language
    banner = index_status_html(True, (1, 2, "scan.pdf", ("ocr", 6, 12, 7)), None, "nl")
    assert "Documenten indexeren: 1 van 2 — scan.pdf — tekst herkennen (OCR), pagina 7: 7 van 12" in banner
