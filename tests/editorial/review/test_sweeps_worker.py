"""The re-review sweep on a real Celery worker and the live Redis."""

from datetime import timedelta

import pytest
from django.conf import settings

from answers import clock
from answers.models import Status
from editorial.models import OutboxMessage
from editorial.review import sweeps as review_sweeps
from tests.support.mail import recipients, subjects
from tests.support.workers import thread_worker, wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("purged_queue"),
]


def test_the_worker_flags_overdue_answers_and_tells_their_board(answer_in, board_member, mailoutbox):
    with clock.travel(clock.now() - settings.REVIEW_INTERVAL - timedelta(days=1)):
        answer = answer_in(Status.APPROVED)
    with thread_worker():
        wait_for(lambda: not OutboxMessage.objects.filter(done_at=None).exists(), what="earlier notices")
        mailoutbox.clear()

        review_sweeps.sweep_rereview.delay()
        wait_for(lambda: mailoutbox, what="the re-review notice")

    answer.refresh_from_db()
    assert answer.review_due is True
    assert answer.live_revision_id is not None
    assert subjects(mailoutbox) == ["[Vetted] 1 answer due for re-review"]
    assert recipients(mailoutbox) == ["maya@example.org"]
