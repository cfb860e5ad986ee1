#!/usr/bin/env bash
# Installs the headless browser the HTML report test opens the report in: Debian's chromium, and
# fonts-noto-cjk so zh-TW text renders as characters rather than boxes. Safe to run again: it does
# nothing when both are installed. Needs root (CI containers run as root) and apt-get.
set -euo pipefail
packages=(chromium fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-browser.sh: needs root to install ${missing[*]} with apt-get" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# apt's progress and debconf chatter go to the log, shown only when something fails.
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "setup-browser.sh: could not install ${missing[*]}" >&2
  exit 1
fi
echo "setup-browser.sh: installed ${missing[*]}"
