"""A private redis-server for the fault tests: its own free port, nothing saved to disk,
started and killed by the test, so a test can take Redis away without touching the
shared one (REDIS_URL) that other tests and engineers use.

`production_settings(url, monkeypatch)` is config/settings.py as it reads with
REDIS_URL=url, so a test configures the caches exactly as production does. The
fixtures `private_redis` and `production_caches` (tests/conftest.py) use both.
"""

import runpy
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def available() -> bool:
    return shutil.which("redis-server") is not None


class PrivateRedis:
    """`start()` (again after `kill()`: the same port, empty), `kill()` (SIGKILL, as a crash)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=1)

    def page_keys(self) -> list[bytes]:
        return self.client().keys("*answers:page:*")


def production_settings(url: str, monkeypatch) -> dict:
    """config/settings.py run as a fresh module with REDIS_URL=url: its namespace."""
    monkeypatch.setenv("REDIS_URL", url)
    return runpy.run_path(str(ROOT / "config" / "settings.py"))
