#!/usr/bin/env bash
# Installs what the dashboard needs: the Python packages into .venv, and from Debian Chromium (Kaleido draws every
# exported chart in it), DejaVu Sans (the font the PDFs embed), postgresql-client (pg_dump and pg_restore for
# backups of PostgreSQL) and nginx (scripts/serve.sh runs it in front of several app processes with its own
# configuration, never /etc/nginx; where systemd runs, Debian's package also starts its default site on port 80:
# `systemctl disable --now nginx`). The tests need nothing more; --dev is accepted.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  rm -f .venv/.installed-*
  touch "$stamp"
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] \
  || missing+=(fonts-dejavu-core)
# pg_dump and pg_restore: `python -m dashboard backup` and `restore` on PostgreSQL
{ command -v pg_dump && command -v pg_restore; } >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installerar ${missing[*]} från Debian …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
