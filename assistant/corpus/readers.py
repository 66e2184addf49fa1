"""Reading: files in the corpus folder become documents of numbered pages (or slides) of clean text.

Here: the corpus folder's files, the checks made before a byte is read, the reading limits and
`read_document`, which reads .md and .txt itself and hands PDF (pdf.py), PowerPoint and Word files
(office.py) to their readers with a ReadBudget.
"""
from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .markdown import inline_text, markdown_sections
from .ocr import PageOCR
from .office import PACKAGE_NAMES, not_readable, read_docx, read_pptx
from .pdf import read_pdf
from .text import clean_page, furniture_lines, normalise, strip_furniture
from ..errors import DocumentOverLimit, UnreadableDocument

SUPPORTED = {".pdf": "pdf", ".pptx": "pptx", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}
MAX_FILE_BYTES = 100 * 1024 * 1024
# What reading one document may cost. A probe's 1.2 MB .docx unpacking to 390 MB took 4.8 GB of
# memory, and a 48 KB one of 70,000 paragraphs 159 s: a document past any of these is refused
# (DocumentOverLimit) and set aside by ingest, so one upload cannot exhaust the server.
# A .pptx/.docx is a ZIP package, read whole into memory: its parts may unpack to at most this
# (pictures barely compress, so a real file unpacks to about its own size) ...
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# ... and its XML parts, parsed into trees of about ten times their size, to at most this (the XML
# of a 300-page Word file is ~10 MB).
MAX_UNPACKED_XML_BYTES = 50 * 1024 * 1024
# Office XML compresses 5-20 times; a part over a megabyte that compresses far better is padding.
MAX_COMPRESSION_RATIO = 100
MAX_PAGES = 2_000  # PDF pages or slides (the longest guidance document has ~60)
MAX_PARAGRAPHS = 20_000  # paragraphs of a .docx (a 300-page report has ~6,000) or of a deck's text
MAX_TABLE_CELLS = 20_000  # table cells of a .docx or a deck, merged cells counted per grid cell
MAX_READ_SECONDS = 120.0  # per document, checked between pages, slides, paragraphs and table rows
# Documents refused for a limit are moved here (a hidden folder of the corpus folder: never scanned).
FAILED_DIR = ".failed"


class ReadBudget:
    """What reading one document may cost: the limits above as they stand when reading starts, and
    the time, `check()`ed between pages, slides, paragraphs and table rows."""

    def __init__(self):
        self.problems: list[tuple[int | None, str]] = []  # (page, reason) of parts skipped while reading
        self.ocr_pages: list[int] = []  # pages whose text OCR read
        self.seconds = MAX_READ_SECONDS
        self.deadline = time.monotonic() + self.seconds
        self.max_pages, self.max_paragraphs, self.max_table_cells = MAX_PAGES, MAX_PARAGRAPHS, MAX_TABLE_CELLS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise DocumentOverLimit(f"reading took longer than {self.seconds:.0f} s (the limit per document); "
                                    "split the document or save it in a simpler form")

    def allow(self, seconds: float) -> None:
        """More time for work known to be slow (OCR of a page)."""
        self.deadline += seconds
        self.seconds += seconds

    @staticmethod
    def at_most(count: int, limit: int, what: str) -> None:
        if count > limit:
            raise DocumentOverLimit(f"too many {what} ({count:,}; the limit is {limit:,}); split the document")


@dataclass
class Page:
    number: int | None  # 1-based page or slide; None where the format has no pages
    text: str
    section: str = ""  # the heading this text stands under (markdown and Word; PDFs and decks have pages)


@dataclass
class Document:
    source: str  # path relative to the corpus folder, '/'-separated
    title: str
    kind: str
    pages: list[Page] = field(default_factory=list)
    sha256: str = ""
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # pages skipped, with the reason
    ocr_pages: list[int] = field(default_factory=list)  # pages read from their picture by OCR

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

    Hidden files and folders (FAILED_DIR among them) and README.md are skipped; symlinks are followed
    only to files inside the corpus folder (linked folders are not entered). Source names are
    NFC-normalised, so a name typed on another system matches; a name that is not valid UTF-8 is
    refused with a reason.
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


def read_document(path: Path, source: str | None = None, root: Path | None = None, ocr: PageOCR | None = None) -> Document:
    """Read one file; raise UnreadableDocument with a plain reason when it cannot be indexed.

    Given `root` (the corpus folder), a file that is not really inside it is refused. Given `ocr`, PDF
    pages that are pictures without text are read by it."""
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
    reader = {"pdf": partial(read_pdf, ocr=ocr), "pptx": read_pptx, "docx": read_docx, "md": _read_markdown,
              "txt": _read_text}[kind]
    budget = ReadBudget()
    title, raw_pages = reader(data, budget)  # (number, text) or, by sections, (None, text, heading)
    furniture = furniture_lines([part[1] for part in raw_pages]) if kind in ("pdf", "pptx") else set()
    pages = [Page(part[0], clean_page(strip_furniture(part[1], furniture)), *map(normalise, part[2:]))
             for part in raw_pages]
    pages = [page for page in pages if page.text]
    if not pages:
        raise UnreadableDocument("no text found (a scanned or image-only document?)")
    return Document(
        source=source or path.name,
        title=normalise(title) or title_from_filename(path),
        kind=kind,
        pages=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        problems=budget.problems,
        ocr_pages=budget.ocr_pages,
    )


def _check_package(data: bytes, kind: str) -> None:
    """Office files are ZIP packages: refuse one that is no ZIP, or that would unpack to far too much.

    Judged from the ZIP directory alone, before a byte is unpacked: zipfile never unpacks a member
    past the size the directory gives it (the CRC check fails), so the directory cannot understate."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise not_readable(kind) from None
    name = PACKAGE_NAMES[kind]
    unpacked = sum(item.file_size for item in members)
    xml = sum(item.file_size for item in members if item.filename.lower().endswith((".xml", ".rels")))
    for total, limit in ((unpacked, MAX_UNPACKED_BYTES), (xml, MAX_UNPACKED_XML_BYTES)):
        if total > limit:
            raise DocumentOverLimit(f"{name} too large to read: it would unpack to {total // (1024 * 1024)} MB "
                                    f"(the limit is {limit // (1024 * 1024)} MB)")
    for item in members:
        if item.file_size > 1024 * 1024 and item.file_size > MAX_COMPRESSION_RATIO * max(item.compress_size, 1):
            raise DocumentOverLimit(f"{name} refused: its part {printable_name(item.filename)[:60]} unpacks "
                                    f"{item.file_size // max(item.compress_size, 1):,} times its size (padding, "
                                    f"not text; the limit is {MAX_COMPRESSION_RATIO} times)")


def _read_markdown(data: bytes, budget: ReadBudget):
    """(title, [(None, text, heading)]): the sections of a markdown file as a reader sees them; the
    title is its first top-level heading (else its first heading)."""
    _, [(_, text)] = _read_text(data, budget)
    top = next((line for line in text.splitlines() if line.startswith("# ")), "")
    sections = markdown_sections(text)
    title = inline_text(top[2:]) if top else next((heading for heading, _ in sections if heading), "")
    return title, [(None, body, heading) for heading, body in sections]


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"\xef\xbb\xbf", "utf-8-sig"))


def _read_text(data: bytes, budget: ReadBudget):
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
