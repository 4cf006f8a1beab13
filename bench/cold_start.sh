#!/usr/bin/env bash
# Cold-start benchmark; see bench/cold_start.py. Usage: bench/cold_start.sh [binary] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/cold_start.py "${1:-build/release/mercato}" "${2:-20}"
