"""PDF files (pypdf): numbered pages of text, within the page limit and the time budget."""
from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from ..errors import UnreadableDocument

if TYPE_CHECKING:
    from .readers import ReadBudget

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, as a failure


def read_pdf(data: bytes, budget: ReadBudget):
    """(title, [(page number, text)]) of a PDF; UnreadableDocument or DocumentOverLimit when it cannot be read.

    What can be saved is saved: damaged metadata gives no title (the file name stands in), and a page
    that cannot be read is noted in `budget.problems` while the other pages are read."""
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
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            budget.check()
            try:
                pages.append((number, page.extract_text() or ""))
            except Exception as error:  # one damaged page: the others are still worth reading
                budget.problems.append((number, f"page {number} could not be read ({type(error).__name__})"))
    except UnreadableDocument:
        raise
    except Exception:  # pypdf raises many kinds of error on damaged files
        raise UnreadableDocument("not a readable PDF (damaged, or not a PDF at all)") from None
    if not pages and budget.problems:
        raise UnreadableDocument("not a readable PDF: no page could be read")
    try:
        title = (reader.metadata or {}).get("/Title") or ""
    except Exception:  # damaged document information: the pages are fine, the file name serves as title
        title = ""
    return str(title), pages
