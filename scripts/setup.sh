#!/usr/bin/env bash
# Creates .venv (Python >= 3.11) and installs netaudit with its test tools; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  # (this machine's pip configuration warns about absent local mirrors: not our business, filtered)
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
  .venv/bin/python -m pip install --quiet -e '.[test]' 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }
  touch .venv/.installed
fi
