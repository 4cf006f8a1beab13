#!/usr/bin/env bash
# Lambda cold-start benchmark; see bench/lambda_cold_start.py.
# Usage: bench/lambda_cold_start.sh [binary] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-postgres.sh python3 bench/lambda_cold_start.py "${1:-build/release/mercato}" "${2:-20}"
