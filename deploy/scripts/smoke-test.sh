#!/usr/bin/env bash
# Checks a deployed API from outside: GET /api/health answers 200, and the smoke user can
# sign in (POST /api/auth/login) and read itself with the token (GET /api/auth/me).
# Usage: SMOKE_USER_EMAIL=... SMOKE_USER_PASSWORD=... smoke-test.sh API_URL
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: SMOKE_USER_EMAIL=... SMOKE_USER_PASSWORD=... $0 API_URL" >&2; exit 2; }
api=${1%/}/api
: "${SMOKE_USER_EMAIL:?set SMOKE_USER_EMAIL}" "${SMOKE_USER_PASSWORD:?set SMOKE_USER_PASSWORD}"
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# Prints the status code; the body goes to $body. Retries cover a cold start, not errors.
request() {
  curl -sS -o "$body" -w '%{http_code}' --max-time 30 --retry 3 --retry-delay 2 "$@"
}

expect() {
  local what=$1 want=$2 got=$3
  if [ "$got" != "$want" ]; then
    echo "smoke-test: $what answered $got, expected $want: $(head -c 500 "$body")" >&2
    exit 1
  fi
  echo "smoke-test: $what $got" >&2
}

expect "GET /api/health" 200 "$(request "$api/health")"

# The password reaches curl through standard input, never the command line.
credentials=$(python3 -c 'import json,os; print(json.dumps({"email": os.environ["SMOKE_USER_EMAIL"], "password": os.environ["SMOKE_USER_PASSWORD"]}))')
status=$(printf '%s' "$credentials" | request -X POST "$api/auth/login" -H 'Content-Type: application/json' --data-binary @-)
expect "POST /api/auth/login" 200 "$status"
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$body")

status=$(request "$api/auth/me" -H @- <<<"Authorization: Bearer $token")
expect "GET /api/auth/me" 200 "$status"
