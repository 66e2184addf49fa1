"""The documents tab without Gradio: the corpus as a list with each document's status, uploads (new
or replacing a document of the same name), and removal after a confirmation.

Like WebHandlers, each method returns (or yields while it works) a tuple in the order of the
components it updates, KEEP for one it leaves as it is. Tests call these directly.
"""
from __future__ import annotations

from pathlib import Path

from .. import list_corpus
from .indexer import Indexer
from .render import KEEP, banner, labels, render_documents
from .uploads import save_uploads


class DocumentsTab:
    def __init__(self, assistant, indexer: Indexer):
        self.assistant = assistant
        self.indexer = indexer
        self.corpus_dir = Path(assistant.config.corpus_dir)

    # -- the list ---------------------------------------------------------------------------------
    def docs_html(self, lang) -> str:
        try:
            records = self.assistant.retriever.store.records()
        except Exception as exc:
            return banner("error", labels(lang)["index_failed"].format(error=str(exc) or type(exc).__name__))
        report, _ = self.indexer.last
        progress = self.indexer.progress if self.indexer.running else None
        return render_documents(records.values(), report.failed if report is not None else [], lang,
                                indexing=progress[2] if progress else None)

    def choices(self) -> list[str]:
        """The files of the corpus folder a user may remove: indexed or not."""
        return list(list_corpus(self.corpus_dir))

    # -- upload: yields (documents, status, files; None empties the file input, choices) -----------------
    def upload(self, files, lang):
        t = labels(lang)
        files = [f for f in (files or []) if f]
        if not files:
            yield KEEP, banner("info", t["upload_none"]), KEEP, KEEP
            return
        existing = set(self.choices())
        saved, problems = save_uploads(files, self.corpus_dir, lang)
        if not saved:
            yield KEEP, banner("error", " ".join(problems)), None, KEEP
            return
        replacing = [name for name in saved if name in existing]
        saying = t["upload_saved"] + (" " + t["replacing"].format(names=", ".join(replacing)) if replacing else "")
        generation = self.indexer.request()
        yield KEEP, banner("busy", saying), None, KEEP
        while not self.indexer.wait(generation, timeout=0.5):
            yield KEEP, self.indexer.status_html(lang) or banner("busy", saying), KEEP, KEEP
        report, error = self.indexer.result(generation)
        kind, lines = self._outcome(report, error, saved, lang)
        if problems:
            kind = "error"
        yield self.docs_html(lang), banner(kind, " ".join(problems + lines)), KEEP, self.choices()

    # -- removal: ask first (confirmation shown, its text), then remove ------------------------------------
    def ask_remove(self, source, lang):
        """(confirmation visible, its text, status)"""
        t = labels(lang)
        if not source or source not in self.choices():
            return False, "", banner("info", t["remove_choose"])
        return True, banner("warn", t["remove_confirm"].format(name=source)), ""

    def remove(self, source, lang):
        """Yields (documents, status, confirmation visible, choices): the file leaves the corpus folder,
        then the index follows."""
        t = labels(lang)
        if not source or source not in self.choices():  # only a file of the corpus folder, by its listed name
            yield KEEP, banner("info", t["remove_choose"]), False, self.choices()
            return
        try:
            (self.corpus_dir / source).unlink()
        except OSError as error:
            yield KEEP, banner("error", t["remove_failed"].format(name=source, error=error.strerror or error)), \
                False, KEEP
            return
        generation = self.indexer.request()
        yield KEEP, banner("busy", t["removing"].format(name=source)), False, KEEP
        while not self.indexer.wait(generation, timeout=0.5):
            yield KEEP, self.indexer.status_html(lang) or banner("busy", t["removing"].format(name=source)), \
                False, KEEP
        report, error = self.indexer.result(generation)
        kind, lines = self._outcome(report, error, [], lang)
        if report is not None and source in report.removed:
            lines.insert(0, t["removed"].format(name=source))
        yield self.docs_html(lang), banner(kind, " ".join(lines)), False, self.choices()

    @staticmethod
    def _outcome(report, error, saved: list[str], lang) -> tuple[str, list[str]]:
        """The banner's kind and lines after a run: what happened to the files just saved (a file that
        failed before and was not read again is not reported a second time), and the index's size."""
        t = labels(lang)
        lines, kind = [], "ok"
        if error:
            lines.append(t["index_failed"].format(error=error))
            kind = "error"
        if report is not None:
            for label in ("added", "updated", "unchanged"):
                names = [n for n in getattr(report, label) if n in saved]
                if names:
                    lines.append(f"{t[label]}: {', '.join(names)}.")
            failed = [f for f in report.failed if f["source"] in saved]
            if failed:
                kind = "error"
                lines.append(f"{t['failed_docs']}: " + "; ".join(f"{f['source']}: {f['error']}" for f in failed) + ".")
            lines.append(t["indexed"].format(documents=report.documents, chunks=report.chunks))
        return kind, lines
