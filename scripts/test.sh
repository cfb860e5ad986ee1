#!/usr/bin/env bash
# The tests on a fresh machine: set up .venv, lint, run pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check netaudit tests
.venv/bin/python -m pytest "$@"
