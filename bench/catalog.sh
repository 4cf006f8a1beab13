#!/usr/bin/env bash
# Catalog listing benchmark (GET /api/products with wrk, and pgbench underneath on PostgreSQL);
# see bench/catalog.py. Usage: bench/catalog.sh [binary] [seconds per measured run]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t bench_packages < <(grep -Ev '^\s*(#|$)' bench/packages.txt)
scripts/install-deps.sh "${bench_packages[@]}"
# /usr/bin/python3: the script needs the sqlite3 module of the system Python.
exec scripts/with-postgres.sh /usr/bin/python3 bench/catalog.py "${1:-build/release/mercato}" "${2:-10}"
