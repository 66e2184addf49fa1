"""Reading: files in the corpus folder become documents of numbered pages (or slides) of clean text."""
from __future__ import annotations

import hashlib
import re
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .text import clean_page, furniture_lines, normalise, strip_furniture

SUPPORTED = {".pdf": "pdf", ".pptx": "pptx", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}
MAX_FILE_BYTES = 100 * 1024 * 1024
logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported once, as a failure


class UnreadableDocument(Exception):
    """A document that cannot be indexed; the message is the plain reason shown to the user."""


@dataclass
class Page:
    number: int | None  # 1-based page or slide; None where the format has no pages
    text: str


@dataclass
class Document:
    source: str  # path relative to the corpus folder, '/'-separated
    title: str
    kind: str
    pages: list[Page] = field(default_factory=list)
    sha256: str = ""

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_corpus(corpus_dir: Path) -> dict[str, Path]:
    """Every candidate file under the corpus folder by source name; links leading outside it are skipped."""
    root = corpus_dir.resolve()
    found: dict[str, Path] = {}
    if not root.is_dir():
        return found
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or path.name.lower() == "readme.md":
            continue
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if not real.is_relative_to(root) or not real.is_file():
            continue
        found[relative.as_posix()] = real
    return found


def title_from_filename(path: Path) -> str:
    name = re.sub(r"[-_]+", " ", path.stem).strip()
    return name[:1].upper() + name[1:] if name else path.name


def read_document(path: Path, source: str | None = None) -> Document:
    """Read one file; raise UnreadableDocument with a plain reason when it cannot be indexed."""
    path = Path(path)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise UnreadableDocument(f"unsupported file type '{path.suffix or path.name}' (use PDF, PPTX, DOCX, MD or TXT)")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableDocument("empty file")
    if size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"file too large ({size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    reader = {"pdf": _read_pdf, "pptx": _read_pptx, "docx": _read_docx, "md": _read_text, "txt": _read_text}[kind]
    title, raw_pages = reader(path)
    furniture = furniture_lines([text for _, text in raw_pages]) if kind in ("pdf", "pptx") else set()
    pages = [Page(number, clean_page(strip_furniture(text, furniture))) for number, text in raw_pages]
    pages = [page for page in pages if page.text]
    if not pages:
        raise UnreadableDocument("no text found (a scanned or image-only document?)")
    if not title:
        title = _first_heading(raw_pages) if kind == "md" else ""
    return Document(
        source=source or path.name,
        title=normalise(title) or title_from_filename(path),
        kind=kind,
        pages=pages,
        sha256=file_hash(path),
    )


def _first_heading(raw_pages) -> str:
    for _, text in raw_pages:
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# ").strip()
    return ""


def _read_pdf(path: Path):
    import pypdf

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except Exception:
                unlocked = 0
            if not unlocked:
                raise UnreadableDocument("encrypted PDF (password protected); save an unprotected copy")
        pages = [(number, page.extract_text() or "") for number, page in enumerate(reader.pages, start=1)]
        title = (reader.metadata or {}).get("/Title") or ""
    except UnreadableDocument:
        raise
    except Exception:  # pypdf raises many kinds of error on damaged files
        raise UnreadableDocument("not a readable PDF (damaged, or not a PDF at all)") from None
    return str(title), pages


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


def _read_pptx(path: Path):
    try:
        from pptx import Presentation

        deck = Presentation(str(path))
        pages = []
        for number, slide in enumerate(deck.slides, start=1):
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
    except Exception:
        raise UnreadableDocument("not a readable PowerPoint file (damaged, or not a .pptx)") from None
    return title, pages


def _read_docx(path: Path):
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
        lines, heading = [], ""
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                paragraph = Paragraph(block, document)
                if not heading and paragraph.style is not None and paragraph.style.name.lower().startswith(("heading", "title", "kop")):
                    heading = paragraph.text
                lines.append(paragraph.text)
            elif tag == "tbl":
                for row in Table(block, document).rows:
                    cells = []
                    for cell in row.cells:
                        if cell.text not in cells:  # merged cells repeat their text
                            cells.append(cell.text)
                    lines.append(" | ".join(cells))
        title = document.core_properties.title or heading
    except Exception:
        raise UnreadableDocument("not a readable Word file (damaged, or not a .docx)") from None
    # Punctuate paragraph ends so that sentences do not run into each other.
    text = "\n".join(_end_sentence(line) for line in lines if line.strip())
    return title, [(None, text)]


def _end_sentence(line: str) -> str:
    line = line.strip()
    return line if line[-1:] in ".!?:;" else line + "."


def _read_text(path: Path):
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableDocument("text in an unknown encoding (save it as UTF-8)")
    if "\x00" in text or sum(not (c.isprintable() or c.isspace()) for c in text) > 0.01 * len(text):
        raise UnreadableDocument("binary data, not text")
    return "", [(None, text)]
