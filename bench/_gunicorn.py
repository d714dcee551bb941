"""Helpers the gunicorn benchmarks share: a free port, waiting for the server, the seed page, worker memory."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SEED_EXTERNAL_ID = "demo-seed-inotuzumab"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port}")


def seed_path(env: dict) -> str:
    """The seed answer's page, read from the database `env` points at."""
    code = (
        "import django; django.setup();"
        "from answers.models import Answer;"
        f"print(Answer.objects.get(revisions__external_id={SEED_EXTERNAL_ID!r}).get_absolute_url())"
    )
    return subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def start(env: dict, port: int, *, log) -> subprocess.Popen:
    """gunicorn with the production config file (config/gunicorn.conf.py) on 127.0.0.1:port."""
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
        stdout=log,
        stderr=log,
    )
    wait_for(port, timeout=60)
    return server


def children(pid: int) -> list[int]:
    """The direct child processes of `pid` (gunicorn's workers, for its master)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(found))


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (VmRSS from /proc/<pid>/status), None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def cores() -> int:
    return os.cpu_count() or 1
