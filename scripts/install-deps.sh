#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/packages.txt that are missing, then the
# npm tools of the offline infrastructure checks (tools/infra-checks, pinned by its lock).
# Uses sudo when not root; does nothing (and needs no network) when all are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -Ev '^\s*(#|$)' "$here/packages.txt")
extra=("$@")
# Node from Debian only when the machine has none (a newer one from elsewhere serves too).
command -v node >/dev/null && command -v npm >/dev/null || extra+=(nodejs npm)

# npm ci only when node_modules is missing or older than the lock; never at build time.
install_infra_tools() {
  local tools="$here/../tools/infra-checks"
  local stamp="$tools/node_modules/.package-lock.json"
  [ -f "$stamp" ] && [ ! "$tools/package-lock.json" -nt "$stamp" ] && return 0
  echo "install-deps: npm ci in tools/infra-checks" >&2
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error
}
missing=()
for pkg in "${wanted[@]}" "${extra[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_infra_tools
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_infra_tools
