"""Start the MDT-assistent chat window: `python app.py [--host 127.0.0.1] [--port 7860]`.

The same as `mdt-assistent serve`; settings (corpus and index folders, language model) come from the
environment, see CONTRACT.md. On first start the bundled documents are indexed, with progress shown.
"""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app.py", description="Start the MDT-assistent chat window.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")

    from assistant import Assistant, AssistantError, Config
    from assistant.web import serve

    try:
        return serve(Assistant(Config.from_env()), host=args.host, port=args.port)
    except AssistantError as error:  # a setting to fix (exit 2), or a failure at start (exit 1)
        print(f"app.py: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
