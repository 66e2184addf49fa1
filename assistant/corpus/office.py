"""PowerPoint (.pptx) and Word (.docx) files: slides, or one page of paragraphs and table rows.

Both are ZIP packages, checked before they are opened (by readers.read_document); here the slides,
paragraphs and table cells are counted in the XML before any text is gathered, against the limits
the budget carries, and the time budget is checked between slides, paragraphs and table rows.
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..errors import UnreadableDocument

if TYPE_CHECKING:
    from .readers import ReadBudget

PACKAGE_NAMES = {"pptx": "PowerPoint file", "docx": "Word file"}


def not_readable(kind: str) -> UnreadableDocument:
    """The error for a .pptx or .docx that cannot be read."""
    return UnreadableDocument(f"not a readable {PACKAGE_NAMES[kind]} (damaged, or not a .{kind})")


def _shape_texts(shapes):
    for shape in shapes:
        if shape.shape_type == 6 or hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes)
            continue
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            yield shape.text_frame.text
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                yield " | ".join(cell.text for cell in row.cells)


class _Counter:
    """Paragraphs and table cells read so far, against the budget's limits (readers.MAX_PARAGRAPHS, MAX_TABLE_CELLS)."""

    def __init__(self, budget: ReadBudget):
        self.budget = budget
        self.paragraphs = self.cells = 0

    def add(self, paragraphs: int, cells: int) -> None:
        self.paragraphs += paragraphs
        self.cells += cells
        self.budget.at_most(self.paragraphs, self.budget.max_paragraphs, "paragraphs")
        self.budget.at_most(self.cells, self.budget.max_table_cells, "table cells")


def read_pptx(data: bytes, budget: ReadBudget):
    """(title, [(slide number, text)]) of a deck: the text of its shapes and tables, and its notes."""
    try:
        from pptx import Presentation
        from pptx.oxml.ns import qn

        deck = Presentation(io.BytesIO(data))
        budget.at_most(len(deck.slides), budget.max_pages, "slides")
        counted, pages = _Counter(budget), []
        for number, slide in enumerate(deck.slides, start=1):
            budget.check()
            xml = [slide.element] + ([slide.notes_slide.element] if slide.has_notes_slide else [])
            # Counted in the XML before any text is gathered: the text of a shape is cheap, a million are not.
            counted.add(sum(1 for part in xml for _ in part.iter(qn("a:p"))),
                        sum(1 for part in xml for _ in part.iter(qn("a:tc"))))
            parts = list(_shape_texts(slide.shapes))
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                notes = slide.notes_slide.notes_text_frame.text.strip()
                if notes:
                    parts.append(notes)
            pages.append((number, "\n".join(parts)))
        title = deck.core_properties.title or ""
        if not title and deck.slides:
            first = deck.slides[0].shapes.title
            title = first.text if first is not None else ""
    except UnreadableDocument:
        raise
    except Exception:
        raise not_readable("pptx") from None
    return title, pages


_HEADING_STYLES = ("heading", "title", "kop")


def read_docx(data: bytes, budget: ReadBudget):
    """(title, [(None, text, heading)]) of a Word file: its sections (a heading-styled paragraph starts
    one), their paragraphs and table rows each ending a sentence."""
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        # Counted in the XML first (cheap), so a document past the limits is refused before it is read.
        _Counter(budget).add(sum(1 for _ in body.iter(qn("w:p"))), sum(tc.grid_span for tc in body.iter(qn("w:tc"))))
        sections: list[tuple[str, list[str]]] = [("", [])]  # (heading, its paragraphs and rows)
        style_names: dict = {}
        for block in body.iterchildren():
            budget.check()
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(block, document)
                # Looking a style up costs ~1.5 ms (95% of reading 70,000 paragraphs): only a paragraph
                # that names one is looked up, each style once.
                style_id = block.style
                if style_id is not None:
                    if style_id not in style_names:
                        style = paragraph.style
                        style_names[style_id] = (style.name or "").lower() if style is not None else ""
                    if style_names[style_id].startswith(_HEADING_STYLES) and paragraph.text.strip():
                        sections.append((paragraph.text.strip(), []))  # a heading starts a section
                        continue
                sections[-1][1].append(paragraph.text)
            elif tag == "tbl":
                for row in Table(block, document).rows:
                    budget.check()
                    cells = []
                    for cell in row.cells:
                        if cell.text not in cells:  # merged cells repeat their text
                            cells.append(cell.text)
                    sections[-1][1].append(" | ".join(cells))
        headings = [heading for heading, _ in sections if heading]
        title = document.core_properties.title or (headings[0] if headings else "")
    except UnreadableDocument:
        raise
    except Exception:
        raise not_readable("docx") from None
    # Punctuate paragraph ends so that sentences do not run into each other.
    return title, [(None, "\n".join(_end_sentence(line) for line in lines if line.strip()), heading)
                   for heading, lines in sections if heading or any(line.strip() for line in lines)]


def _end_sentence(line: str) -> str:
    line = line.strip()
    return line if line[-1:] in ".!?:;" else line + "."
