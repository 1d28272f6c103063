#!/usr/bin/env bash
# Set up and run the whole test suite: unit, page (AppTest) and browser tests
# (Playwright driving Debian's Chromium, installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --dev

if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing Debian's chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@" tests
