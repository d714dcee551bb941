"""With the broker down, every request that queues a task answers as it would with
the broker up, and the work is done once the broker is back (issue 12, bug 1).

The broker is real: Celery publishes to a local port nothing listens on (or to
a server that never answers), then to the live Redis of REDIS_URL again, where
a worker thread and the sweeps pick up what waited in the database.
"""

import json
import logging
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from answers import clock
from answers.models import Answer, Status
from editorial.models import ApiToken, DraftReceipt, ExportStatus, ReportExport, WebhookDelivery
from editorial.models.api import DeliveryStatus
from editorial.review import services
from editorial.webhooks import delivery as webhooks
from tests.editorial.admin.desk import transition_url
from tests.editorial.webhooks.receiver import Receiver
from tests.factories import APPROVAL, password_of, verify_citations
from tests.support.mail import recipients
from tests.support.workers import (
    broker_at,
    closed_port_url,
    purge_queue,
    silent_broker,
    thread_worker,
    wait_for,
)

# serialized_rollback: the roles' groups and permissions survive the flush (reports need them).
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _receivers_listen_on_loopback(settings):
    """The webhook receivers here listen on 127.0.0.1, which callback URLs may not name by default."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


# "Within a couple of seconds": what a request may spend on a broker that is down.
PATIENCE = 3.0

DRAFT = {
    "external_id": "medrafter-broker-down",
    "question": "What is the first-line treatment for iron deficiency anaemia?",
    "specialty": "hematology-oncology",
    "sections": [{"heading": "From the Guidelines", "body": "Oral iron first [1] or [2]."}],
    "citations": [
        {"number": 1, "title": "Guideline on iron deficiency", "year": 2021, "pmid": "12345678"},
        {"number": 2, "title": "Trial of intravenous iron", "year": 2020, "doi": "10.1000/xyz123"},
    ],
    "model": {"name": "medrafter", "version": "1.0"},
}


@pytest.fixture(autouse=True)
def clean_slate(transactional_db, settings, tmp_path):
    purge_queue()
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def token(drafter, specialty):
    """(ApiToken, raw value) for the drafting system; the draft's specialty exists."""
    return ApiToken.issue(user=drafter, name="medrafter host")


def submit_through_api(client, raw_token: str, callback_url: str):
    return client.post(
        "/api/v1/drafts/",
        json.dumps({**DRAFT, "callback_url": callback_url}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw_token}",
    )


def broker_down():
    """Celery publishes to a broker that refuses connections (a fresh one each time:
    `editorial.enqueue` skips a broker that failed a moment ago)."""
    return broker_at(closed_port_url())


def timed(request):
    started = time.monotonic()
    response = request()
    return response, time.monotonic() - started


def later(seconds: float):
    """The sweeps only pick up rows older than their setting: run them that much later."""
    return clock.travel(clock.now() + timedelta(seconds=seconds + 1))


def deliveries_are_swept_once(receiver) -> None:
    """With the broker back, the minute's webhook sweep sends each waiting delivery once."""
    assert webhooks.webhook_retry_due() == 1
    wait_for(lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(), what="the webhook")
    assert webhooks.webhook_retry_due() == 0  # nothing left to send


def test_a_board_member_approves_through_the_admin_while_the_broker_is_down(
    client, drafter, board_member, token, mailoutbox
):
    with Receiver() as receiver:
        with broker_down():
            assert submit_through_api(client, token[1], receiver.url).status_code == 201
            answer = Answer.objects.get()
            services.answer_start_review(acting_user=board_member, answer=answer)
            verify_citations(board_member, answer)
        client.force_login(board_member)
        with broker_down():
            response, took = timed(
                lambda: client.post(
                    transition_url(answer, "approve"),
                    {"attest": "on", "password": password_of(board_member), "expected_status": "under_review"},
                )
            )

        # after a decision the reviewer lands on the next answer waiting, here none: the queue
        assert (response.status_code, response["Location"]) == (302, reverse("admin:answers_answer_changelist"))
        assert took < PATIENCE
        assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED
        delivery = WebhookDelivery.objects.get()
        assert (delivery.event, delivery.status) == ("approved", DeliveryStatus.PENDING)
        assert receiver.requests == [] and mailoutbox == []

        with thread_worker():
            deliveries_are_swept_once(receiver)
            with later(settings.OUTBOX_RELAY_AFTER.total_seconds()):
                call_command("relay_outbox")
            wait_for(lambda: len(mailoutbox) == 2, what="the submission and decision e-mails")

    assert [r["json"]["event"] for r in receiver.requests] == ["approved"]
    last = receiver.requests[0]
    assert webhooks.verify(last["body"], token[0].webhook_secret, last["headers"]["X-Vetted-Signature"])
    assert recipients(mailoutbox) == ["drafter@example.org", "maya@example.org"]


def test_a_drafting_system_submits_through_the_api_and_its_callback_hears_the_decision_later(
    client, drafter, board_member, token, mailoutbox
):
    with Receiver() as receiver:
        with broker_down():
            response, took = timed(lambda: submit_through_api(client, token[1], receiver.url))
            assert response.status_code == 201 and took < PATIENCE
            answer = Answer.objects.get(pk=response.json()["answer_id"])
            assert DraftReceipt.objects.get().callback_url == receiver.url
            services.answer_start_review(acting_user=board_member, answer=answer)
            verify_citations(board_member, answer)
        with broker_down():
            services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)

        assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED
        with thread_worker():
            deliveries_are_swept_once(receiver)
            with later(settings.OUTBOX_RELAY_AFTER.total_seconds()):
                call_command("relay_outbox")
            wait_for(lambda: len(mailoutbox) == 2, what="the submission and decision e-mails")

    assert [r["json"]["event"] for r in receiver.requests] == ["approved"]
    assert recipients(mailoutbox) == ["drafter@example.org", "maya@example.org"]


