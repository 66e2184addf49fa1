"""What the page shows, as HTML or Markdown: answers, citations, sources, banners, the document list.

Pure functions, no Gradio. Every text from a document or a user is escaped before it is shown: a
document is text, never markup. The page's texts are the `web_` entries of assistant.messages.
"""
from __future__ import annotations

import html
import re
import time
from pathlib import Path
from urllib.parse import quote

from .. import texts


def labels(lang: str | None) -> dict[str, str]:
    """The page's texts in one language (Dutch for any other), by key without the 'web_' prefix."""
    return {key[4:]: text for key, text in texts(lang or "nl").items() if key.startswith("web_")}


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


# Documents without pages: a source link opens a readable view of the text at the quote.
UNPAGED = (".md", ".markdown", ".docx", ".txt")
VIEW_QUOTE_CHARS = 300  # of the quote in the link: enough to find it, short enough for any address bar


def view_url(source: str, section: str = "", quote_text: str = "") -> str:
    query = "&".join(f"{key}={quote(value[:VIEW_QUOTE_CHARS], safe='')}"
                     for key, value in (("section", section), ("q", quote_text)) if value)
    return "/mdt-view/" + quote(source, safe="/") + (f"?{query}" if query else "") + "#mdt-quote"


def render_document_view(document, section: str, quote_text: str, lang: str) -> str:
    """A whole page: the document's text by sections, the cited section marked and the quote
    highlighted (the link's #mdt-quote scrolls to it). No script; every text escaped."""
    t = labels(lang)
    parts, marked = [], False
    for n, page in enumerate(document.pages):
        cited = page.section == section if section else True
        spans = find_spans(page.text, quote_text) if quote_text and cited and not marked else []
        body, at = [], 0
        for i, (a, b) in enumerate(spans):
            body += [esc(page.text[at:a]), f'<mark{" id=mdt-quote" if i == 0 else ""}>{esc(page.text[a:b])}</mark>']
            at = b
        body.append(esc(page.text[at:]))
        marked = marked or bool(spans)
        heading = f"<h2>{esc(page.section)}</h2>" if page.section else ""
        label = f"<h2>{esc(t['page'])} {int(page.number)}</h2>" if page.number and not page.section else ""
        parts.append(f'<section id="mdt-s{n}"{" class=cited" if spans else ""}>{heading or label}'
                     f'<p>{"".join(body)}</p></section>')
    style = ("body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2937}"
             "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}mark{background:#fde68a;padding:0 .1em}"
             "section.cited{border-left:4px solid #f59e0b;padding-left:.8rem}.src{color:#6b7280}")
    return (f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(document.title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{style}</style></head><body>'
            f'<h1>{esc(document.title)}</h1><p class="src">{esc(document.source)}</p>{"".join(parts)}</body></html>')


def corpus_url(source: str, page: int | None = None) -> str:
    url = "/corpus/" + quote(source, safe="/")
    if page and source.lower().endswith(".pdf"):
        url += f"#page={int(page)}"
    return url


_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


def find_spans(text: str, quote_text: str) -> list[tuple[int, int]]:
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
    spans = find_spans(passage_text, quote_text)
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
    section = getattr(citation, "section", "")
    if section:
        bits.append(esc(section))
    url = corpus_url(source, page)
    if page and kind == ".pdf":
        link_text = t["open_page"].format(page=int(page))
    elif page and kind == ".pptx":
        link_text = t["open_slide"].format(page=int(page))
    elif kind in UNPAGED:
        link_text, url = t["open_passage"], view_url(source, section, citation.quote)
    else:
        link_text = t["open"]
    bits.append(f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(link_text)}</a>')
    return " · ".join(bits)


def _passage_for(citation, passages) -> str | None:
    same_page = [p for p in passages if p.source == citation.source and p.page == citation.page]
    for passage in same_page:
        if find_spans(passage.text, citation.quote):
            return passage.text
    return same_page[0].text if same_page else None


def render_citations(citations, passages, lang: str, title: str | None = None, empty: str | None = None,
                     notes: dict[int, str] | None = None) -> str:
    """The sources panel: per citation the title, page, link, and the quote marked in its passage (or the
    quote alone where no passage is given); `notes` adds a line per citation number (what it is used for)."""
    t = labels(lang)
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
            + (f'<div class="mdt-used-for">{esc(notes[c.n])}</div>' if notes and c.n in notes else "")
            + f'<blockquote class="mdt-passage">{marked}</blockquote></div>'
        )
    return f'<div class="mdt-sources">{head}{"".join(cards)}</div>'


