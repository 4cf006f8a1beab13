#!/usr/bin/env python3
"""Lambda cold start: time from process start to the first answered invocation.

Plays the Lambda Runtime API on loopback, starts `mercato lambda` against it with one
API Gateway HTTP API event queued (GET /api/health, which queries the database), and
times from the process's start to the moment its response is posted. That covers what a
Lambda init plus first invoke cost in the function itself: configuration, the connection
pool's first connection, the schema check, wiring the application, and the request.
Prints the median (min/max) of N runs on PostgreSQL (MERCATO_TEST_POSTGRES_URL, started by
scripts/with-postgres.sh) and on SQLite. Target (issue 7): median under 50 ms on PostgreSQL.
Usage: bench/lambda_cold_start.py [path/to/mercato] [runs]
"""
import http.server
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

EVENT = json.dumps({
    "version": "2.0", "routeKey": "$default", "rawPath": "/api/health", "rawQueryString": "",
    "headers": {"user-agent": "bench"},
    "requestContext": {"requestId": "bench", "http": {"method": "GET", "path": "/api/health",
                                                      "sourceIp": "127.0.0.1"}},
    "isBase64Encoded": False,
}).encode()


class RuntimeApi(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.events = queue.Queue()
        self.answers = queue.Queue()

    def handle_error(self, request, client_address):
        pass  # each run kills the function, whose kept-alive connection then resets


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self.reply(404, b"{}")
        request_id = self.server.events.get()
        self.reply(200, EVENT, {"Lambda-Runtime-Aws-Request-Id": request_id,
                                "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 30000),
                                "Lambda-Runtime-Trace-Id": "Root=1-0-0;Sampled=0"})

    def do_POST(self):
        at = time.perf_counter()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(202, b'{"status":"OK"}')
        self.server.answers.put((at, self.path, body))

    def reply(self, status, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def one_run(binary, api, db_url):
    env = dict(os.environ, DATABASE_URL=db_url, LOG_LEVEL="warn", DB_POOL_SIZE="2",
               AWS_LAMBDA_RUNTIME_API="127.0.0.1:%d" % api.server_address[1])
    api.events.put(str(uuid.uuid4()))
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "lambda"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        at, path, body = api.answers.get(timeout=10)
        if not path.endswith("/response") or json.loads(body)["statusCode"] != 200:
            raise RuntimeError("the function did not answer 200: %s %s" % (path, body[:200]))
        return (at - start) * 1000
    finally:
        proc.kill()
        proc.wait(timeout=10)


def measure(binary, api, db_url, runs):
    subprocess.run([binary, "migrate"], env=dict(os.environ, DATABASE_URL=db_url, LOG_LEVEL="warn"),
                   check=True, stdout=subprocess.DEVNULL)
    one_run(binary, api, db_url)  # warm the page cache, as a container's image is
    return sorted(one_run(binary, api, db_url) for _ in range(runs))


def report(name, times):
    print(f"  {name:<10} median {statistics.median(times):.1f} ms   min {times[0]:.1f} ms   "
          f"max {times[-1]:.1f} ms")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/release/mercato"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    api = RuntimeApi()
    threading.Thread(target=api.serve_forever, daemon=True).start()
    print(f"Lambda cold start, process start to first answered invocation (GET /api/health), {runs} runs "
          "(target: median < 50 ms on PostgreSQL):")
    postgres = os.environ.get("MERCATO_TEST_POSTGRES_URL")
    if postgres:
        report("PostgreSQL", measure(binary, api, postgres, runs))
    else:
        print("  PostgreSQL: skipped (run through scripts/with-postgres.sh)")
    workdir = tempfile.mkdtemp(prefix="mercato-bench-")
    try:
        report("SQLite", measure(binary, api, "sqlite:" + os.path.join(workdir, "bench.db"), runs))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        api.shutdown()


if __name__ == "__main__":
    main()
