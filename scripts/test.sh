#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian chromium, PostgreSQL + PostGIS) and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/_venv.sh requirements-test.txt
bash scripts/_system_deps.sh
exec .venv/bin/python -m pytest "$@"
