"""The chat window: a Gradio app over one shared Assistant, entirely offline.

Three tabs: questions with cited answers (and the quoted passages beside them), follow-up e-mails
from meeting notes, and the indexed documents (with upload). Everything taken from the corpus is
escaped before it is shown: a document is text, never markup.

`serve()` serves the app with uvicorn on 127.0.0.1:7860 by default, together with the corpus
files themselves under /corpus/ (so a source link opens the PDF at its page), and brings the index
up to date in the background on start, showing the progress on the page and in the console.
"""
from __future__ import annotations

import html
import os
import queue
import re
import shutil
import socket
import sys
import threading
import time
import traceback
import unicodedata
import uuid
from pathlib import Path
from urllib.parse import quote

from .. import Config  # noqa: F401  (the package sets the offline environment before gradio is imported)

import gradio as gr  # noqa: E402
from fastapi import Request  # noqa: E402  (at module level: FastAPI resolves the handlers' annotations here)

from ..errors import AccessError, BadFileName, UploadRefused  # noqa: E402
from .access import (LoginLimiter, RequestGuard, access_credentials,  # noqa: E402
                     allowed_hosts, checked_upload)
from ..corpus.readers import SUPPORTED  # noqa: E402
from ..evaluation.feedback import FeedbackStore, add_eval_case  # noqa: E402
from ..corpus.text import normalise  # noqa: E402

STATIC_DIR = Path(__file__).resolve().parent / "static"
EXAMPLES = [
    "Hoe benader ik een kleine gemeente?",
    "Wie neem ik mee naar een gesprek met een wethouder?",
    "Wat zet ik in een follow-up mail?",
    "How do I approach a small municipality?",
]
CONCURRENCY = 4  # answers computed at once; more wait in the queue
QUEUE_SIZE = 64

