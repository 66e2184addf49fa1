"""The command: `python -m bench [--quick] [--llm tiny | gguf:PATH | openai:URL] ...` (from the repository
root). Runs every measurement, prints the Markdown report and writes it with JSON and a PNG to --out."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from assistant import Assistant, load_embedding

from .baselines import bench_compare
from .common import DEFAULT_OUT, DEFAULT_SET, ROOT, cpu_busy, load_items, machine, wait_for_quiet
from .report import render_markdown, targets, write_results
from .scale import bench_scale, estimate_rate
from .startup import bench_app, bench_cold_cli, bench_omp
from .timing import bench_ingest, bench_ttft, bench_warm, tiny_model

DESCRIPTION = "Benchmark: how fast and how good the assistant is on this machine."


def run(args) -> dict:
    quick = args.quick
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mdt-bench-", dir=args.work))
    results: dict = {"quick": quick, "machine": machine(), "notes": []}

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    log(f"machine: {results['machine']['cpu']}, {results['machine']['usable_cores']} cores; work folder {work}")
    busy = results["others_cpu_before"] = {}

    def section(name: str) -> None:
        log(f"{name} ...")
        busy[name] = wait_for_quiet(args.wait_quiet, log=log) if args.wait_quiet else cpu_busy(1.0)

    items = load_items(Path(args.set), limit=args.questions or (24 if quick else None))
    try:
        started = time.perf_counter()
        embedding = load_embedding()
        results["embedding_load_seconds"] = round(time.perf_counter() - started, 2)

        section("ingest")
        results["ingest"], config = bench_ingest(Path(args.corpus), work, embedding, process_runs=1 if quick else 3)

        section("e5 threads")
        results["omp"] = bench_omp(Path(args.corpus))

        section("warm questions")
        assistant = Assistant(config, embedding=embedding)
        results["warm"], ranked = bench_warm(assistant, items)

        section("retrievers side by side")
        results["compare"] = bench_compare(assistant, items, results["warm"], ranked)

        if args.llm:
            section("time to first token")
            spec = tiny_model(out) if args.llm == "tiny" else args.llm
            results["ttft"] = bench_ttft(config, embedding, items, spec, limit=3 if quick else 10)
            if args.llm == "tiny" or "gemma" in spec:
                results["notes"].append("The language model is Gemma 3 270M (base, Q4_K_M) run in-process by xllamacpp "
                                        "on the same 2 cores: a plumbing test, its words are noise.")

        section("cold start (command line)")
        results["cold_cli"] = bench_cold_cli(config, runs=1 if quick else 3)

        if not args.skip_app:
            section("cold start and memory (app)")
            try:
                results["app"] = bench_app(config, items[: (5 if quick else 20)], work)
            except Exception as error:  # the app is someone else's work in progress: report, go on
                results["app"] = {"error": f"{type(error).__name__}: {error}"[:500]}
        sizes = [int(s) for s in (args.sizes.split(",") if args.sizes else (["1000"] if quick else ["1000", "10000"]))]
        if sizes and sizes != [0]:
            section("scale")
            true_sizes = () if quick or args.no_true_ingest else tuple(s for s in sizes if s <= 1000)
            results["scale"] = bench_scale(
                config, embedding, items, sizes, work, true_sizes=true_sizes, log=log,
                quiet=(lambda: wait_for_quiet(args.wait_quiet, log=log)) if args.wait_quiet else (lambda: cpu_busy(1.0)))
            if not true_sizes:
                rate = estimate_rate(results["ingest"])
                results["notes"].append(f"No true ingest at scale in this run; e5 throughput measured on the real corpus: "
                                        f"{rate} texts/s.")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    results["targets"] = targets(results)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=DESCRIPTION)
    parser.add_argument("--quick", action="store_true", help="1,000 pages only, 24 questions, one run of each process")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the JSON, Markdown and PNG (default bench/results)")
    parser.add_argument("--llm", metavar="SPEC", help="gguf:PATH | openai:URL | tiny (the Gemma 3 270M test model): "
                                                      "also measure time to first token")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="the real corpus (default corpus/)")
    parser.add_argument("--set", default=str(DEFAULT_SET), help="the questions (default eval/questions.yaml)")
    parser.add_argument("--questions", type=int, help="use at most this many questions (a spread over the set)")
    parser.add_argument("--sizes", help="synthetic corpus sizes in pages, comma-separated (default 1000,10000; 0: none)")
    parser.add_argument("--no-true-ingest", action="store_true", help="skip the true e5 ingest of the 1,000-page corpus")
    parser.add_argument("--skip-app", action="store_true", help="do not start app.py")
    parser.add_argument("--work", help="where the temporary corpora and indexes go (default: the system temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each section wait up to this long for other processes to leave the CPUs idle")
    parser.add_argument("--no-latest", action="store_true", help="a full run does not refresh bench/latest.*")
    args = parser.parse_args(argv)
    results = run(args)
    paths = write_results(results, Path(args.out), latest=not args.quick and not args.no_latest)
    print(render_markdown(results))
    print("written: " + ", ".join(str(p) for p in paths.values()), file=sys.stderr)
    return 0
