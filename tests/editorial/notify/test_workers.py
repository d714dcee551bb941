"""A real Celery worker on the live Redis: notify on submit, a reminder after a
breached SLA, and the outbox across a broker outage."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from answers import clock
from answers.models import Answer, Status
from editorial.models import OutboxMessage
from editorial.notify import outbox as notify_outbox
from editorial.notify import sweeps as notify_sweeps
from tests.support.mail import recipients, subjects
from tests.support.workers import broker_at, closed_port_url, thread_worker, wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("purged_queue"),
]


def test_a_submitted_draft_reaches_the_specialty_board_through_the_worker(submit, board_member, mailoutbox):
    with thread_worker():
        answer = submit()
        wait_for(lambda: mailoutbox, what="the submission e-mail")

    assert recipients(mailoutbox) == ["maya@example.org"]
    assert OutboxMessage.objects.get(answer=answer).done_at is not None


def test_the_worker_sends_one_reminder_for_an_answer_waiting_past_its_sla(submit, board_member, mailoutbox):
    with clock.travel(clock.now() - settings.REVIEW_SLA_SUBMITTED - timedelta(hours=1)):
        submit()  # submitted 49 hours ago
    with thread_worker():
        wait_for(lambda: mailoutbox, what="the submission e-mail")
        mailoutbox.clear()

        notify_sweeps.sweep_reminders.delay()
        wait_for(lambda: mailoutbox, what="the reminder")
        notify_sweeps.sweep_reminders.delay()
        wait_for(lambda: OutboxMessage.objects.filter(done_at=None).count() == 0, what="the outbox to empty")

    assert recipients(mailoutbox) == ["maya@example.org"]
    assert subjects(mailoutbox)[0].startswith("[Vetted] Waiting since")
    assert OutboxMessage.objects.filter(kind="reminder").count() == 1


def test_a_transition_commits_while_redis_is_down_and_its_e_mail_goes_out_once_redis_is_back(
    submit, board_member, mailoutbox, caplog
):
    with broker_at(closed_port_url()):
        answer = submit()  # the broker refuses: the submission must still stand

    assert "Broker unavailable; 1 outbox message(s) wait for the relay" in caplog.text

    assert Answer.objects.get(pk=answer.pk).status == Status.SUBMITTED
    message = OutboxMessage.objects.get(answer=answer)
    assert (message.enqueued_at, message.done_at) == (None, None)
    assert mailoutbox == []

    with thread_worker():
        with clock.travel(clock.now() + settings.OUTBOX_RELAY_AFTER + timedelta(seconds=1)):
            call_command("relay_outbox")
        wait_for(lambda: mailoutbox, what="the e-mail kept in the outbox")
        with clock.travel(clock.now() + settings.OUTBOX_RELAY_AFTER + timedelta(seconds=1)):
            call_command("relay_outbox")  # nothing left to relay
        notify_outbox.deliver_outbox.delay([message.pk])  # a duplicate hand-over changes nothing
        wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).done_at, what="the message marked done")

    assert recipients(mailoutbox) == ["maya@example.org"]
