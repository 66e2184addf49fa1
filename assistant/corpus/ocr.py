"""OCR for PDF pages without a text layer (scans, pictures of slides): the page rendered by pypdfium2,
turned upright by Tesseract's orientation detection, read by Tesseract in Dutch and English.

Tesseract runs as its own program (Debian: tesseract-ocr, tesseract-ocr-nld, tesseract-ocr-eng); where
it or a language is missing, `PageOCR.missing()` says what to install and the reader reports the pages
it could not read. A page's text is cached under the hash of its rendered image, so a page is read
once, also when it comes back in a new version of the document or in another file.
"""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

DPI = 200  # as accurate as 300 on the corpus's pages (same words), and a smaller image to read
LANGUAGES = ("nld", "eng")
PAGE_TIMEOUT = 120  # seconds for one page; a page that takes longer is reported, not waited for
CACHE_FOLDER = "ocr-cache"  # in the index folder: what OCR read, by page-image hash
INSTALL_HINT = "install Tesseract: apt-get install tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng"
_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_ORIENTATION_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


class OCRFailed(Exception):
    """One page could not be read by OCR (the reason is the message)."""


class PageOCR:
    """Reads the text of PDF pages from their image. `on_page(page number, done, total)` is called
    before each page is read; `cache_dir` (optional) keeps what was read by page-image hash."""

    def __init__(self, cache_dir: Path | None = None, languages: tuple[str, ...] = LANGUAGES,
                 on_page: Callable[[int, int, int], None] | None = None, binary: str = "tesseract"):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.languages = languages
        self.on_page = on_page
        self.binary = binary
        self._missing: str | None | bool = False  # False: not checked yet

    def missing(self) -> str | None:
        """Why OCR cannot run here (with what to install), or None when it can."""
        if self._missing is False:
            self._missing = self._check()
        return self._missing

    def _check(self) -> str | None:
        if shutil.which(self.binary) is None:
            return f"Tesseract OCR is not installed ({INSTALL_HINT})"
        try:
            listed = subprocess.run([self.binary, "--list-langs"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"Tesseract OCR does not run ({error}); {INSTALL_HINT}"
        have = set(listed.stdout.split())
        lacking = [lang for lang in self.languages if lang not in have]
        if lacking:
            packages = " ".join(f"tesseract-ocr-{lang}" for lang in lacking)
            return f"Tesseract has no language data for {', '.join(lacking)} (apt-get install {packages})"
        try:
            import pypdfium2  # noqa: F401
        except ImportError:
            return "pypdfium2 is not installed (pip install pypdfium2)"
        return None

    def read_pages(self, data: bytes, numbers: list[int]) -> dict[int, str | OCRFailed]:
        """The text of the given 1-based pages of the PDF in `data`, or the OCRFailed of each page
        that could not be read. An empty text: the page holds no writing (a blank or a picture)."""
        import pypdfium2 as pdfium

        results: dict[int, str | OCRFailed] = {}
        document = pdfium.PdfDocument(data)
        try:
            for done, number in enumerate(numbers):
                if self.on_page is not None:
                    self.on_page(number, done, len(numbers))
                try:
                    results[number] = self._read(document[number - 1])
                except OCRFailed as error:
                    results[number] = error
                except Exception as error:  # pdfium on a damaged page: this page only
                    results[number] = OCRFailed(f"the page could not be rendered ({type(error).__name__})")
        finally:
            document.close()
        return results

    def _read(self, page) -> str:
        # Rendering applies the page's own /Rotate; grey is all Tesseract uses.
        image = page.render(scale=DPI / 72).to_pil().convert("L")
        if image.getextrema()[0] > 200:  # nothing darker than light grey: a blank page
            return ""
        key = hashlib.sha256(b"%d:%s:" % (DPI, "+".join(self.languages).encode()) + image.tobytes()
                             + repr(image.size).encode()).hexdigest()
        cached = self.cache_dir / f"{key}.txt" if self.cache_dir else None
        if cached is not None and cached.is_file():
            return cached.read_text(encoding="utf-8")
        image = self._upright(image)
        text = join_broken_lines(self._tesseract(image, ["-l", "+".join(self.languages), "--psm", "3"]))
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                tmp.write_text(text, encoding="utf-8")
                tmp.replace(cached)
            except OSError:
                pass  # a read-only index folder: read again next time, nothing lost
        return text

    def _upright(self, image):
        """The image turned as Tesseract's orientation detection says (a page scanned sideways)."""
        try:
            found = self._tesseract(image, ["--psm", "0"])
        except OCRFailed:
            return image  # too little text to tell: read as it stands
        rotate = _ROTATE.search(found)
        confidence = _ORIENTATION_CONFIDENCE.search(found)
        if not rotate or int(rotate.group(1)) % 360 == 0 or (confidence and float(confidence.group(1)) < 2.0):
            return image
        return image.rotate(-int(rotate.group(1)), expand=True, fillcolor=255)  # PIL turns counter-clockwise

    def _tesseract(self, image, options: list[str]) -> str:
        png = io.BytesIO()
        image.save(png, "PNG")
        try:
            done = subprocess.run([self.binary, "-", "stdout", "--dpi", str(DPI), *options], input=png.getvalue(),
                                  capture_output=True, timeout=PAGE_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise OCRFailed(f"OCR took longer than {PAGE_TIMEOUT} s") from None
        except OSError as error:
            raise OCRFailed(f"Tesseract could not be started ({error.strerror or error})") from None
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OCRFailed(f"Tesseract failed ({reason[-1][:120] if reason else done.returncode})")
        return done.stdout.decode("utf-8", "replace")


def join_broken_lines(text: str) -> str:
    """Tesseract puts a blank line where a sentence runs on across a wide gap ('Hoe\\n\\nneutraler');
    such a break goes, so the page reads as its text layer would. Paragraph breaks stay."""
    text = text.replace("\f", "").replace("\u00ad", "")
    return re.sub(r"(?<=[^\s.!?:;])\n\s*\n(?=\s*[a-z(])", "\n", text).strip()
