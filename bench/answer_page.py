"""Requests per second of the seed answer page against a bare Django view, both under gunicorn.

    .venv/bin/python bench/answer_page.py [--seconds 10] [--workers 2] [--connections 16]

Steps:
1. build a throwaway SQLite database (or use DATABASE_URL), migrate, load the demo;
2. start gunicorn on the project (plus one bare view returning a constant string);
3. after a warm-up, load the two URLs in turn, `--rounds` times, with wrk (Debian
   package `wrk`) or, without it, a multi-process Python client; keep the medians;
4. print requests/second for each and the answer page's ratio to the bare view;
   then again with the answer-page cache off (ANSWER_PAGE_CACHE_SECONDS=0).
"""

import argparse
import http.client
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._gunicorn import BIN, PYTHON, ROOT, free_port, seed_path, wait_for  # noqa: E402


def _manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _client_worker(args) -> int:
    port, path, seconds = args
    done, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        done += 1
    return done


def _load(port: int, path: str, *, seconds: int, connections: int) -> float:
    if shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        if "Non-2xx" in out:
            raise SystemExit(f"{path}: errors under load\n{out}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    with multiprocessing.Pool(connections) as pool:
        counts = pool.map(_client_worker, [(port, path, seconds)] * connections)
    return sum(counts) / seconds


def _measure(env: dict, paths: dict, *, workers: int, seconds: int, connections: int, rounds: int) -> dict:
    """Median requests/second per URL over `rounds` interleaved runs (the machine may be shared)."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        for path in paths.values():
            _load(port, path, seconds=2, connections=connections)  # warm-up: caches, connections
        runs = {name: [] for name in paths}
        for _ in range(rounds):
            for name, path in paths.items():
                runs[name].append(_load(port, path, seconds=seconds, connections=connections))
        return {name: statistics.median(values) for name, values in runs.items()}
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per URL; the median is printed")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="vetted-bench-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_demo", "--answers", "50")
        paths = {"bare view": "/bench/constant/", "answer page": seed_path(env)}
        client = "wrk" if shutil.which("wrk") else "python client (install wrk for steadier figures)"
        print(
            f"gunicorn, {args.workers} sync workers; {client}, {args.connections} connections, "
            f"median of {args.rounds} interleaved {args.seconds}s runs per URL; {os.cpu_count()} cores; "
            f"database: {'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}"
        )
        for label, extra in (
            ("answer-page cache on", {}),
            ("answer-page cache off", {"ANSWER_PAGE_CACHE_SECONDS": "0"}),
        ):
            rps = _measure(
                {**env, **extra},
                paths,
                workers=args.workers,
                seconds=args.seconds,
                connections=args.connections,
                rounds=args.rounds,
            )
            print(
                f"{label:<22} bare view {rps['bare view']:8.0f} req/s   answer page {rps['answer page']:8.0f} req/s"
                f"   ratio {rps['answer page'] / rps['bare view']:.2f}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
