"""A self-contained HTML report of an evaluation run: a chart of the metrics (PNG, inline),
the breakdown by language and document, the comparison with the previous run, and a table per question."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

CHART_METRICS = ["hit_rate@5", "mrr", "lead_hit", "must_include_recall", "citation_precision", "faithfulness",
                 "semantic_similarity", "abstention_accuracy", "abstention_recall_on_topic", "pass_rate"]


def _chart(run: dict) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = run["metrics"]
    names = [m for m in CHART_METRICS if m in metrics]
    previous = (run.get("comparison") or {}).get("metric_deltas", {})
    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=110)
    now = [metrics[m] for m in names]
    if previous:
        before = [metrics[m] - previous.get(m, 0.0) for m in names]
        x = range(len(names))
        ax.bar([i - 0.2 for i in x], before, width=0.4, color="#b8c4d6", label="previous run")
        ax.bar([i + 0.2 for i in x], now, width=0.4, color="#2b6cb0", label="this run")
        ax.legend(loc="lower right", fontsize=8)
    else:
        ax.bar(range(len(names)), now, color="#2b6cb0")
    ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.grid(axis="y", alpha=0.3)
    for i, value in enumerate(now):
        ax.text(i + (0.2 if previous else 0), value + 0.02, f"{value:.2f}", ha="center", fontsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(summary: dict[str, dict]) -> str:
    columns = ["questions", "hit_rate@5", "mrr", "lead_hit", "answer_words_p50", "answer_words_p90",
               "fragments_per_answer", "abstention_recall_on_topic", "false_abstention_rate", "pass_rate"]
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    rows = "".join(
        f"<tr><td>{_e(name)}</td>" + "".join(f"<td>{_e(values.get(c, '–'))}</td>" for c in columns) + "</tr>"
        for name, values in summary.items())
    return f"<table><tr><th></th>{head}</tr>{rows}</table>"


def write_report(run: dict, folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    info = run.get("run", {})
    metrics = run["metrics"]
    parts = [f"<h1>MDT-assistent evaluation</h1><p>Set <b>{_e(info.get('set'))}</b>, corpus {_e(info.get('corpus'))}, "
             f"{_e(info.get('started'))}, model: {_e((info.get('config') or {}).get('llm'))}</p>"]
    if run.get("failures"):
        parts.append("<p class=fail>Below the thresholds: " + "; ".join(_e(f) for f in run["failures"]) + "</p>")
    parts.append(f"<img alt='metrics chart' src='data:image/png;base64,{_chart(run)}'>")
    parts.append("<h2>Metrics</h2><table>" + "".join(
        f"<tr><td>{_e(k)}</td><td>{_e(v)}</td>"
        f"<td>{_e(((run.get('comparison') or {}).get('metric_deltas') or {}).get(k, ''))}</td></tr>"
        for k, v in metrics.items()) + "</table>")
    breakdown = run.get("breakdown") or {}
    for key, label in (("language", "By language"), ("document", "By document")):
        if breakdown.get(key):
            parts.append(f"<h2>{label}</h2>{_table(breakdown[key])}")
    comparison = run.get("comparison")
    if comparison:
        parts.append(f"<h2>Compared with the run of {_e(comparison.get('previous'))}</h2>")
        for key, label in (("regressed", "Got worse"), ("improved", "Got better")):
            items = comparison.get(key) or []
            parts.append(f"<h3>{label}: {len(items)}</h3><ul>" + "".join(
                f"<li><b>{_e(c['id'])}</b> {_e(c['question'])} <small>({_e(c.get('why', ''))})</small></li>" for c in items) + "</ul>")
    rows = []
    for q in run["questions"]:
        status = {True: "pass", False: "fail", None: "–"}[q.get("passed")]
        expected = q.get("expected_answer") or ""
        sources = "<br>".join(f"{_e(c['source'])} p. {_e(c['page'])}" for c in q.get("citations", []))
        wanted = ", ".join(f"{_e(s['source'])} {_e(s['pages'])}" for s in q.get("expected_sources", []))
        quotes = "".join(f"<blockquote>{_e(quote)}</blockquote>" for quote in q.get("expected_quote", []))
        reader = {1.0: "lead hit", 0.0: "lead missed"}.get(q.get("lead_hit"), "")
        seen = f"{_e(q.get('answer_words', ''))} words" if "answer_words" in q else ""
        rows.append(f"<tr class={status}><td>{_e(q['id'])}</td><td>{_e(q['question'])}</td><td>{_e(expected)}"
                    f"{quotes}<small>{wanted}</small></td><td class=answer>{_e(q['answer'])}</td><td>{sources}</td>"
                    f"<td>{status}<br><small>{reader}<br>{seen}</small></td><td>{_e(q.get('seconds'))}</td></tr>")
    parts.append("<h2>Questions</h2><p>The answer as the user sees it, beside the expected answer and the sentence(s) "
                 "that should lead it.</p><table class=questions><tr><th>id</th><th>question</th><th>expected</th>"
                 "<th>answer</th><th>sources</th><th>result</th><th>s</th></tr>" + "".join(rows) + "</table>")
    style = ("body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;"
             "margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}"
             "tr.fail td{background:#fde8e8}tr.pass td:nth-child(6){color:#1a7f37}.fail{color:#b42318}"
             "td.answer{white-space:pre-wrap}blockquote{margin:.3em 0;padding-left:.5em;border-left:3px solid #2b6cb0}")
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>MDT-assistent evaluation</title>"
            f"<style>{style}</style></head><body>{''.join(parts)}</body></html>")
    path = folder / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
