"""Celery tasks that send decision webhooks (the logic lives in `editorial.webhooks`).

Retries are not Celery countdowns: a delay of hours would outlast Redis's
visibility timeout and be delivered twice. Each attempt stores
`next_attempt_at`; short waits are queued with a countdown, and the periodic
`webhook_retry_due` sweep queues whatever is due. `deliver()` claims the row
before sending, so a delivery queued twice is still sent once per attempt.
"""

from celery import shared_task
from django.conf import settings

from answers import clock
from editorial import webhooks
from editorial.models import WebhookDelivery
from editorial.models.api import DeliveryStatus


@shared_task(acks_late=True)
def webhook_deliver(delivery_id: int) -> None:
    attempt = webhooks.deliver(delivery_id)
    if attempt is None or attempt.succeeded:
        return
    delivery = WebhookDelivery.objects.only("status", "next_attempt_at").get(pk=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return
    wait = (delivery.next_attempt_at - clock.now()).total_seconds()
    if wait <= settings.WEBHOOK_COUNTDOWN_MAX.total_seconds():
        webhook_deliver.apply_async((delivery_id,), countdown=max(wait, 0))


@shared_task
def webhook_retry_due() -> int:
    """Queue every pending delivery whose next attempt is due; returns how many."""
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=clock.now()).values_list(
            "pk", flat=True
        )[:1000]
    )
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return len(due)
