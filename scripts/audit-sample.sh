#!/usr/bin/env bash
# The main job on a fresh machine: set up .venv, audit sample_configs/ with topology/network.yaml,
# write reports/audit.txt (zh-TW), audit.en.txt, audit.json, audit.html (for the examiner) and
# audit.sarif, and print the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
mkdir -p reports
set +e
.venv/bin/netaudit audit sample_configs --topology topology/network.yaml --lang en \
  --output reports/audit.en.txt --json reports/audit.json
.venv/bin/netaudit audit sample_configs --topology topology/network.yaml --lang zh-TW --format html --output reports/audit.html
.venv/bin/netaudit audit sample_configs --topology topology/network.yaml --format sarif --output reports/audit.sarif
.venv/bin/netaudit audit sample_configs --topology topology/network.yaml --lang zh-TW --output reports/audit.txt
status=$?
set -e
if [ "$status" -ge 2 ]; then exit "$status"; fi
tail -n 1 reports/audit.en.txt
tail -n 1 reports/audit.txt
echo "reports: reports/audit.txt audit.en.txt audit.json audit.html audit.sarif (exit code $status: 1 = findings at or above --fail-on)"
