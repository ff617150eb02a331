#!/usr/bin/env bash
# Set-up, the embedded database refreshed from the bundled data (imported data sets are kept), and the dashboard
# on http://localhost:8501 (this machine only, unless sign-in is configured)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m dashboard build-db --om-andrat  # again only when data/ or the code changed
# 127.0.0.1 unless DASHBOARD_ADDRESS asks for more: with sign-in configured, or DASHBOARD_ALLOW_REMOTE=1 (a warning)
address=$(.venv/bin/python -m dashboard.core.access bind-address .streamlit/secrets.toml)
exec .venv/bin/streamlit run dashboard/app.py --server.address "$address" "$@"
