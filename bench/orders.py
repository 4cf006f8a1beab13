#!/usr/bin/env python3
"""Order placement under load: POST /api/orders with wrk, on SQLite and PostgreSQL.

Seeds 64 verified customers, 5 vendors, one category and 10,000 products with 1,000,000
units each, plus one "hot" product with 1,000,000,000 units (rows written with SQL after
`mercato migrate`; the customers' access tokens are minted here with the JWT_SECRET the
server is given, each over a refresh_token_families row, as a sign-in would make them).
Each request orders 1-3 lines of 1-3 units (bench/orders/place_order.lua); the requests
rotate over the 64 customers. Two cases, at 16 and 64 connections:
  - distinct: each line a random product among the 10,000, so that lock waits are rare;
  - hot: every line the hot product (the server merges them into one line), so that every
    order waits for the row lock of the one before.
At 64 connections a third case, distinct+key, sends a fresh Idempotency-Key with each
request (as the README's client does): the price of the key's claim and completion.
Every answer but 201 is counted and one of each kind printed; a 409 would be a bug (the
stock never runs out).

On PostgreSQL it also measures the limit underneath: pgbench runs the same write
transaction (bench/orders/place_order.sql: conditional stock UPDATEs in product-id order,
INSERTs of the order, its items, its status-history row and its audit row), prepared, at
the same concurrency, against the same database, on the same requests; and once per case
at as many clients as the server has pooled connections (DB_POOL_SIZE), which is the
database load the server itself creates (on 2 cores, pgbench with 64 clients mostly
measures 64 backends fighting over the cores and the hot row).

Target (issue: orders benchmark), on PostgreSQL, on this 2-core machine that wrk shares:
server requests/s at least half of pgbench's transactions/s (ratio >= 0.5).

After the runs: the stock taken from every product must equal the units in its order
items and every order's total the sum of its items (no lost update, no half order);
PostgreSQL's log is searched for deadlocks and errors, the server's for warnings.

Usage: bench/orders.py [path/to/mercato] [seconds per measured run]
PostgreSQL comes from MERCATO_TEST_POSTGRES_URL (bench/orders.sh runs this script under
scripts/with-postgres.sh); without it only SQLite is measured.
DB_POOL_SIZE, WORKER_THREADS and IO_THREADS in the environment override the server's
settings below, to compare; BENCH_BACKENDS=postgresql (or sqlite) measures only one.

Shares its conventions with bench/catalog.py (whose helpers are copied, not imported: the
two benches evolve separately).
"""
import base64
import datetime
import glob
import hashlib
import hmac
import json
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
LUA_SCRIPT = os.path.join(HERE, "orders", "place_order.lua")
PGBENCH_SCRIPT = os.path.join(HERE, "orders", "place_order.sql")

PRODUCT_COUNT = 10_000
CUSTOMER_COUNT = 64
VENDOR_COUNT = 5
STOCK = 1_000_000
HOT_STOCK = 1_000_000_000
HOT_PRODUCT = PRODUCT_COUNT + 1  # product numbers 1..PRODUCT_COUNT are the distinct ones
CONNECTIONS = (16, 64)
KEY_CASE_CONNECTIONS = (64,)
WARMUP_SECONDS = 2
TARGET_RATIO = 0.5

# Ids that pgbench can compute from integers: a fixed prefix and the number in 12 hex
# digits (valid UUIDs, version 4 variant 8/9; their text order is the numbers' order).
PRODUCT_PREFIX = "b3c1a9e0-5d2f-4c7a-9e31-"
CUSTOMER_PREFIX = "c0ffee00-0b5e-4d1a-8c2e-"
VENDOR_PREFIX = "7e4d0000-0b5e-4d1a-8c2e-"
CATEGORY_ID = "ca7e9000-0b5e-4d1a-8c2e-000000000001"

JWT_SECRET = "orders-bench-jwt-secret-0123456789abcdef0123456789"

