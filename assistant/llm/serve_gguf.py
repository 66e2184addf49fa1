"""Serve a GGUF model as an OpenAI-compatible server on this machine (xllamacpp), so that several
app instances can share one model: `python -m assistant.llm.serve_gguf MODEL.gguf --port 8081`, then
`MDT_LLM=openai:http://127.0.0.1:8081/v1`.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from . import start_gguf_server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.llm.serve_gguf")
    parser.add_argument("model", help="path to a .gguf file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--ctx", type=int, default=4096, help="context length in tokens")
    args = parser.parse_args(argv)
    if not Path(args.model).is_file():
        print(f"serve_gguf: no model file at {args.model}", file=sys.stderr)
        return 2
    server, port = start_gguf_server(str(Path(args.model).resolve()), port=args.port, host=args.host, n_ctx=args.ctx)
    print(f"serving {Path(args.model).name} at http://{args.host}:{port}/v1", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    del server
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
