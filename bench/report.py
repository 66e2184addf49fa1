"""The report: targets met or missed, a Markdown table, a PNG plot of the scale curve, and the files
written to --out (and, after a full run, bench/latest.*)."""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from .common import BENCH_DIR

TARGETS = {  # reported as met or missed, never asserted
    "warm_retrieval_p50_ms": ("warm retrieval p50", 150.0, "ms"),
    "extractive_answer_p50_ms": ("extractive answer p50", 500.0, "ms"),
    "unchanged_reingest_s": ("unchanged re-ingest (in-process)", 3.0, "s"),
    "unchanged_reingest_process_s": ("unchanged re-ingest (`mdt-assistent ingest` process)", 3.0, "s"),
    "app_peak_memory_mb": ("app peak memory (VmHWM)", 1536.0, "MiB"),
    "retrieval_p95_10k_ms": ("retrieval p95 at 10,000 pages", 300.0, "ms"),
}


def targets(results: dict) -> dict:
    figures = {}
    warm = results.get("warm") or {}
    if warm:
        figures["warm_retrieval_p50_ms"] = warm["retrieval_ms"]["p50"]
        figures["extractive_answer_p50_ms"] = warm["answer_ms"]["p50"]
    ingest_figures = results.get("ingest") or {}
    if "unchanged" in ingest_figures:
        figures["unchanged_reingest_s"] = ingest_figures["unchanged"]["seconds"]
    if "unchanged_process" in ingest_figures:
        figures["unchanged_reingest_process_s"] = ingest_figures["unchanged_process"]["seconds"]
    app = results.get("app") or {}
    if app.get("peak_rss_mb"):
        figures["app_peak_memory_mb"] = app["peak_rss_mb"]
    for row in (results.get("scale") or {}).get("sizes", []):
        if row["pages"] >= 10000:
            figures["retrieval_p95_10k_ms"] = row["cached"]["retrieval_ms"]["p95"]
    return {key: {"label": TARGETS[key][0], "value": value, "target": TARGETS[key][1], "unit": TARGETS[key][2],
                  "met": value is not None and value < TARGETS[key][1]}
            for key, value in figures.items()}


def _ms(block: dict | None, key: str = "p50") -> str:
    if not block or block.get(key) is None:
        return "–"
    return f"{block[key]:.0f}" if block[key] >= 10 else f"{block[key]:.1f}"


