"""The periodic notification sweeps: reminders past an SLA and the weekly digest.

Each is set-based: a fixed number of queries per run, never one per
answer, and safe to run twice. The re-review sweep is `editorial.review.sweeps`.
"""

from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from answers import clock
from answers.models import Answer, Status
from editorial.models import NotificationKind, OutboxMessage
from editorial.notify import outbox

# Reminder stages: who hears, after how many SLA periods in the same state.
REMINDER_STAGES = (("reviewer", 1), ("editors", 2))


def _slas() -> dict:
    # A high-risk revision's second review runs on the first review's clocks.
    return {
        Status.SUBMITTED: settings.REVIEW_SLA_SUBMITTED,
        Status.UNDER_REVIEW: settings.REVIEW_SLA_UNDER_REVIEW,
        Status.AWAITING_SECOND_REVIEW: settings.REVIEW_SLA_SUBMITTED,
        Status.SECOND_REVIEW: settings.REVIEW_SLA_UNDER_REVIEW,
    }


def reminders_sweep() -> int:
    """Queue one reminder per SLA breach and stage; returns how many.

    A breach is the answer's stay in a state, identified by when it entered it
    (`status_changed_at`): the reviewer hears once it outlasts the SLA, the
    editors once it outlasts twice the SLA. A unique constraint on
    (answer, since, stage) makes a second run, or a racing one, write nothing.
    """
    now = clock.now()
    messages = []
    with transaction.atomic():
        for status, sla in _slas().items():
            for stage, periods in REMINDER_STAGES:
                reminded = OutboxMessage.objects.filter(
                    kind=NotificationKind.REMINDER,
                    answer=OuterRef("pk"),
                    since=OuterRef("status_changed_at"),
                    stage=stage,
                )
                breaches = (
                    Answer.objects.filter(status=status, status_changed_at__lte=now - sla * periods)
                    .exclude(Exists(reminded))
                    .values_list("pk", "status_changed_at")
                )
                messages += [
                    OutboxMessage(
                        kind=NotificationKind.REMINDER, answer_id=pk, since=since, stage=stage, data={"status": status}
                    )
                    for pk, since in breaches
                ]
        created = OutboxMessage.objects.bulk_create(messages)
        outbox.relay_on_commit([message.pk for message in created])
    return len(created)


def digest_queue() -> OutboxMessage | None:
    """Queue this week's editors' digest, once per week (None if already queued)."""
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    week = timezone.make_aware(datetime.combine(monday, time.min))
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(kind=NotificationKind.DIGEST, since=week)
        if created:
            outbox.relay_on_commit([message.pk])
    return message if created else None


# Task names pinned to the module they lived in before editorial/ was cut into packages.


@shared_task(name="editorial.tasks.sweep_reminders")
def sweep_reminders() -> int:
    return reminders_sweep()


@shared_task(name="editorial.tasks.send_editors_digest")
def send_editors_digest() -> None:
    digest_queue()
