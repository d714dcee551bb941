"""The outbox: notifications are written to the database with the decision
and handed to the broker only after the transaction commits (through
`editorial.enqueue`, which never lets a broker error reach the decision).

If Redis is down at that moment the decision still stands and the row waits;
`relay_pending()` (the `relay_outbox` beat task and management command) hands
over whatever the broker never got. Handing a row over twice is harmless: the
delivery task records each e-mail it sends (`editorial.notify.deliveries`).
"""

import contextlib
import contextvars
import logging
from collections.abc import Iterator
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from answers import clock
from editorial.enqueue import enqueue
from editorial.models import AuditAction, AuditEvent, NotificationKind, OutboxMessage
from editorial.notify import deliveries

log = logging.getLogger(__name__)

# Audit actions that notify someone, and the kind of notice they are.
KIND_OF_ACTION = {
    AuditAction.SUBMIT: NotificationKind.SUBMITTED,
    AuditAction.ASSIGN: NotificationKind.ASSIGNED,
    AuditAction.APPROVE: NotificationKind.DECISION,
    AuditAction.REQUEST_CHANGES: NotificationKind.DECISION,
    AuditAction.REJECT: NotificationKind.DECISION,
    AuditAction.RETRACT: NotificationKind.DECISION,
    AuditAction.REVIEW_DUE: NotificationKind.REVIEW_DUE,
}

# Message ids per task, when many are handed over at once (sweeps, relay).
CHUNK = 100


def _message_for(event: AuditEvent) -> OutboxMessage | None:
    kind = KIND_OF_ACTION.get(event.action)
    if kind is None:
        return None
    data = {"answer_ids": [event.answer_id]} if kind == NotificationKind.REVIEW_DUE else {}
    return OutboxMessage(kind=kind, event=event, answer_id=event.answer_id, data=data)


_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("vetted_outbox_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Write no notifications inside the block (the demo's replayed history is not news)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def record_event(event: AuditEvent) -> None:
    """Effects handler: runs inside the service's transaction."""
    if _muted.get():
        return
    message = _message_for(event)
    if message is not None:
        message.save()
        relay_on_commit([message.pk])


def _record_events(events: list[AuditEvent]) -> None:
    """Many events at once (the re-review sweep): re-review notices of one
    batch become one message, so each board member gets one e-mail."""
    if _muted.get():
        return
    due, messages = [], []
    for event in events:
        if event.action == AuditAction.REVIEW_DUE:
            due.append(event.answer_id)
        elif (message := _message_for(event)) is not None:
            messages.append(message)
    if due:
        messages.append(OutboxMessage(kind=NotificationKind.REVIEW_DUE, data={"answer_ids": due}))
    created = OutboxMessage.objects.bulk_create(messages)
    relay_on_commit([message.pk for message in created])


record_event.many = _record_events


def relay_on_commit(message_ids: list[int]) -> None:
    if message_ids:
        transaction.on_commit(partial(relay, message_ids))


def relay(message_ids: list[int]) -> int:
    """Hand messages to the broker, CHUNK per task. Returns how many were
    handed over; a broker error (logged by `editorial.enqueue`) leaves the rest for the relay."""
    handed = 0
    for start in range(0, len(message_ids), CHUNK):
        chunk = message_ids[start : start + CHUNK]
        if not enqueue(deliver_outbox, chunk):
            log.warning("Broker unavailable; %d outbox message(s) wait for the relay", len(message_ids) - handed)
            break
        OutboxMessage.objects.filter(pk__in=chunk).update(enqueued_at=clock.now())
        handed += len(chunk)
    return handed


def pending_ids(*, limit: int = 10_000) -> list[int]:
    """Undelivered messages the broker never got, or got long ago."""
    now = clock.now()
    return list(
        OutboxMessage.objects.filter(done_at=None)
        .filter(
            Q(enqueued_at=None, created_at__lte=now - settings.OUTBOX_RELAY_AFTER)
            | Q(enqueued_at__lte=now - settings.OUTBOX_REQUEUE_AFTER)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def relay_pending(*, limit: int = 10_000) -> tuple[int, int]:
    """Returns (messages found, messages handed to the broker)."""
    ids = pending_ids(limit=limit)
    return len(ids), relay(ids) if ids else 0


# Task names are pinned to where the tasks lived before editorial/ was cut into
# packages, so messages already queued and the beat schedule keep working.


@shared_task(name="editorial.tasks.deliver_outbox", bind=True, max_retries=20)
def deliver_outbox(self, message_ids: list[int]) -> None:
    """Send the e-mails of outbox messages. A message whose e-mail is claimed
    by another worker (perhaps one that died) is retried after the lease.

    Runs with acks_late and reject_on_worker_lost (settings): a worker lost
    mid-task leaves the message to be redelivered, and the record of sends in
    `editorial.notify.deliveries` keeps every e-mail to one.
    """
    waiting = []
    for message_id in message_ids:
        try:
            done = deliveries.deliver(message_id)
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


@shared_task(name="editorial.tasks.relay_outbox")
def relay_outbox() -> int:
    found, handed = relay_pending()
    return handed