def test_retry_now_in_the_admin_while_the_broker_is_down(client, drafter, superuser, token):
    with Receiver() as receiver:
        with broker_down():
            submit_through_api(client, token[1], receiver.url)
            delivery = WebhookDelivery.objects.create(
                receipt=DraftReceipt.objects.get(),
                event_uuid="6f1c7c55-6a0e-4a8e-9a55-3d8f2f1f9b11",
                event="rejected",
                url=receiver.url,
                payload={"event": "rejected"},
                status=DeliveryStatus.FAILED,
            )
        client.force_login(superuser)
        with broker_down():
            response, took = timed(
                lambda: client.post(
                    reverse("admin:editorial_webhookdelivery_changelist"),
                    {"action": "retry_now", "_selected_action": [delivery.pk]},
                )
            )

        assert response.status_code == 302 and took < PATIENCE
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at <= clock.now()

        with thread_worker():
            deliveries_are_swept_once(receiver)

    assert [r["json"]["event"] for r in receiver.requests] == ["rejected"]


def test_an_editor_starts_an_export_while_the_broker_is_down(client, editor, answer_in):
    from editorial.reports import tasks as report_tasks  # the sweep is new: main has none

    answer_in(Status.APPROVED)
    client.force_login(editor)
    with broker_down():
        response, took = timed(lambda: client.post(reverse("editorial_reports:export_start")))

    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("editorial_reports:export", args=[export.pk])
    assert took < PATIENCE
    assert export.status == ExportStatus.QUEUED
    assert client.get(response["Location"]).status_code == 200

    with thread_worker():
        assert report_tasks.report_exports_requeue() == 0  # too early: the first hand-over may still arrive
        with later(settings.REPORT_EXPORT_REQUEUE_AFTER.total_seconds()):
            assert report_tasks.report_exports_requeue() == 1
        wait_for(lambda: ReportExport.objects.get(pk=export.pk).status == ExportStatus.DONE, what="the export")

    assert 'id="export-download"' in client.get(response["Location"]).content.decode()


def test_a_broker_that_never_answers_holds_the_request_only_briefly(client, drafter, board_member, token):
    """A frozen Redis accepts the connection and never replies: the socket timeout
    in the broker's transport options ends the wait."""
    with Receiver() as receiver, silent_broker() as url:
        with broker_down():
            submit_through_api(client, token[1], receiver.url)
            answer = Answer.objects.get()
            services.answer_start_review(acting_user=board_member, answer=answer)
            verify_citations(board_member, answer)
        client.force_login(board_member)
        with broker_at(url):
            response, took = timed(
                lambda: client.post(
                    transition_url(answer, "approve"),
                    {"attest": "on", "password": password_of(board_member), "expected_status": "under_review"},
                )
            )

    assert response.status_code == 302
    assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED
    # One publish (two tries of CELERY_BROKER_SOCKET_TIMEOUT, 1 s); the approval's other task is not tried.
    assert took < 4, f"the approval waited {took:.1f}s for a broker that never answers"


# -- the helper itself ---------------------------------------------------------------------


def test_enqueue_logs_the_task_and_its_ids_without_the_broker_password(caplog):
    from editorial.enqueue import enqueue, enqueue_on_commit  # new: main has no helper

    caplog.set_level(logging.WARNING, logger="editorial.enqueue")
    with broker_at(closed_port_url(password="s3cret-broker-password")):
        assert enqueue(webhooks.webhook_deliver, 41) is False
        started = time.monotonic()
        enqueue_on_commit(webhooks.webhook_deliver, 42)  # outside a transaction: at once, and never raises
        skipped_in = time.monotonic() - started

    tried, skipped = [r.getMessage() for r in caplog.records if r.name == "editorial.enqueue"]
    assert tried.startswith("Broker unavailable, editorial.tasks_webhooks.webhook_deliver(41,) not queued")
    assert "Connection refused" in tried
    # The broker failed a moment ago: the next task is not even tried.
    assert skipped.startswith("Broker unavailable 0.") and "webhook_deliver(42,) not queued" in skipped
    assert skipped_in < 0.1
    assert "s3cret" not in caplog.text


def test_enqueue_hands_the_task_over_when_the_broker_is_up(client, drafter, token):
    from editorial.enqueue import enqueue

    with Receiver() as receiver, thread_worker():
        with broker_down():
            submit_through_api(client, token[1], receiver.url)
        delivery = WebhookDelivery.objects.create(
            receipt=DraftReceipt.objects.get(),
            event_uuid="0c0c7c55-6a0e-4a8e-9a55-3d8f2f1f9b11",
            event="approved",
            url=receiver.url,
            payload={"event": "approved"},
        )
        assert enqueue(webhooks.webhook_deliver, delivery.pk) is True
        wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DELIVERED)

    assert len(receiver.requests) == 1