TEXTS = {
    "nl": {
        "subtitle": "Antwoorden uit de MDT-documenten, met bronnen. Alles blijft op deze computer.",
        "language": "Taal / Language",
        "tab_chat": "Vragen", "tab_email": "E-mail", "tab_docs": "Documenten",
        "chatbot": "Gesprek",
        "question": "Uw vraag",
        "question_placeholder": "Typ een vraag over MDT, bijvoorbeeld: Hoe benader ik een kleine gemeente?",
        "ask": "Vraag stellen",
        "new": "Nieuw gesprek",
        "examples": "**Voorbeeldvragen** (klik om te stellen):",
        "to_eval": "Maak van het afgekeurde antwoord een evaluatievraag",
        "sources": "Bronnen",
        "sources_empty": "Hier verschijnen de bronnen van het antwoord: het document, de pagina en de "
                         "geciteerde passage.",
        "sources_none": "Geen bronnen: het antwoord staat niet in de documenten.",
        "empty_question": "Typ eerst een vraag.",
        "long_question": "Deze vraag is te lang ({chars} tekens; hooguit {limit}). Maak hem korter.",
        "long_notes": "Deze aantekeningen zijn te lang ({chars} tekens; hooguit {limit}). Kort ze in.",
        "upload_refused": "{name}: niet aangenomen ({reason}).",
        "searching": "Bezig met zoeken in de documenten…",
        "writing": "Het antwoord wordt geschreven…",
        "abstained": "Het antwoord op deze vraag staat niet in de documenten. Stel de vraag anders, of voeg "
                     "een document toe op het tabblad Documenten.",
        "not_ready": "Even geduld: de documenten worden nog geïndexeerd{progress}. Stel uw vraag zo opnieuw.",
        "failed": "Er ging iets mis bij het beantwoorden ({error}). Probeer het opnieuw; blijft het "
                  "misgaan, meld het dan aan de beheerder.",
        "new_done": "Nieuw gesprek gestart.",
        "no_index": "Er zijn nog geen documenten geïndexeerd. Voeg documenten toe op het tabblad Documenten.",
        "page": "pagina", "slide": "dia",
        "open_page": "Open het document op pagina {page}",
        "open_slide": "Open de presentatie (dia {page})",
        "open": "Open het document",
        "cited": "Bronnen",
        "not_found_in_passage": "Geciteerd:",
        "vote_up": "Bedankt! Uw waardering is opgeslagen.",
        "vote_down": "Bedankt, uw beoordeling is opgeslagen. Met de knop hieronder maakt u van deze vraag "
                     "een evaluatievraag, zodat het team het antwoord kan verbeteren.",
        "vote_none": "Uw beoordeling is ingetrokken.",
        "eval_none": "Er is nog geen afgekeurd antwoord in dit gesprek. Klik eerst op het duimpje omlaag bij "
                     "een antwoord.",
        "eval_done": "Toegevoegd als evaluatievraag {id}.",
        "eval_again": "Deze vraag staat al als evaluatievraag {id}.",
        "notes": "Aantekeningen van het gesprek",
        "notes_placeholder": "Plak hier uw aantekeningen: met wie u sprak, wat besproken is, de afspraken "
                             "en de open vragen.",
        "draft": "Maak concept-e-mail",
        "subject": "Onderwerp",
        "body": "Tekst van de e-mail",
        "tips": "Tips uit de documenten",
        "tips_empty": "Hier verschijnen de tips uit de documenten die bij uw e-mail passen.",
        "notes_empty": "Plak eerst de aantekeningen van het gesprek.",
        "drafting": "Bezig met het concept…",
        "draft_done": "Concept klaar. Controleer het, vul de [haakjes] in en kopieer het naar uw e-mail.",
        "docs_intro": "Dit zijn de documenten waaruit de assistent antwoordt.",
        "docs_none": "Er zijn nog geen documenten geïndexeerd.",
        "col_title": "Titel", "col_file": "Bestand", "col_kind": "Soort", "col_pages": "Pagina's",
        "col_chunks": "Passages", "col_indexed": "Geïndexeerd op",
        "upload": "Nieuw of vervangen document (PDF, PPTX, DOCX, MD of TXT)",
        "upload_button": "Toevoegen en indexeren",
        "upload_none": "Kies eerst een bestand.",
        "upload_bad_name": "{name}: deze bestandsnaam kan niet ({reason}).",
        "upload_saved": "Opgeslagen in de documentenmap; bezig met indexeren…",
        "added": "Toegevoegd", "updated": "Vervangen", "unchanged": "Ongewijzigd (stond er al)",
        "failed_docs": "Niet gelukt",
        "indexing": "Documenten indexeren: {i} van {total}{source}",
        "indexing_start": "Documenten indexeren: de documentenmap wordt bekeken…",
        "indexed": "Indexeren klaar: {documents} documenten, {chunks} passages.",
        "index_failed": "Indexeren is niet gelukt: {error}",
        "failed_hint": "Deze documenten zijn niet geïndexeerd:",
        "kinds": {"pdf": "PDF", "pptx": "PowerPoint", "docx": "Word", "md": "Markdown", "txt": "Tekst"},
    },
    "en": {
        "subtitle": "Answers from the MDT documents, with sources. Everything stays on this computer.",
        "language": "Taal / Language",
        "tab_chat": "Questions", "tab_email": "E-mail", "tab_docs": "Documents",
        "chatbot": "Conversation",
        "question": "Your question",
        "question_placeholder": "Type a question about MDT, for example: How do I approach a small municipality?",
        "ask": "Ask",
        "new": "New conversation",
        "examples": "**Example questions** (click to ask):",
        "to_eval": "Turn the downvoted answer into an evaluation question",
        "sources": "Sources",
        "sources_empty": "The sources of the answer appear here: the document, the page and the quoted passage.",
        "sources_none": "No sources: the answer is not in the documents.",
        "empty_question": "Type a question first.",
        "long_question": "This question is too long ({chars} characters; at most {limit}). Shorten it.",
        "long_notes": "These notes are too long ({chars} characters; at most {limit}). Shorten them.",
        "upload_refused": "{name}: not accepted ({reason}).",
        "searching": "Searching the documents…",
        "writing": "Writing the answer…",
        "abstained": "The answer to this question is not in the documents. Ask it differently, or add a "
                     "document on the Documents tab.",
        "not_ready": "One moment: the documents are still being indexed{progress}. Ask again shortly.",
        "failed": "Something went wrong while answering ({error}). Try again; if it keeps failing, tell "
                  "the administrator.",
        "new_done": "New conversation started.",
        "no_index": "No documents have been indexed yet. Add documents on the Documents tab.",
        "page": "page", "slide": "slide",
        "open_page": "Open the document at page {page}",
        "open_slide": "Open the presentation (slide {page})",
        "open": "Open the document",
        "cited": "Sources",
        "not_found_in_passage": "Quoted:",
        "vote_up": "Thank you! Your rating has been saved.",
        "vote_down": "Thank you, your rating has been saved. The button below turns this question into an "
                     "evaluation question, so that the team can improve the answer.",
        "vote_none": "Your rating has been withdrawn.",
        "eval_none": "There is no downvoted answer in this conversation yet. Click the thumbs down under an "
                     "answer first.",
        "eval_done": "Added as evaluation question {id}.",
        "eval_again": "This question is already evaluation question {id}.",
        "notes": "Notes of the meeting",
        "notes_placeholder": "Paste your notes here: who you met, what was discussed, the agreements and the "
                             "open questions.",
        "draft": "Draft the e-mail",
        "subject": "Subject",
        "body": "Body of the e-mail",
        "tips": "Tips from the documents",
        "tips_empty": "Tips from the documents that fit your e-mail appear here.",
        "notes_empty": "Paste the notes of the meeting first.",
        "drafting": "Drafting…",
        "draft_done": "Draft ready. Check it, fill in the [brackets] and copy it into your e-mail.",
        "docs_intro": "These are the documents the assistant answers from.",
        "docs_none": "No documents have been indexed yet.",
        "col_title": "Title", "col_file": "File", "col_kind": "Kind", "col_pages": "Pages",
        "col_chunks": "Passages", "col_indexed": "Indexed at",
        "upload": "New or replaced document (PDF, PPTX, DOCX, MD or TXT)",
        "upload_button": "Add and index",
        "upload_none": "Choose a file first.",
        "upload_bad_name": "{name}: this file name cannot be used ({reason}).",
        "upload_saved": "Saved in the documents folder; indexing…",
        "added": "Added", "updated": "Replaced", "unchanged": "Unchanged (already there)",
        "failed_docs": "Failed",
        "indexing": "Indexing documents: {i} of {total}{source}",
        "indexing_start": "Indexing documents: looking at the documents folder…",
        "indexed": "Indexing done: {documents} documents, {chunks} passages.",
        "index_failed": "Indexing failed: {error}",
        "failed_hint": "These documents are not indexed:",
        "kinds": {"pdf": "PDF", "pptx": "PowerPoint", "docx": "Word", "md": "Markdown", "txt": "Text"},
    },
}


def _t(lang: str | None) -> dict:
    return TEXTS.get(lang or "nl", TEXTS["nl"])


# -- rendering: every text from a document or a user is escaped --------------------------------------

