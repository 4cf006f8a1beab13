#!/usr/bin/env bash
# Applies pending database migrations by invoking a Lambda version directly with
# {"mercato":"migrate"}; prints how many were applied. Fails on a function error.
# Usage: migrate.sh FUNCTION VERSION
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 FUNCTION VERSION" >&2; exit 2; }
function=$1
version=$2
answer=$(mktemp)
trap 'rm -f "$answer"' EXIT

error=$(aws lambda invoke --function-name "$function" --qualifier "$version" \
  --cli-binary-format raw-in-base64-out --payload '{"mercato":"migrate"}' \
  --cli-read-timeout 900 --query FunctionError --output text "$answer")
echo "migrate: $(cat "$answer")" >&2
if [ "$error" != "None" ] && [ -n "$error" ]; then
  echo "migrate: version $version answered a function error ($error)" >&2
  exit 1
fi
python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["applied"]))' "$answer"
