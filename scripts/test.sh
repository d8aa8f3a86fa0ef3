#!/usr/bin/env bash
# Lint and test: ruff, the import layers (lint-imports), then pytest on SQLite, then again on
# PostgreSQL when TEST_DATABASE_URL is set. Extra arguments go to pytest (e.g. scripts/test.sh
# -k invitation).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements-test.txt
echo "== ruff"
.venv/bin/ruff check app tests scripts config.py wsgi.py
echo "== import layers (pyproject.toml: core, alumni, auth, then the features)"
.venv/bin/lint-imports --no-cache
echo "== pytest on SQLite"
env -u TEST_DATABASE_URL .venv/bin/python -m pytest "$@"
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== pytest on PostgreSQL (${TEST_DATABASE_URL%%\?*})"
  .venv/bin/python -m pytest "$@"
fi
