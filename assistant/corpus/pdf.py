"""PDF files (pypdf): numbered pages of text, within the page limit and the time budget; pages that
are pictures without a text layer are read by OCR (ocr.py) where it is given and can run."""
from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from ..errors import UnreadableDocument

if TYPE_CHECKING:
    from .ocr import PageOCR
    from .readers import ReadBudget

# Fewer letters than this on a page that shows a picture: a scan, read by OCR.
MIN_LETTERS = 20
OCR_PAGE_SECONDS = 60.0  # what OCR of one page adds to the document's reading time

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, as a failure


def read_pdf(data: bytes, budget: ReadBudget, ocr: PageOCR | None = None):
    """(title, [(page number, text)]) of a PDF; UnreadableDocument or DocumentOverLimit when it cannot be read.

    What can be saved is saved: damaged metadata gives no title (the file name stands in), and a page
    that cannot be read is noted in `budget.problems` while the other pages are read. A page with a
    picture and (almost) no text is read by `ocr`; where OCR cannot run, that is noted as the page's problem."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception:
                unlocked = 0
            if not unlocked:
                raise UnreadableDocument("encrypted PDF (password protected); save an unprotected copy")
        budget.at_most(len(reader.pages), budget.max_pages, "pages")
        pages, pictures = [], []
        for number, page in enumerate(reader.pages, start=1):
            budget.check()
            try:
                pages.append((number, page.extract_text() or ""))
            except Exception as error:  # one damaged page: the others are still worth reading
                budget.problems.append((number, f"page {number} could not be read ({type(error).__name__})"))
                continue
            if sum(ch.isalpha() for ch in pages[-1][1]) < MIN_LETTERS and _shows_picture(page):
                pictures.append(number)
    except UnreadableDocument:
        raise
    except Exception:  # pypdf raises many kinds of error on damaged files
        raise UnreadableDocument("not a readable PDF (damaged, or not a PDF at all)") from None
    if pictures:
        pages = _read_pictures(data, pages, pictures, budget, ocr)
    if not pages and budget.problems:
        raise UnreadableDocument("not a readable PDF: no page could be read")
    try:
        title = (reader.metadata or {}).get("/Title") or ""
    except Exception:  # damaged document information: the pages are fine, the file name serves as title
        title = ""
    return str(title), pages


def _shows_picture(page) -> bool:
    """The page draws an image (directly or inside a form): a scan or a picture of text."""
    try:
        return _has_image(page.get("/Resources"), depth=0)
    except Exception:
        return True  # resources too damaged to tell: let OCR look


def _has_image(resources, depth: int) -> bool:
    if resources is None or depth > 3:
        return False
    objects = resources.get_object().get("/XObject")
    for item in (objects.get_object().values() if objects is not None else []):
        item = item.get_object()
        if item.get("/Subtype") == "/Image":
            return True
        if item.get("/Subtype") == "/Form" and _has_image(item.get("/Resources"), depth + 1):
            return True
    return False


def _read_pictures(data: bytes, pages: list, pictures: list[int], budget: ReadBudget, ocr: PageOCR | None) -> list:
    """`pages` with the text OCR reads on the picture pages; what it cannot read is a problem of the page."""
    cannot = "OCR is off" if ocr is None else ocr.missing()
    has_text = [n for n, text in pages if n not in pictures and text.strip()]
    if cannot and not has_text:
        raise UnreadableDocument(f"no text found: its pages are pictures (a scan?) and cannot be read here: {cannot}")
    if cannot:
        budget.problems.extend((n, f"page {n} is a picture without text and was not read: {cannot}") for n in pictures)
        return pages
    budget.allow(OCR_PAGE_SECONDS * len(pictures))
    read = ocr.read_pages(data, pictures)
    texts = dict(pages)
    for number, result in read.items():
        if isinstance(result, Exception):
            budget.problems.append((number, f"page {number} is a picture without text; OCR failed: {result}"))
        elif result.strip():
            texts[number] = result
            budget.ocr_pages.append(number)
    if not has_text and not budget.ocr_pages:
        failures = [str(result) for result in read.values() if isinstance(result, Exception)]
        why = f"failed: {failures[0]}" if failures else "found no writing on them"
        raise UnreadableDocument(f"no text found: its pages are pictures and OCR {why}")
    return sorted(texts.items())
