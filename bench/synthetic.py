"""Synthetic corpora grown from the real one: each document mirrors a real one (title, page count), each
page has the real page's length in words, filled with that document's real sentences in a new order;
written as small text PDFs that the project's reader reads back exactly."""
from __future__ import annotations

import random
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus.readers import list_corpus, read_document
from assistant.corpus.text import split_sentences, words


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def wrap(text: str, width: int = 95) -> list[str]:
    """Word wrap that never ends a line on '-' or starts one with '-': the reader would join the words."""
    lines: list[list[str]] = [[]]
    size = 0
    for word in text.split(" "):
        current = lines[-1]
        if current and size + 1 + len(word) > width and not current[-1].endswith("-") and not word.startswith("-"):
            lines.append([])
            size = 0
            current = lines[-1]
        size += len(word) + (1 if current else 0)
        current.append(word)
    return [" ".join(line) for line in lines]


def write_pdf(path: Path, title: str, pages: list[str]) -> None:
    """A small text PDF (Helvetica, WinAnsi), one string per page; pypdf reads the text back exactly."""
    objects: list[bytes | None] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(None)
    pages_id = len(objects)
    kids = []
    for text in pages:
        ops = [b"BT /F1 10 Tf 13 TL 50 800 Td"] + [_pdf_string(line) + b" Tj T*" for line in wrap(text)] + [b"ET"]
        stream = zlib.compress(b"\n".join(ops))
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >>"
                        b" /Contents %d 0 R >>" % (pages_id, font, content)))
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info = add(b"<< /Title <" + ("\ufeff" + title).encode("utf-16-be").hex().encode() + b"> >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info, xref)
    Path(path).write_bytes(bytes(out))


_PROBE = "Dit is een zin."


def _is_open(sentence: str) -> bool:
    """A sentence that would run into the next one (a slide fragment without a full stop)."""
    return split_sentences(f"{sentence} {_PROBE}") != [sentence, _PROBE]


def read_sources(corpus: Path):
    """The real documents with their sentences, the material of the synthetic corpora."""
    sources = []
    for source, path in list_corpus(Path(corpus)).items():
        document = read_document(path, source=source)
        sentences = [s for page in document.pages for s in split_sentences(page.text)]
        sources.append((document, sentences, {s for s in sentences if _is_open(s)}))
    return sources


@dataclass
class Synthetic:
    corpus: Path
    pages: int
    documents: int
    words: int
    seconds: float
    merges: dict = field(default_factory=dict)  # a sentence that ran into the next -> its real parts


def synthesize_corpus(sources, out: Path, pages: int, seed: int = 7) -> Synthetic:
    """A corpus of `pages` pages: each document mirrors a real one (title, page count), each page has the
    real page's length in words, filled with that document's real sentences in a new order. Sentences
    that have no full stop end a page where possible, so that sentences stay sentences."""
    started = time.perf_counter()
    rng = random.Random(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = number = word_count = 0
    merges: dict[str, list[str]] = {}
    pools: dict[int, list[str]] = {}
    while total < pages:
        which = number % len(sources)
        document, sentences, open_ones = sources[which]
        pool = pools.setdefault(which, [])
        texts = []
        for page in document.pages:
            if total + len(texts) >= pages:
                break
            target, got, size = len(words(page.text)), [], 0
            while size < target:
                for attempt in range(40):  # after 40 tries the last one drawn is taken anyway
                    if not pool:
                        pool.extend(sentences)
                        rng.shuffle(pool)
                    sentence = pool.pop()
                    fits = not got or split_sentences(f"{got[-1]} {sentence}") == [got[-1], sentence]
                    if fits and (sentence not in open_ones or size + len(words(sentence)) >= target):
                        break
                    if attempt < 39:
                        pool.insert(0, sentence)
                got.append(sentence)
                size += len(words(sentence))
            text = " ".join(got)
            _record_merges(got, split_sentences(text), merges)
            texts.append(text)
            word_count += size
        stem = Path(document.source).stem
        write_pdf(out / f"{stem}-s{number:05d}.pdf", document.title, texts)
        total += len(texts)
        number += 1
    return Synthetic(out, total, number, word_count, round(time.perf_counter() - started, 2), merges)


def _record_merges(parts: list[str], result: list[str], merges: dict) -> None:
    i = 0
    for sentence in result:
        taken, joined = [], ""
        while i < len(parts) and len(joined) < len(sentence):
            taken.append(parts[i])
            joined = " ".join(taken)
            i += 1
        if joined == sentence and len(taken) > 1:
            merges[sentence] = taken
        elif joined != sentence:
            return  # split inside a part: leave the rest to the real model
