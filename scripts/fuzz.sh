#!/usr/bin/env bash
# The long robustness run (issue #8): the property tests of tests/robustness with many more
# examples, then, with --atheris, coverage-guided fuzzing of the readers and parsers.
#
#   scripts/fuzz.sh                    # 2,000 examples per property test (about 15-30 min on 2 CPUs)
#   NETAUDIT_FUZZ_EXAMPLES=20000 scripts/fuzz.sh
#   scripts/fuzz.sh --atheris 600      # also atheris for 600 s (installs atheris into .venv if missing)
#
# A failure prints the smallest input hypothesis found; atheris saves crashes as crash-* in
# .fuzz/. Turn either into a regular test before fixing the parser.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export NETAUDIT_FUZZ_EXAMPLES="${NETAUDIT_FUZZ_EXAMPLES:-2000}"
"$PY" -m pytest -q -p no:cacheprovider tests/robustness/test_fuzz_parsers.py
if [[ "${1:-}" == "--atheris" ]]; then
    seconds="${2:-600}"
    "$PY" -c "import atheris" 2>/dev/null || .venv/bin/pip install --quiet atheris
    mkdir -p .fuzz/corpus
    cp sample_configs/*.cfg tests/fixtures/parsers/*/*/config .fuzz/corpus/ 2>/dev/null || true
    for f in tests/fixtures/parsers/*/*/config; do cp "$f" ".fuzz/corpus/$(echo "$f" | tr / _)"; done
    (cd .fuzz && PYTHONPATH=.. "../$PY" ../tests/robustness/fuzz_atheris.py -max_total_time="$seconds" -max_len=65536 -timeout=30 corpus)
fi
