"""Real Celery workers for the integration tests: in-process threads and
subprocesses, both on the live Redis and the test database."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection, connections
from kombu import pools

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout: float = 30, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def point_broker_at(url: str) -> None:
    """Make the app publish to `url` from now on (drops pooled connections)."""
    app.conf.broker_url = url
    pools.reset()  # kombu's registry of connection and producer pools
    app._pool = None
    app.amqp._producer_pool = None


def closed_port_url(*, password: str = "") -> str:
    """A Redis URL on a local port nothing listens on: the broker refuses every connection."""
    with socket.socket() as s:  # bind, then release: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://{':' + password + '@' if password else ''}127.0.0.1:{port}/0"


@contextlib.contextmanager
def silent_broker(*, give_up_after: float = 15):
    """A Redis URL whose server accepts connections and never answers (a frozen or
    half-dead Redis). After `give_up_after` seconds it closes them and stops
    listening, so code without a socket timeout fails instead of hanging forever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    held, stop = [], threading.Event()

    def hold():
        deadline = time.monotonic() + give_up_after
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                held.append(server.accept()[0])
            except OSError:  # timeout: look at the clock again
                pass
        server.close()
        for conn in held:
            conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=5)


@contextlib.contextmanager
def broker_at(url: str):
    live = app.conf.broker_url
    point_broker_at(url)
    try:
        yield
    finally:
        point_broker_at(live)


def purge_queue() -> None:
    """Drop messages left in this Redis db by an earlier, interrupted run: those waiting in
    the queue, and those a killed worker held unacknowledged, which a worker with a short
    visibility timeout would otherwise restore and run in the middle of the next test."""
    app.control.purge()
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)


@contextlib.contextmanager
def thread_worker():
    """A worker thread in this process (locmem mail is shared with the test)."""
    assert not app.conf.task_always_eager, "the integration tests need REDIS_URL"
    # The worker thread opens its own connection: close it after each task so
    # no session is left on the test database when it is dropped.
    db = connections.settings["default"]
    max_age, db["CONN_MAX_AGE"] = db.get("CONN_MAX_AGE", 0), 0
    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
            yield
    finally:
        db["CONN_MAX_AGE"] = max_age


def database_url() -> str:
    """The URL of the test database pytest-django created (test_<name>)."""
    s = connection.settings_dict
    assert connection.vendor == "postgresql", "worker subprocesses need PostgreSQL"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class SubprocessWorker:
    """`celery -A config worker` in its own process, on the test database."""

    def __init__(self, name: str, log_dir: Path, env: dict):
        self.log = log_dir / f"{name}.log"
        full_env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": settings.REDIS_URL,
            **env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname={name}@%h"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        wait_for(lambda: "ready." in self.log.read_text(errors="replace"), timeout=timeout, what=f"{self.log.name}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def recreate_groups() -> None:
    """Transactional tests flush the tables, groups from the data migration too; a test that
    cannot use serialized_rollback (content types re-created by an earlier flush) puts them back."""
    from django.contrib.auth.models import Group

    from editorial.access import roles

    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)