# Server settings for the bench. A request holds a pooled connection for its whole write
# transaction (6 + 2 x lines round trips on PostgreSQL, after the session read) and a
# worker blocks meanwhile, so there are as many workers as pooled connections. 8 of them
# keep PostgreSQL's 2 cores busy while wrk's connections queue in the server; with 16 or
# 32, PostgreSQL spends more CPU per order (more backends contending for the same pages,
# WAL and row locks on 2 cores) and the hot product's lock queue grows: fewer orders/s and
# a longer p99 (measured: 8 > 16 > 32 at 64 connections, both cases). Close to the
# defaults (10 and 8). One io thread: 2 cores shared with wrk and the database.
# RATE_LIMIT_PER_MINUTE: the configuration's maximum, whose bucket outlasts the run.
# LOG_LEVEL=warn: no per-request or audit log line (those go to stdout at info).
SERVER_SETTINGS = {
    "APP_ENV": "development",
    "BIND_ADDRESS": "127.0.0.1",
    "RATE_LIMIT_PER_MINUTE": "1000000",
    "DB_POOL_SIZE": "8",
    "WORKER_THREADS": "8",
    "IO_THREADS": "1",
    "LOG_LEVEL": "warn",
    "JWT_SECRET": JWT_SECRET,
}
for _name in ("DB_POOL_SIZE", "WORKER_THREADS", "IO_THREADS"):
    if os.environ.get(_name):
        SERVER_SETTINGS[_name] = os.environ[_name]

PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_tool(name):
    path = os.path.join(PG_BIN, name)
    return path if os.access(path, os.X_OK) else name


def product_id(n):
    return PRODUCT_PREFIX + f"{n:012x}"


def customer_id(n):
    return CUSTOMER_PREFIX + f"{n:012x}"


def rfc3339(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---------------------------------------------------------------------------------------
# Data

def build_dataset(seed=20261126):
    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.timezone.utc)
    stamp = rfc3339(now - datetime.timedelta(days=1))
    expires = rfc3339(now + datetime.timedelta(days=30))

    def user(uid, email, role):
        return (uid, "bench-not-encrypted:" + email, hashlib.sha256(email.encode()).hexdigest(),
                "$2b$04$benchbenchbenchbenchbeu0000000000000000000000000000000", role, True, False, stamp, stamp)

    vendors = [VENDOR_PREFIX + f"{i:012x}" for i in range(1, VENDOR_COUNT + 1)]
    users = [user(v, f"vendor{i}@orders-bench.example", "vendor") for i, v in enumerate(vendors, 1)]
    users += [user(customer_id(i), f"customer{i}@orders-bench.example", "customer")
              for i in range(1, CUSTOMER_COUNT + 1)]
    families = [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), customer_id(i), stamp, expires)
                for i in range(1, CUSTOMER_COUNT + 1)]
    categories = [(CATEGORY_ID, "Bench goods", "Everything the orders bench sells.", stamp, stamp)]
    products = []
    for n in range(1, HOT_PRODUCT + 1):
        hot = n == HOT_PRODUCT
        products.append((product_id(n), "Hot seller" if hot else f"Bench product {n}",
                         "A product of the orders benchmark.", rng.randrange(100, 20_000), "usd",
                         HOT_STOCK if hot else STOCK, CATEGORY_ID, rng.choice(vendors), stamp, stamp))
    return {"users": users, "refresh_token_families": families, "categories": categories, "products": products}


COLUMNS = {
    "users": ("id", "email_encrypted", "email_index", "password_hash", "role", "email_verified", "disabled",
              "created_at", "updated_at"),
    "refresh_token_families": ("id", "user_id", "created_at", "expires_at"),
    "categories": ("id", "name", "description", "created_at", "updated_at"),
    "products": ("id", "name", "description", "price", "currency", "stock_quantity", "category_id", "vendor_id",
                 "created_at", "updated_at"),
}
SEED_ORDER = ("users", "refresh_token_families", "categories", "products")


