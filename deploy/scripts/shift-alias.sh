#!/usr/bin/env bash
# Moves the `live` alias of a Lambda function to VERSION.
#   gradual:     10 % of requests to VERSION, watching its Errors metric for
#                WATCH_MINUTES (default 5, one look every WATCH_INTERVAL_SECONDS, 60),
#                then 100 %; fails on errors (leaving the alias split for rollback.sh).
#   all-at-once: 100 % at once.
# Usage: shift-alias.sh FUNCTION VERSION [gradual|all-at-once]
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then echo "usage: $0 FUNCTION VERSION [gradual|all-at-once]" >&2; exit 2; fi
function=$1
version=$2
rollout=${3:-gradual}
alias=${ALIAS:-live}
watch_minutes=${WATCH_MINUTES:-5}
watch_interval=${WATCH_INTERVAL_SECONDS:-60}
canary_weight=${CANARY_WEIGHT:-0.1}

case "$rollout" in gradual | all-at-once) ;; *) echo "rollout must be gradual or all-at-once" >&2; exit 2 ;; esac

current=$(aws lambda get-alias --function-name "$function" --name "$alias" --query FunctionVersion --output text)

all_traffic_to() {
  aws lambda update-alias --function-name "$function" --name "$alias" --function-version "$1" \
    --routing-config '{"AdditionalVersionWeights":{}}' >/dev/null
  echo "shift-alias: $alias -> version $1 (100 %)" >&2
}

# Errors of VERSION seen through the alias since START (ISO 8601), summed.
errors_since() {
  aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Errors \
    --dimensions Name=FunctionName,Value="$function" Name=Resource,Value="$function:$alias" \
    Name=ExecutedVersion,Value="$version" \
    --start-time "$1" --end-time "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --period 60 --statistics Sum \
    --query 'sum(Datapoints[].Sum)' --output text
}

if [ "$current" = "$version" ]; then
  echo "shift-alias: $alias already serves version $version" >&2
  all_traffic_to "$version"
  exit 0
fi

if [ "$rollout" = all-at-once ]; then
  all_traffic_to "$version"
  exit 0
fi

start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
aws lambda update-alias --function-name "$function" --name "$alias" --function-version "$current" \
  --routing-config "{\"AdditionalVersionWeights\":{\"$version\":$canary_weight}}" >/dev/null
echo "shift-alias: $alias -> version $current, $canary_weight of requests to version $version" >&2
for minute in $(seq 1 "$watch_minutes"); do
  sleep "$watch_interval"
  errors=$(errors_since "$start")
  case "$errors" in None | null | "") errors=0 ;; esac
  echo "shift-alias: minute $minute/$watch_minutes, errors of version $version: $errors" >&2
  if [ "${errors%.*}" -gt 0 ]; then
    echo "shift-alias: version $version failed $errors invocation(s); not shifting further" >&2
    exit 1
  fi
done
all_traffic_to "$version"
