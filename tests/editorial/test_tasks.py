"""The periodic tasks' logic, run eagerly: reminders, re-review, the digest."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers import clock
from answers.models import Answer, Status
from editorial.audit.trail import verify_chain
from editorial.models import AuditEvent, OutboxMessage
from editorial.notify import outbox as notify_outbox
from editorial.notify import sweeps as notify_sweeps
from editorial.review import services
from editorial.review import sweeps as review_sweeps
from tests.editorial.notifying import recipients, subjects
from tests.support.bulk import bulk_answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


pytestmark = pytest.mark.usefixtures("eager")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a task at a moment, with what it queues on commit."""

    def _run(task, at):
        with clock.travel(at), django_capture_on_commit_callbacks(execute=True):
            return task.apply().get()

    return _run


# -- reminders ------------------------------------------------------------------


def test_an_answer_submitted_past_its_sla_reminds_the_specialty_board_once(
    run, submit, board_member, second_board_member, mailoutbox, settings
):
    with clock.travel(T0):
        submit()
    mailoutbox.clear()

    assert run(notify_sweeps.sweep_reminders, T0 + settings.REVIEW_SLA_SUBMITTED - timedelta(minutes=1)) == 0
    assert run(notify_sweeps.sweep_reminders, T0 + settings.REVIEW_SLA_SUBMITTED + timedelta(minutes=1)) == 1
    assert run(notify_sweeps.sweep_reminders, T0 + settings.REVIEW_SLA_SUBMITTED + timedelta(hours=2)) == 0

    assert recipients(mailoutbox) == ["maya@example.org"]
    assert subjects(mailoutbox)[0].startswith("[Vetted] Waiting since 2 Mar:")


def test_a_review_past_its_sla_reminds_the_reviewer_then_the_editors(
    run, answer_in, board_member, second_board_member, editor, mailoutbox, settings
):
    with clock.travel(T0):
        answer_in(Status.UNDER_REVIEW)
    mailoutbox.clear()
    sla = settings.REVIEW_SLA_UNDER_REVIEW

    run(notify_sweeps.sweep_reminders, T0 + sla + timedelta(minutes=1))
    assert recipients(mailoutbox) == ["maya@example.org"]

    mailoutbox.clear()
    run(notify_sweeps.sweep_reminders, T0 + 2 * sla + timedelta(minutes=1))
    run(notify_sweeps.sweep_reminders, T0 + 3 * sla)
    assert recipients(mailoutbox) == ["edith@example.org"]
    assert "please assign or reassign" in mailoutbox[0].body


def test_a_reminder_for_an_answer_that_moved_on_is_not_sent(
    run, answer_in, board_member, mailoutbox, settings, django_capture_on_commit_callbacks
):
    with clock.travel(T0):
        answer = answer_in(Status.UNDER_REVIEW)
    late = T0 + settings.REVIEW_SLA_UNDER_REVIEW + timedelta(minutes=1)
    with clock.travel(late):
        notify_sweeps.sweep_reminders.apply()  # queued, but on_commit never ran: not yet delivered
        answer = services.answer_request_changes(acting_user=board_member, answer=answer, reason="Fix the dose.")
    mailoutbox.clear()

    message = OutboxMessage.objects.get(kind="reminder")
    notify_outbox.deliver_outbox.apply(args=[[message.pk]])

    assert mailoutbox == []
    assert OutboxMessage.objects.get(pk=message.pk).done_at is not None


def test_a_new_stay_in_the_same_state_is_a_new_breach(run, answer_in, board_member, drafter, mailoutbox, settings):
    from tests.conftest import make_draft

    sla = settings.REVIEW_SLA_SUBMITTED
    with clock.travel(T0):
        answer = answer_in(Status.CHANGES_REQUESTED)
    run(notify_sweeps.sweep_reminders, T0 + timedelta(hours=1))
    with clock.travel(T0 + timedelta(hours=2)):
        services.draft_submit(acting_user=drafter, draft=make_draft(answer.question.specialty))
    mailoutbox.clear()

    assert run(notify_sweeps.sweep_reminders, T0 + timedelta(hours=2) + sla + timedelta(minutes=1)) == 1
    assert recipients(mailoutbox) == ["maya@example.org"]


def test_the_reminder_sweep_runs_the_same_queries_for_three_or_thirty_breaches(drafter, specialty, settings):
    def queries_for(count: int, prefix: str) -> int:
        bulk_answers(count=count, specialty=specialty, author=drafter, status=Status.SUBMITTED, prefix=prefix)
        with clock.travel(clock.now() + 3 * settings.REVIEW_SLA_SUBMITTED), CaptureQueriesContext(connection) as q:
            assert notify_sweeps.sweep_reminders.apply().get() == 2 * count  # both stages at once
        return len(q.captured_queries)

    assert queries_for(3, "few") == queries_for(30, "many")


# -- re-review ------------------------------------------------------------------


def test_the_rereview_sweep_flags_overdue_answers_audits_and_tells_their_board(
    run, answer_in, board_member, second_board_member, mailoutbox, settings
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
    assert recipients(mailoutbox) == ["maya@example.org"]  # daniel holds no specialty
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


# -- the editors' digest ------------------------------------------------------------


def test_editors_get_the_weekly_digest_once_a_week(run, answer_in, editor, board_member, mailoutbox):
    with clock.travel(T0 - timedelta(days=3)):
        answer_in(Status.SUBMITTED)
    mailoutbox.clear()

    run(notify_sweeps.send_editors_digest, T0)
    run(notify_sweeps.send_editors_digest, T0 + timedelta(days=2))
    run(notify_sweeps.send_editors_digest, T0 + timedelta(days=7))

    assert recipients(mailoutbox) == ["edith@example.org", "edith@example.org"]
    body = mailoutbox[0].body
    assert "  Submitted: 1\n" in body
    assert "  Approved: 0\n" in body
    assert "- Submitted since 27 Feb 2026: What is the first-line treatment" in body
