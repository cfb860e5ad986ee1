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
# SVG/PNG network diagrams (netaudit topology) run Graphviz's dot: installed when we can, else say how.
if ! command -v dot >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz; } >/dev/null 2>&1 \
      || echo "setup.sh: could not install graphviz with apt-get; SVG/PNG diagrams need it (dot/drawio/mermaid do not)" >&2
  else
    echo "setup.sh: no Graphviz 'dot': SVG/PNG diagrams need it (as root: apt-get install graphviz); dot/drawio/mermaid work without it"
  fi
fi
