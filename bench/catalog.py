#!/usr/bin/env python3
"""Catalog listing under load: GET /api/products?limit=20 with wrk, on SQLite and PostgreSQL.

Seeds 10,000 products in 20 categories (the same deterministic data on both backends, rows
written with SQL after `mercato migrate`) and measures three listings at 16 and 64
connections: the first page (newest), a deep keyset page (a real cursor, 5,000 rows in) and
a full-text search (q=lamp, relevance order). Each wrk run prints requests/s and p50/p99.

On PostgreSQL it also measures the limit underneath: pgbench runs the very statement the
server issues (checked against the server's own backends in pg_stat_activity), prepared,
with the same parameters, at the same concurrency, against the same database, one statement
per transaction without BEGIN (the server reads on a pooled connection in autocommit).

Targets (issue: catalog benchmark), on PostgreSQL, on this 2-core machine that wrk shares:
  - requests/s at least half of pgbench's transactions/s (ratio >= 0.5), at 16 and 64;
  - p99 latency under 20 ms at 64 connections.
Finally it prints EXPLAIN ANALYZE of the three statements and the indexes they use.

Usage: bench/catalog.py [path/to/mercato] [seconds per measured run]
PostgreSQL comes from MERCATO_TEST_POSTGRES_URL (bench/catalog.sh runs this script under
scripts/with-postgres.sh); without it only SQLite is measured. DB_POOL_SIZE, WORKER_THREADS and
IO_THREADS in the environment override the server settings below. A run during which other
processes used more than 5% of the machine is measured again once the machine idles (at most
3 times per bench).
"""
import base64
import datetime
import glob
import hashlib
import json
import os
import random
import resource
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

PRODUCT_COUNT = 10_000
VENDOR_COUNT = 5
DEEP_ROWS = 5_000  # the deep page starts after this many rows: page 251 of 20
SEARCH_WORD = "lamp"
CONNECTIONS = (16, 64)
WARMUP_SECONDS = 2
TARGET_RATIO = 0.5
TARGET_P99_MS = 20.0
TARGET_P99_CONNECTIONS = 64

# Server settings for the bench. The 64 client connections share DB_POOL_SIZE database
# connections, and a worker blocks on the database for each request, so there are as many
# workers as pooled connections. Both are small because the 2 cores also run PostgreSQL and
# wrk: measured here (first page, quiet machine), a pool of 4 gave more requests/s and a lower
# p99 than 8 or 16, whose extra threads and backends only add context switches. One io
# thread. RATE_LIMIT_PER_MINUTE: the configuration's maximum (1,000,000); its bucket outlasts
# the whole run from 127.0.0.1.
SERVER_SETTINGS = {
    "APP_ENV": "development",
    "BIND_ADDRESS": "127.0.0.1",
    "RATE_LIMIT_PER_MINUTE": "1000000",
    "DB_POOL_SIZE": "4",
    "WORKER_THREADS": "4",
    "IO_THREADS": "1",
    "LOG_LEVEL": "warn",
}

# The pool and thread settings can be overridden from the environment, to compare.
for _name in ("DB_POOL_SIZE", "WORKER_THREADS", "IO_THREADS"):
    if os.environ.get(_name):
        SERVER_SETTINGS[_name] = os.environ[_name]

PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_tool(name):
    path = os.path.join(PG_BIN, name)
    return path if os.access(path, os.X_OK) else name


# ---------------------------------------------------------------------------------------
# Data: 20 categories of 5 kinds of goods each; names "<style> <material> <noun>", prices on
# common price points (many ties), descriptions that mention other goods, so that a word
# such as "lamp" matches about 300 products, in names and in descriptions.

