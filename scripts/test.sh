#!/usr/bin/env bash
# The tests on a fresh machine: set up .venv, lint, run pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
# The HTML report is tested in a real headless browser (Debian's chromium): installed when we can.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    ./scripts/setup-browser.sh
  else
    echo "test.sh: no /usr/bin/chromium and not root: the browser tests will skip (run scripts/setup-browser.sh as root)"
  fi
fi
.venv/bin/ruff check netaudit tests
.venv/bin/python -m pytest "$@"
