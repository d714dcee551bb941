"""Re-approval is a transition that needs the answer to be due for re-review:
the rule lives on the state machine, so the service, the admin's buttons and a
hand-made POST all meet it."""

from datetime import timedelta

import pytest
from django.conf import settings

from answers import clock
from answers.models import Status
from editorial.errors import InvalidState
from editorial.models import AuditAction, AuditEvent
from editorial.review import services
from tests.editorial.admin.desk import messages_of, reloaded, transition_url
from tests.factories import APPROVAL, password_of

pytestmark = pytest.mark.django_db


def test_the_service_refuses_to_re_approve_an_answer_not_due(answer_in, second_board_member):
    answer = answer_in(Status.APPROVED)
    with pytest.raises(InvalidState) as refused:
        services.answer_reaffirm(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    assert refused.value.message == "Cannot re-approve this answer: it is not due for re-review."
    assert not AuditEvent.objects.filter(answer_id=answer.pk, action=AuditAction.REAFFIRM).exists()


def test_a_forged_re_approve_post_is_refused_and_changes_nothing(client, answer_in, second_board_member):
    answer = answer_in(Status.APPROVED)
    before = reloaded(answer)
    client.force_login(second_board_member)
    response = client.post(
        transition_url(answer, "reaffirm"), {"attest": "on", "password": password_of(second_board_member)}
    )
    assert response.status_code == 302
    assert "Cannot re-approve this answer: it is not due for re-review." in messages_of(response)
    after = reloaded(answer)
    assert (after.approved_by_id, after.last_reviewed, after.next_review_due) == (
        before.approved_by_id,
        before.last_reviewed,
        before.next_review_due,
    )
    assert not AuditEvent.objects.filter(answer_id=answer.pk, action=AuditAction.REAFFIRM).exists()


def test_an_answer_past_its_review_date_may_be_re_approved_before_the_sweep_flags_it(answer_in, second_board_member):
    answer = answer_in(Status.APPROVED)
    with clock.travel(clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1)):
        assert not reloaded(answer).review_due  # the sweep has not run yet
        answer = services.answer_reaffirm(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    assert answer.approved_by == second_board_member
    assert AuditEvent.objects.filter(answer_id=answer.pk, action=AuditAction.REAFFIRM).count() == 1
