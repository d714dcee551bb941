"""Decision webhooks, delivered to a real HTTP server started by the test."""

import socket
from datetime import timedelta

import pytest
from django.conf import settings

from answers import clock
from editorial.enqueue import enqueue
from editorial.models import WebhookAttempt, WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.review import services
from editorial.webhooks import delivery as webhooks
from editorial.webhooks.delivery import webhook_retry_due
from tests.editorial.webhooks.receiver import Receiver
from tests.factories import DECIDED_AT

# The receiver listens on 127.0.0.1: allow private callback addresses here (api/test_webhooks_ssrf.py tests them off).
pytestmark = pytest.mark.usefixtures("allow_private_webhooks")


def _webhook_callbacks(queued) -> list:
    """The on-commit hand-overs of the webhook task (`editorial.enqueue`; notifications queue their own)."""
    return [
        cb for cb in queued if getattr(cb, "func", None) is enqueue and cb.args[0].task == webhooks.webhook_deliver.name
    ]


def _port_nobody_listens_on() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("decision", ["approved", "changes_requested", "rejected"])
def test_a_decision_records_a_delivery_and_queues_it_on_commit(decide, decision):
    answer, queued = decide(decision, callback_url="https://drafter.example/hooks")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.url, delivery.status) == (decision, "https://drafter.example/hooks", "pending")
    assert delivery.payload["event"] == decision
    assert delivery.payload["external_id"] == "medrafter-0001"
    assert delivery.payload["answer_id"] == answer.pk
    assert len(_webhook_callbacks(queued)) == 1


def test_a_retraction_is_reported_too(decide, editor):
    answer, _ = decide("approved", callback_url="https://drafter.example/hooks")

    answer = services.answer_retract(acting_user=editor, answer=answer, reason="Guideline withdrawn.")

    retracted = WebhookDelivery.objects.get(event="retracted")
    assert retracted.payload["reason"] == "Guideline withdrawn."
    assert retracted.payload["public_url"] is None


def test_no_callback_url_no_delivery(decide):
    _, queued = decide("approved", callback_url=None)

    assert not WebhookDelivery.objects.exists()
    assert _webhook_callbacks(queued) == []


def test_the_decision_is_posted_signed_with_the_token_s_secret(decide, token):
    with Receiver() as receiver:
        answer, _ = decide("approved", callback_url=receiver.url)
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.response_status == 200 and attempt.number == 1
    request = receiver.requests[0]
    assert webhooks.verify(request["body"], token[0].webhook_secret, request["headers"]["X-Vetted-Signature"])
    assert not webhooks.verify(request["body"], "another secret", request["headers"]["X-Vetted-Signature"])
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"]["event"] == "approved"
    assert request["json"]["status"] == "approved"
    assert request["json"]["revision"] == 1
    assert request["json"]["public_url"] == settings.SITE_URL + answer.get_absolute_url()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.delivered_at is not None


def test_a_failed_attempt_is_recorded_and_retried_after_the_backoff(decide):
    with Receiver(statuses=[500, 200]) as receiver:
        decide("rejected", callback_url=receiver.url)
        delivery = WebhookDelivery.objects.get()
        with clock.travel(DECIDED_AT):
            first = webhooks.deliver(delivery.pk)
            too_early = webhooks.deliver(delivery.pk)
        with clock.travel(DECIDED_AT + webhooks.backoff(1)):
            second = webhooks.deliver(delivery.pk)

    assert (first.response_status, first.response_body) == (500, "status 500")
    assert too_early is None
    assert second.response_status == 200
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_an_unreachable_callback_is_recorded_as_an_error(decide):
    decide("rejected", callback_url=f"http://127.0.0.1:{_port_nobody_listens_on()}/hook")

    with clock.travel(DECIDED_AT):
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.response_status is None
    assert "refused" in attempt.error.lower()
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_it_backs_off_exponentially_and_gives_up_after_a_day(decide):
    with Receiver(statuses=[503]) as receiver:
        decide("changes_requested", callback_url=receiver.url)
        delivery = WebhookDelivery.objects.get()
        while delivery.status == DeliveryStatus.PENDING:
            with clock.travel(delivery.next_attempt_at):
                assert webhooks.deliver(delivery.pk) is not None
            delivery.refresh_from_db()

    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    gaps = [later.started_at - earlier.started_at for earlier, later in zip(attempts, attempts[1:], strict=False)]
    assert gaps == [webhooks.backoff(n) for n in range(1, len(attempts))]
    assert gaps[1] == 2 * gaps[0] and gaps[2] == 2 * gaps[1]
    assert max(gaps) == settings.WEBHOOK_RETRY_MAX_DELAY
    assert attempts[-1].started_at - delivery.created_at <= settings.WEBHOOK_RETRY_WINDOW
    assert attempts[-1].started_at + webhooks.backoff(len(attempts)) - delivery.created_at > timedelta(days=1)
    assert delivery.status == DeliveryStatus.FAILED
    assert len(receiver.requests) == len(attempts)


def test_the_sweep_finds_due_deliveries_only(decide):
    decide("rejected", callback_url="http://127.0.0.1:9/never")
    WebhookDelivery.objects.update(next_attempt_at=clock.now() + timedelta(hours=1))

    assert webhook_retry_due.run() == 0
    WebhookDelivery.objects.update(next_attempt_at=clock.now() - timedelta(seconds=1))
    assert webhook_retry_due.run() == 1


def test_an_imported_draft_is_signed_with_the_user_s_active_token(decide, token):
    decide("rejected", callback_url="http://127.0.0.1:9/unused")
    WebhookDelivery.objects.get().receipt.__class__.objects.update(token=None)

    with Receiver() as receiver:
        WebhookDelivery.objects.update(url=receiver.url)
        attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.response_status == 200
    request = receiver.requests[0]
    assert webhooks.verify(request["body"], token[0].webhook_secret, request["headers"]["X-Vetted-Signature"])


def test_with_no_token_to_sign_with_it_gives_up_and_says_why(decide, token):
    decide("rejected", callback_url="http://127.0.0.1:9/unused")
    WebhookDelivery.objects.get().receipt.__class__.objects.update(token=None)
    token[0].__class__.objects.update(revoked_at=clock.now())

    attempt = webhooks.deliver(WebhookDelivery.objects.get().pk)

    assert attempt.error == "No active API token to sign the webhook with."
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
