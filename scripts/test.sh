#!/usr/bin/env bash
# `make test`: installs what is missing, builds the tests with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every test against SQLite and a throwaway PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=build/test
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DMERCATO_SANITIZE=ON -DMERCATO_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
export MERCATO_TEST_REQUIRE_POSTGRES=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
scripts/with-postgres.sh ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 300
