#!/usr/bin/env bash
# `make run`: installs what is missing, builds a release binary, applies migrations to the
# configured database (default sqlite:data/mercato.db) and serves on $PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=build/release
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMERCATO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target mercato
mkdir -p data
"$build/mercato" migrate
exec "$build/mercato" serve
