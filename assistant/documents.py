"""Reading: files in the corpus folder become documents of numbered pages (or slides) of clean text."""
from __future__ import annotations

import errno
import hashlib
import io
import logging
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .text import clean_page, furniture_lines, normalise, strip_furniture

SUPPORTED = {".pdf": "pdf", ".pptx": "pptx", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # a .pptx/.docx that unpacks to more is refused (a zip bomb)
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


def _open_checked(path: Path, root: Path | None):
    """Open a corpus file for reading, or raise UnreadableDocument / OSError.

    The file is opened without following a symlink in its last component, must be a regular file
    (a FIFO or device would block or never end), and, given the corpus root, must really lie inside
    it: the check is made on the open file itself, so a link swapped in after listing cannot lead
    outside. Empty and oversized files are refused by size, before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableDocument("a link, not a file in the corpus folder") from None
        raise
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableDocument("not a regular file")
        if root is not None:
            try:
                real = Path(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                real = Path(os.path.realpath(path))
            if not real.is_relative_to(Path(root).resolve()):
                raise UnreadableDocument("outside the corpus folder")
        if status.st_size == 0:
            raise UnreadableDocument("empty file")
        if status.st_size > MAX_FILE_BYTES:
            raise UnreadableDocument(f"file too large ({status.st_size // (1024 * 1024)} MB; "
                                     f"the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def file_hash(path: Path, root: Path | None = None) -> str:
    """SHA-256 of a corpus file (see _open_checked for what is refused before reading)."""
    digest = hashlib.sha256()
    with _open_checked(Path(path), root) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    with _open_checked(Path(path), root) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise UnreadableDocument(f"file too large (the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    return data


def printable_name(name: str) -> str:
    """A file name fit to show and store: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def scan_corpus(corpus_dir: Path) -> tuple[dict[str, Path], list[dict]]:
    """Candidate files under the corpus folder by source name, and the files refused by name.

    Hidden files and folders and README.md are skipped; symlinks are followed only to files inside
    the corpus folder (linked folders are not entered). Source names are NFC-normalised, so a name
    typed on another system matches; a name that is not valid UTF-8 is refused with a reason.
    """
    root = Path(corpus_dir).resolve()
    found: dict[str, Path] = {}
    refused: list[dict] = []
    if not root.is_dir():
        return found, refused
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in list(dirs):
            path = Path(folder) / name
            if path.is_symlink():  # never entered; one leading out is worth a word
                dirs.remove(name)
                if not _inside(path, root):
                    refused.append({"source": _source_name(path, root),
                                    "error": "a link to a folder outside the corpus folder; not indexed"})
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or name.lower() == "readme.md":
                continue
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a broken link, or a link loop
            if not real.is_relative_to(root):
                refused.append({"source": _source_name(path, root),
                                "error": "a link to a file outside the corpus folder; not indexed (copy the file in)"})
                continue
            if not real.is_file():
                continue  # a FIFO, socket or device: nothing to read
            try:
                path.relative_to(root).as_posix().encode("utf-8")
            except UnicodeEncodeError:
                refused.append({"source": _source_name(path, root),
                                "error": "the file name is not valid UTF-8; rename the file"})
                continue
            found.setdefault(_source_name(path, root), real)
    return dict(sorted(found.items())), refused


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):
        return True  # broken: leads nowhere, so not outside


def _source_name(path: Path, root: Path) -> str:
    return unicodedata.normalize("NFC", printable_name(path.relative_to(root).as_posix()))


def list_corpus(corpus_dir: Path) -> dict[str, Path]:
    """Every candidate file under the corpus folder by source name; links leading outside it are skipped."""
    return scan_corpus(corpus_dir)[0]


def title_from_filename(path: Path) -> str:
    name = re.sub(r"[-_]+", " ", path.stem).strip()
    return name[:1].upper() + name[1:] if name else path.name


def read_document(path: Path, source: str | None = None, root: Path | None = None) -> Document:
    """Read one file; raise UnreadableDocument with a plain reason when it cannot be indexed.

    Given `root` (the corpus folder), a file that is not really inside it is refused."""
    path = Path(path)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        raise UnreadableDocument(f"unsupported file type '{path.suffix or path.name}' (use PDF, PPTX, DOCX, MD or TXT)")
    try:
        data = read_bytes(path, root)
    except OSError as error:
        raise UnreadableDocument(f"cannot be read ({error.strerror or error})") from None
    if kind in ("pptx", "docx"):
        _check_package(data, kind)
    reader = {"pdf": _read_pdf, "pptx": _read_pptx, "docx": _read_docx, "md": _read_text, "txt": _read_text}[kind]
    title, raw_pages = reader(data)
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
        sha256=hashlib.sha256(data).hexdigest(),
    )


_PACKAGE_NAMES = {"pptx": "PowerPoint file (damaged, or not a .pptx)", "docx": "Word file (damaged, or not a .docx)"}


def _check_package(data: bytes, kind: str) -> None:
    """Office files are ZIP packages: refuse one that is no ZIP, or that would unpack to far too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(item.file_size for item in package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableDocument(f"not a readable {_PACKAGE_NAMES[kind]}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(f"not a readable {_PACKAGE_NAMES[kind]}: it would unpack to "
                                 f"{unpacked // (1024 * 1024)} MB")


def _first_heading(raw_pages) -> str:
    for _, text in raw_pages:
        for line in text.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# ").strip()
    return ""


def _read_pdf(data: bytes):
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


def _read_pptx(data: bytes):
    try:
        from pptx import Presentation

        deck = Presentation(io.BytesIO(data))
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


def _read_docx(data: bytes):
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
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


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))


def _read_text(data: bytes):
    encodings = next(([encoding] for bom, encoding in _BOMS if data.startswith(bom)), None)
    if encodings is None:
        if b"\x00" in data:  # no text encoding without a byte-order mark has NUL bytes
            raise UnreadableDocument("binary data, not text")
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableDocument("binary data or text in an unknown encoding (save it as UTF-8)")
    if "\x00" in text or sum(not (c.isprintable() or c.isspace()) for c in text) > 0.01 * len(text):
        raise UnreadableDocument("binary data, not text")
    return "", [(None, text)]
