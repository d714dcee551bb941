"""Issue 13, item 5: the approval password goes through the login's lockout machinery.

A wrong password on the approve dialog counts as a failed login for django-axes,
is audited (`vetted.signature.fail`), and after SIGNING_FAILURE_LIMIT failures
within the cool-off signing is locked; reading the desk still works.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from answers.models import Status
from editorial.models import AuditAction, AuditEvent
from tests.editorial.admin.desk import reloaded, review_url, transition_url
from tests.factories import password_of, verify_citations

pytestmark = pytest.mark.django_db

LIMIT = getattr(settings, "SIGNING_FAILURE_LIMIT", 5)


@pytest.fixture
def ready(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    client.force_login(board_member)
    return answer


def sign(client, answer, password):
    return client.post(
        transition_url(answer, "approve"),
        {"attest": "on", "password": password, "expected_status": Status.UNDER_REVIEW},
        REMOTE_ADDR="10.0.0.7",
    )


def test_wrong_approval_passwords_lock_signing_and_are_audited(client, ready, board_member):
    pages = [sign(client, ready, f"guess-{n}") for n in range(30)]
    assert all(page.status_code == 200 for page in pages)  # the form again, never a lockout page
    first_errors = pages[0].context["transition_form"].errors["password"]
    assert first_errors == ["That is not your password; nothing was approved."]
    locked = pages[-1].context["transition_form"].errors["password"][0]
    assert locked.startswith("Signing is locked until ")
    # Each checked password is a failed login for django-axes (the same machinery as the login form).
    assert AccessAttempt.objects.filter(username=board_member.get_username()).exists()
    failed = AuditEvent.objects.filter(action=AuditAction.SIGNATURE_FAILED, actor=board_member)
    assert failed.count() == LIMIT  # the guesses after the lock are refused unchecked
    assert failed.first().answer_id == ready.pk
    assert AuditAction.SIGNATURE_FAILED.label == "Failed to sign (wrong password)"
    # Even the right password does not sign while locked.
    page = sign(client, ready, password_of(board_member))
    assert page.context["transition_form"].errors["password"][0].startswith("Signing is locked until ")
    assert reloaded(ready).status == Status.UNDER_REVIEW
    # The session is kept and the desk still reads.
    assert client.session["_auth_user_id"] == str(board_member.pk)
    assert client.get(review_url(ready)).status_code == 200
    assert client.get("/admin/answers/answer/").status_code == 200


def test_below_the_limit_the_right_password_signs(client, ready, board_member):
    for n in range(LIMIT - 1):
        sign(client, ready, f"guess-{n}")
    response = sign(client, ready, password_of(board_member))
    assert response.status_code == 302
    assert reloaded(ready).status == Status.APPROVED


def test_the_lock_lifts_after_the_cool_off(client, ready, board_member, settings):
    from datetime import timedelta

    from answers import clock

    for n in range(LIMIT):
        sign(client, ready, f"guess-{n}")
    AccessAttempt.objects.all().delete()  # axes' own cool-off is its business; ours is the audit trail's
    with clock.travel(clock.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        response = sign(client, ready, password_of(board_member))
    assert response.status_code == 302
    assert reloaded(ready).status == Status.APPROVED