def render_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"# MDT-assistent benchmark ({'quick' if results.get('quick') else 'full'} run, {m['date']})", "",
             f"Machine: {m['cpu']}, {m['usable_cores']} cores, {m['ram_gib']} GiB RAM, Python {m['python']}, "
             f"{m['platform']}", "",
             "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v), ""]
    others = results.get("others_cpu_before") or {}
    if others:
        lines += ["CPU used by other processes just before each section (the machine is shared; figures "
                  "measured under load are slower than on an idle machine): "
                  + ", ".join(f"{k} {v:.0%}" for k, v in others.items() if v is not None) + ".", ""]
    rows = []
    ing = results.get("ingest") or {}
    if ing:
        s = ing["scratch"]
        rows.append(("Ingest from scratch", f"{s['seconds']:.1f} s for {s['documents']} documents, {s['pages']} pages, "
                     f"{s['chunks']} chunks ({s['vectors']} vectors): {s['pages_per_second']:.1f} pages/s, "
                     f"{s['chunks_per_second']:.1f} chunks/s; e5 {s['texts_per_second']} texts/s"))
        rows.append(("Unchanged re-ingest, in-process", f"{ing['unchanged']['seconds']:.2f} s (median of 3)"))
        if "unchanged_process" in ing:
            rows.append(("Unchanged re-ingest, `mdt-assistent ingest` process",
                         f"{ing['unchanged_process']['seconds']:.1f} s (median of {len(ing['unchanged_process']['runs'])})"))
        c = ing["changed_one"]
        rows.append(("One document re-saved (same text, new bytes)",
                     f"{c['seconds']:.1f} s ({c['document']}, {c['pages']} pages, {c['chunks']} chunks; "
                     f"{c.get('texts_embedded', '?')} texts embedded, {c.get('texts_reused', '?')} from the cache)"))
    if results.get("cold_cli"):
        c = results["cold_cli"]
        rows.append(("Cold start: `python -m assistant ask … --json` to answer",
                     f"{c['seconds']:.1f} s first run, {c['median_seconds']:.1f} s median of {len(c['runs'])}"))
    app = results.get("app") or {}
    if app.get("first_answer_seconds"):
        rows.append(("Cold start: `python app.py` to first answer (gradio_client)", f"{app['first_answer_seconds']:.1f} s"))
        rows.append(("App answer through gradio_client, p50 / p95",
                     f"{_ms(app['answer_ms'])} / {_ms(app['answer_ms'], 'p95')} ms ({app['questions']} questions)"))
        rows.append(("App peak memory (VmHWM) while answering",
                     f"{app['peak_rss_mb']:.0f} MiB (RSS after answering {app['rss_after_mb']:.0f} MiB)"))
    elif app.get("error"):
        rows.append(("App", f"not measured: {app['error']}"))
    warm = results.get("warm") or {}
    if warm:
        for label, key in (("Warm retrieval", "retrieval_ms"), ("Warm extractive answer", "answer_ms")):
            b = warm[key]
            rows.append((f"{label}, p50 / p95 / mean", f"{_ms(b)} / {_ms(b, 'p95')} / {_ms(b, 'mean')} ms "
                         f"({b['n']} questions)"))
    omp = results.get("omp") or {}
    if omp.get("default") and omp.get("passive") and "error" not in omp["default"] and "error" not in omp["passive"]:
        rows.append(("e5 query embedding p50, OpenMP default vs OMP_WAIT_POLICY=PASSIVE",
                     f"{omp['default']['query_p50_ms']} ms vs {omp['passive']['query_p50_ms']} ms; batch "
                     f"{omp['default']['sentences_per_second']} vs {omp['passive']['sentences_per_second']} sentences/s "
                     f"(other processes used {omp['others_cpu']:.0%} of the CPUs)"))
    ttft = results.get("ttft")
    if ttft:
        if ttft.get("error"):
            rows.append(("Time to first token", ttft["error"]))
        else:
            rows.append((f"Time to first token ({ttft['spec'].split('/')[-1]}), p50 / p95",
                         f"{_ms(ttft['ttft_ms'])} / {_ms(ttft['ttft_ms'], 'p95')} ms; whole answer p50 "
                         f"{_ms(ttft['answer_ms'])} ms ({ttft['ttft_ms']['n']} of {ttft['questions']} streamed; final answers: "
                         + ", ".join(f"{n} {mode}" for mode, n in ttft['modes'].items())
                         + f"; model start {ttft['model_load_seconds']} s)"))
    else:
        rows.append(("Time to first token", "not measured (no --llm given)"))
    lines += ["## Figures", "", "| Figure | Value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows] + [""]

    checks = results.get("targets") or {}
    if checks:
        lines += ["## Targets", "", "| Target | Measured | Bound | |", "|---|---|---|---|"]
        for t in checks.values():
            lines.append(f"| {t['label']} | {t['value']} {t['unit']} | < {t['target']:g} {t['unit']} | "
                         f"{'met' if t['met'] else '**missed**'} |")
        lines.append("")

    comparison = results.get("compare") or {}
    if comparison:
        lines += ["## Retrieval: hybrid vs BM25 alone vs plain llama-index (same questions)", "",
                  "| Retriever | hit rate@5 | MRR | latency p50 / p95 ms | notes |", "|---|---|---|---|---|"]
        for name, row in comparison.items():
            notes = row["what"] + (f"; {row['nodes']} nodes, built in {row['build_seconds']} s" if "nodes" in row else "")
            lines.append(f"| {name} | {row.get('hit_rate@5', 0):.3f} | {row.get('mrr', 0):.3f} | "
                         f"{_ms(row['latency_ms'])} / {_ms(row['latency_ms'], 'p95')} | {notes} |")
        lines.append("")

    scale = results.get("scale") or {}
    if scale.get("sizes"):
        lines += ["## Scale (synthetic corpora grown from the real one)", "",
                  "| Pages | Docs | Chunks | Vectors | Vectors from | Ingest s | Pages/s | First query s | "
                  "Retrieval p50 / p95 ms | Answer p50 / p95 ms | Unchanged re-ingest s | One changed doc s | Index MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        if ing:
            s, w = ing["scratch"], results.get("warm") or {}
            lines.append(f"| {s['pages']} (real) | {s['documents']} | {s['chunks']} | {s['vectors']} | e5 | "
                         f"{s['seconds']:.1f} | {s['pages_per_second']:.1f} | – | {_ms(w.get('retrieval_ms'))} / "
                         f"{_ms(w.get('retrieval_ms'), 'p95')} | {_ms(w.get('answer_ms'))} / {_ms(w.get('answer_ms'), 'p95')} | "
                         f"{ing['unchanged']['seconds']:.2f} | {ing['changed_one']['seconds']:.1f} | {s.get('index_mb', '–')} |")
        for row in scale["sizes"]:
            for mode, label in (("true", "e5"), ("cached", "cache (see below)")):
                if mode not in row:
                    continue
                r = row[mode]
                changed = r.get("changed_one") or {}
                changed_text = "–" if not changed else (f"{changed['seconds']:.1f}" + (" (failed)" if changed.get("error") else "")
                                                        + (f", ~{changed['projected_true_seconds']:.0f} with e5"
                                                           if changed.get("projected_true_seconds") else ""))
                lines.append(f"| {r['pages']} | {r['documents']} | {r['chunks']} | {r['vectors']} | {label} | "
                             f"{r['seconds']:.1f} | {r['pages_per_second']:.1f} | {r['first_query_seconds']:.1f} | "
                             f"{_ms(r['retrieval_ms'])} / {_ms(r['retrieval_ms'], 'p95')} | "
                             f"{_ms(r['answer_ms'])} / {_ms(r['answer_ms'], 'p95')} | "
                             f"{r['unchanged_seconds']:.2f} | {changed_text} | {r['index_mb']:.0f} |"
                             if mode == "cached" else
                             f"| {r['pages']} | {r['documents']} | {r['chunks']} | {r['vectors']} | {label} | "
                             f"{r['seconds']:.1f} | {r['pages_per_second']:.2f} | {r['first_query_seconds']:.1f} | "
                             f"{_ms(r['retrieval_ms'])} / {_ms(r['retrieval_ms'], 'p95')} | "
                             f"{_ms(r['answer_ms'])} / {_ms(r['answer_ms'], 'p95')} | – | – | {r['index_mb']:.0f} |")
            if "projected_true" in row:
                p = row["projected_true"]
                lines.append(f"| {row['pages']} | | | | e5, **projected** | {p['seconds']} | {p['pages_per_second']:.2f} "
                             f"| | | | | | |")
        meth = scale["method"]
        lines += ["", "Vectors from 'cache': the project's ingest() ran unchanged, but e5 was replaced by a lookup: "
                  "sentences of the real corpus get their true e5 vector, a chunk (a new combination of real "
                  "sentences) gets the mean of its sentences' vectors (on the real corpus that mean has cosine "
                  f"{meth['chunk_vector_vs_mean_of_sentences_cosine']} to the true chunk vector, min "
                  f"{meth['chunk_vector_vs_mean_of_sentences_min_cosine']}), and every vector a small jitter so that "
                  "two copies of a sentence are as similar as two sentences of one real document (median cosine "
                  f"{meth['within_document_sentence_cosine']}). Ingest times in those rows exclude e5; 'projected' rows "
                  "add the e5 time at the measured throughput. Retrieval and answer latencies are measured for real "
                  "(query embedding, exact dense search over the vectors read from Chroma, BM25).", ""]
        for row in scale["sizes"]:
            r = row["cached"]
            if r.get("project_sweep_error"):
                lines.append(f"- At {row['pages']} pages the project's own sweep of stale chunks fails "
                             f"(`{r['project_sweep_error'][:160]}`): every ingest that changes something fails there.")
            sources = r.get("vector_sources") or {}
            if sources:
                lines.append(f"- {row['pages']} pages: vectors {sources.get('cached', 0)} from the cache, "
                             f"{sources.get('composed', 0)} composed, {sources.get('embedded', 0)} embedded by e5.")
        lines.append("")
    if results.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in results["notes"]] + [""]
    return "\n".join(lines)


def plot_scale(results: dict, path: Path) -> Path | None:
    scale = results.get("scale") or {}
    if not scale.get("sizes"):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    points = []
    ing, warm = results.get("ingest") or {}, results.get("warm") or {}
    if ing and warm:
        points.append((ing["scratch"]["pages"], warm["retrieval_ms"], ing["scratch"]["pages_per_second"], "true"))
    for row in scale["sizes"]:
        if "true" in row:
            points.append((row["true"]["pages"], row["true"]["retrieval_ms"], row["true"]["pages_per_second"], "true"))
        points.append((row["cached"]["pages"], row["cached"]["retrieval_ms"], row["cached"]["pages_per_second"], "cached"))
    for mode, marker in (("true", "o"), ("cached", "s")):
        chosen = sorted((p for p in points if p[3] == mode), key=lambda p: p[0])
        if not chosen:
            continue
        xs = [p[0] for p in chosen]
        label = "real e5 index" if mode == "true" else "synthetic, vectors cached"
        left.plot(xs, [p[1]["p50"] for p in chosen], marker=marker, label=f"p50, {label}")
        left.plot(xs, [p[1]["p95"] for p in chosen], marker=marker, linestyle="--", label=f"p95, {label}")
    left.axhline(300, color="red", linewidth=0.8, linestyle=":", label="target p95 @10k: 300 ms")
    left.axhline(150, color="orange", linewidth=0.8, linestyle=":", label="target p50: 150 ms")
    left.set_xscale("log")
    left.set_xlabel("pages")
    left.set_ylabel("retrieval latency (ms)")
    left.set_title("Retrieval latency by corpus size")
    left.legend(fontsize=7)
    true_points = sorted((p[0], p[2]) for p in points if p[3] == "true")
    cached_points = sorted((p[0], p[2]) for p in points if p[3] == "cached")
    if true_points:
        right.plot(*zip(*true_points), marker="o", label="measured with e5")
    if cached_points:
        right.plot(*zip(*cached_points), marker="s", label="index build, vectors cached")
    projected = sorted((row["pages"], row["projected_true"]["pages_per_second"]) for row in scale["sizes"]
                       if "projected_true" in row)
    if projected:
        right.plot(*zip(*projected), marker="x", linestyle=":", label="projected with e5")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("pages")
    right.set_ylabel("ingest throughput (pages/s)")
    right.set_title("Ingest throughput by corpus size")
    right.legend(fontsize=7)
    fig.suptitle(f"MDT-assistent on {results['machine']['cpu']}, {results['machine']['usable_cores']} cores", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_results(results: dict, out: Path, latest: bool) -> dict[str, Path]:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / f"bench-{stamp}.json", "md": out / f"bench-{stamp}.md", "png": out / f"bench-{stamp}-scale.png"}
    png = plot_scale(results, paths["png"])
    if png is None:
        del paths["png"]
    markdown = render_markdown(results)
    if png is not None:
        markdown += f"\n![scale curve]({'latest-scale.png' if latest else png.name})\n"
    paths["json"].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["md"].write_text(markdown, encoding="utf-8")
    if latest:
        (BENCH_DIR / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (BENCH_DIR / "latest.md").write_text(markdown, encoding="utf-8")
        if png is not None:
            shutil.copy(png, BENCH_DIR / "latest-scale.png")
    return paths
