#!/usr/bin/env bash
# `make run`: installs what is missing, builds a release binary, applies migrations to the
# configured database (default sqlite:data/mercato.db) and serves on $PORT (default 8080).
#
# Unless STRIPE_API_BASE is set (or APP_ENV=production), it also starts the Stripe test-mode
# emulator on $STRIPE_EMULATOR_PORT (default 12111), with the development keys on both
# sides, so that payments work end to end without a Stripe account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMERCATO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target mercato
mkdir -p data
"$build/mercato" migrate

if [[ -z "${STRIPE_API_BASE:-}" && "${APP_ENV:-development}" != "production" ]]; then
  emulator_port="${STRIPE_EMULATOR_PORT:-12111}"
  export STRIPE_API_BASE="http://127.0.0.1:${emulator_port}"
  export STRIPE_SECRET_KEY="${STRIPE_SECRET_KEY:-sk_test_mercato_development}"
  export STRIPE_WEBHOOK_SECRET="${STRIPE_WEBHOOK_SECRET:-whsec_mercato_development}"
  "$build/mercato" stripe-emulator --port "$emulator_port" \
    --webhook-url "http://127.0.0.1:${PORT:-8080}/api/payments/webhook" \
    --webhook-secret "${STRIPE_WEBHOOK_SECRET%%,*}" &
  emulator_pid=$!
  trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
  trap 'exit 130' INT TERM
fi

"$build/mercato" serve
