#!/usr/bin/env bash
# Set up budgetmap on a fresh machine: a virtualenv with the pinned Python
# packages, and the map's front-end files (Leaflet) from the npm registry.
# Idempotent. Pass --dev to add the test and benchmark packages.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt

if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"

if ! command -v npm >/dev/null 2>&1; then
  echo "setup: npm is needed to install Leaflet (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
# Leaflet is installed from the registry and served by the app itself: no CDN.
(cd budgetmap/render/frontend && npm ci --no-audit --no-fund --loglevel=error)
test -f budgetmap/render/frontend/node_modules/leaflet/dist/leaflet.js
# The accessibility tests inject axe-core (registry package, never served by the app).
if [ "${1:-}" = "--dev" ]; then
  (cd devtools/a11y && npm ci --no-audit --no-fund --loglevel=error)
  test -f devtools/a11y/node_modules/axe-core/axe.min.js
fi
echo "setup: done"
