"""Callback URLs may not point the worker at our own network (issue 13, item 6).

Refused when the draft is submitted (a 400 naming `callback_url`) and again
when the delivery is made, after resolving the host; redirects are never
followed; a response leaves only its status and a short clean excerpt.
`WEBHOOK_ALLOW_PRIVATE` (off by default, on only where a test runs a local
receiver) lifts the address rule.
"""

import socket

import pytest

from answers import clock
from answers.models import Revision
from editorial.models import DraftReceipt, WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.webhooks import delivery as webhooks
from tests.editorial.webhooks.receiver import Receiver
from tests.factories import DECIDED_AT

URL = "/api/v1/drafts/"
PUBLIC_NAME = "hooks.drafter.example"
_real_getaddrinfo = socket.getaddrinfo


def _resolve(monkeypatch, name: str, *addresses: str) -> None:
    """Make `name` resolve to `addresses` (as a DNS server under the caller's control would)."""

    def fake(host, port, family=0, type=0, proto=0, flags=0):
        if host != name:
            return _real_getaddrinfo(host, port, family, type, proto, flags)
        infos = []
        for address in addresses:
            fam = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port or 80, 0, 0) if fam == socket.AF_INET6 else (address, port or 80)
            infos.append((fam, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
        return infos

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "callback_url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost:6379/",
        "http://LOCALHOST./x",
        "http://api.localhost/x",
        "http://[::1]:5432/",
        "http://[::ffff:127.0.0.1]/x",
        "http://10.0.0.5/hook",
        "http://192.168.1.10/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0:5432/",
        "http://100.64.0.1/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_a_callback_to_a_private_address_is_refused_at_submission(api, draft_payload, callback_url):
    response = api.post(URL, draft_payload(callback_url=callback_url))

    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["callback_url"]
    assert not Revision.objects.exists() and not DraftReceipt.objects.exists()


def test_a_public_callback_is_accepted(api, draft_payload):
    response = api.post(URL, draft_payload(callback_url="https://hooks.drafter.example/vetted"))

    assert response.status_code == 201


def test_with_webhook_allow_private_a_local_callback_is_accepted(api, draft_payload, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True

    assert api.post(URL, draft_payload(callback_url="http://127.0.0.1:8000/hook")).status_code == 201


def test_the_setting_is_off_by_default():
    from django.conf import settings

    assert settings.WEBHOOK_ALLOW_PRIVATE is False


@pytest.mark.parametrize("resolved", [("127.0.0.1",), ("93.184.215.14", "10.1.2.3"), ("::1",)])
def test_a_host_resolving_to_a_private_address_is_refused_at_delivery(decide, monkeypatch, resolved):
    with Receiver() as receiver:
        decide("rejected", callback_url=f"http://{PUBLIC_NAME}:{receiver.port}/hooks")
        _resolve(monkeypatch, PUBLIC_NAME, *resolved)
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert receiver.requests == []
    assert attempt.response_status is None
    assert "private" in attempt.error.lower() or "not allowed" in attempt.error.lower()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED  # no point in retrying


def test_a_stored_url_to_localhost_is_refused_at_delivery(decide):
    """A delivery whose URL predates the submission check (or was edited) is checked again."""
    with Receiver() as receiver:
        decide("rejected", callback_url="https://hooks.drafter.example/vetted")
        WebhookDelivery.objects.update(url=f"http://localhost:{receiver.port}/hooks")
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert receiver.requests == []
    assert attempt.response_status is None and attempt.error


def test_it_connects_to_the_address_it_checked(decide, monkeypatch, settings):
    """Resolved once, checked, then connected to that address: a second lookup cannot rebind the name."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        decide("rejected", callback_url=f"http://{PUBLIC_NAME}:{receiver.port}/hooks")
        lookups = []
        _resolve(monkeypatch, PUBLIC_NAME, "127.0.0.1")
        resolve_once = socket.getaddrinfo

        def counting(host, *args, **kwargs):
            lookups.append(host)
            return resolve_once(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", counting)
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.response_status == 200
    assert lookups.count(PUBLIC_NAME) == 1
    assert receiver.requests[0]["headers"]["Host"] == f"{PUBLIC_NAME}:{receiver.port}"


def test_a_redirect_is_not_followed_and_counts_as_a_failure(decide, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    with Receiver() as internal, Receiver(statuses=[302], headers={"Location": internal.url}) as receiver:
        decide("rejected", callback_url=receiver.url)
        with clock.travel(DECIDED_AT):
            attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert len(receiver.requests) == 1
    assert internal.requests == []
    assert attempt.response_status == 302
    assert not attempt.succeeded
    assert "redirect" in attempt.error.lower()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING  # retried later, like any failure


def test_only_a_short_clean_excerpt_of_the_response_is_kept(decide, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    body = b"redis_version:7.2\r\n\x1b[31mSECRET\x00\x07" + b"x" * 5000
    with Receiver(statuses=[500], body=body) as receiver:
        decide("rejected", callback_url=receiver.url)
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.response_status == 500
    assert len(attempt.response_body) <= 200
    assert attempt.response_body.startswith("redis_version:7.2")
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in attempt.response_body)
