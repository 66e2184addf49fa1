"""Shared fixtures: real files made on the fly, a real Chroma store on disk, the real e5 model."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.config import ROOT, Config  # noqa: E402
from assistant.core import Assistant  # noqa: E402

BUNDLED_CORPUS = ROOT / "corpus"


def make_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    """A real PDF, one string per page; explicit newlines become line breaks in the PDF."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        for line in text.split("\n"):
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def make_pptx(path: Path, slides: list[tuple[str, str, str]], title: str | None = None) -> Path:
    """Slides of (title, body, notes)."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    if title:
        deck.core_properties.title = title
    for slide_title, body, notes in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = slide_title
        slide.placeholders[1].text = body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    table_slide = deck.slides.add_slide(deck.slide_layouts[5])
    table_slide.shapes.title.text = "Overzicht"
    table = table_slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1.5)).table
    for (r, c), value in {(0, 0): "Regio", (0, 1): "Facilitator", (1, 0): "Twente", (1, 1): "Marloes Vinkenborg"}.items():
        table.cell(r, c).text = value
    deck.save(str(path))
    return path


def make_docx(path: Path, heading: str, paragraphs: list[str], table: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = ""
    document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    grid = document.add_table(rows=len(table), cols=len(table[0]))
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    document.save(str(path))
    return path


@pytest.fixture(scope="session")
def embedding():
    from assistant.embeddings import load_embedding

    return load_embedding("e5-small")


@pytest.fixture(scope="session")
def bundled(tmp_path_factory, embedding) -> Assistant:
    """The assistant over a copy of the bundled corpus, indexed once per test session."""
    base = tmp_path_factory.mktemp("bundled")
    corpus = base / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus, ignore=shutil.ignore_patterns("README.md"))
    assistant = Assistant(Config.from_env(corpus_dir=corpus, index_dir=base / "index", chroma_url="", llm="none"), embedding=embedding)
    report = assistant.ingest()
    assert not report.failed and report.documents == 5
    return assistant


@pytest.fixture
def fresh(tmp_path, embedding):
    """A factory for an assistant over an empty corpus folder of this test: the session's e5 model
    unless `model` gives another embedding model, `overrides` change the config."""
    def build(model=None, **overrides) -> Assistant:
        corpus = tmp_path / "corpus"
        corpus.mkdir(exist_ok=True)
        config = Config.from_env(corpus_dir=corpus, index_dir=tmp_path / "index", chroma_url="", llm="none")
        return Assistant(config.with_(**overrides) if overrides else config, embedding=model or embedding)
    return build