def seed_sqlite(path, data):
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            for table in SEED_ORDER:
                columns = COLUMNS[table]
                marks = ", ".join("?" * len(columns))
                con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", data[table])
        con.execute("ANALYZE")
    finally:
        con.close()


def copy_text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if any(c in text for c in "\t\n\r\\"):
        raise ValueError("COPY text needs escaping: " + text)
    return text


def psql(pg_url, script):
    result = subprocess.run([pg_tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", pg_url, "-f", "-"],
                            input=script, text=True, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError("psql failed: " + result.stderr)
    return result.stdout


def seed_postgres(pg_url, data):
    lines = ["BEGIN;"]
    for table in SEED_ORDER:
        lines.append(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN;")
        lines.extend("\t".join(copy_text(v) for v in row) for row in data[table])
        lines.append("\\.")
    lines += ["COMMIT;", "VACUUM (ANALYZE) users, refresh_token_families, categories, products;", ""]
    psql(pg_url, "\n".join(lines))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_token(user_id, family_id):
    """An access token as src/security/jwt.cpp issues them (HS256, same claims)."""
    now = int(time.time())
    claims = {"sub": user_id, "role": "customer", "sid": family_id, "iat": now, "exp": now + 6 * 3600,
              "jti": os.urandom(16).hex(), "iss": "mercato", "token_use": "access"}
    signed = b64url(b'{"alg":"HS256","typ":"JWT"}') + "." + b64url(json.dumps(claims, separators=(",", ":")).encode())
    return signed + "." + b64url(hmac.new(JWT_SECRET.encode(), signed.encode(), hashlib.sha256).digest())


# ---------------------------------------------------------------------------------------
# The server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(binary, db_url):
    env = dict(os.environ, DATABASE_URL=db_url, LOG_LEVEL="warn")
    result = subprocess.run([binary, "migrate"], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("mercato migrate failed: " + result.stdout + result.stderr)


def http_call(port, method, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class Server:
    def __init__(self, binary, db_url, workdir):
        self.binary, self.db_url, self.workdir = binary, db_url, workdir
        self.port = free_port()
        self.proc = None

    def __enter__(self):
        env = dict(os.environ, **SERVER_SETTINGS, DATABASE_URL=self.db_url, PORT=str(self.port),
                   MAIL_OUTBOX_DIR=os.path.join(self.workdir, "outbox"))
        self.log_path = os.path.join(self.workdir, f"server-{self.port}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if http_call(self.port, "GET", "/api/health")[0] == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("server did not come up:\n" + open(self.log_path, errors="replace").read())

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def warnings(self):
        """Lines of the server's log at warn or error (at LOG_LEVEL=warn: nothing else is logged)."""
        with open(self.log_path, errors="replace") as f:
            return [line.rstrip() for line in f if line.strip()]


# ---------------------------------------------------------------------------------------
# CPU accounting (as bench/catalog.py): where the cores go during a run (server,
# PostgreSQL, the load generator, and anything else running on the machine).

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()  # fields from the 3rd (state) on


def machine_busy_seconds():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(values) - values[3] - values[4]) / TICK


def postmaster_pid(pg_url):
    pid = psql(pg_url, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer';").strip()
    return int(stat_fields(int(pid))[1]) if pid else None


class CpuMeter:
    """CPU seconds of the server process, the PostgreSQL cluster (live and exited backends)
    and the waited-for children of this script (wrk, pgbench)."""

    def __init__(self, server_pid, postmaster):
        self.server_pid, self.postmaster = server_pid, postmaster

    def snapshot(self):
        f = stat_fields(self.server_pid)
        server = (int(f[11]) + int(f[12])) / TICK
        postgres = 0.0
        if self.postmaster:
            f = stat_fields(self.postmaster)
            postgres = sum(int(v) for v in f[11:15]) / TICK  # utime stime cutime cstime
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    f = stat_fields(pid)
                    if int(f[1]) == self.postmaster:
                        postgres += (int(f[11]) + int(f[12])) / TICK
                except (OSError, IndexError):
                    pass  # gone meanwhile: its time is in the postmaster's cutime/cstime
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"machine": machine_busy_seconds(), "server": server, "postgres": postgres,
                "client": children.ru_utime + children.ru_stime, "at": time.monotonic()}

    @staticmethod
    def usage(before, after, operations):
        d = {k: after[k] - before[k] for k in before}
        other = max(0.0, d["machine"] - d["server"] - d["postgres"] - d["client"])
        cores = os.cpu_count() or 1
        return {"server": d["server"] / operations * 1e6, "postgres": d["postgres"] / operations * 1e6,
                "client": d["client"] / operations * 1e6, "busy_pct": 100.0 * d["machine"] / (cores * d["at"]),
                "other_pct": 100.0 * other / (cores * d["at"])}


def machine_busy_pct(seconds=1.0):
    before, start = machine_busy_seconds(), time.monotonic()
    time.sleep(seconds)
    return 100.0 * (machine_busy_seconds() - before) / ((os.cpu_count() or 1) * (time.monotonic() - start))


# ---------------------------------------------------------------------------------------
# wrk and pgbench

def run_wrk(port, connections, seconds, mode, files, meter=None):
    run_id = "bench-" + os.urandom(6).hex()
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA_SCRIPT,
            f"http://127.0.0.1:{port}/api/orders", "--", files["tokens"],
            files["hot" if mode == "hot" else "products"], mode, run_id]
    before = meter.snapshot() if meter else None
    result = subprocess.run(args, capture_output=True, text=True)
    after = meter.snapshot() if meter else None
    found = re.search(r"^orders-bench: (\{.*\})\s*$", result.stdout, re.M)
    if result.returncode != 0 or not found:
        raise RuntimeError("wrk failed: " + result.stdout + result.stderr)
    out = json.loads(found.group(1))
    statuses = {int(k): v for k, v in out["statuses"].items()}
    answered = sum(statuses.values())
    socket_errors = sum(out["socket_errors"].values())
    measured = {"rps": out["requests"] / (out["duration_us"] / 1e6), "p50": out["p50_us"] / 1000.0,
                "p99": out["p99_us"] / 1000.0, "max": out["max_us"] / 1000.0, "requests": out["requests"],
                "statuses": statuses, "samples": out["samples"], "socket_errors": out["socket_errors"],
                "errors": answered - statuses.get(201, 0) + socket_errors}
    if meter:
        measured["cpu"] = CpuMeter.usage(before, after, max(1, out["requests"]))
    return measured


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, int(fraction * len(sorted_values) + 0.999999) - 1))]


def run_pgbench(pg_url, mode, connections, seconds, workdir, meter):
    log_dir = tempfile.mkdtemp(prefix="pgbench-log-", dir=workdir)
    args = [pg_tool("pgbench"), "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds),
            "-f", PGBENCH_SCRIPT, "-l", "--log-prefix", os.path.join(log_dir, "tx"),
            f"-Dproducts={PRODUCT_COUNT}", f"-Dcustomers={CUSTOMER_COUNT}", f"-Dppfx={PRODUCT_PREFIX}",
            f"-Dcpfx={CUSTOMER_PREFIX}", f"-Dhot={1 if mode == 'hot' else 0}", f"-Dhot_product={HOT_PRODUCT}", pg_url]
    # The server's sessions run with TimeZone UTC and ISO dates; so do these.
    env = dict(os.environ, PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO,YMD")
    before = meter.snapshot()
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    after = meter.snapshot()
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", result.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    if not tps or not processed:
        raise RuntimeError("pgbench failed:\n" + result.stdout + result.stderr)
    latencies = []
    for path in glob.glob(os.path.join(log_dir, "tx*")):
        with open(path) as f:
            latencies.extend(int(line.split()[2]) / 1000.0 for line in f if line.strip())
    shutil.rmtree(log_dir, ignore_errors=True)
    latencies.sort()
    return {"tps": float(tps.group(1)), "p50": percentile(latencies, 0.50), "p99": percentile(latencies, 0.99),
            # A client aborted by an error (the run goes on without it) counts as one.
            "errors": (int(failed.group(1)) if failed else 0) + result.stderr.count("aborted in command"),
            "stderr": result.stderr.strip(),
            "cpu": CpuMeter.usage(before, after, max(1, int(processed.group(1))))}


# ---------------------------------------------------------------------------------------

# A run during which other processes used more than this share of the machine is measured
# again, at most RETRIES times in the whole bench (a busy machine gives low, noisy figures).
NOISE_LIMIT_PCT = 5.0
RETRIES_LEFT = [3]


def wait_for_quiet(limit_seconds=15):
    deadline = time.monotonic() + limit_seconds
    while machine_busy_pct(1.0) > NOISE_LIMIT_PCT and time.monotonic() < deadline:
        pass


def noise(row):
    return max([row["cpu"]["other_pct"]] + [row[k]["cpu"]["other_pct"] for k in ("pg", "pg_pool") if k in row])


def smoke_test(port, files):
    """One order through the API before the load: the tokens, ids and stock are right."""
    token = open(files["tokens"]).readline().strip()
    # (Not /api/auth/me: it decrypts the email, which the seeded rows hold in plain text.)
    status, body = http_call(port, "GET", "/api/orders?limit=1", token)
    if status != 200:
        raise RuntimeError(f"GET /api/orders with a minted token: {status} {body[:300]!r}")
    items = [{"product_id": product_id(1), "quantity": 1}, {"product_id": product_id(2), "quantity": 2}]
    status, body = http_call(port, "POST", "/api/orders", token, {"items": items})
    if status != 201:
        raise RuntimeError(f"POST /api/orders: {status} {body[:300]!r}")
    order = json.loads(body)
    if len(order["items"]) != 2 or order["status"] != "pending":
        raise RuntimeError("unexpected order: " + body.decode()[:300])


def pool_size():
    return int(SERVER_SETTINGS["DB_POOL_SIZE"])


def measure(server, mode, connections, seconds, pg_url, workdir, files, meter, with_pool_run):
    """One wrk run after a warm-up run and, on PostgreSQL, the pgbench run that goes with it
    (and, with_pool_run, one more at as many clients as the server has pooled connections)."""
    run_wrk(server.port, connections, WARMUP_SECONDS, mode, files)
    row = {"case": mode.replace("distinct-key", "distinct+key"), "mode": mode, "connections": connections,
           **run_wrk(server.port, connections, seconds, mode, files, meter)}
    if pg_url and mode != "distinct-key":
        row["pg"] = run_pgbench(pg_url, mode, connections, seconds, workdir, meter)
        if with_pool_run:
            row["pg_pool"] = run_pgbench(pg_url, mode, pool_size(), seconds, workdir, meter)
    return row


def format_statuses(row):
    parts = [f"{status}: {n}" for status, n in sorted(row["statuses"].items()) if status != 201]
    parts += [f"socket {kind}: {n}" for kind, n in row["socket_errors"].items() if n]
    return ", ".join(parts)


def bench_backend(backend, binary, db_url, pg_url, seconds, workdir, files):
    rows = []
    with Server(binary, db_url, workdir) as server:
        smoke_test(server.port, files)
        meter = CpuMeter(server.proc.pid, postmaster_pid(pg_url) if pg_url else None)
        plan = [(mode, c) for mode in ("distinct", "hot") for c in CONNECTIONS]
        plan += [("distinct-key", c) for c in KEY_CASE_CONNECTIONS]
        pool_runs = {}  # mode -> pgbench at the pool's size, measured with the first row of the mode
        for mode, connections in plan:
            while True:
                with_pool_run = pg_url and mode != "distinct-key" and mode not in pool_runs
                row = measure(server, mode, connections, seconds, pg_url, workdir, files, meter, with_pool_run)
                row["backend"] = backend
                line = "  %-10s %-12s c=%-3d %6.0f req/s  p50 %7.2f ms  p99 %7.2f ms  non-201 %d" % (
                    backend, row["case"], connections, row["rps"], row["p50"], row["p99"], row["errors"])
                if "pg" in row:
                    line += "  | pgbench %6.0f tps  p50 %6.2f ms  p99 %6.2f ms" % (
                        row["pg"]["tps"], row["pg"]["p50"], row["pg"]["p99"])
                if "pg_pool" in row:
                    line += "  | pgbench -c%d %6.0f tps" % (pool_size(), row["pg_pool"]["tps"])
                print(line, flush=True)
                if row["errors"]:
                    print("      unexpected answers: " + format_statuses(row))
                    for status, text in row["samples"].items():
                        print(f"      {status}: {text}")
                for key in ("pg", "pg_pool"):
                    if key in row and row[key]["stderr"]:
                        print("      pgbench: " + "\n      pgbench: ".join(row[key]["stderr"].splitlines()[:4]))
                if noise(row) <= NOISE_LIMIT_PCT or RETRIES_LEFT[0] == 0:
                    break
                RETRIES_LEFT[0] -= 1
                print(f"      other processes used {noise(row):.0f}% of the machine meanwhile: measuring again",
                      flush=True)
                wait_for_quiet()
            if "pg_pool" in row:
                pool_runs[mode] = row["pg_pool"]
            elif mode in pool_runs:
                row["pg_pool"] = pool_runs[mode]
            rows.append(row)
        warnings = server.warnings()
    if warnings:
        print(f"  {backend}: the server logged {len(warnings)} warning/error lines; the first ones:")
        for line in warnings[:5]:
            print("    " + line[:400])
    return rows


# ---------------------------------------------------------------------------------------
# Checks after the runs: nothing oversold or lost, every order whole.

CONSISTENCY_SQL = {
    # Stock taken from each product == units in its order items.
    "products whose stock taken differs from the units ordered": f"""
        SELECT count(*) FROM products p
        LEFT JOIN (SELECT product_id, sum(quantity) AS units FROM order_items GROUP BY product_id) i
          ON i.product_id = p.id
        WHERE p.stock_quantity + coalesce(i.units, 0) <> CASE WHEN p.id = '{product_id(HOT_PRODUCT)}'
                                                               THEN {HOT_STOCK} ELSE {STOCK} END""",
    # Each order's total == the sum over its items; no order without items or history.
    "orders whose total differs from their items": """
        SELECT count(*) FROM orders o
        LEFT JOIN (SELECT order_id, sum(quantity * price_at_purchase) AS total FROM order_items GROUP BY order_id) i
          ON i.order_id = o.id
        WHERE i.total IS NULL OR i.total <> o.total_price""",
    "orders without a status-history row": """
        SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = o.id)""",
}


def check_consistency(backend, run_query):
    problems = 0
    orders = int(run_query("SELECT count(*) FROM orders"))
    for name, sql in CONSISTENCY_SQL.items():
        count = int(run_query(sql))
        if count:
            problems += count
            print(f"  {backend}: BUG: {count} {name}")
    print(f"  {backend}: {orders} orders in the database; stock, totals and history consistent"
          if not problems else f"  {backend}: {orders} orders in the database; INCONSISTENT (see above)")
    return problems


def sqlite_query(path):
    def run(sql):
        con = sqlite3.connect(path)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    return run


def postgres_log_path():
    ctl = os.environ.get("MERCATO_TEST_POSTGRES_CTL", "")
    found = re.search(r"-D (\S+)/data\b", ctl)
    return os.path.join(found.group(1), "server.log") if found else None


def postgres_log_problems(path, offset):
    if not path or not os.path.exists(path):
        return None
    with open(path, errors="replace") as f:
        f.seek(offset)
        lines = f.read().splitlines()
    return [line for line in lines if re.search(r"\b(ERROR|FATAL|PANIC|deadlock)\b", line)]


# ---------------------------------------------------------------------------------------
# Output

def print_columns(lines, left=(0, 1)):
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for n, line in enumerate(lines):
        print("  " + "  ".join(cell.ljust(widths[i]) if i in left else cell.rjust(widths[i])
                               for i, cell in enumerate(line)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def ratio_of(row):
    pg = row.get("pg")
    return row["rps"] / pg["tps"] if pg and pg["tps"] else None


def print_tables(rows):
    pool = pool_size()
    lines = [("backend", "case", "conn", "req/s", "p50 ms", "p99 ms", "non-201", "pgbench tps", "pg p50", "pg p99",
              "pg fail", "ratio", f">={TARGET_RATIO}", f"pgbench -c{pool}", f"ratio -c{pool}", "other %")]
    for row in rows:
        pg, ratio, pool_pg = row.get("pg"), ratio_of(row), row.get("pg_pool")
        lines.append((row["backend"], row["case"], str(row["connections"]), f"{row['rps']:.0f}", f"{row['p50']:.2f}",
                      f"{row['p99']:.2f}", str(row["errors"]), f"{pg['tps']:.0f}" if pg else "-",
                      f"{pg['p50']:.2f}" if pg else "-", f"{pg['p99']:.2f}" if pg else "-",
                      str(pg["errors"]) if pg else "-",
                      f"{ratio:.2f}" if ratio is not None else "-",
                      "-" if ratio is None else ("PASS" if ratio >= TARGET_RATIO else "MISS"),
                      f"{pool_pg['tps']:.0f}" if pool_pg else "-",
                      f"{row['rps'] / pool_pg['tps']:.2f}" if pool_pg and pool_pg["tps"] else "-",
                      f"{noise(row):.0f}"))
    print_columns(lines)
    print(f"  pgbench -c{pool}: the same transaction at as many clients as the server has pooled connections "
          f"(DB_POOL_SIZE),\n  the database's load when the server runs; on 2 cores pgbench's own rate falls with "
          "more clients.\n  other % = share of the machine used by unrelated processes meanwhile (worst of the wrk "
          "and pgbench runs);\n  above a few percent the row is not trustworthy.")

    print("\nCPU time per order, in microseconds (server runs: per request; pgbench runs: per transaction), "
          "and how busy\nthe 2 cores were:")
    lines = [("backend", "case", "conn", "server", "postgres", "wrk", "busy %", "| pgbench: postgres", "pgbench",
              "busy %")]
    for row in rows:
        cpu, pg = row["cpu"], row.get("pg")
        lines.append((row["backend"], row["case"], str(row["connections"]), f"{cpu['server']:.0f}",
                      f"{cpu['postgres']:.0f}" if row["backend"] == "postgresql" else "-", f"{cpu['client']:.0f}",
                      f"{cpu['busy_pct']:.0f}", f"{pg['cpu']['postgres']:.0f}" if pg else "-",
                      f"{pg['cpu']['client']:.0f}" if pg else "-", f"{pg['cpu']['busy_pct']:.0f}" if pg else "-"))
    print_columns(lines)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release/mercato")
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    pg_url = os.environ.get("MERCATO_TEST_POSTGRES_URL")
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    if "postgresql" not in backends:
        pg_url = None
    for tool in ("wrk",) + (("pgbench", "psql") if pg_url else ()):
        if not shutil.which(pg_tool(tool)):
            sys.exit(f"orders bench: {tool} not found (bench/orders.sh installs it)")
    if not os.access(binary, os.X_OK):
        sys.exit(f"orders bench: {binary} not found (make build)")
    started = time.monotonic()
    print(f"orders bench: {PRODUCT_COUNT} products with {STOCK:,} units and 1 hot product with {HOT_STOCK:,}; "
          f"{CUSTOMER_COUNT} customers; {os.cpu_count()} cores shared by wrk, server and database")
    busy = machine_busy_pct()
    print(f"  machine busy before the start: {busy:.0f}%" +
          ("  WARNING: other processes are running; the figures will be low and noisy" if busy > 10 else ""))
    print("  server: " + " ".join(f"{k}={v}" for k, v in SERVER_SETTINGS.items() if k != "JWT_SECRET"))
    print(f"  wrk -t2 -c<16|64> -d{seconds}s --timeout 10s -s bench/orders/place_order.lua, each after a "
          f"{WARMUP_SECONDS} s warm-up run;\n  POST /api/orders with 1-3 lines of 1-3 units, the customers in turn")
    if pg_url:
        print(f"  pgbench -n -M prepared -c <16|64, and {pool_size()}> -j 2 -T {seconds} -f bench/orders/place_order.sql: "
              "the same write\n  transaction, without the server's per-request session read")
    elif "postgresql" in backends:
        print("  MERCATO_TEST_POSTGRES_URL is not set: SQLite only (bench/orders.sh runs both)")
    data = build_dataset()
    workdir = tempfile.mkdtemp(prefix="mercato-bench-orders-")
    rows, problems = [], 0
    pg_log = postgres_log_path() if pg_url else None
    try:
        files = {"tokens": os.path.join(workdir, "tokens.txt"), "products": os.path.join(workdir, "products.txt"),
                 "hot": os.path.join(workdir, "hot.txt")}
        with open(files["tokens"], "w") as f:
            f.writelines(access_token(user, family) + "\n" for family, user, _, _ in data["refresh_token_families"])
        with open(files["products"], "w") as f:
            f.writelines(product_id(n) + "\n" for n in range(1, PRODUCT_COUNT + 1))
        with open(files["hot"], "w") as f:
            f.write(product_id(HOT_PRODUCT) + "\n")

        if "sqlite" in backends:
            sqlite_path = os.path.join(workdir, "orders.db")
            migrate(binary, "sqlite:" + sqlite_path)
            seed_sqlite(sqlite_path, data)
            rows += bench_backend("sqlite", binary, "sqlite:" + sqlite_path, None, seconds, workdir, files)
            problems += check_consistency("sqlite", sqlite_query(sqlite_path))
        if pg_url:
            migrate(binary, pg_url)
            seed_postgres(pg_url, data)
            log_offset = os.path.getsize(pg_log) if pg_log and os.path.exists(pg_log) else 0
            rows += bench_backend("postgresql", binary, pg_url, pg_url, seconds, workdir, files)
            problems += check_consistency("postgresql", lambda sql: psql(pg_url, sql + ";").strip())
            found = postgres_log_problems(pg_log, log_offset)
            if found is None:
                print("  postgresql: server log not found (MERCATO_TEST_POSTGRES_CTL unset): not searched")
            else:
                print(f"  postgresql: {len(found)} ERROR/deadlock lines in PostgreSQL's log during the runs")
                for line in found[:5]:
                    print("    " + line[:300])
                problems += len(found)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nPOST /api/orders, {seconds} s per run. pgbench: the same write transaction straight on PostgreSQL, "
          "same concurrency.\nratio = server req/s / pgbench tps; target on PostgreSQL: ratio >= "
          f"{TARGET_RATIO}. non-201: answers other than 201 plus socket errors (expected: 0).")
    print_tables(rows)
    results = [ratio_of(r) for r in rows if ratio_of(r) is not None]
    if results:
        print(f"\n  ratio >= {TARGET_RATIO}: {sum(r >= TARGET_RATIO for r in results)}/{len(results)} PASS")
    pool_runs = {id(r["pg_pool"]): r["pg_pool"] for r in rows if "pg_pool" in r}
    unexpected = (sum(r["errors"] + (r["pg"]["errors"] if "pg" in r else 0) for r in rows) +
                  sum(run["errors"] for run in pool_runs.values()))
    print(f"  unexpected answers: {unexpected}; consistency problems and database errors: {problems}")
    print(f"\norders bench: done in {time.monotonic() - started:.0f} s")
    return 1 if unexpected or problems else 0


if __name__ == "__main__":
    sys.exit(main())
