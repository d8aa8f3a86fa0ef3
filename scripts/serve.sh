#!/usr/bin/env bash
# Start Alumnet in production with gunicorn (settings in gunicorn.conf.py): install what is
# missing, upgrade the database, then serve on $BIND (default 127.0.0.1:8000) until stopped.
# Needs at least SECRET_KEY and BASE_URL in the environment (README, Deployment).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements.txt
export FLASK_APP=wsgi
if [ "${ALUMNET_CONFIG:-production}" != production ]; then
  echo "serve.sh serves production; unset ALUMNET_CONFIG (scripts/run.sh is for development)." >&2
  exit 2
fi
.venv/bin/flask db upgrade
exec .venv/bin/gunicorn --config gunicorn.conf.py wsgi:app
