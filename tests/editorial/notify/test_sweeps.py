"""The notification sweeps, run eagerly: reminders past an SLA and the editors' weekly digest."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers import clock
from answers.models import Status
from editorial.models import OutboxMessage
from editorial.notify import outbox as notify_outbox
from editorial.notify import sweeps as notify_sweeps
from editorial.review import services
from tests.support.bulk import bulk_answers
from tests.support.mail import recipients, subjects

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


pytestmark = pytest.mark.usefixtures("eager")


# -- reminders ------------------------------------------------------------------


def test_an_answer_submitted_past_its_sla_reminds_the_specialty_board_once(
    run, submit, board_member, outside_board_member, mailoutbox, settings
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
    from tests import factories

    sla = settings.REVIEW_SLA_SUBMITTED
    with clock.travel(T0):
        answer = answer_in(Status.CHANGES_REQUESTED)
    run(notify_sweeps.sweep_reminders, T0 + timedelta(hours=1))
    with clock.travel(T0 + timedelta(hours=2)):
        services.draft_submit(acting_user=drafter, draft=factories.draft(answer.question.specialty))
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
