#!/usr/bin/env bash
# Install Incident Atlas into ./.venv and start the dashboard on the bundled sample store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/_venv.sh requirements.txt
exec .venv/bin/python -m geo serve "$@"
