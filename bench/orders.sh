#!/usr/bin/env bash
# Order placement benchmark (POST /api/orders with wrk on SQLite and PostgreSQL, and pgbench
# running the same transaction underneath); see bench/orders.py.
# Usage: bench/orders.sh [binary] [seconds per measured run]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t bench_packages < <(grep -Ev '^\s*(#|$)' bench/packages.txt)
scripts/install-deps.sh "${bench_packages[@]}"
# /usr/bin/python3: the script needs the sqlite3 module of the system Python.
exec scripts/with-postgres.sh /usr/bin/python3 bench/orders.py "${1:-build/release/mercato}" "${2:-10}"
