#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster: a temporary folder, a free
# loopback port, trust auth for local test use only. Exports MERCATO_TEST_POSTGRES_URL
# and stops the cluster afterwards, also when the command fails or is interrupted.
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' user.
set -euo pipefail
pg_bin=/usr/lib/postgresql/15/bin
[ -x "$pg_bin/initdb" ] || { echo "with-postgres: PostgreSQL 15 server not installed" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

dir=$(mktemp -d /tmp/mercato-pg.XXXXXX)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

stop_cluster() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U mercato -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

port=""
for _ in 1 2 3 4 5; do
  port=$(free_port)
  if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    break
  fi
  port=""
done
[ -n "$port" ] || { echo "with-postgres: could not start PostgreSQL" >&2; cat "$dir/server.log" >&2; exit 1; }

export MERCATO_TEST_POSTGRES_URL="postgresql://mercato@127.0.0.1:$port/postgres"
export MERCATO_TEST_POSTGRES_CTL="${as_pg[*]} $pg_bin/pg_ctl -D $dir/data"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit $status
