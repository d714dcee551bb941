"""How fast the health probes answer through gunicorn.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/probes.py [requests]

Starts one gunicorn worker with config/gunicorn.conf.py on a free port, sends
sequential requests to /healthz and /readyz over HTTP (a new connection each,
as a probe does), and prints p50, p99 and max latency and the error count.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(url: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            response.read()
            ok = response.status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def main(requests: int) -> None:
    port = free_port()
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while not timed(f"{base}/healthz")[1]:
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not start")
            time.sleep(0.2)
        print(
            f"database: {'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}, "
            f"redis: {'yes' if os.environ.get('REDIS_URL') else 'not configured'}, {requests} requests each"
        )
        first_ms, first_ok = timed(f"{base}/readyz")
        print(f"first /readyz (computes the migration plan): {first_ms:.2f} ms, {'200' if first_ok else 'failed'}")
        for path in ("/healthz", "/readyz"):
            for _ in range(20):  # warm-up: imports, connections, the migration plan
                timed(base + path)
            results = [timed(base + path) for _ in range(requests)]
            times = sorted(ms for ms, _ in results)
            errors = sum(not ok for _, ok in results)
            p99 = times[min(len(times) - 1, round(len(times) * 0.99))]
            print(
                f"{path:9} p50 {statistics.median(times):6.2f} ms  p99 {p99:6.2f} ms  "
                f"max {times[-1]:6.2f} ms  errors {errors}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
