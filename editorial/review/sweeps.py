"""The daily re-review sweep: approved answers past their review date are
flagged, a batch per transaction (`services.answers_mark_review_due`)."""

from celery import shared_task
from django.conf import settings

from editorial.review import services


def rereview_sweep(*, batch_size: int | None = None) -> int:
    """Flag approved answers past their review date, a batch per transaction;
    the outbox turns each batch into one e-mail per board member concerned.
    Returns how many answers were flagged."""
    batch_size = batch_size or settings.REREVIEW_BATCH_SIZE
    total = 0
    while True:
        flagged = services.answers_mark_review_due(limit=batch_size)
        total += len(flagged)
        if len(flagged) < batch_size:
            return total


# The name is pinned to the module the task lived in before editorial/ was cut into packages.
@shared_task(name="editorial.tasks.sweep_rereview")
def sweep_rereview() -> int:
    return rereview_sweep()
