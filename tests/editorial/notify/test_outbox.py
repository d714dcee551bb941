"""The outbox: written with the decision, relayed after commit, each e-mail sent once."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from answers import clock
from editorial.errors import Blocked
from editorial.models import NotificationDelivery, NotificationKind, OutboxMessage
from editorial.notify import deliveries, outbox
from editorial.review import services
from tests.factories import APPROVAL
from tests.support.mail import recipients

pytestmark = pytest.mark.usefixtures("eager")


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


def test_a_submission_writes_its_outbox_message_in_the_same_transaction(submit, board_member):
    answer = submit()

    message = OutboxMessage.objects.get()
    assert message.kind == NotificationKind.SUBMITTED
    assert message.answer_id == answer.pk
    assert message.event.action == "vetted.answer.submit"
    assert message.done_at is None  # on_commit never ran: nothing was sent


def test_a_refused_decision_leaves_no_outbox_message(answer_in, board_member):
    answer = answer_in("under_review")
    before = OutboxMessage.objects.count()

    with pytest.raises(Blocked):  # citations unchecked
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)

    assert OutboxMessage.objects.count() == before


def test_the_message_is_delivered_on_commit_and_marked_done(
    submit, board_member, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        submit()

    message = OutboxMessage.objects.get()
    assert message.done_at is not None
    assert message.enqueued_at is not None
    assert NotificationDelivery.objects.get().sent_at is not None
    assert recipients(mailoutbox) == ["maya@example.org"]


def test_delivering_a_message_twice_sends_its_e_mail_once(submit, board_member, mailoutbox):
    message = OutboxMessage.objects.get(answer=submit())

    assert deliveries.deliver(message.pk) is True
    OutboxMessage.objects.filter(pk=message.pk).update(done_at=None)  # as if the worker died before marking it
    assert deliveries.deliver(message.pk) is True

    assert recipients(mailoutbox) == ["maya@example.org"]


def test_an_e_mail_claimed_by_a_live_worker_waits_and_goes_out_after_its_lease(
    submit, board_member, mailoutbox, settings
):
    message = OutboxMessage.objects.get(answer=submit())
    lease_end = clock.now() + settings.NOTIFICATION_SEND_LEASE
    NotificationDelivery.objects.create(message=message, recipient=board_member, claimed_until=lease_end)

    assert deliveries.deliver(message.pk) is False
    assert mailoutbox == []

    with clock.travel(lease_end + timedelta(seconds=1)):
        assert deliveries.deliver(message.pk) is True

    assert recipients(mailoutbox) == ["maya@example.org"]


def test_a_failed_send_releases_its_claim_so_the_retry_sends(submit, board_member, mailoutbox, settings):
    message = OutboxMessage.objects.get(answer=submit())
    settings.EMAIL_BACKEND = "tests.editorial.notify.test_outbox.RefusingBackend"

    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliveries.deliver(message.pk)

    delivery = NotificationDelivery.objects.get()
    assert (delivery.claimed_until, delivery.sent_at) == (None, None)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliveries.deliver(message.pk) is True
    assert recipients(mailoutbox) == ["maya@example.org"]


def test_the_relay_picks_up_messages_the_broker_never_got_after_a_grace(submit, board_member, mailoutbox, settings):
    submit()

    assert outbox.pending_ids() == []  # the on_commit hand-over may still be in flight
    with clock.travel(clock.now() + settings.OUTBOX_RELAY_AFTER + timedelta(seconds=1)):
        assert outbox.relay_pending() == (1, 1)
        assert outbox.pending_ids() == []

    assert recipients(mailoutbox) == ["maya@example.org"]


def test_the_relay_hands_over_again_a_message_left_undelivered_long_after_hand_over(submit, board_member, settings):
    message = OutboxMessage.objects.get(answer=submit())
    OutboxMessage.objects.filter(pk=message.pk).update(enqueued_at=clock.now())

    assert outbox.pending_ids() == []
    with clock.travel(clock.now() + settings.OUTBOX_REQUEUE_AFTER + timedelta(seconds=1)):
        assert outbox.pending_ids() == [message.pk]


def test_the_relay_command_reports_what_it_handed_over(submit, board_member, mailoutbox, settings):
    submit()
    out = StringIO()

    with clock.travel(clock.now() + settings.OUTBOX_RELAY_AFTER + timedelta(seconds=1)):
        call_command("relay_outbox", stdout=out)
        call_command("relay_outbox", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 undelivered message(s), 1 handed to the broker.",
        "0 undelivered message(s), 0 handed to the broker.",
    ]
    assert len(mailoutbox) == 1


def test_nothing_is_written_to_the_outbox_while_muted(submit, board_member):
    with outbox.muted():
        submit()

    assert not OutboxMessage.objects.exists()
