#!/usr/bin/env bash
# Set-up, the embedded database refreshed from the bundled data (imported data sets are kept), and the dashboard
# on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m dashboard build-db
exec .venv/bin/streamlit run dashboard/app.py "$@"
