#!/usr/bin/env bash
# The dashboard for more than one machine: N Streamlit processes on 127.0.0.1 behind nginx with sticky sessions,
# e.g. `DATABASE_URL=postgresql+psycopg://… bash scripts/serve.sh --processes 2 --port 8080`. Ctrl-C stops all.
# Options: `bash scripts/serve.sh --help`; the set-up: README, "Deployment"; the code: deploy/serve.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python deploy/serve.py "$@"
