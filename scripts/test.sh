#!/usr/bin/env bash
# Set up and run the whole test suite: unit, page (AppTest), PostGIS and browser tests
# (Playwright driving Debian's Chromium; Chromium, PostgreSQL and PostGIS are
# installed here when missing).
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

# The PostGIS loader tests start a throwaway PostgreSQL server (tests/conftest.py);
# under CI they fail rather than skip when it is missing, so install it here
# (postgresql-postgis pulls in the extension for the current server, e.g.
# postgresql-15-postgis-3, even where apt skips recommended packages).
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null \
    || ! compgen -G "/usr/share/postgresql/*/extension/postgis.control" >/dev/null; then
  echo "test: installing Debian's postgresql and postgis for the database tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql postgis postgresql-postgis >/dev/null
fi

exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@" tests
