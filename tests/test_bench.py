"""Smoke test of the benchmark (the bench/ package) on a tiny corpus: one page of one bundled PDF, four
questions, a 40-page synthetic corpus. It checks that every figure is produced and sane; it sets no
bounds on time (the targets are reported by `python -m bench`, never asserted)."""
from __future__ import annotations

import json

from assistant import Assistant
from bench import baselines, common, report, scale, synthetic, timing
from bench.common import ROOT

TINY = "samenwerken-met-gemeenten.pdf"


def _sane(block: dict, n: int) -> None:
    assert block["n"] == n
    assert 0 < block["p50"] <= block["p95"] <= block["max"]
    assert block["mean"] > 0


def test_stats_and_synthetic_pdf(tmp_path):
    figures = common.stats_ms([0.1, 0.2, 0.3, 0.4, 1.0])
    assert figures["p50"] == 300.0 and figures["max"] == 1000.0 and 300 < figures["p95"] < 1000
    assert common.stats_ms([])["p50"] is None

    from assistant.corpus.readers import read_document

    pages = ["Eerste pagina met een zin. En een MDT- en jongerenzin die lang genoeg is om te worden afgebroken "
             "over meerdere regels, met ‘aanhalingstekens’ en een gedachtestreepje – zoals hier.", "Tweede pagina."]
    synthetic.write_pdf(tmp_path / "x.pdf", "Titel met ë", pages)
    document = read_document(tmp_path / "x.pdf")
    assert document.title == "Titel met ë"
    assert [page.text for page in document.pages] == pages


def _tiny_corpus(folder):
    """Page 5 of one bundled PDF (its real number kept: the pages before it are left empty)."""
    from assistant.corpus.readers import read_document

    real = read_document(ROOT / "corpus" / TINY)
    text = {page.number: page.text for page in real.pages}
    folder.mkdir()
    synthetic.write_pdf(folder / TINY, real.title, [text[n] if n == 5 else "" for n in range(1, 6)])


def test_benchmark_parts_on_a_tiny_corpus(tmp_path, embedding):
    source = tmp_path / "source"
    _tiny_corpus(source)
    work = tmp_path / "work"
    work.mkdir()

    ingest, config = timing.bench_ingest(source, work, embedding, process_runs=0)
    scratch = ingest["scratch"]
    assert (scratch["documents"], scratch["pages"]) == (1, 1) and not scratch["failed"]
    assert 0 < scratch["chunks"] < scratch["vectors"]
    assert scratch["seconds"] > 0 and scratch["pages_per_second"] > 0 and scratch["texts_per_second"] > 0
    assert ingest["unchanged"]["seconds"] < scratch["seconds"]  # nothing re-embedded
    assert ingest["changed_one"]["updated"] == [TINY]
    # its bytes changed, not its text: every text comes from the embedding cache
    assert ingest["changed_one"]["texts_embedded"] == 0

    items = [item for item in common.load_items() if item.expected_sources
             and all(s.source == TINY and s.pages == [5] for s in item.expected_sources)][:4]
    assert len(items) == 4
    assistant = Assistant(config, embedding=embedding)
    warm, ranked = timing.bench_warm(assistant, items)
    _sane(warm["retrieval_ms"], 4)
    _sane(warm["answer_ms"], 4)
    assert set(ranked) == {item.id for item in items}

    compare = baselines.bench_compare(assistant, items, warm, ranked)
    assert set(compare) == {"hybrid", "bm25", "llama_index"}
    for row in compare.values():
        assert 0 <= row["mrr"] <= row["hit_rate@5"] <= 1
        assert row["latency_ms"]["n"] == 4
    assert compare["hybrid"]["hit_rate@5"] >= 0.5
    assert compare["llama_index"]["nodes"] >= 1

    swept = scale.bench_scale(config, embedding, items, [40], work, log=lambda _text: None)
    row = swept["sizes"][0]
    assert row["pages"] == 40 and row["documents"] >= 5
    cached = row["cached"]
    assert cached["pages"] == 40 and cached["chunks"] > 0 and cached["vectors"] > cached["chunks"]
    assert cached["vector_sources"]["cached"] > 0
    _sane(cached["retrieval_ms"], 4)
    assert 0.8 < swept["method"]["chunk_vector_vs_mean_of_sentences_cosine"] <= 1

    results = {"quick": True, "machine": common.machine(), "ingest": ingest, "warm": warm, "compare": compare,
               "scale": swept, "notes": []}
    results["targets"] = report.targets(results)
    assert results["targets"]["warm_retrieval_p50_ms"]["value"] == warm["retrieval_ms"]["p50"]
    assert all(isinstance(t["met"], bool) for t in results["targets"].values())
    paths = report.write_results(results, tmp_path / "out", latest=False)
    assert json.loads(paths["json"].read_text())["ingest"]["scratch"]["pages"] == 1
    assert paths["png"].stat().st_size > 5000
    markdown = paths["md"].read_text()
    assert "Scale" in markdown and "hit rate@5" in markdown and "| 40 |" in markdown


def test_wrap_never_splits_at_a_hyphen():
    words = ("woord " * 30 + "MDT- en -projecten " + "woord " * 30).split()
    lines = synthetic.wrap(" ".join(words), width=20)
    assert all(not line.endswith("-") for line in lines[:-1])
    assert all(not line.startswith("-") for line in lines)
    assert " ".join(lines).split() == words


def test_entry_point_from_the_repository_root():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert "python -m bench" in done.stdout and "--quick" in done.stdout and "--llm" in done.stdout
