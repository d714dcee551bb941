"""End to end on the real broker: a decision reaches the drafting system through a Celery worker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker

from answers.models import Answer
from config.celery import app
from editorial.models import WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.review import services
from editorial.webhooks import delivery as webhooks
from tests.editorial.webhooks.receiver import Receiver
from tests.factories import APPROVAL, verify_citations


@pytest.mark.redis
@pytest.mark.usefixtures("allow_private_webhooks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_reaches_the_callback_through_the_worker(api, draft_payload, board_member, token, settings):
    settings.WEBHOOK_RETRY_BASE = timedelta(seconds=1)  # the retry after the 502 comes as a 1 s countdown
    with Receiver(statuses=[502, 200]) as receiver, start_worker(app, perform_ping_check=False, pool="solo"):
        answer_id = api.post("/api/v1/drafts/", draft_payload(callback_url=receiver.url)).json()["answer_id"]
        answer = Answer.objects.get(pk=answer_id)
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
        verify_citations(board_member, answer)
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            delivery = WebhookDelivery.objects.get()
            if delivery.status != DeliveryStatus.PENDING:
                break
            time.sleep(0.2)

    assert delivery.status == DeliveryStatus.DELIVERED
    assert [a.response_status for a in delivery.attempts.order_by("number")] == [502, 200]
    last = receiver.requests[-1]
    assert webhooks.verify(last["body"], token[0].webhook_secret, last["headers"]["X-Vetted-Signature"])
    assert last["json"]["event"] == "approved"
