"""The corpus growing as real corpora grow, step by step over one index:

1. the bundled corpus (real e5);
2. a new version of an 8-page document with one page changed;
3. a 1.1 MB text file of repeated paragraphs (boilerplate);
4. new documents: synthetic corpora of 1,000 and 10,000 pages (their vectors from the benchmark's
   CachedEmbedding, as in the scale sweep: e5 would take an hour at 10,000 pages).

After each step: ingest seconds, texts embedded vs. reused (the embedding cache), the first question
in a new Assistant (what a new process or the app pays after an index change) and warm retrieval
p50/p95. Printed as a table, written as JSON.

    .venv/bin/python -m bench.growth [--sizes 1000,10000] [--questions 40] [--out bench/results]
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from assistant import Assistant
from assistant.corpus.readers import read_document

from .common import DEFAULT_SET, ROOT, bench_config, forget_queries, load_items, stats_ms
from .synthetic import read_sources, synthesize_corpus, write_pdf
from .vectors import CachedEmbedding, vector_cache

CHANGED = "samenwerken-met-gemeenten.pdf"


def step(name: str, config, embedding, items, indexing=None) -> dict:
    """Ingest (with `indexing` in place of the model, where given), then the first question of a new
    Assistant, then warm retrieval."""
    started = time.perf_counter()
    report = Assistant(config, embedding=indexing or embedding).ingest()
    ingest = time.perf_counter() - started
    assistant = Assistant(config, embedding=embedding)
    forget_queries(embedding)
    started = time.perf_counter()
    assistant.retrieve(items[0].question)
    first = time.perf_counter() - started
    warm = []
    for item in items:
        forget_queries(embedding)
        started = time.perf_counter()
        assistant.retrieve(item.question, k=5)
        warm.append(time.perf_counter() - started)
    figures = stats_ms(warm)
    return {"step": name, "documents": report.documents, "chunks": report.chunks, "ingest_s": round(ingest, 1),
            "embedded": report.texts_embedded, "reused": report.texts_reused, "first_question_s": round(first, 3),
            "warm_p50_ms": figures["p50"], "warm_p95_ms": figures["p95"]}


def boilerplate(path: Path, sentences: list[str], size: int = 1_100_000) -> None:
    """Paragraphs of corpus sentences, 40 different ones repeated until the file has `size` bytes."""
    paragraphs = [" ".join(sentences[i:i + 3]) for i in range(0, 120, 3)]
    text, n = [], 0
    while n < size:
        paragraph = paragraphs[len(text) % len(paragraphs)]
        text.append(paragraph)
        n += len(paragraph.encode("utf-8")) + 2
    path.write_text("\n\n".join(text), encoding="utf-8")


def run(args) -> list[dict]:
    from assistant.embeddings import load_embedding

    work = Path(tempfile.mkdtemp(prefix="mdt-growth-"))
    corpus, rows = work / "corpus", []
    shutil.copytree(ROOT / "corpus", corpus, ignore=shutil.ignore_patterns("README.md"))
    config = bench_config(corpus, work / "index")
    embedding = load_embedding("e5-small")
    items = load_items(Path(args.set), limit=args.questions)
    try:
        rows.append(step("bundled corpus", config, embedding, items))
        calibration = vector_cache(config, embedding)  # the synthetic pages' vectors come from these
        document = read_document(corpus / CHANGED)
        pages = [page.text for page in document.pages]
        write_pdf(corpus / CHANGED, document.title, pages)  # as written by this tool: same text, new file
        rows.append(step("same document re-saved", config, embedding, items))
        pages[2] = "Deze pagina is herschreven voor de nieuwe versie. " + pages[2][len(pages[2]) // 2:]
        write_pdf(corpus / CHANGED, document.title, pages)
        rows.append(step("new version, one page changed", config, embedding, items))
        sources = read_sources(ROOT / "corpus")
        boilerplate(corpus / "herhaalde-alinea's.txt", [s for _, sentences, _ in sources for s in sentences])
        rows.append(step("1.1 MB of repeated paragraphs", config, embedding, items))
        titles = [doc.title for doc, _, _ in sources]
        for size in [int(s) for s in args.sizes.split(",") if s]:
            synthetic = synthesize_corpus(sources, work / f"synthetic-{size}", size)
            for path in synthetic.corpus.iterdir():
                shutil.move(str(path), corpus / f"{size}-{path.name}")
            cached = CachedEmbedding(embedding, dict(calibration["cache"]), titles, synthetic.merges,
                                     copy_cosine=calibration["within_document_cosine"])
            rows.append(step(f"+{size} new pages (vectors cached)", config, embedding, items, indexing=cached))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def table(rows: list[dict]) -> str:
    head = ["step", "documents", "chunks", "ingest_s", "embedded", "reused", "first_question_s", "warm_p50_ms",
            "warm_p95_ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(row[key]) for key in head) + " |" for row in rows]
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> Path:
    """Per step: texts embedded vs reused (left), seconds the user waits (right: ingest, first question)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [row["step"] for row in rows]
    xs = range(len(rows))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.6))
    left.bar([x - 0.2 for x in xs], [max(row["embedded"], 0.5) for row in rows], width=0.4, label="embedded by e5")
    left.bar([x + 0.2 for x in xs], [max(row["reused"], 0.5) for row in rows], width=0.4, label="reused (cache)")
    left.set_yscale("log")
    left.set_ylabel("texts")
    left.set_title("Texts embedded vs reused, per step")
    right.plot(xs, [row["ingest_s"] for row in rows], marker="o", label="ingest (s)")
    right.plot(xs, [row["first_question_s"] for row in rows], marker="s", label="first question after it (s)")
    right.plot(xs, [row["warm_p95_ms"] / 1000 for row in rows], marker="^", linestyle="--", label="warm p95 (s)")
    right.set_yscale("log")
    right.set_ylabel("seconds")
    right.set_title("What a user waits for, per step")
    for axis in (left, right):
        axis.set_xticks(list(xs))
        axis.set_xticklabels(names, rotation=25, ha="right", fontsize=7)
        axis.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic pages added, in steps (default 1000,10000)")
    parser.add_argument("--questions", type=int, default=40, help="questions for the warm figures (default 40)")
    parser.add_argument("--set", default=str(DEFAULT_SET))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args(argv)
    rows = run(args)
    print(table(rows))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "growth.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    (out / "growth.md").write_text(table(rows) + "\n", encoding="utf-8")
    print("written:", plot(rows, out / "growth.png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
