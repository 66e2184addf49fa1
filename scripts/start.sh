#!/usr/bin/env bash
# One command on a fresh machine: install into .venv, index the bundled corpus, start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/mdt-assistent ingest
exec .venv/bin/mdt-assistent serve "$@"
