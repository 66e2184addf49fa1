"""What a reader sees of an answer, measured: does its first sentence answer (lead hit), how long is
it, does every quote start and end as a whole sentence, does it open with a reference it cannot
resolve ('Bij hen ...'). A metric that counts quotes can look good on an answer nobody would read;
these look at the answer as it is shown."""
from __future__ import annotations

import re
import statistics

from ..answers.sentences import (is_diagram_label, is_fragment, is_heading, points_back, shown_parts,
                                 without_title)
from ..corpus.text import normalise, split_sentences, words
from .metrics import percentile

MARKER = re.compile(r"\s*\[\d{1,3}\]")
_BULLET = re.compile(r"^\s*-\s+")


def answer_body(text: str) -> str:
    """The answer without an English where-line ('The documents answer this in ... (quoted in Dutch):')."""
    first, sep, rest = text.partition("\n\n")
    return rest if sep and first.rstrip().endswith("(quoted in Dutch):") else text


def segments(text: str) -> list[str]:
    """The answer's quoted parts: the text between citation markers (a list counts as one part)."""
    return [s.strip() for s in MARKER.split(answer_body(text)) if s.strip()]


def lead_sentence(text: str) -> str:
    parts = segments(text)
    if not parts:
        return ""
    first_line = parts[0].split("\n", 1)[0]
    sentences = split_sentences(normalise(first_line))
    return sentences[0] if sentences else ""


def word_key(text: str) -> str:
    """A text by its words alone (case, punctuation and spacing left out), to compare quotes."""
    return " ".join(words(text))


def answers(sentence: str, quotes: list[str], titles: tuple[str, ...] = ()) -> bool:
    """`sentence` is (or holds, or is most of) one of the expected answering sentences: the one rule for
    lead hit and for the sentence scorer's labels, so the scorer learns what the metric counts. `titles`:
    of the documents cited, whose title a quote may have run into its start (shown without it)."""
    key = word_key(sentence)
    if not key:
        return False
    for quote in quotes:  # a quote from the index counts as met by the sentence a reader is shown of it
        for part in shown_parts(quote) + [without_title(quote, title) for title in titles]:
            expected = word_key(part)
            if expected and (expected in key or (key in expected and len(key) >= 0.6 * len(expected))):
                return True
    return False


def lead_hit(text: str, quotes: list[str], titles: tuple[str, ...] = ()) -> bool:
    """The answer's first sentence answers: it is (or holds, or is most of) an expected answering sentence."""
    return answers(lead_sentence(text), quotes, titles)


def answer_words(text: str) -> int:
    return len(words(MARKER.sub("", answer_body(text))))


def is_list_answer(text: str) -> bool:
    return any(_BULLET.match(line) for line in answer_body(text).splitlines())


def fragments(text: str) -> int:
    """Quoted sentences that are not whole (start or stop mid-sentence), headings, diagram labels or markdown."""
    count = 0
    for part in segments(text):
        lines = part.split("\n")
        for line in lines:
            item = _BULLET.match(line)
            line = _BULLET.sub("", line).strip()
            if not line or item:  # a list item may be a phrase ('talentontwikkeling')
                count += bool(line) and (is_heading(line) or "#" in line[:3])
                continue
            for sentence in split_sentences(normalise(line)):
                count += is_fragment(sentence) or is_heading(sentence) or is_diagram_label(sentence)
    return count


def unresolved_references(text: str) -> int:
    """Quoted parts that open by pointing back to a sentence the answer does not show."""
    return sum(points_back(lead_sentence(part + " [1]")) for part in segments(text))


def describe(answer, item) -> dict:
    """The reader's view of one answer, for evaluate_item."""
    row: dict = {}
    if answer.abstained:
        if item.abstain is False and item.expected_quote:
            row["lead_hit"] = 0.0
        return row
    text = answer.answer
    row["answer_words"] = answer_words(text)
    row["list_answer"] = is_list_answer(text)
    row["fragments"] = fragments(text)
    row["unresolved_references"] = unresolved_references(text)
    row["lead"] = lead_sentence(text)
    if item.expected_quote:
        row["lead_hit"] = float(lead_hit(text, item.expected_quote, tuple(c.title for c in answer.citations[:1])))
    return row


def summarise(rows: list[dict]) -> dict:
    """Set-level figures of what readers see."""
    answered = [r for r in rows if "answer_words" in r]
    prose = [r["answer_words"] for r in answered if not r.get("list_answer")]
    lists = [r["answer_words"] for r in answered if r.get("list_answer")]
    on_topic = [r for r in rows if r.get("abstain_expected") is True and not r.get("off_topic")]
    leads = [r["lead_hit"] for r in rows if "lead_hit" in r]
    return {key: value for key, value in {
        "lead_hit": round(statistics.fmean(leads), 4) if leads else None,
        "answer_words_p50": percentile(prose, 0.5),
        "answer_words_p90": percentile(prose, 0.9),
        "list_answer_words_p50": percentile(lists, 0.5),
        "fragments_per_answer": round(statistics.fmean(r["fragments"] for r in answered), 4) if answered else None,
        "unresolved_per_answer": round(statistics.fmean(r["unresolved_references"] for r in answered), 4)
        if answered else None,
        "abstention_recall_on_topic": round(statistics.fmean(float(r["abstained"]) for r in on_topic), 4)
        if on_topic else None,
    }.items() if value is not None}
