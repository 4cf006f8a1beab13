#!/usr/bin/env bash
# Puts the `live` alias back on one version, with all traffic (clears a gradual shift).
# Without VERSION: the highest published version below the one live serves now.
# Migrations are forward-only: a version older than the schema refuses to start
# (docs/deploy-aws.md, Rollback).
# Usage: rollback.sh FUNCTION [VERSION]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 FUNCTION [VERSION]" >&2; exit 2; fi
function=$1
alias=${ALIAS:-live}
current=$(aws lambda get-alias --function-name "$function" --name "$alias" --query FunctionVersion --output text)

target=${2:-}
if [ -z "$target" ]; then
  target=$(aws lambda list-versions-by-function --function-name "$function" \
    --query 'Versions[].Version' --output text | tr '\t' '\n' | grep -E '^[0-9]+$' |
    awk -v current="$current" '$1 < current + 0' | sort -n | tail -1)
  [ -n "$target" ] || { echo "rollback: no version older than $current" >&2; exit 1; }
fi

aws lambda update-alias --function-name "$function" --name "$alias" --function-version "$target" \
  --routing-config '{"AdditionalVersionWeights":{}}' >/dev/null
echo "rollback: $alias -> version $target (was $current)" >&2
