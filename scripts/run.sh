#!/usr/bin/env bash
# Start Alumnet on http://127.0.0.1:5000 with demo data (first run: creates .venv and installs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements.txt
export FLASK_APP=wsgi
export ALUMNET_CONFIG=development   # anything else starts production, which needs settings
.venv/bin/flask db upgrade
.venv/bin/flask seed-demo --if-empty
echo "Serving on http://127.0.0.1:${PORT:-5000} (Ctrl+C stops)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
