#!/usr/bin/env bash
# The whole test suite: lint, then every test against SQLite and PostgreSQL, and in a real browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev

# PostgreSQL runs on this kind of machine; start it if it has stopped.
if ! .venv/bin/python -c "import psycopg; psycopg.connect('host=127.0.0.1 user=postgres dbname=postgres').close()" 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi

.venv/bin/ruff check .
# Two workers (the machine has two cores), each with its own SQLite and PostgreSQL database; a file stays on one worker.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile --durations=20 "$@"  # the slowest twenty, for the suite's speed
