#!/usr/bin/env bash
# The main job on a fresh machine: set up .venv, audit sample_configs/ with topology/network.yaml
# and the hit counts in sample_hits/, write reports/audit.txt (zh-TW), audit.en.txt, audit.json,
# audit.html (for the examiner), audit.sarif and the quarterly review workbook review.xlsx, and
# print the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
mkdir -p reports
audit=(.venv/bin/netaudit audit sample_configs --topology topology/network.yaml --hits sample_hits)
set +e
"${audit[@]}" --lang en --output reports/audit.en.txt --json reports/audit.json
"${audit[@]}" --lang zh-TW --format html --output reports/audit.html
"${audit[@]}" --format sarif --output reports/audit.sarif
"${audit[@]}" --lang zh-TW --output reports/audit.txt
status=$?
set -e
if [ "$status" -ge 2 ]; then exit "$status"; fi
.venv/bin/netaudit review sample_configs --topology topology/network.yaml --hits sample_hits --lang zh-TW \
  --format xlsx --output reports/review.xlsx
tail -n 1 reports/audit.en.txt
tail -n 1 reports/audit.txt
echo "reports: reports/audit.txt audit.en.txt audit.json audit.html audit.sarif review.xlsx (exit code $status: 1 = findings at or above --fail-on)"
