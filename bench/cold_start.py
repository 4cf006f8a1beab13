#!/usr/bin/env python3
"""Cold start: time from process start to the first 200 from /api/health on SQLite.

Prints the median (and min/max) of N runs and the idle resident memory (RSS) of the
server after it answered. Usage: bench/cold_start.py [path/to/mercato] [runs]
Target (issue 2): median under 50 ms on the 2-core development machine.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one_run(binary, db_url, deadline_s=5.0):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, PORT=str(port), BIND_ADDRESS="127.0.0.1", LOG_LEVEL="warn")
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - start < deadline_s:
            if health_ok(port):
                elapsed_ms = (time.perf_counter() - start) * 1000
                time.sleep(0.05)  # let the process settle before reading its idle RSS
                return elapsed_ms, rss_kib(proc.pid)
            if proc.poll() is not None:
                raise RuntimeError("server exited: " + proc.stderr.read().decode())
            time.sleep(0.0005)
        raise RuntimeError("no 200 from /api/health within %.1f s" % deadline_s)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/release/mercato"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    workdir = tempfile.mkdtemp(prefix="mercato-bench-")
    try:
        db_url = "sqlite:" + os.path.join(workdir, "bench.db")
        subprocess.run([binary, "migrate"], env=dict(os.environ, DATABASE_URL=db_url, LOG_LEVEL="warn"),
                       check=True, stdout=subprocess.DEVNULL)
        results = [one_run(binary, db_url) for _ in range(runs)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    times = sorted(r[0] for r in results)
    rss = statistics.median(r[1] for r in results)
    print(f"cold start to first 200 /api/health (SQLite), {runs} runs:")
    print(f"  median {statistics.median(times):.1f} ms   min {times[0]:.1f} ms   max {times[-1]:.1f} ms   (target < 50 ms)")
    print(f"  idle RSS after first answer: {rss / 1024:.1f} MiB (median)")


if __name__ == "__main__":
    main()