CATEGORIES = [
    ("Lighting", ["lamp", "lantern", "sconce", "chandelier", "bulb"]),
    ("Furniture", ["chair", "table", "stool", "bench", "shelf"]),
    ("Kitchen", ["kettle", "skillet", "knife", "cutting board", "teapot"]),
    ("Garden", ["planter", "hose", "trowel", "birdhouse", "watering can"]),
    ("Outdoor", ["tent", "backpack", "hammock", "camp stove", "sleeping bag"]),
    ("Footwear", ["sneaker", "boot", "sandal", "loafer", "slipper"]),
    ("Clothing", ["jacket", "sweater", "scarf", "shirt", "hoodie"]),
    ("Accessories", ["wallet", "belt", "watch", "sunglasses", "tote bag"]),
    ("Electronics", ["headphones", "speaker", "charger", "keyboard", "monitor"]),
    ("Office", ["notebook", "pen", "desk organizer", "stapler", "planner"]),
    ("Toys", ["puzzle", "kite", "building blocks", "plush bear", "board game"]),
    ("Sports", ["yoga mat", "dumbbell", "tennis racket", "football", "jump rope"]),
    ("Beauty", ["soap", "candle", "lotion", "perfume", "hairbrush"]),
    ("Bath", ["towel", "bath mat", "shower curtain", "robe", "soap dish"]),
    ("Bedding", ["pillow", "duvet", "blanket", "sheet set", "quilt"]),
    ("Decor", ["vase", "mirror", "picture frame", "rug", "clock"]),
    ("Pets", ["dog bed", "cat tree", "leash", "pet bowl", "chew toy"]),
    ("Books", ["cookbook", "novel", "atlas", "journal", "sketchbook"]),
    ("Tools", ["hammer", "screwdriver", "drill", "wrench", "tape measure"]),
    ("Travel", ["suitcase", "duffel", "passport holder", "neck pillow", "packing cube"]),
]
STYLES = ["Vintage", "Modern", "Rustic", "Classic", "Compact", "Deluxe", "Handmade", "Minimalist", "Portable",
          "Oversized", "Nordic", "Industrial", "Cozy", "Elegant", "Sturdy", "Lightweight", "Premium", "Everyday",
          "Bold", "Soft"]
MATERIALS = ["Oak", "Walnut", "Brass", "Copper", "Linen", "Cotton", "Wool", "Leather", "Ceramic", "Glass", "Steel",
             "Bamboo", "Marble", "Canvas", "Velvet", "Stoneware", "Aluminium", "Rattan", "Cork", "Felt"]
COLOURS = ["black", "white", "sage green", "navy", "terracotta", "mustard", "charcoal", "ivory", "olive", "dusty rose"]
PLACES = ["Lisbon", "Oslo", "Kyoto", "Portland", "Marrakesh", "Copenhagen", "Oaxaca", "Glasgow", "Melbourne", "Turin"]
CARE = ["wipe clean with a damp cloth", "machine washable at 30 degrees", "hand wash only", "oil once a year",
        "keep away from direct sunlight", "dishwasher safe", "dust regularly", "store in a dry place"]
PRICE_POINTS = [5, 8, 10, 12, 15, 18, 20, 24, 25, 29, 30, 35, 39, 40, 45, 49, 50, 59, 60, 69, 75, 79, 80, 89, 90, 99,
                100, 119, 120, 129, 149, 150, 179, 199, 200, 249, 250, 299, 349, 399, 499]


