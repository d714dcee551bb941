"""A Redis outage is a cache miss, not an outage of the reader site.

A private redis-server (its own free port, nothing saved) stands in for the
production Redis, with the caches configured exactly as config/settings.py
configures them for a REDIS_URL. Readers read answer pages and ask a follow-up
question; Redis is killed; every page still renders from the database (no
500), and the follow-up is refused with a message (the rate limit fails
closed); Redis comes back and pages are cached again.
"""

import re
import runpy
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.test import Client
from django.urls import reverse

from answers.models import FollowUpQuestion
from tests.support.services import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Is intravenous iron safe during pregnancy?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
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


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        message = "needs redis-server (Debian's redis-server package)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{message} (VETTED_REQUIRE_SERVICES=1: integration tests may not skip)")
        pytest.skip(message)
    server = PrivateRedis(_free_port())
    server.start()
    yield server
    server.kill()


@pytest.fixture
def production_caches(private_redis, settings, monkeypatch):
    """settings.CACHES as config/settings.py builds it for REDIS_URL=<the private Redis>."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{private_redis.port}/0")
    built = runpy.run_path(str(ROOT / "config" / "settings.py"))
    for name in ("DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS", "DJANGO_REDIS_LOGGER"):
        if name in built:
            setattr(settings, name, built[name])
    settings.CACHES = built["CACHES"]
    return built["CACHES"]


def _read_pages(urls: list[str]) -> list[tuple[str, int]]:
    reader = Client(raise_request_exception=False)
    return [(url, reader.get(url).status_code) for url in urls]


def test_with_redis_down_pages_render_from_the_database_and_follow_ups_are_refused(
    production_caches, private_redis, approved
):
    first = approved()
    second = approved(question="What is the first-line treatment for gout flares?")
    pages = [first.get_absolute_url(), second.get_absolute_url()]
    urls = [*pages, reverse("answers:list"), reverse("answers:editorial_policy")]
    follow_up = reverse("answers:follow_up", args=[first.question.slug])
    asker = Client(raise_request_exception=False)

    # Redis up: pages are cached, a question is counted and stored.
    assert _read_pages(urls) == [(url, 200) for url in urls]
    assert len(private_redis.page_keys()) == 2
    assert asker.post(follow_up, {"text": QUESTION}).status_code == 303
    assert FollowUpQuestion.objects.count() == 1

    private_redis.kill()

    # Redis down: every page still renders, from the database; no 500 anywhere.
    statuses = _read_pages(urls) + _read_pages(urls)
    assert [s for s in statuses if s[1] >= 500] == []
    assert statuses == [(url, 200) for url in urls * 2]
    html = Client().get(pages[0]).content.decode()
    assert "Oral iron first" in html
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)) == 2
    # The follow-up cannot be counted: refused with a message, nothing stored.
    refused = asker.post(follow_up, {"text": f"{QUESTION} (2)"})
    assert refused.status_code == 503
    assert "We cannot take questions at the moment" in refused.content.decode()
    assert FollowUpQuestion.objects.count() == 1

    private_redis.start()  # the same port, empty

    # Redis back: pages are cached again and questions are taken again.
    assert _read_pages(urls) == [(url, 200) for url in urls]
    deadline = time.monotonic() + 5
    while len(private_redis.page_keys()) < 2 and time.monotonic() < deadline:
        _read_pages(pages)  # a pooled connection from before the restart may fail once
    assert len(private_redis.page_keys()) == 2
    assert asker.post(follow_up, {"text": f"{QUESTION} (3)"}).status_code == 303
    assert FollowUpQuestion.objects.count() == 2
