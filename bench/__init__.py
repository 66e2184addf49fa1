"""Benchmark: how fast and how good the assistant is on this machine (a developer tool, not part of the
installed package). Run from the repository root:

    python -m bench [--quick] [--out bench/results] [--llm gguf:PATH | openai:URL | tiny]

Measures ingest (from scratch, unchanged, one changed document), cold start (the command line and the
app), warm per-question latency (retrieval and extractive answer, p50/p95), time to first token with a
language model, the app's peak memory, the growth curve over synthetic corpora of 1,000 and 10,000
pages, and retrieval quality and latency of the hybrid retriever against BM25 alone and a plain
llama-index VectorStoreIndex. Prints a table; writes JSON, Markdown and a PNG plot to --out. A full
run (not --quick) also refreshes bench/latest.md, bench/latest.json and bench/latest-scale.png.
See bench/README.md for what the figures mean and how the synthetic corpora are made.

Modules: common (folders, machine, percentiles, questions), timing (ingest, warm questions, time to
first token), startup (cold starts, app memory, OpenMP probe), baselines (BM25 alone, plain
llama-index), synthetic (synthetic corpora as PDFs), vectors (e5 stand-in for them), scale (the
sweep), report (targets, Markdown, PNG, files), cli (the command).
"""
