"""The index, brought up to date in the background: one run at a time, its progress on the page."""
from __future__ import annotations

import sys
import threading
import traceback

from .render import index_status_html


class Indexer:
    """Runs assistant.ingest in a background thread. Each request() gets a generation number; a run
    covers every generation requested before it started, so a caller can wait for its own change."""

    def __init__(self, assistant, console: bool = False):
        self.assistant = assistant
        self.console = console
        self._cond = threading.Condition()
        self._requested = 0
        self._finished = 0
        self._thread: threading.Thread | None = None
        # (document i, of total, its source, within it: ("ocr", done, of pages, page), ("embed", done, of texts, None)
        # or None)
        self.progress: tuple | None = None
        self.results: dict[int, tuple[object, str | None]] = {}
        self.last: tuple[object, str | None] = (None, None)

    @property
    def running(self) -> bool:
        with self._cond:
            return self._thread is not None

    @property
    def ready(self) -> bool:
        """False until the first requested run (the one at start-up) has finished."""
        with self._cond:
            return self._requested == 0 or self._finished >= 1

    def start(self) -> int | None:
        """Request the first run, unless one was requested already; its generation, or None."""
        with self._cond:  # a reentrant lock: request() takes it again
            if self._thread is not None or self._requested:
                return None
            return self.request()

    def request(self) -> int:
        with self._cond:
            self._requested += 1
            generation = self._requested
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="mdt-indexer", daemon=True)
                self._thread.start()
            return generation

    def wait(self, generation: int, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._finished >= generation, timeout=timeout)

    def result(self, generation: int):
        """(report, error) of the run that covered this generation."""
        with self._cond:
            covering = [g for g in self.results if g >= generation]
            return self.results[min(covering)] if covering else (None, None)

    def _say(self, text: str) -> None:
        if self.console:
            print(text, file=sys.stderr, flush=True)

    def _on_document(self, i: int, total: int, source: str) -> None:
        self.progress = (i, total, source, None)
        self._say(f"  indexing {i}/{total}: {source}")

    def _on_page(self, source: str, page: int, done: int, pages: int) -> None:
        if self.progress and self.progress[2] == source:
            self.progress = (*self.progress[:3], ("ocr", done, pages, page))
        self._say(f"    OCR {source}: page {page} ({done + 1} of {pages})")

    def _on_embed(self, source: str, done: int, total: int) -> None:
        if self.progress and self.progress[2] == source:
            self.progress = (*self.progress[:3], ("embed", done, total, None))

    def _loop(self) -> None:
        while True:
            with self._cond:
                if self._finished >= self._requested:
                    self._thread = None
                    self.progress = None
                    self._cond.notify_all()
                    return
                target = self._requested
                self.progress = (0, 0, "", None)
            report, error = None, None
            try:
                self._say(f"Bringing the index up to date with {self.assistant.config.corpus_dir} ...")
                self.assistant.embedding  # loaded once and shared with the retriever
                report = self.assistant.ingest(wait=600, on_document=self._on_document, on_page=self._on_page,
                                               on_embed=self._on_embed)
                self._say(f"Index ready: {report.documents} documents, {report.chunks} passages "
                          f"({report.seconds:.1f} s).")
                for failure in report.failed:
                    self._say(f"  not indexed: {failure['source']}: {failure['error']}")
            except Exception as exc:  # shown on the page; the app keeps serving the previous index
                error = str(exc) or type(exc).__name__
                self._say(f"Indexing failed: {error}")
                if not isinstance(exc, RuntimeError):
                    traceback.print_exc()
            with self._cond:
                self._finished = target
                self.results[target] = (report, error)
                for old in sorted(self.results)[:-20]:
                    del self.results[old]
                self.last = (report, error)
                self._cond.notify_all()

    def status_html(self, lang: str) -> str:
        with self._cond:
            running = self._thread is not None
            progress = self.progress
            _, error = self.last
        return index_status_html(running, progress, error, lang)

    def progress_text(self) -> str:
        progress = self.progress
        if progress and progress[1]:
            return f" ({progress[0]}/{progress[1]})"
        return ""
