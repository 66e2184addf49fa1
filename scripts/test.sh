#!/usr/bin/env bash
# One command: install everything the tests need (Python packages, Debian's chromium for the
# browser tests), then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
# The evaluation gate on the bundled corpus: exits 1 when a metric falls under its threshold.
.venv/bin/mdt-assistent eval --report eval/reports
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
