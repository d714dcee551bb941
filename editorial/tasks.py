"""Celery tasks: thin wrappers that take ids, reload, and are safe to run twice.

Delivery tasks run with acks_late and reject_on_worker_lost (settings): a
worker lost mid-task leaves the message to be redelivered, and the record of
sends in `editorial.notifications` keeps every e-mail to one.
"""

import logging

from celery import shared_task
from django.conf import settings

from editorial import notifications, outbox, sweeps

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=20)
def deliver_outbox(self, message_ids: list[int]) -> None:
    """Send the e-mails of outbox messages. A message whose e-mail is claimed
    by another worker (perhaps one that died) is retried after the lease."""
    waiting = []
    for message_id in message_ids:
        try:
            done = notifications.deliver(message_id)
        except Exception as exc:
            # The claim was released: retry with a growing delay. After the
            # last retry the message stays undelivered and the relay requeues it.
            log.warning("Delivery of outbox message %s failed: %s", message_id, exc)
            if self.request.is_eager:
                raise
            raise self.retry(args=[message_ids], countdown=min(600, 30 * 2**self.request.retries)) from exc
        if not done:
            waiting.append(message_id)
    if waiting and not self.request.is_eager:
        raise self.retry(args=[waiting], countdown=settings.NOTIFICATION_SEND_LEASE.total_seconds())


@shared_task
def relay_outbox() -> int:
    found, handed = outbox.relay_pending()
    return handed


@shared_task
def sweep_reminders() -> int:
    return sweeps.reminders_sweep()


@shared_task
def sweep_rereview() -> int:
    return sweeps.rereview_sweep()


@shared_task
def send_editors_digest() -> None:
    sweeps.digest_queue()
