"""A Redis outage is a cache miss, not an outage of the reader site.

A private redis-server (its own free port, nothing saved: the `private_redis`
fixture, tests/support/redis_server.py) stands in for the production Redis,
with the caches configured exactly as config/settings.py configures them for a
REDIS_URL (`production_caches`). Readers read answer pages and ask a follow-up
question; Redis is killed; every page still renders from the database (no
500), and the follow-up is refused with a message (the rate limit fails
closed); Redis comes back and pages are cached again.
"""

import re
import time

from django.test import Client
from django.urls import reverse

from answers.models import FollowUpQuestion

QUESTION = "Is intravenous iron safe during pregnancy?"


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
