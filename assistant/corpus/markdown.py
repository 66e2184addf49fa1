"""Markdown as the text a reader sees: headings start sections (they are not text), emphasis, links,
code and quote marks go, list items become bullets, table rows become sentences.

HTML in a markdown file is left as text: it is shown escaped, never run.
"""
from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(\[[ xX]\]\s+)?")
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),  # an image: its description
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^()]*\))*\)"), r"\1"),  # a link: its text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # a reference link
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # an autolink
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),  # escaped marks
]
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")


def inline_text(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text.strip()


def _ended(line: str) -> str:
    """A block ends a sentence, so that it does not run into the next (as Word paragraphs do)."""
    return line if line[-1:] in ".!?:;" else line + "."


def markdown_sections(text: str) -> list[tuple[str, str]]:
    """(heading, text) of each section, in order; text before the first heading has heading ''.
    The text has one block (paragraph, list item, table row) per line."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    paragraph: list[str] = []
    fenced = False
    lines = text.splitlines()

    def flush() -> None:
        if paragraph:
            sections[-1][1].append(_ended(inline_text(" ".join(paragraph))))
            paragraph.clear()

    for i, line in enumerate(lines):
        if _FENCE.match(line):
            flush()
            fenced = not fenced
            continue
        if fenced:  # code: its lines as they are
            if line.strip():
                sections[-1][1].append(line.strip())
            continue
        heading = _HEADING.match(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if heading or (line.strip() and not paragraph and _SETEXT.match(following) and not _BULLET.match(line)):
            flush()
            sections.append((inline_text(heading.group(2) if heading else line), []))
            continue
        if _SETEXT.match(line) and sections[-1][1] == [] and sections[-1][0]:
            continue  # the underline of a heading just started
        if not line.strip() or _RULE.match(line) or _TABLE_RULE.match(line) or _REFERENCE_DEFINITION.match(line):
            flush()
            continue
        line = _QUOTE.sub("", line)
        if "|" in line.strip()[1:-1] or line.strip().startswith("|"):  # a table row: its cells, one sentence
            flush()
            cells = [inline_text(cell) for cell in line.strip().strip("|").split("|")]
            row = " – ".join(cell for cell in cells if cell)
            if row:
                sections[-1][1].append(_ended(row))
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            flush()
            item = inline_text(line[(bullet or numbered).end():])
            if item:
                sections[-1][1].append(_ended(f"• {item}" if bullet else f"{numbered.group(1)}. {item}"))
            continue
        paragraph.append(line.strip())
    flush()
    return [(heading, "\n".join(blocks)) for heading, blocks in sections if heading or blocks]
