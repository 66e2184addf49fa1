#!/usr/bin/env bash
# One command on a fresh machine: install into .venv, index the bundled corpus, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/mdt-assistent ingest
if .venv/bin/mdt-assistent serve --help >/dev/null 2>&1; then
  exec .venv/bin/mdt-assistent serve "$@"
fi
# Until the chat window exists: answer a sample question from the index.
.venv/bin/mdt-assistent retrieve "Hoe benader ik een kleine gemeente?" -k 3
