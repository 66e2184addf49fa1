"""The command line (see CONTRACT.md): a thin layer over the library API (assistant.Assistant).

Exit status: 0 success, 1 the work failed, 2 bad usage or bad input; a one-line message on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import AssistantError, Config, UsageError, message


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="corpus folder (MDT_CORPUS_DIR; default corpus/)")
    common.add_argument("--index", metavar="DIR", help="index folder (MDT_INDEX_DIR; default index/)")
    common.add_argument("--chroma-url", metavar="URL", help="use a Chroma server (MDT_CHROMA_URL)")
    common.add_argument("--llm", metavar="SPEC", help="none | openai:<url>[#model] | ollama:<model>[@url] | gguf:<path> (MDT_LLM)")
    common.add_argument("--embedding", metavar="SPEC", help="e5-small | st:<model> (MDT_EMBEDDING)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    parser = argparse.ArgumentParser(prog="mdt-assistent", description="Cited answers from the MDT guidance documents.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ingest = sub.add_parser("ingest", parents=[common], help="index the corpus folder incrementally")
    ingest.add_argument("--allow-empty", action="store_true",
                        help="let a corpus folder without documents empty the index (refused otherwise)")
    retrieve = sub.add_parser("retrieve", parents=[common], help="show the passages an answer would use")
    retrieve.add_argument("question")
    retrieve.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    ask = sub.add_parser("ask", parents=[common], help="answer one question with its sources")
    ask.add_argument("question")
    sub.add_parser("chat", parents=[common], help="ask questions in the terminal, with follow-ups")
    email = sub.add_parser("email", parents=[common], help="draft a follow-up e-mail from meeting notes")
    email.add_argument("--notes", required=True, metavar="FILE", help="the notes ('-' reads standard input)")
    email.add_argument("--eml", metavar="FILE", help="also write the draft as an .eml message to open in a mail program")
    email.add_argument("--register", choices=("auto", "u", "je"),
                       help="address the recipient with 'u' or 'je' (default: auto, from the notes)")
    evaluate = sub.add_parser("eval", parents=[common], help="run the evaluation set and compare with the last run")
    evaluate.add_argument("--set", metavar="FILE", help="YAML or JSONL questions (default eval/questions.yaml)")
    evaluate.add_argument("--report", metavar="DIR", help="write an HTML report into DIR")
    evaluate.add_argument("--fail-under", metavar="SPEC", help="e.g. hit_rate@5=0.85,pass_rate=0.7 (replaces the defaults)")
    evaluate.add_argument("--runs", metavar="DIR", help="where runs are kept (default eval/runs)")
    serve = sub.add_parser("serve", parents=[common], help="start the chat window (web app)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="7860", help="1-65535 (default 7860)")
    return parser


def _config(args) -> Config:
    return Config.from_env(
        corpus_dir=args.corpus, index_dir=args.index, chroma_url=args.chroma_url,
        llm=args.llm, embedding=args.embedding,
    )


def _emit(args, data: dict, text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)


def _question(text: str) -> str:
    from . import check_question

    try:
        return check_question(text)  # empty, no words, over 2,000 characters: exit 2 with the reason
    except ValueError as error:
        raise UsageError(str(error)) from None


def _ocr_progress(source: str, page: int, done: int, total: int) -> None:
    # OCR takes seconds a page: without a progress bar (stderr not a terminal) a line per page
    print(f"OCR {source}: page {page} ({done + 1} of {total})", file=sys.stderr, flush=True)


def cmd_ingest(args, assistant) -> int:
    bar = not args.json and sys.stderr.isatty()
    report = assistant.ingest(progress=bar, allow_empty=args.allow_empty,
                              on_page=None if bar or args.json else _ocr_progress)
    lines = [f"{report.documents} documents, {report.chunks} passages indexed in {report.seconds:.1f} s"]
    for label in ("added", "updated", "removed"):
        if getattr(report, label):
            lines.append(f"  {label}: {', '.join(getattr(report, label))}")
    for failure in report.failed:
        again = " (as before; not read again until the file changes)" if failure.get("not_retried") else ""
        lines.append(f"  failed: {failure['source']}: {failure['error']}{again}")
    for read in report.ocr_pages:
        pages = ", ".join(map(str, read["pages"]))
        lines.append(f"  read by OCR: {read['source']}: page{'s' if len(read['pages']) > 1 else ''} {pages}")
    for skipped in report.skipped_pages:
        lines.append(f"  skipped: {skipped['source']}: {skipped['error']}; the other pages are indexed")
    _emit(args, report.to_json(), "\n".join(lines))
    return 0


def cmd_retrieve(args, assistant) -> int:
    if args.k < 1 or args.k > 100:
        raise UsageError("-k must be between 1 and 100")
    question = _question(args.question)
    passages = assistant.retrieve(question, k=args.k)
    text = "\n\n".join(
        f"[{p.rank}] {p.title} — {p.source}" + (f", p. {p.page}" if p.page else "") + f" (score {p.score:.2f})\n    {p.text}"
        for p in passages
    ) or "No passages found."
    _emit(args, {"question": question, "results": [p.to_json() for p in passages]}, text)
    return 0


def _cited(c) -> str:
    """A citation with its quote in quotation marks; a quote that is itself a quotation (an officer's words,
    '“Er is weinig geld ...”') keeps its own marks instead of getting a second pair."""
    where = f", p. {c.page}" if c.page else (f", § {c.section}" if c.section else "")
    quoted = c.quote if c.quote.startswith("“") and c.quote.endswith("”") else f"“{c.quote}”"
    return f"[{c.n}] {c.title} ({c.source}{where})\n    {quoted}"


def format_answer(answer, streamed: bool = False) -> str:
    lines = [] if streamed else [answer.answer]
    if answer.notice:
        lines.insert(0, f"({answer.notice})")
    if answer.citations:
        lines.append("")
        for c in answer.citations:
            lines.append(_cited(c))
    return "\n".join(lines)


def _ask_once(args, assistant, question: str, conversation=None) -> int:
    streaming = not args.json and assistant.config.llm not in ("", "none")
    streamed: list[str] = []

    def show(text: str) -> None:
        streamed.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()

    answer = assistant.ask(question, conversation=conversation, on_token=show if streaming else None)
    if args.json:
        _emit(args, answer.to_json(), "")
        return 0
    if streaming:
        sys.stdout.write("\n")
        if "".join(streamed).strip() != answer.answer:  # fell back or cleaned up: show the final answer
            print(format_answer(answer))
            return 0
    print(format_answer(answer, streamed=streaming))
    return 0


def cmd_ask(args, assistant) -> int:
    return _ask_once(args, assistant, _question(args.question))


def cmd_chat(args, assistant) -> int:
    conversation = assistant.new_conversation()
    print(message("chat_banner", "nl"), file=sys.stderr)
    while True:
        try:
            sys.stderr.write("> ")  # the prompt is chatter: stdout holds only answers (with --json, JSON only)
            sys.stderr.flush()
            line = input()
        except EOFError:
            print(file=sys.stderr)
            return 0
        command = line.strip().lower()
        if command in ("/stop", "/quit", "/exit"):
            return 0
        if command in ("/nieuw", "/new"):
            conversation.clear()
            print(message("chat_new", "nl"), file=sys.stderr)
            continue
        if not command:
            continue
        try:
            _ask_once(args, assistant, _question(line), conversation)
        except UsageError as error:
            print(f"mdt-assistent: {error}", file=sys.stderr)
        print(file=sys.stderr if args.json else sys.stdout)


def cmd_email(args, assistant) -> int:
    from . import NotesError

    try:
        notes = sys.stdin.read() if args.notes == "-" else open(args.notes, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the notes file {args.notes}: {getattr(error, 'strerror', None) or error}") from None
    try:
        draft = assistant.email(notes, register=args.register)
    except NotesError as error:
        raise UsageError(str(error)) from None
    if args.eml:
        from . import to_eml

        try:
            with open(args.eml, "wb") as handle:
                handle.write(to_eml(draft.subject, draft.body))
        except OSError as error:
            raise UsageError(f"cannot write the .eml file {args.eml}: {error.strerror or error}") from None
    lines = [f"{message('email_subject_label', draft.language)}: {draft.subject}", "", draft.body]
    if draft.notice:
        lines.insert(0, f"({draft.notice})")
    if draft.citations:
        lines += ["", message("email_tips_heading", draft.language)]
        lines += [_cited(c) for c in draft.citations]
    _emit(args, draft.to_json(), "\n".join(lines))
    return 0


def cmd_eval(args, assistant) -> int:
    from pathlib import Path

    from . import RUNS_DIR, EvalSetError, parse_thresholds, run_evaluation

    try:
        thresholds = parse_thresholds(args.fail_under) if args.fail_under else None
        progress = None
        if not args.json and sys.stderr.isatty():
            def progress(done, total):
                print(f"\r{done}/{total} questions", end="" if done < total else "\n", file=sys.stderr, flush=True)
        run = run_evaluation(assistant, Path(args.set) if args.set else None, thresholds=thresholds,
                             runs_dir=Path(args.runs) if args.runs else RUNS_DIR, progress=progress)
    except (EvalSetError, ValueError) as error:
        raise UsageError(str(error)) from None
    data = run.to_json()
    if args.report:
        from . import write_report

        data["report"] = str(write_report(data, Path(args.report)))
    lines = [f"{run.set_name}: {run.metrics['questions']} questions, corpus {run.corpus}"]
    deltas = (run.comparison or {}).get("metric_deltas", {})
    for name, value in run.metrics.items():
        if name != "questions":
            delta = f"  ({deltas[name]:+.3f})" if name in deltas and deltas[name] else ""
            lines.append(f"  {name:24s} {value}{delta}")
    if run.comparison:
        for key, label in (("regressed", "got worse"), ("improved", "got better")):
            for change in run.comparison[key]:
                lines.append(f"  {label}: {change['id']} {change['question']} ({change.get('why', '')})")
    if data.get("report"):
        lines.append(f"report: {data['report']}")
    for failure in run.failures:
        lines.append(f"  BELOW THRESHOLD: {failure}")
    _emit(args, data, "\n".join(lines))
    if run.failures:
        print(f"mdt-assistent: evaluation below the thresholds: {'; '.join(run.failures)}", file=sys.stderr)
        return 1
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise UsageError(f"--port must be a number from 1 to 65535, not {text}")
    return port


def cmd_serve(args, assistant) -> int:
    port = _port(args.port)
    from .web import serve

    return serve(assistant, host=args.host, port=port)


COMMANDS = {"ingest": cmd_ingest, "retrieve": cmd_retrieve, "ask": cmd_ask, "chat": cmd_chat,
            "email": cmd_email, "eval": cmd_eval, "serve": cmd_serve}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from . import Assistant, embedding_model_id, parse_chroma_url

    try:
        assistant = Assistant(_config(args))
        # Bad settings are bad input, said before any work: a server address, a model folder that is not there.
        if assistant.config.chroma_url:
            parse_chroma_url(assistant.config.chroma_url)
        embedding_model_id(assistant.config.embedding)
        return COMMANDS[args.command](args, assistant)
    except AssistantError as error:  # each carries its exit code: 2 bad usage or input, 1 the work failed
        print(f"mdt-assistent: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("mdt-assistent: interrupted", file=sys.stderr)
        return 1
