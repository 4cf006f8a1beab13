#!/usr/bin/env bash
# Prints the number of the Lambda version that holds the function's current code and
# configuration, publishing it if needed. Idempotent: after `terraform apply` (which
# publishes on every change) Lambda answers the version it already published.
# Usage: publish-version.sh FUNCTION
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 FUNCTION" >&2; exit 2; }
function=$1

# Publishing while an update is in progress fails; wait for it to settle first.
aws lambda wait function-updated --function-name "$function"
# shellcheck disable=SC2016 # $LATEST is Lambda's name for the unpublished code, not a shell variable
sha=$(aws lambda get-function --function-name "$function" --qualifier '$LATEST' \
  --query Configuration.CodeSha256 --output text)
# --code-sha256 makes Lambda refuse to publish code other than the code checked here.
version=$(aws lambda publish-version --function-name "$function" --code-sha256 "$sha" \
  --description "image ${IMAGE_TAG:-unknown}" --query Version --output text)
aws lambda wait published-version-active --function-name "$function" --qualifier "$version"
echo "$version"
