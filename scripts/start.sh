#!/usr/bin/env bash
# Set-up, a fresh embedded database from the bundled data, and the dashboard on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m dashboard build-db
exec .venv/bin/streamlit run dashboard/app.py "$@"
