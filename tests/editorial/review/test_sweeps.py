"""The daily re-review sweep, run eagerly: flags overdue answers once, in batches, at a fixed query cost."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers import clock
from answers.models import Answer, Status
from editorial.audit.trail import verify_chain
from editorial.models import AuditEvent
from editorial.review import services
from editorial.review import sweeps as review_sweeps
from tests.support.bulk import bulk_answers
from tests.support.mail import recipients, subjects

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


pytestmark = pytest.mark.usefixtures("eager")


def test_the_rereview_sweep_flags_overdue_answers_audits_and_tells_their_board(
    run, answer_in, board_member, outside_board_member, mailoutbox, settings
):
    with clock.travel(T0):
        answer = answer_in(Status.APPROVED)
    live = answer.live_revision_id
    due = T0 + settings.REVIEW_INTERVAL
    mailoutbox.clear()

    assert run(review_sweeps.sweep_rereview, due - timedelta(days=1)) == 0
    assert run(review_sweeps.sweep_rereview, due + timedelta(hours=1)) == 1
    assert run(review_sweeps.sweep_rereview, due + timedelta(days=1)) == 0

    answer.refresh_from_db()
    assert answer.review_due is True
    assert (answer.status, answer.live_revision_id) == (Status.APPROVED, live)  # readers keep the content
    event = AuditEvent.objects.filter(action="vetted.answer.review_due").get()
    assert (event.answer_id, event.actor_label, event.revision_id) == (answer.pk, "system", live)
    assert verify_chain()[1] is None
    assert recipients(mailoutbox) == ["maya@example.org"]  # omar holds only Cardiology
    assert subjects(mailoutbox) == ["[Vetted] 1 answer due for re-review"]
    assert answer.question.text[:40] in mailoutbox[0].body


def test_one_answer_marked_due_through_the_service_is_flagged_once(answer_in, settings):
    with clock.travel(T0):
        answer = answer_in(Status.APPROVED)

    with clock.travel(T0 + settings.REVIEW_INTERVAL):
        assert services.answer_mark_review_due(answer=answer) is True
        assert services.answer_mark_review_due(answer=answer.pk) is False

    assert AuditEvent.objects.filter(action="vetted.answer.review_due").count() == 1


def test_the_rereview_sweep_in_batches_writes_one_chained_event_per_answer(
    run, drafter, board_member, specialty, settings, mailoutbox
):
    ids = bulk_answers(count=7, specialty=specialty, author=drafter, next_review_due=T0.date())
    settings.REREVIEW_BATCH_SIZE = 3

    assert run(review_sweeps.sweep_rereview, T0) == 7

    flagged = Answer.objects.filter(pk__in=ids, review_due=True).count()
    events = list(AuditEvent.objects.filter(action="vetted.answer.review_due").values_list("answer_id", flat=True))
    assert flagged == 7
    assert sorted(events) == sorted(ids)
    assert verify_chain() == (7, None)
    assert subjects(mailoutbox) == [  # one e-mail per batch
        "[Vetted] 3 answers due for re-review",
        "[Vetted] 3 answers due for re-review",
        "[Vetted] 1 answer due for re-review",
    ]


def test_the_rereview_sweep_runs_the_same_queries_for_three_or_thirty_answers(drafter, specialty):
    def queries_for(count: int, prefix: str) -> int:
        bulk_answers(count=count, specialty=specialty, author=drafter, next_review_due=T0.date(), prefix=prefix)
        with clock.travel(T0), CaptureQueriesContext(connection) as q:
            assert review_sweeps.sweep_rereview.apply().get() == count
        return len(q.captured_queries)

    assert queries_for(3, "few") == queries_for(30, "many")
