"""Who hears about what, and how an opt-out leaves a user out."""

import pytest

from editorial.models import NotificationKind, NotificationPreference
from editorial.review import services
from tests import factories
from tests.factories import APPROVAL, verify_citations
from tests.support.mail import recipients

pytestmark = pytest.mark.usefixtures("eager")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and the notifications it queues on commit."""

    def _committed(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _committed


def test_board_members_holding_the_specialty_hear_of_a_submitted_draft(
    committed, drafter, board_member, outside_board_member, specialty, mailoutbox
):
    committed(services.draft_submit, acting_user=drafter, draft=factories.draft(specialty))

    assert recipients(mailoutbox) == ["maya@example.org"]  # omar holds only Cardiology
    assert mailoutbox[0].subject.startswith("[Vetted] Draft submitted for review: What is the first-line")
    assert "/admin/answers/answer/" in mailoutbox[0].body


def test_a_board_member_who_opted_out_hears_nothing_of_submissions(
    committed, drafter, board_member, specialty, mailoutbox
):
    NotificationPreference.objects.create(user=board_member, kind=NotificationKind.SUBMITTED, enabled=False)

    committed(services.draft_submit, acting_user=drafter, draft=factories.draft(specialty))

    assert mailoutbox == []


def test_the_assigned_reviewer_hears_of_the_assignment(committed, submit, editor, board_member, mailoutbox):
    answer = submit()
    mailoutbox.clear()

    committed(services.answer_assign, acting_user=editor, answer=answer, reviewer=board_member)

    assert recipients(mailoutbox) == ["maya@example.org"]
    assert "You have been assigned a review" in mailoutbox[0].subject
    assert "edith assigned you" in mailoutbox[0].body


def test_the_drafting_system_and_editors_hear_of_an_approval_but_not_the_approver(
    committed, answer_in, board_member, editor, mailoutbox
):
    answer = answer_in("under_review")
    verify_citations(board_member, answer)

    committed(services.answer_approve, acting_user=board_member, answer=answer, attestation=APPROVAL)

    assert recipients(mailoutbox) == ["drafter@example.org", "edith@example.org"]
    assert mailoutbox[0].subject.startswith("[Vetted] Approved:")


@pytest.mark.parametrize(
    ("service", "label"),
    [(services.answer_request_changes, "Requested changes"), (services.answer_reject, "Rejected")],
)
def test_a_decision_with_a_reason_tells_the_reason(committed, answer_in, board_member, mailoutbox, service, label):
    answer = answer_in("under_review")

    committed(service, acting_user=board_member, answer=answer, reason="The dose in section 2 is wrong.")

    assert recipients(mailoutbox) == ["drafter@example.org", "edith@example.org"]
    assert mailoutbox[0].subject.startswith(f"[Vetted] {label}:")
    assert "Reason: The dose in section 2 is wrong." in mailoutbox[0].body


def test_a_retraction_by_an_editor_tells_the_drafting_system_and_not_the_editor(
    committed, answer_in, editor, mailoutbox
):
    answer = answer_in("approved")

    committed(services.answer_retract, acting_user=editor, answer=answer, reason="Guideline withdrawn.")

    assert recipients(mailoutbox) == ["drafter@example.org"]
    assert "Retracted" in mailoutbox[0].subject


def test_an_editor_who_opted_out_of_decisions_is_left_out(committed, answer_in, board_member, editor, mailoutbox):
    NotificationPreference.objects.create(user=editor, kind=NotificationKind.DECISION, enabled=False)
    answer = answer_in("under_review")

    committed(services.answer_reject, acting_user=board_member, answer=answer, reason="Out of scope.")

    assert recipients(mailoutbox) == ["drafter@example.org"]


def test_starting_a_review_notifies_nobody(committed, submit, board_member, mailoutbox):
    answer = submit()
    mailoutbox.clear()

    committed(services.answer_start_review, acting_user=board_member, answer=answer)

    assert mailoutbox == []