def rfc3339(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_dataset(seed=20261125):
    rng = random.Random(seed)

    def new_id():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    seeded = rfc3339(start)
    users = []
    for i in range(VENDOR_COUNT):
        email = f"vendor{i}@bench.example"
        users.append((new_id(), "bench-not-encrypted:" + email, hashlib.sha256(email.encode()).hexdigest(),
                      "$2b$04$benchbenchbenchbenchbeu0000000000000000000000000000000", "vendor", True, False,
                      seeded, seeded))
    categories = [(new_id(), name, f"{name} for every home: " + ", ".join(nouns) + ".", seeded, seeded)
                  for name, nouns in CATEGORIES]
    all_nouns = [noun for _, nouns in CATEGORIES for noun in nouns]
    products = []
    step_us = 300 * 24 * 3600 * 1_000_000 // PRODUCT_COUNT
    created = start
    for i in range(PRODUCT_COUNT):
        c = rng.randrange(len(CATEGORIES))
        noun = rng.choice(CATEGORIES[c][1])
        style, material, colour = rng.choice(STYLES), rng.choice(MATERIALS), rng.choice(COLOURS)
        name = f"{style} {material} {noun.title()}"
        if rng.random() < 0.3:
            name += f" in {colour.title()}"
        others = rng.sample(all_nouns, 2)
        description = " ".join([
            f"A {style.lower()} {noun} made from {material.lower()}, finished in {colour}.",
            f"Designed in {rng.choice(PLACES)} and built for everyday use.",
            f"Pairs well with our {others[0]}s.",
            f"Customers who bought this also liked the {others[1]}.",
            f"Care: {rng.choice(CARE)}.",
        ])
        price = rng.choice(PRICE_POINTS) * 100 - rng.choice([0, 0, 1, 5])
        stock = 0 if rng.random() < 0.1 else rng.randint(1, 500)
        # One product in ten comes from a bulk import: the same created_at as the one before.
        if i == 0 or rng.random() >= 0.1:
            created = start + datetime.timedelta(microseconds=i * step_us + rng.randrange(step_us))
        updated = created + datetime.timedelta(microseconds=rng.randrange(0, 10 * 24 * 3600 * 1_000_000))
        products.append((new_id(), name, description, price, "usd", stock, categories[c][0],
                         rng.choice(users)[0], rfc3339(created), rfc3339(updated)))
    return users, categories, products


USER_COLUMNS = ("id", "email_encrypted", "email_index", "password_hash", "role", "email_verified", "disabled",
                "created_at", "updated_at")
CATEGORY_COLUMNS = ("id", "name", "description", "created_at", "updated_at")
PRODUCT_COLUMNS = ("id", "name", "description", "price", "currency", "stock_quantity", "category_id", "vendor_id",
                   "created_at", "updated_at")


def seed_sqlite(path, data):
    users, categories, products = data
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:
            for table, columns, rows in (("users", USER_COLUMNS, users), ("categories", CATEGORY_COLUMNS, categories),
                                         ("products", PRODUCT_COLUMNS, products)):
                marks = ", ".join("?" * len(columns))
                con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        fts = con.execute("SELECT count(*) FROM products_fts").fetchone()[0]
        if fts != len(products):
            raise RuntimeError(f"products_fts holds {fts} rows, expected {len(products)}")
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
    users, categories, products = data
    lines = ["BEGIN;"]
    for table, columns, rows in (("users", USER_COLUMNS, users), ("categories", CATEGORY_COLUMNS, categories),
                                 ("products", PRODUCT_COLUMNS, products)):
        lines.append(f"COPY {table} ({', '.join(columns)}) FROM STDIN;")
        lines.extend("\t".join(copy_text(v) for v in row) for row in rows)
        lines.append("\\.")
    lines += ["COMMIT;", "VACUUM (ANALYZE) users, categories, products;", ""]
    psql(pg_url, "\n".join(lines))


# ---------------------------------------------------------------------------------------
# The server and its API

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(binary, db_url):
    env = dict(os.environ, DATABASE_URL=db_url, LOG_LEVEL="warn")
    result = subprocess.run([binary, "migrate"], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("mercato migrate failed: " + result.stdout + result.stderr)


class Server:
    def __init__(self, binary, db_url, workdir):
        self.binary, self.db_url, self.workdir = binary, db_url, workdir
        self.port = free_port()
        self.proc = None

    def __enter__(self):
        env = dict(os.environ, **SERVER_SETTINGS, DATABASE_URL=self.db_url, PORT=str(self.port))
        self.log_path = os.path.join(self.workdir, f"server-{self.port}.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if get(self.port, "/api/health")[0] == 200:
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

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def get_page(port, path):
    status, body = get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
    return json.loads(body)


def walk(port, query, rows):
    """Follows next_cursor with limit=100 until `rows` rows are behind; returns (cursor, rows seen)."""
    cursor, seen = None, 0
    while seen < rows:
        path = f"/api/products?limit=100&{query}" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = get_page(port, path)
        seen += len(page["data"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return cursor, seen


def decode_cursor(cursor):
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return raw.decode().split("\n")


def listing_cases(port):
    """The three wrk targets, each with the parameters of the statement the server runs for it."""
    first = get_page(port, "/api/products?limit=20")
    if len(first["data"]) != 20:
        raise RuntimeError("first page holds %d products" % len(first["data"]))
    cursor, seen = walk(port, "sort=newest", DEEP_ROWS)
    if seen != DEEP_ROWS or cursor is None:
        raise RuntimeError(f"walking the listing stopped after {seen} rows")
    _, key, after_id = decode_cursor(cursor)
    deep_path = "/api/products?limit=20&cursor=" + urllib.parse.quote(cursor, safe="")
    deep = get_page(port, deep_path)
    if len(deep["data"]) != 20:
        raise RuntimeError("deep page holds %d products" % len(deep["data"]))
    search_path = f"/api/products?limit=20&q={SEARCH_WORD}"
    if len(get_page(port, search_path)["data"]) != 20:
        raise RuntimeError("search page is not full")
    _, hits = walk(port, f"q={SEARCH_WORD}", PRODUCT_COUNT)
    return [
        {"name": "first page", "path": "/api/products?limit=20", "sort": "newest", "search": False,
         "after": False, "params": ["21"]},
        {"name": f"deep page (row {DEEP_ROWS + 1})", "path": deep_path, "sort": "newest", "search": False,
         "after": True, "params": [key, after_id, "21"]},
        {"name": f"q={SEARCH_WORD} ({hits} hits)", "path": search_path, "sort": "relevance", "search": True,
         "after": False, "params": [SEARCH_WORD, "21"]},
    ]


# ---------------------------------------------------------------------------------------
# The statement the server issues on PostgreSQL: a copy of src/db/catalog/product_list_sql.cpp
# for the sorts and filters used here (no category, vendor, price or stock filter).

SQL_PRODUCT_COLUMNS = ("p.id, p.name, p.description, p.price, p.currency, p.stock_quantity, p.category_id, "
                       "p.vendor_id, p.created_at, p.updated_at")
PG_RELEVANCE = "-CAST(ts_rank(p.search_vector, search_query) * 1000000 AS bigint)"


def postgres_list_sql(sort, search, after):
    count = 0

    def bind():
        nonlocal count
        count += 1
        return f"${count}"

    sort_key = "p.created_at" if sort == "newest" else PG_RELEVANCE
    if search:
        source = (f"FROM products p, plainto_tsquery('english', {bind()}) search_query "
                  "WHERE p.deleted_at IS NULL AND p.search_vector @@ search_query")
    else:
        source = "FROM products p WHERE p.deleted_at IS NULL"
    sql = f"SELECT * FROM (SELECT {SQL_PRODUCT_COLUMNS}, {sort_key} AS sort_key {source}) page"
    descending = sort == "newest"
    if after:
        key = bind()
        after_id = bind()
        sql += (f" WHERE (page.sort_key, page.id) {'<' if descending else '>'} "
                f"(CAST({key} AS timestamptz), CAST({after_id} AS uuid))")
    sql += " ORDER BY " + ("page.sort_key DESC, page.id DESC" if descending else "page.sort_key, page.id")
    sql += f" LIMIT {bind()}"
    return sql


def server_statements(pg_url):
    """The last statement of each of the server's backends (fallback_application_name 'mercato')."""
    out = psql(pg_url, "SELECT DISTINCT replace(query, E'\\n', ' ') FROM pg_stat_activity "
                       "WHERE application_name = 'mercato' AND query LIKE 'SELECT * FROM (%';")
    return set(line for line in out.splitlines() if line)


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------
# CPU accounting: where the cores go during a run (server, PostgreSQL, the load generator,
# and anything else running on the machine, which makes the figures unreliable).

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
    """CPU seconds of the server process, the PostgreSQL cluster (live and exited backends) and
    the waited-for children of this script (wrk, pgbench)."""

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
        return {"server": d["server"] / operations * 1e6, "postgres": d["postgres"] / operations * 1e6,
                "client": d["client"] / operations * 1e6,
                "other_pct": 100.0 * other / ((os.cpu_count() or 1) * d["at"])}


def machine_busy_pct(seconds=1.0):
    before, start = machine_busy_seconds(), time.monotonic()
    time.sleep(seconds)
    return 100.0 * (machine_busy_seconds() - before) / ((os.cpu_count() or 1) * (time.monotonic() - start))


# ---------------------------------------------------------------------------------------
# wrk and pgbench

def duration_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url, connections, seconds, meter=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url]
    before = meter.snapshot() if meter else None
    result = subprocess.run(args, capture_output=True, text=True)
    after = meter.snapshot() if meter else None
    if result.returncode != 0:
        raise RuntimeError("wrk failed: " + result.stdout + result.stderr)
    out = result.stdout
    latency = {p: duration_ms(v, u) for p, v, u in re.findall(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not rps or "50" not in latency or "99" not in latency or not total:
        raise RuntimeError("cannot parse wrk output:\n" + out)
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    measured = {"rps": float(rps.group(1)), "p50": latency["50"], "p99": latency["99"],
                "requests": int(total.group(1)), "errors": errors}
    if meter:
        measured["cpu"] = CpuMeter.usage(before, after, max(1, measured["requests"]))
    return measured


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, int(fraction * len(sorted_values) + 0.999999) - 1))]


def run_pgbench(pg_url, script, params, connections, seconds, workdir, meter):
    script_path = os.path.join(workdir, "pgbench.sql")
    with open(script_path, "w") as f:
        f.write(script + "\n")
    log_dir = tempfile.mkdtemp(prefix="pgbench-log-", dir=workdir)
    args = [pg_tool("pgbench"), "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds),
            "-f", script_path, "-l", "--log-prefix", os.path.join(log_dir, "tx")]
    args += [f"-Dp{i}={value}" for i, value in enumerate(params, 1)]
    args.append(pg_url)
    # The server's sessions run with TimeZone UTC and ISO dates; so do these.
    env = dict(os.environ, PGOPTIONS="-c TimeZone=UTC -c DateStyle=ISO,YMD")
    before = meter.snapshot()
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    after = meter.snapshot()
    if result.returncode != 0:
        raise RuntimeError("pgbench failed: " + result.stdout + result.stderr)
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", result.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    if not tps or not processed:
        raise RuntimeError("cannot parse pgbench output:\n" + result.stdout)
    latencies = []
    for path in glob.glob(os.path.join(log_dir, "tx*")):
        with open(path) as f:
            latencies.extend(int(line.split()[2]) / 1000.0 for line in f if line.strip())
    shutil.rmtree(log_dir, ignore_errors=True)
    latencies.sort()
    return {"tps": float(tps.group(1)), "p50": percentile(latencies, 0.50), "p99": percentile(latencies, 0.99),
            "errors": int(failed.group(1)) if failed else 0,
            "cpu": CpuMeter.usage(before, after, max(1, int(processed.group(1))))}


# ---------------------------------------------------------------------------------------

# A run during which other processes used more than this share of the machine is measured
# again when the machine idles again, at most 3 times per bench (busy: low, noisy figures).
NOISE_LIMIT_PCT = 5.0
RETRIES_LEFT = [3]


def wait_for_quiet(limit_seconds=10):
    """Waits until the machine idles (True), at most limit_seconds (False)."""
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        if machine_busy_pct(1.0) <= NOISE_LIMIT_PCT:
            return True
    return False


def measure(server, case, sql, connections, seconds, pg_url, workdir, meter):
    """One wrk run after a warm-up run and, on PostgreSQL, the pgbench run that goes with it."""
    run_wrk(server.url(case["path"]), connections, WARMUP_SECONDS)
    measured = run_wrk(server.url(case["path"]), connections, seconds, meter)
    row = {"backend": case["backend"], "case": case["name"], "connections": connections, **measured}
    if pg_url:
        if "sql_checked" not in case:
            seen = server_statements(pg_url)
            case["sql_checked"] = sql in seen
            if not case["sql_checked"]:
                print("    WARNING: the server's statement differs from the pgbench one.\n"
                      f"    expected: {sql}\n    server:   " + "\n              ".join(sorted(seen)))
        script = re.sub(r"\$(\d+)", r":p\1", sql)
        row["pg"] = run_pgbench(pg_url, script, case["params"], connections, seconds, workdir, meter)
    return row


def bench_backend(backend, binary, db_url, pg_url, seconds, workdir):
    rows = []
    with Server(binary, db_url, workdir) as server:
        cases = listing_cases(server.port)
        meter = CpuMeter(server.proc.pid, postmaster_pid(pg_url) if pg_url else None)
        for case in cases:
            case["backend"] = backend
            path = case["path"] if len(case["path"]) <= 90 else case["path"][:87] + "..."
            print(f"  {backend}: {case['name']}: GET {path}", flush=True)
            sql = postgres_list_sql(case["sort"], case["search"], case["after"]) if pg_url else None
            for connections in CONNECTIONS:
                while True:
                    row = measure(server, case, sql, connections, seconds, pg_url, workdir, meter)
                    line = "    c=%-3d %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms" % (connections, row["rps"], row["p50"],
                                                                                row["p99"])
                    if "pg" in row:
                        line += "  | pgbench %7.0f tps  p50 %6.2f ms  p99 %6.2f ms" % (
                            row["pg"]["tps"], row["pg"]["p50"], row["pg"]["p99"])
                    print(line, flush=True)
                    if noise(row) <= NOISE_LIMIT_PCT or RETRIES_LEFT[0] == 0:
                        break
                    print(f"      other processes used {noise(row):.0f}% of the machine meanwhile", end="", flush=True)
                    if not wait_for_quiet():
                        print("; still busy, figures kept", flush=True)
                        break
                    RETRIES_LEFT[0] -= 1
                    print(": measuring again", flush=True)
                rows.append(row)
    return rows, cases


def verdicts(row):
    pg = row.get("pg")
    if not pg:
        return None, None, None
    ratio = row["rps"] / pg["tps"] if pg["tps"] else 0.0
    p99_ok = row["p99"] < TARGET_P99_MS if row["connections"] == TARGET_P99_CONNECTIONS else None
    return ratio, ratio >= TARGET_RATIO, p99_ok


def print_columns(lines, left=(0, 1)):
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for n, line in enumerate(lines):
        print("  " + "  ".join(cell.ljust(widths[i]) if i in left else cell.rjust(widths[i])
                               for i, cell in enumerate(line)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def noise(row):
    return max(row["cpu"]["other_pct"], row["pg"]["cpu"]["other_pct"] if "pg" in row else 0.0)


def print_tables(rows):
    mark = lambda ok: "-" if ok is None else ("PASS" if ok else "MISS")
    lines = [("backend", "case", "conn", "req/s", "p50 ms", "p99 ms", "errors", "pgbench tps", "pg p50", "pg p99",
              "ratio", f"ratio>={TARGET_RATIO}", f"p99<{TARGET_P99_MS:.0f}ms@{TARGET_P99_CONNECTIONS}", "other %")]
    for row in rows:
        ratio, ratio_ok, p99_ok = verdicts(row)
        pg = row.get("pg")
        lines.append((row["backend"], row["case"], str(row["connections"]), f"{row['rps']:.0f}", f"{row['p50']:.2f}",
                      f"{row['p99']:.2f}", str(row["errors"] + (pg["errors"] if pg else 0)),
                      f"{pg['tps']:.0f}" if pg else "-", f"{pg['p50']:.2f}" if pg else "-",
                      f"{pg['p99']:.2f}" if pg else "-", f"{ratio:.2f}" if pg else "-",
                      mark(ratio_ok), mark(p99_ok), f"{noise(row):.0f}"))
    print_columns(lines)
    print("  other % = share of the machine used by unrelated processes meanwhile (worst of the wrk and pgbench "
          "runs);\n  above a few percent the row is not trustworthy.")

    print("\nCPU time per request (wrk runs) and per transaction (pgbench runs), in microseconds:")
    lines = [("backend", "case", "conn", "server", "postgres", "wrk", "other %", "| pgbench: postgres", "pgbench",
              "other %")]
    for row in rows:
        cpu, pg = row["cpu"], row.get("pg")
        lines.append((row["backend"], row["case"], str(row["connections"]), f"{cpu['server']:.0f}",
                      f"{cpu['postgres']:.0f}" if pg else "-", f"{cpu['client']:.0f}", f"{cpu['other_pct']:.0f}",
                      f"{pg['cpu']['postgres']:.0f}" if pg else "-", f"{pg['cpu']['client']:.0f}" if pg else "-",
                      f"{pg['cpu']['other_pct']:.0f}" if pg else "-"))
    print_columns(lines)


def explain(pg_url, cases):
    print("\nEXPLAIN ANALYZE of the server's statements on the seeded PostgreSQL (the custom plan of the "
          "first executions,\nthen a one-line summary of the generic plan a prepared statement may switch to):")
    for case in cases:
        sql = postgres_list_sql(case["sort"], case["search"], case["after"])
        args = ", ".join(sql_literal(p) for p in case["params"])
        out = psql(pg_url, f"PREPARE bench_stmt AS {sql};\n"
                           f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE bench_stmt({args});\n"
                           "SET plan_cache_mode = force_generic_plan;\n"
                           f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE bench_stmt({args});\n")
        lines = out.strip().splitlines()
        split = next(i for i, line in enumerate(lines) if "Execution Time:" in line) + 1
        custom, generic = lines[:split], "\n".join(lines[split:])
        print(f"\n  -- {case['name']}")
        for line in custom:
            print("     " + line)
        indexes = sorted(set(re.findall(r"(?:using|on) (\w+_idx)\b", generic)))
        time_ms = re.search(r"Execution Time: ([\d.]+) ms", generic)
        print(f"     generic plan: {', '.join(indexes) or 'no index'}; "
              f"execution {time_ms.group(1) if time_ms else '?'} ms")


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release/mercato")
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    pg_url = os.environ.get("MERCATO_TEST_POSTGRES_URL")
    for tool in ("wrk",) + (("pgbench", "psql") if pg_url else ()):
        if not shutil.which(pg_tool(tool)):
            sys.exit(f"catalog bench: {tool} not found (bench/catalog.sh installs it)")
    started = time.monotonic()
    print(f"catalog bench: {PRODUCT_COUNT} products, {len(CATEGORIES)} categories, {VENDOR_COUNT} vendors; "
          f"{os.cpu_count()} cores shared by wrk, server and database")
    wait_for_quiet(30)
    busy = machine_busy_pct()
    print(f"  machine busy before the start: {busy:.0f}%" +
          ("  WARNING: other processes are running; the figures will be low and noisy" if busy > 10 else ""))
    print("  server: " + " ".join(f"{k}={v}" for k, v in SERVER_SETTINGS.items()))
    print(f"  wrk -t2 -c<16|64> -d{seconds}s --latency --timeout 10s, each after a {WARMUP_SECONDS} s warm-up run")
    if pg_url:
        print(f"  pgbench -n -M prepared -c <16|64> -j 2 -T {seconds} -f <the server's statement> -D p1..pn=<its "
              "parameters>; one statement\n  per transaction, no BEGIN, like the server's reads")
    else:
        print("  MERCATO_TEST_POSTGRES_URL is not set: SQLite only (bench/catalog.sh runs both)")
    data = build_dataset()
    workdir = tempfile.mkdtemp(prefix="mercato-bench-catalog-")
    rows, cases = [], None
    try:
        sqlite_path = os.path.join(workdir, "catalog.db")
        migrate(binary, "sqlite:" + sqlite_path)
        seed_sqlite(sqlite_path, data)
        rows += bench_backend("sqlite", binary, "sqlite:" + sqlite_path, None, seconds, workdir)[0]
        if pg_url:
            migrate(binary, pg_url)
            seed_postgres(pg_url, data)
            pg_rows, cases = bench_backend("postgresql", binary, pg_url, pg_url, seconds, workdir)
            rows += pg_rows
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nGET /api/products, {seconds} s per run. pgbench: the same statement straight on PostgreSQL, "
          "same concurrency.\nratio = server req/s / pgbench tps. Targets on PostgreSQL: "
          f"ratio >= {TARGET_RATIO}; p99 < {TARGET_P99_MS:.0f} ms at {TARGET_P99_CONNECTIONS} connections.")
    print_tables(rows)
    if cases:
        results = [verdicts(r) for r in rows if "pg" in r]
        p99 = [ok for _, _, ok in results if ok is not None]
        print(f"\n  ratio >= {TARGET_RATIO}: {sum(ok for _, ok, _ in results)}/{len(results)} PASS;  "
              f"p99 < {TARGET_P99_MS:.0f} ms at {TARGET_P99_CONNECTIONS} connections: {sum(p99)}/{len(p99)} PASS")
        print("  pgbench ran " + ("exactly the server's statements" if all(c.get("sql_checked") for c in cases)
                                  else "statements that DIFFER from the server's (see the warnings above)") +
              " (compared with pg_stat_activity of the server's connections)")
        explain(pg_url, cases)
    print(f"\ncatalog bench: done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