def esc(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


_MARKDOWN_ALWAYS = set("\\`*_<>&~|")
_LINE_START = re.compile(r"^(#|[-+=]|\d{1,9}(?=[.)]))")


def md_literal(text: str) -> str:
    """Text for a Markdown renderer that shows it exactly as it is: no markup, links, HTML or code.

    Only what could start markup is escaped (with backslashes, which the renderer removes), so that
    ordinary sentences and the citation markers '[1]' stay as they are when a message is copied."""
    lines = []
    for line in str(text).split("\n"):
        line = line.lstrip(" \t")  # an indented line would become a code block
        out = []
        for i, ch in enumerate(line):
            after = line[i + 1:i + 3]
            if (ch in _MARKDOWN_ALWAYS
                    or (ch == "]" and after[:1] in ("(", "[", ":"))  # [text](url), [text][ref], [ref]: url
                    or (ch == "!" and after[:1] == "[")
                    or ch == "@"  # e-mail autolinks
                    or (ch == ":" and after == "//")  # http:// autolinks
                    or (ch == "." and line[max(0, i - 3):i].lower() == "www")):
                out.append("\\" + ch)
            else:
                out.append(ch)
        escaped = "".join(out)
        start = _LINE_START.match(escaped)
        if start:  # a heading, list item, setext underline or numbered list
            cut = start.end() if start.group(1)[0].isdigit() else 0
            escaped = escaped[:cut] + "\\" + escaped[cut:]
        lines.append(escaped)
    return "\n".join(lines)


def corpus_url(source: str, page: int | None = None) -> str:
    url = "/corpus/" + quote(source, safe="/")
    if page and source.lower().endswith(".pdf"):
        url += f"#page={int(page)}"
    return url


_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


def _find_spans(text: str, quote_text: str) -> list[tuple[int, int]]:
    """Where the quote stands in the passage: whole, or sentence by sentence (a shortened quote)."""
    quote_text = quote_text.strip()
    if not quote_text:
        return []
    start = text.find(quote_text)
    if start >= 0:
        return [(start, start + len(quote_text))]
    lowered = text.lower()
    spans = []
    for piece in _SENTENCE_END.split(quote_text):
        piece = piece.strip().strip("…").strip()
        if len(piece) < 12:
            continue
        at = lowered.find(piece.lower())
        if at >= 0:
            spans.append((at, at + len(piece)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def highlight(passage_text: str, quote_text: str, context: int = 350) -> str | None:
    """The passage as escaped HTML with the quote in <mark>; None when the quote is not in it."""
    spans = _find_spans(passage_text, quote_text)
    if not spans:
        return None
    first, last = spans[0][0], spans[-1][1]
    start = 0 if first <= context else passage_text.rfind(" ", 0, first - context) + 1
    end = len(passage_text) if len(passage_text) - last <= context else passage_text.find(" ", last + context)
    end = len(passage_text) if end < 0 else end
    parts = ["… " if start > 0 else ""]
    at = start
    for a, b in spans:
        parts.append(esc(passage_text[at:a]))
        parts.append(f"<mark>{esc(passage_text[a:b])}</mark>")
        at = b
    parts.append(esc(passage_text[at:end]))
    parts.append(" …" if end < len(passage_text) else "")
    return "".join(parts)


def _where(citation, t: dict) -> str:
    source = citation.source
    page = citation.page
    kind = Path(source).suffix.lower()
    label = t["slide"] if kind == ".pptx" else t["page"]
    bits = [esc(source)]
    if page:
        bits.append(f"{label} {int(page)}")
    if page and kind == ".pdf":
        link_text = t["open_page"].format(page=int(page))
    elif page and kind == ".pptx":
        link_text = t["open_slide"].format(page=int(page))
    else:
        link_text = t["open"]
    bits.append(f'<a href="{esc(corpus_url(source, page))}" target="_blank" rel="noopener noreferrer">'
                f'{esc(link_text)}</a>')
    return " · ".join(bits)


def _passage_for(citation, passages) -> str | None:
    same_page = [p for p in passages if p.source == citation.source and p.page == citation.page]
    for passage in same_page:
        if _find_spans(passage.text, citation.quote):
            return passage.text
    return same_page[0].text if same_page else None


def render_citations(citations, passages, lang: str, title: str | None = None, empty: str | None = None) -> str:
    """The sources panel: per citation the title, page, link, and the quote marked in its passage."""
    t = _t(lang)
    head = f"<h3>{esc(title or t['sources'])}</h3>"
    if not citations:
        return f'<div class="mdt-sources">{head}<p class="mdt-empty">{esc(empty or t["sources_empty"])}</p></div>'
    cards = []
    for c in citations:
        text = _passage_for(c, passages or [])
        marked = highlight(text, c.quote) if text else None
        if marked is None:
            marked = f"<mark>{esc(c.quote)}</mark>"
        cards.append(
            f'<div class="mdt-source" id="bron-{int(c.n)}" data-source="{esc(c.source)}" data-page="{esc(c.page or "")}">'
            f'<div class="mdt-source-head"><span class="mdt-n">[{int(c.n)}]</span> {esc(c.title)}</div>'
            f'<div class="mdt-where">{_where(c, t)}</div>'
            f'<blockquote class="mdt-passage">{marked}</blockquote></div>'
        )
    return f'<div class="mdt-sources">{head}{"".join(cards)}</div>'


def render_answer_message(answer, lang: str) -> str:
    """The chat message of an answer (Markdown, all of it literal text): notice, answer, sources line."""
    t = _t(lang)
    lines = []
    if answer.notice:
        lines.append(f"⚠️ {md_literal(answer.notice)}")
        lines.append("")
    lines.append(md_literal(answer.answer))
    if answer.abstained:
        lines += ["", f"*{md_literal(t['abstained'])}*"]
    elif answer.citations:
        refs = []
        for c in answer.citations:
            where = f", {t['slide'] if c.source.lower().endswith('.pptx') else t['page']} {c.page}" if c.page else ""
            refs.append(md_literal(f"[{c.n}] {c.title}{where}"))
        lines += ["", f"**{md_literal(t['cited'])}:** " + " · ".join(refs)]
    return "\n".join(lines)


def banner(kind: str, text: str, fraction: float | None = None) -> str:
    bar = ""
    if fraction is not None:
        bar = f'<div class="mdt-progress"><div style="width:{max(0, min(100, round(fraction * 100)))}%"></div></div>'
    return f'<div class="mdt-banner {kind}" role="status">{esc(text)}{bar}</div>'


# -- the index: brought up to date in the background, one run at a time ----------------------------

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
        self.progress: tuple[int, int, str] | None = None
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
        self.progress = (i, total, source)
        self._say(f"  indexing {i}/{total}: {source}")

    def _loop(self) -> None:
        while True:
            with self._cond:
                if self._finished >= self._requested:
                    self._thread = None
                    self.progress = None
                    self._cond.notify_all()
                    return
                target = self._requested
                self.progress = (0, 0, "")
            report, error = None, None
            try:
                self._say(f"Bringing the index up to date with {self.assistant.config.corpus_dir} ...")
                self.assistant.embedding  # loaded once and shared with the retriever
                report = self.assistant.ingest(wait=600, on_document=self._on_document)
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
        t = _t(lang)
        with self._cond:
            running = self._thread is not None
            progress = self.progress
            report, error = self.last
        if running:
            if not progress or not progress[1]:
                return banner("busy", t["indexing_start"])
            i, total, source = progress
            return banner("busy", t["indexing"].format(i=i, total=total, source=f" — {source}" if source else ""),
                          (i - 1) / total)
        if error:
            return banner("error", t["index_failed"].format(error=error))
        return ""

    def progress_text(self) -> str:
        progress = self.progress
        if progress and progress[1]:
            return f" ({progress[0]}/{progress[1]})"
        return ""


# -- chat sessions: one per browser session (gr.State), never shared ------------------------------

class ChatSession:
    def __init__(self, assistant):
        self.id = uuid.uuid4().hex[:12]
        self.conversation = assistant.new_conversation()
        self.messages: list[dict] = []
        self.answers: dict[int, dict] = {}  # index of the assistant message -> what was asked and answered
        self.last_answer = None
        self.downvoted: dict | None = None  # the feedback entry of the last downvoted answer

    def reset(self) -> None:
        self.conversation.clear()
        self.messages = []
        self.answers = {}
        self.last_answer = None
        self.downvoted = None


# -- file names of uploads --------------------------------------------------------------------------

def safe_filename(name: str) -> str:
    """A file name that stays inside the corpus folder: no folders, no '..', no hidden or reserved names."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    name = re.sub(r'[<>:"|?*]', "_", name)
    while ".." in name:
        name = name.replace("..", ".")
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        raise BadFileName("no name or no file type")
    if f".{suffix.lower()}" not in SUPPORTED:
        raise BadFileName("use PDF, PPTX, DOCX, MD or TXT")
    if name.lower() == "readme.md":
        raise BadFileName("README.md is reserved for the folder's own notes")
    while len(name.encode("utf-8")) > 180:
        stem = stem[:-1]
        name = f"{stem}.{suffix}"
    return name


# -- the app -----------------------------------------------------------------------------------------

def theme():
    """Gradio's default look with the computer's own fonts: nothing is fetched from a font service."""
    return gr.themes.Default(
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    )


def css() -> str:
    return (STATIC_DIR / "web.css").read_text(encoding="utf-8")


def build_app(assistant, indexer: Indexer | None = None, index_on_start: bool = True) -> gr.Blocks:
    """The Gradio Blocks of the chat window. Unless index_on_start is False, bringing the index up to
    date starts now, in the background (its progress shows on the page)."""
    indexer = indexer or Indexer(assistant)
    if index_on_start and not indexer.running and indexer._requested == 0:
        indexer.request()
    votes = FeedbackStore(assistant.config.votes_path)
    cases_file = assistant.config.eval_cases_path

    def docs_html(lang: str) -> str:
        t = _t(lang)
        try:
            records = assistant.retriever.store.records()
        except Exception as exc:
            return banner("error", t["index_failed"].format(error=str(exc) or type(exc).__name__))
        rows = []
        for record in sorted(records.values(), key=lambda r: r.title.lower()):
            has_pages = record.kind in ("pdf", "pptx")
            rows.append(
                "<tr>"
                f"<td>{esc(record.title)}</td>"
                f'<td><a href="{esc(corpus_url(record.source))}" target="_blank" rel="noopener noreferrer">'
                f"{esc(record.source)}</a></td>"
                f'<td class="kind">{esc(t["kinds"].get(record.kind, record.kind))}</td>'
                f'<td class="num">{record.pages if has_pages else "—"}</td>'
                f'<td class="num">{record.chunks}</td>'
                f'<td class="num">{esc(time.strftime("%d-%m-%Y %H:%M", time.localtime(record.indexed_at)))}</td>'
                "</tr>"
            )
        parts = [f"<p>{esc(t['docs_intro'])}</p>"]
        if rows:
            head = "".join(f"<th>{esc(t[k])}</th>" for k in
                           ("col_title", "col_file", "col_kind", "col_pages", "col_chunks", "col_indexed"))
            parts.append(f'<table class="mdt-docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
        else:
            parts.append(f'<p class="mdt-empty">{esc(t["docs_none"])}</p>')
        report, _ = indexer.last
        if report is not None and report.failed:
            items = "".join(f"<li>{esc(f['source'])}: {esc(f['error'])}</li>" for f in report.failed)
            parts.append(f'<div class="mdt-failed"><p>{esc(t["failed_hint"])}</p><ul>{items}</ul></div>')
        return f'<div id="mdt-docs-list">{"".join(parts)}</div>'

    # ---- chat -----------------------------------------------------------------------------------
    def ask(question, lang, session):
        t = _t(lang)
        session = session if isinstance(session, ChatSession) else ChatSession(assistant)
        question = question if isinstance(question, str) else ""
        limit = assistant.config.question_chars
        if len(question) > limit:  # checked here too: the page's own limit binds only the page
            yield (session.messages, gr.skip(), gr.skip(),
                   banner("error", t["long_question"].format(chars=len(question), limit=limit)), session)
            return
        question = normalise(question)
        if not question:
            yield session.messages, gr.skip(), gr.skip(), banner("info", t["empty_question"]), session
            return
        if not indexer.ready:
            yield (session.messages, gr.skip(), question,
                   banner("busy", t["not_ready"].format(progress=indexer.progress_text())), session)
            return
        messages = session.messages + [{"role": "user", "content": md_literal(question)},
                                       {"role": "assistant", "content": "…"}]
        yield messages, gr.skip(), "", banner("info", t["searching"]), session

        tokens: queue.Queue = queue.Queue()
        outcome: dict = {}

        def work():
            try:
                outcome["answer"] = assistant.ask(question, conversation=session.conversation, on_token=tokens.put)
            except Exception as exc:  # shown plainly below
                outcome["error"] = exc
            finally:
                tokens.put(None)

        worker = threading.Thread(target=work, name="mdt-ask", daemon=True)
        worker.start()
        text, last_yield = "", 0.0
        while True:
            try:
                token = tokens.get(timeout=0.2)
            except queue.Empty:
                continue
            if token is None:
                break
            first = not text
            text += token
            if first or time.monotonic() - last_yield > 0.08:
                messages[-1] = {"role": "assistant", "content": md_literal(text) + " ▍"}
                last_yield = time.monotonic()
                yield messages, gr.skip(), "", banner("info", t["writing"]) if first else gr.skip(), session
        worker.join()

        error = outcome.get("error")
        if error is not None:
            from ..errors import IndexMissing

            if isinstance(error, IndexMissing) and indexer.running:
                message = t["not_ready"].format(progress=indexer.progress_text())
            elif isinstance(error, IndexMissing):
                failure = indexer.last[1]
                message = t["index_failed"].format(error=failure) if failure else t["no_index"]
            else:
                traceback.print_exception(error)
                message = t["failed"].format(error=str(error) or type(error).__name__)
            yield session.messages, gr.skip(), question, banner("error", message), session
            return
        answer = outcome["answer"]
        messages[-1] = {"role": "assistant", "content": render_answer_message(answer, lang)}
        session.messages = messages
        session.answers[len(messages) - 1] = {
            "question": question, "answer": answer.answer, "mode": answer.mode, "abstained": answer.abstained,
            "language": answer.language, "citations": [c.to_json() for c in answer.citations],
        }
        session.last_answer = answer
        sources = render_citations(answer.citations, answer.passages, lang,
                                   empty=t["sources_none"] if answer.abstained else None)
        status = banner("warn", answer.notice) if answer.notice else ""
        yield messages, sources, "", status, session

    def new_conversation(lang, session):
        t = _t(lang)
        if isinstance(session, ChatSession):
            session.reset()
        else:
            session = ChatSession(assistant)
        return ([], render_citations([], [], lang), "", banner("info", t["new_done"]),
                gr.update(visible=False), session)

    def like(lang, session, data: gr.LikeData):
        t = _t(lang)
        if not isinstance(session, ChatSession):
            return gr.skip(), gr.skip()
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        record = session.answers.get(index)
        if record is None:
            return gr.skip(), gr.skip()
        vote = "up" if data.liked is True else "down" if data.liked is False else "none"
        entry = votes.add(vote, record["question"], record["answer"], record["citations"], mode=record["mode"],
                          abstained=record["abstained"], language=record["language"], session=session.id)
        if vote == "down":
            session.downvoted = entry
        elif session.downvoted and session.downvoted.get("question") == record["question"]:
            session.downvoted = None
        text = t[f"vote_{vote}"]
        return banner("ok", text), gr.update(visible=session.downvoted is not None)

    def to_eval(lang, session):
        t = _t(lang)
        if not isinstance(session, ChatSession) or session.downvoted is None:
            return banner("info", t["eval_none"])
        try:
            item, added = add_eval_case(session.downvoted, cases_file)
        except (OSError, ValueError) as exc:
            return banner("error", t["failed"].format(error=str(exc)))
        return banner("ok", t["eval_done" if added else "eval_again"].format(id=item["id"]))

    # ---- e-mail ---------------------------------------------------------------------------------
    def draft_email(notes, lang):
        t = _t(lang)
        notes = notes if isinstance(notes, str) else ""
        if not notes.strip():
            return gr.skip(), gr.skip(), gr.skip(), banner("info", t["notes_empty"])
        if len(notes) > assistant.config.notes_chars:
            return gr.skip(), gr.skip(), gr.skip(), banner(
                "error", t["long_notes"].format(chars=len(notes), limit=assistant.config.notes_chars))
        if not indexer.ready:
            return (gr.skip(), gr.skip(), gr.skip(),
                    banner("busy", t["not_ready"].format(progress=indexer.progress_text())))
        from ..errors import NotesError

        try:
            draft = assistant.email(notes)
        except NotesError as exc:
            message = getattr(exc, "dutch", str(exc)) if lang == "nl" else str(exc)
            return gr.skip(), gr.skip(), gr.skip(), banner("error", message)
        except Exception as exc:
            traceback.print_exception(exc)
            return gr.skip(), gr.skip(), gr.skip(), banner("error", t["failed"].format(error=str(exc) or type(exc).__name__))
        passages = []
        try:
            passages = _passages_for_citations(assistant, draft.citations)
        except Exception:
            pass
        tips = render_citations(draft.citations, passages, lang, title=t["tips"], empty=t["tips_empty"])
        status = banner("warn", draft.notice) if draft.notice else banner("ok", t["draft_done"])
        return draft.subject, draft.body, tips, status

    # ---- documents ------------------------------------------------------------------------------
    corpus_dir = Path(assistant.config.corpus_dir)

    def upload(files, lang):
        t = _t(lang)
        files = [f for f in (files or []) if f]
        if not files:
            yield gr.skip(), banner("info", t["upload_none"]), gr.skip()
            return
        problems, saved = [], []
        corpus_dir.mkdir(parents=True, exist_ok=True)
        for given in files:
            shown = Path(str(getattr(given, "orig_name", None) or getattr(given, "name", None) or given)).name
            try:
                # Only a file this user uploaded: a client may name any path of the server instead.
                path = checked_upload(given)
                name = safe_filename(path.name)
            except UploadRefused as exc:
                problems.append(t["upload_refused"].format(name=shown, reason=exc))
                continue
            except BadFileName as exc:
                problems.append(t["upload_bad_name"].format(name=path.name, reason=exc))
                continue
            temporary = corpus_dir / f".upload-{uuid.uuid4().hex}"  # hidden: never indexed half-written
            try:
                shutil.copyfile(path, temporary)
                os.replace(temporary, corpus_dir / name)
            except OSError as exc:
                temporary.unlink(missing_ok=True)
                problems.append(f"{name}: {exc.strerror or exc}")
                continue
            saved.append(name)
        if not saved:
            yield gr.skip(), banner("error", " ".join(problems)), None
            return
        generation = indexer.request()
        yield gr.skip(), banner("busy", t["upload_saved"]), None
        while not indexer.wait(generation, timeout=0.5):
            yield gr.skip(), indexer.status_html(lang) or banner("busy", t["upload_saved"]), gr.skip()
        report, error = indexer.result(generation)
        lines = list(problems)
        kind = "ok"
        if error:
            lines.append(t["index_failed"].format(error=error))
            kind = "error"
        if report is not None:
            for label in ("added", "updated", "unchanged"):
                names = [n for n in getattr(report, label) if n in saved]
                if names:
                    lines.append(f"{t[label]}: {', '.join(names)}.")
            failed = report.failed
            if failed:
                kind = "error"
                lines.append(f"{t['failed_docs']}: " + "; ".join(f"{f['source']}: {f['error']}" for f in failed) + ".")
            lines.append(t["indexed"].format(documents=report.documents, chunks=report.chunks))
        if problems:
            kind = "error"
        yield docs_html(lang), banner(kind, " ".join(lines)), gr.skip()

    # ---- status and language ----------------------------------------------------------------------
    def tick(lang):
        running = indexer.running
        return indexer.status_html(lang), docs_html(lang), gr.Timer(active=running)

    with gr.Blocks(title="MDT-assistent", analytics_enabled=False) as demo:
        session = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                header = gr.HTML(_header_html("nl"), elem_id="mdt-header")
            with gr.Column(scale=2, min_width=220):
                lang = gr.Radio([("Nederlands", "nl"), ("English", "en")], value="nl",
                                label=TEXTS["nl"]["language"], elem_id="mdt-lang")
        index_status = gr.HTML(indexer.status_html("nl"), elem_id="mdt-index-status")
        timer = gr.Timer(1.0, active=True)

        with gr.Tabs():
            with gr.Tab(TEXTS["nl"]["tab_chat"], id="chat", elem_id="mdt-tab-chat") as tab_chat:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label=TEXTS["nl"]["chatbot"], elem_id="mdt-chatbot", height=460,
                            latex_delimiters=[], sanitize_html=True, allow_tags=False, render_markdown=True,
                            buttons=["copy"], feedback_options=("Like", "Dislike"), autoscroll=True,
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                label=TEXTS["nl"]["question"], placeholder=TEXTS["nl"]["question_placeholder"],
                                elem_id="mdt-question", lines=1, max_lines=6, scale=5, autofocus=True,
                                max_length=2000,
                            )
                            ask_button = gr.Button(TEXTS["nl"]["ask"], variant="primary", scale=1,
                                                   elem_id="mdt-ask", min_width=120)
                        status = gr.HTML("", elem_id="mdt-chat-status", elem_classes=["mdt-status"])
                        examples_label = gr.Markdown(TEXTS["nl"]["examples"])
                        with gr.Row(elem_classes=["mdt-examples"]):
                            example_buttons = [gr.Button(text, size="sm", variant="secondary", min_width=140)
                                               for text in EXAMPLES]
                        with gr.Row():
                            new_button = gr.Button(TEXTS["nl"]["new"], elem_id="mdt-new", variant="secondary")
                            eval_button = gr.Button(TEXTS["nl"]["to_eval"], elem_id="mdt-to-eval",
                                                    variant="secondary", visible=False)
                    with gr.Column(scale=2):
                        sources = gr.HTML(render_citations([], [], "nl"), elem_id="mdt-sources")

            with gr.Tab(TEXTS["nl"]["tab_email"], id="email", elem_id="mdt-tab-email") as tab_email:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        notes = gr.Textbox(label=TEXTS["nl"]["notes"], placeholder=TEXTS["nl"]["notes_placeholder"],
                                           lines=10, max_lines=30, elem_id="mdt-notes", max_length=20000)
                        draft_button = gr.Button(TEXTS["nl"]["draft"], variant="primary", elem_id="mdt-draft")
                        email_status = gr.HTML("", elem_id="mdt-email-status", elem_classes=["mdt-status"])
                        subject = gr.Textbox(label=TEXTS["nl"]["subject"], elem_id="mdt-subject", buttons=["copy"],
                                             interactive=True, lines=1)
                        body = gr.Textbox(label=TEXTS["nl"]["body"], elem_id="mdt-body", buttons=["copy"],
                                          interactive=True, lines=14, max_lines=40)
                    with gr.Column(scale=2):
                        tips = gr.HTML(render_citations([], [], "nl", title=TEXTS["nl"]["tips"],
                                                        empty=TEXTS["nl"]["tips_empty"]), elem_id="mdt-tips")

            with gr.Tab(TEXTS["nl"]["tab_docs"], id="docs", elem_id="mdt-tab-docs") as tab_docs:
                docs = gr.HTML("", elem_id="mdt-docs")
                upload_files = gr.File(label=TEXTS["nl"]["upload"], file_count="multiple",
                                       file_types=sorted(SUPPORTED), elem_id="mdt-upload")
                upload_button = gr.Button(TEXTS["nl"]["upload_button"], variant="primary", elem_id="mdt-upload-button")
                upload_status = gr.HTML("", elem_id="mdt-upload-status", elem_classes=["mdt-status"])

        # ---- events -------------------------------------------------------------------------------
        chat_outputs = [chatbot, sources, question, status, session]
        ask_event = dict(fn=ask, inputs=[question, lang, session], outputs=chat_outputs,
                         concurrency_limit=CONCURRENCY, concurrency_id="answers", show_progress="hidden")
        ask_button.click(api_name="ask", **ask_event)
        question.submit(api_visibility="private", **ask_event)
        for button, text in zip(example_buttons, EXAMPLES):
            button.click(lambda text=text: text, None, question, queue=False, api_visibility="private").then(
                api_visibility="private", **ask_event)
        new_button.click(new_conversation, [lang, session], [chatbot, sources, question, status, eval_button, session],
                         api_name="new_conversation", queue=False)
        chatbot.clear(new_conversation, [lang, session], [chatbot, sources, question, status, eval_button, session],
                      api_visibility="private", queue=False)
        chatbot.like(like, [lang, session], [status, eval_button], api_visibility="private", queue=False)
        eval_button.click(to_eval, [lang, session], status, api_visibility="private", queue=False)

        draft_button.click(draft_email, [notes, lang], [subject, body, tips, email_status], api_name="email",
                           concurrency_limit=CONCURRENCY, concurrency_id="answers", show_progress="minimal")

        upload_button.click(upload, [upload_files, lang], [docs, upload_status, upload_files], api_visibility="private",
                            concurrency_limit=2, show_progress="hidden")
        tab_docs.select(docs_html, lang, docs, api_visibility="private", queue=False)
        timer.tick(tick, lang, [index_status, docs, timer], api_visibility="private", queue=False,
                   show_progress="hidden")

        relabeled = [header, lang, tab_chat, tab_email, tab_docs, chatbot, question, ask_button, examples_label,
                     new_button, eval_button, notes, draft_button, subject, body, upload_files, upload_button]

        def relabel(language, session_value):
            t = _t(language)
            updates = [
                _header_html(language), gr.update(label=t["language"]),
                gr.update(label=t["tab_chat"]), gr.update(label=t["tab_email"]), gr.update(label=t["tab_docs"]),
                gr.update(label=t["chatbot"]),
                gr.update(label=t["question"], placeholder=t["question_placeholder"]),
                gr.update(value=t["ask"]), t["examples"], gr.update(value=t["new"]), gr.update(value=t["to_eval"]),
                gr.update(label=t["notes"], placeholder=t["notes_placeholder"]), gr.update(value=t["draft"]),
                gr.update(label=t["subject"]), gr.update(label=t["body"]), gr.update(label=t["upload"]),
                gr.update(value=t["upload_button"]),
            ]
            last = session_value.last_answer if isinstance(session_value, ChatSession) else None
            if last is not None:
                panel = render_citations(last.citations, last.passages, language,
                                         empty=t["sources_none"] if last.abstained else None)
            else:
                panel = render_citations([], [], language)
            return updates + [panel, indexer.status_html(language), docs_html(language)]

        lang.input(relabel, [lang, session], relabeled + [sources, index_status, docs], api_visibility="private",
                   queue=False)

        def on_load(session_value, request: gr.Request):
            wanted = (request.query_params.get("lang") or "nl").lower() if request else "nl"
            language = wanted if wanted in TEXTS else "nl"
            if language == "nl":
                skipped = [gr.skip() for _ in relabeled[1:]]
                return ([gr.skip()] + skipped + [gr.skip(), indexer.status_html("nl"), docs_html("nl"),
                                                  gr.Timer(active=indexer.running)])
            updates = relabel(language, session_value)
            updates[1] = gr.update(value=language, label=_t(language)["language"])
            return updates + [gr.Timer(active=indexer.running)]

        demo.load(on_load, [session], relabeled + [sources, index_status, docs, timer], api_visibility="private",
                  queue=False)

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.mdt_indexer = indexer  # serve() and tests reach the indexer through the app
    return demo


def _header_html(lang: str) -> str:
    return f"<h1>MDT-assistent</h1><p>{esc(_t(lang)['subtitle'])}</p>"


def _passages_for_citations(assistant, citations):
    """The surrounding passage of each cited tip (an e-mail draft carries only the quotes)."""
    found = []
    for c in citations:
        for passage in assistant.retrieve(c.quote, k=5):
            if passage.source == c.source and passage.page == c.page and _find_spans(passage.text, c.quote):
                found.append(passage)
                break
    return found


# -- serving -----------------------------------------------------------------------------------------

_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/plain; charset=utf-8", ".markdown": "text/plain; charset=utf-8", ".txt": "text/plain; charset=utf-8",
}


def create_server(assistant, demo: gr.Blocks, auth: list[tuple[str, str]] | None = None,
                  host: str = "127.0.0.1"):
    """A FastAPI app: the corpus files under /corpus/ (only files inside the corpus folder), a small
    status document at /mdt-status, and the Gradio app at /. With `auth`, everything needs one login:
    Gradio's login page gives a session that the files and the status accept too; scripts may send
    HTTP basic credentials instead. In front of it all, RequestGuard (see access.py)."""
    import secrets

    from fastapi import Depends, FastAPI, HTTPException
    from fastapi.responses import FileResponse, JSONResponse
    from fastapi.security import HTTPBasic, HTTPBasicCredentials
    from starlette.routing import Mount

    basic = HTTPBasic(auto_error=False)
    limiter = LoginLimiter()
    mounted: dict = {}

    def session_user(request: Request) -> str | None:
        gradio_app = mounted.get("app")
        if gradio_app is None:
            return None
        token = (request.cookies.get(f"access-token-{gradio_app.cookie_id}")
                 or request.cookies.get(f"access-token-unsecure-{gradio_app.cookie_id}"))
        return gradio_app.tokens.get(token) if token else None

    def login(request: Request, credentials: HTTPBasicCredentials | None = Depends(basic)):
        if auth is None or session_user(request) is not None:
            return
        client = request.client.host if request.client else "?"
        if credentials is not None:
            wait = limiter.retry_after(client)
            if wait:
                raise HTTPException(status_code=429, detail="too many failed logins; try again later",
                                    headers={"Retry-After": str(int(wait) + 1)})
            if any(secrets.compare_digest(credentials.username, user)
                   and secrets.compare_digest(credentials.password, password) for user, password in auth):
                return
            limiter.failed(client)
        raise HTTPException(status_code=401, detail="login required", headers={"WWW-Authenticate": "Basic"})

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(login)])
    root = Path(assistant.config.corpus_dir)
    indexer: Indexer = demo.mdt_indexer

    @app.get("/corpus/{path:path}")
    def corpus_file(path: str):
        base = root.resolve()
        try:
            target = (base / path).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL byte in the name
            raise HTTPException(status_code=404, detail="not found") from None
        if not target.is_relative_to(base) or not target.is_file():
            raise HTTPException(status_code=404, detail="not found")
        relative = target.relative_to(base)
        if any(part.startswith(".") for part in relative.parts) or target.suffix.lower() not in _MEDIA_TYPES:
            raise HTTPException(status_code=404, detail="not found")
        return FileResponse(target, media_type=_MEDIA_TYPES[target.suffix.lower()], filename=target.name,
                            content_disposition_type="inline", headers={"X-Content-Type-Options": "nosniff"})

    @app.get("/mdt-status")
    def status():
        report, error = indexer.last
        progress = indexer.progress
        return JSONResponse({
            "indexing": indexer.running, "ready": indexer.ready,
            "progress": {"document": progress[0], "of": progress[1], "source": progress[2]} if progress else None,
            "documents": report.documents if report else None, "chunks": report.chunks if report else None,
            "failed": report.failed if report else [], "error": error,
        })

    gr.mount_gradio_app(
        app, demo, path="/", footer_links=[], show_error=False, ssr_mode=False, pwa=False, mcp_server=False,
        max_file_size="100mb", theme=theme(), css=css(), enable_monitoring=False, auth=auth,
    )
    mounted["app"] = next(route.app for route in app.routes if isinstance(route, Mount))
    # Gradio checks that a file input names a file of its own upload folder only once the app "has
    # launched"; a mounted app never launches, so without this any server file could be sent as an
    # "upload" (the upload handler checks it again: checked_upload).
    demo.has_launched = True
    app.add_middleware(RequestGuard, hosts=allowed_hosts(host, assistant.config.allowed_hosts), limiter=limiter)
    return app


def serve(assistant, host: str = "127.0.0.1", port: int = 7860) -> int:
    """Serve the chat window until Ctrl-C; the exit code for the command line."""
    import uvicorn

    try:
        auth = access_credentials(host, assistant.config.auth)
    except AccessError as error:
        print(f"mdt-assistent: {error}", file=sys.stderr)
        return 2
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        print(f"mdt-assistent: cannot listen on {host}:{port} ({error.strerror or error}); "
              f"stop the program using it or choose another port with --port", file=sys.stderr)
        return 1
    if auth:
        print(f"MDT-assistent: listening on {host}; a login is required (MDT_AUTH, {len(auth)} user(s)).",
              file=sys.stderr)
    indexer = Indexer(assistant, console=True)
    demo = build_app(assistant, indexer=indexer)
    app = create_server(assistant, demo, auth=auth, host=host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    print(f"MDT-assistent: open http://{shown}:{port}/ in your browser (Ctrl-C stops).", file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    return 0