def render_answer_message(answer, lang: str) -> str:
    """The chat message of an answer (Markdown, all of it literal text): notice, answer, sources line."""
    t = labels(lang)
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


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()  # what the page's handlers return for "leave this component as it is"


def banner(kind: str, text: str, fraction: float | None = None) -> str:
    bar = ""
    if fraction is not None:
        bar = f'<div class="mdt-progress"><div style="width:{max(0, min(100, round(fraction * 100)))}%"></div></div>'
    return f'<div class="mdt-banner {kind}" role="status">{esc(text)}{bar}</div>'


def header_html(lang: str) -> str:
    return f"<h1>MDT-assistent</h1><p>{esc(labels(lang)['subtitle'])}</p>"


def index_status_html(running: bool, progress: tuple | None, error: str | None, lang: str) -> str:
    """The indexing banner: progress while a run goes on (document i of total, and within it the page OCR
    is reading or the texts embedded so far), the error of a failed last run, else nothing."""
    t = labels(lang)
    if running:
        if not progress or not progress[1]:
            return banner("busy", t["indexing_start"])
        i, total, source, *pages = progress
        text = t["indexing"].format(i=i, total=total, source=f" — {source}" if source else "")
        within = 0.0
        if pages and pages[0]:
            kind, done, count, page = pages[0]
            if kind == "ocr":  # the page being read: done + 1 of count
                text += t["indexing_ocr"].format(page=page, done=done + 1, pages=count)
            else:
                text += t["indexing_embed"].format(done=done, total=count)
            within = done / count if count else 0.0
        return banner("busy", text, (i - 1 + within) / total)
    if error:
        return banner("error", t["index_failed"].format(error=error))
    return ""


DOCUMENT_COLUMNS = ("col_title", "col_file", "col_kind", "col_pages", "col_chunks", "col_indexed", "col_status")


def render_documents(records, failed: list[dict], lang: str, indexing: str | None = None) -> str:
    """The documents tab: one table of the corpus, each document with its status (indexed, being indexed,
    or failed with the reason; failed ones first, as they need the user). Each cell carries its column's
    name, which a phone shows before it (the table becomes cards there)."""
    t = labels(lang)

    def row(cells: list[tuple[str, str]], css: str = "") -> str:
        opening = f'<tr class="{css}">' if css else "<tr>"
        return opening + "".join(f'<td class="{kind}" data-label="{esc(t[column])}">{inner}</td>'
                                 for column, (kind, inner) in zip(DOCUMENT_COLUMNS, cells)) + "</tr>"

    rows = []
    for failure in sorted(failed, key=lambda f: f["source"].lower()):
        rows.append(row([("title", "—"), ("file", esc(failure["source"])), ("kind", ""), ("num", ""), ("num", ""),
                         ("num", ""), ("status", f'{esc(t["status_failed"])}: {esc(failure["error"])}')],
                        css="mdt-failed"))
    for record in sorted(records, key=lambda r: r.title.lower()):
        has_pages = record.kind in ("pdf", "pptx")
        status = t["status_indexing"] if record.source == indexing else t["status_indexed"]
        link = (f'<a href="{esc(corpus_url(record.source))}" target="_blank" rel="noopener noreferrer">'
                f"{esc(record.source)}</a>")
        rows.append(row([("title", esc(record.title)), ("file", link),
                         ("kind", esc(t.get(f"kind_{record.kind}", record.kind))),
                         ("num", str(record.pages) if has_pages else "—"), ("num", str(record.chunks)),
                         ("num", esc(time.strftime("%d-%m-%Y %H:%M", time.localtime(record.indexed_at)))),
                         ("status", esc(status))]))
    parts = [f"<p>{esc(t['docs_intro'])}</p>"]
    if rows:
        head = "".join(f"<th>{esc(t[k])}</th>" for k in DOCUMENT_COLUMNS)
        parts.append(f'<table class="mdt-docs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    else:
        parts.append(f'<p class="mdt-empty">{esc(t["docs_none"])}</p>')
    return f'<div id="mdt-docs-list">{"".join(parts)}</div>'
