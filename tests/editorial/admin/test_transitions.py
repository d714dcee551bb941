"""Every review button of the admin, and every refusal, through the Django test client."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from answers import clock
from answers.models import Status
from editorial.models import AuditEvent
from editorial.review import services
from tests.editorial.admin.desk import event_count, messages_of, reloaded, review_url, transition_url
from tests.factories import password_of, verify_citations

pytestmark = pytest.mark.django_db


def buttons(response) -> set[str]:
    return {t.name for block in response.context["fsm_object_transitions"] for t in block.available_transitions}


# -- Start review -----------------------------------------------------------------


def test_board_member_sees_only_start_review_on_a_submitted_answer(client, answer_in, board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(board_member)
    response = client.get(review_url(answer))
    assert buttons(response) == {"start_review"}
    assert b'value="start_review" title="Claim this review.">Start review</button>' in response.content


def test_board_member_starts_review_with_the_button(client, answer_in, board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(board_member)
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review", "expected_status": "submitted"})
    assert response.status_code == 302 and response["Location"] == review_url(answer)
    answer = reloaded(answer)
    assert (answer.status, answer.reviewer) == (Status.UNDER_REVIEW, board_member)
    assert AuditEvent.objects.filter(
        answer_id=answer.pk, action="vetted.answer.start_review", actor=board_member
    ).exists()
    assert "Start review: done." in messages_of(response)


# -- Approve ------------------------------------------------------------------------


def test_approve_asks_for_the_attestation_and_the_password(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.post(review_url(answer), {"_fsm_transition_to": "approve", "expected_status": "under_review"})
    assert response["Location"] == transition_url(answer, "approve") + "?expected_status=under_review"
    form_page = client.get(response["Location"])
    assert form_page.status_code == 200
    assert settings.APPROVAL_ATTESTATION in form_page.content.decode()
    assert b'type="password"' in form_page.content
    assert reloaded(answer).status == Status.UNDER_REVIEW


def test_holder_approves_with_attestation_and_password(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    client.force_login(board_member)
    response = client.post(
        transition_url(answer, "approve"),
        {"attest": "on", "password": password_of(board_member), "expected_status": "under_review"},
    )
    # Nothing else waits for maya: she lands on the queue (tests/editorial/admin/test_review_keys.py: the next answer).
    assert response.status_code == 302 and response["Location"] == reverse("admin:answers_answer_changelist")
    answer = reloaded(answer)
    assert answer.status == Status.APPROVED and answer.approved_by == board_member
    event = AuditEvent.objects.get(answer_id=answer.pk, action="vetted.answer.approve")
    assert event.data["attestation"] == settings.APPROVAL_ATTESTATION
    assert event.actor == board_member


def test_wrong_password_is_a_form_error_that_changes_nothing(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    before = event_count(answer)
    client.force_login(board_member)
    response = client.post(transition_url(answer, "approve"), {"attest": "on", "password": "not-my-password"})
    assert response.status_code == 200
    assert response.context["transition_form"].errors["password"] == [
        "That is not your password; nothing was approved."
    ]
    assert reloaded(answer).status == Status.UNDER_REVIEW
    # Nothing changes but the audit trail, which records the failed signature (tests/editorial/test_signing_lockout.py).
    assert event_count(answer) == before + 1
    assert AuditEvent.objects.filter(answer_id=answer.pk).first().action == "vetted.signature.fail"


def test_approve_without_the_attestation_is_a_form_error(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    client.force_login(board_member)
    response = client.post(transition_url(answer, "approve"), {"password": password_of(board_member)})
    assert response.status_code == 200
    assert "attest" in response.context["transition_form"].errors
    assert reloaded(answer).status == Status.UNDER_REVIEW


def test_approve_is_refused_while_citations_are_unchecked(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    page = client.get(review_url(answer))
    assert page.context["blockers"] == ["Citation 1 has not been checked.", "Citation 2 has not been checked."]
    response = client.post(transition_url(answer, "approve"), {"attest": "on", "password": password_of(board_member)})
    assert response["Location"] == review_url(answer)
    assert messages_of(response) == [
        "Approval is blocked: Citation 1 has not been checked. Citation 2 has not been checked."
    ]
    assert reloaded(answer).status == Status.UNDER_REVIEW


# -- Request changes, Reject, Retract: a required reason ---------------------------------


@pytest.mark.parametrize(
    ("action", "target"),
    [("request_changes", Status.CHANGES_REQUESTED), ("reject", Status.REJECTED)],
)
def test_holder_decides_with_a_reason(client, answer_in, board_member, action, target):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.post(review_url(answer), {"_fsm_transition_to": action, "expected_status": "under_review"})
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"reason": "Dose in the wrong units.", "expected_status": "under_review"})
    assert response["Location"] == reverse("admin:answers_answer_changelist")
    assert reloaded(answer).status == target
    assert AuditEvent.objects.get(answer_id=answer.pk, action=f"vetted.answer.{action}").reason == (
        "Dose in the wrong units."
    )


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_a_blank_reason_is_a_form_error_that_changes_nothing(client, answer_in, board_member, action):
    answer = answer_in(Status.UNDER_REVIEW)
    before = event_count(answer)
    client.force_login(board_member)
    response = client.post(transition_url(answer, action), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["transition_form"].errors["reason"] == ["This field is required."]
    assert reloaded(answer).status == Status.UNDER_REVIEW
    assert event_count(answer) == before


def test_editor_retracts_an_approved_answer_with_a_reason(client, answer_in, editor):
    answer = answer_in(Status.APPROVED)
    client.force_login(editor)
    assert buttons(client.get(review_url(answer))) == {"retract"}
    response = client.post(transition_url(answer, "retract"), {"reason": "A cited trial was retracted."})
    assert response["Location"] == review_url(answer)
    answer = reloaded(answer)
    assert answer.status == Status.RETRACTED and answer.retraction_reason == "A cited trial was retracted."


def test_retract_without_a_reason_keeps_the_answer_approved(client, answer_in, editor):
    answer = answer_in(Status.APPROVED)
    client.force_login(editor)
    response = client.post(transition_url(answer, "retract"), {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["transition_form"].errors
    assert reloaded(answer).status == Status.APPROVED


# -- Re-approve after re-review -----------------------------------------------------------


def test_re_approve_is_offered_only_when_the_answer_is_due(client, answer_in, second_board_member):
    answer = answer_in(Status.APPROVED)
    client.force_login(second_board_member)
    assert "reaffirm" not in buttons(client.get(review_url(answer)))
    with clock.travel(clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1)):
        assert buttons(client.get(review_url(answer))) == {"reaffirm", "retract"}


def test_board_member_re_approves_a_due_answer(client, answer_in, second_board_member):
    answer = answer_in(Status.APPROVED)
    later = clock.now() + settings.REVIEW_INTERVAL + timedelta(days=1)
    client.force_login(second_board_member)
    with clock.travel(later):
        services.answer_mark_review_due(answer=answer)
        response = client.post(
            transition_url(answer, "reaffirm"), {"attest": "on", "password": password_of(second_board_member)}
        )
    assert response["Location"] == review_url(answer)
    answer = reloaded(answer)
    assert answer.status == Status.APPROVED and not answer.review_due
    assert answer.last_reviewed == later.date() and answer.approved_by == second_board_member


# -- Refusals change nothing --------------------------------------------------------------


def test_author_cannot_start_review_of_their_own_revision(client, answer_in, author):
    answer = answer_in(Status.SUBMITTED, acting_user=author)
    client.force_login(author)
    assert buttons(client.get(review_url(answer))) == set()
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    assert messages_of(response) == ["You wrote this revision; another board member must review it."]
    assert reloaded(answer).status == Status.SUBMITTED


def test_board_member_without_the_specialty_is_refused_by_default(client, answer_in, outside_board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(outside_board_member)
    assert buttons(client.get(review_url(answer))) == set()
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    assert messages_of(response) == [
        "This answer is in Hematology/Oncology, a specialty your reviewer profile does not list: "
        "board members review only within their specialties."
    ]
    assert reloaded(answer).status == Status.SUBMITTED


def test_with_the_specialty_rule_off_any_board_member_may_start_the_review(
    client, answer_in, outside_board_member, settings
):
    settings.REVIEW_REQUIRES_SPECIALTY = False
    answer = answer_in(Status.SUBMITTED)
    client.force_login(outside_board_member)
    assert buttons(client.get(review_url(answer))) == {"start_review"}
    client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    assert reloaded(answer).reviewer == outside_board_member


def test_a_stale_page_is_refused_after_another_reviewer_acted(client, answer_in, board_member, second_board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(second_board_member)
    page = client.get(review_url(answer))
    assert 'name="expected_status" value="submitted"' in page.content.decode()
    answer = services.answer_start_review(acting_user=board_member, answer=answer)  # someone else, meanwhile
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review", "expected_status": "submitted"})
    assert messages_of(response) == ["This answer changed while you were looking at it: it is now under review."]
    assert reloaded(answer).reviewer == board_member


def test_a_stale_reason_form_is_refused(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    form_url = client.post(review_url(answer), {"_fsm_transition_to": "reject", "expected_status": "under_review"})[
        "Location"
    ]
    form_page = client.get(form_url)
    assert form_page.context["transition_form"]["expected_status"].value() == "under_review"
    # In another tab, the same reviewer requests changes; then submits the old reject form.
    answer = services.answer_request_changes(acting_user=board_member, answer=answer, reason="Fix the dose.")
    response = client.post(form_url, {"reason": "Out of scope.", "expected_status": "under_review"})
    assert response["Location"] == review_url(answer)
    assert reloaded(answer).status == Status.CHANGES_REQUESTED


def test_a_refused_form_page_says_why_and_sends_back(client, answer_in, second_board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(second_board_member)
    response = client.get(transition_url(answer, "reject"))
    assert response["Location"] == review_url(answer)
    assert messages_of(response) == ["Reject: Only the board member who holds this review may decide it."]


# -- Forged POSTs: the library never runs a transition by itself -----------------------------


@pytest.mark.parametrize(
    ("forger", "refusal"),
    [
        ("editor", "Only Medical Advisory Board members may review answers."),
        ("second_board_member", "Only the board member who holds this review may decide it."),
    ],
)
def test_forged_approve_post_changes_nothing(client, answer_in, board_member, forger, refusal, request):
    """django-fsm-2 4.2.4 would apply `_fsm_transition_to=approve` from any staff user with change permission."""
    user = request.getfixturevalue(forger)
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    before = event_count(answer)
    client.force_login(user)
    client.post(review_url(answer), {"_fsm_transition_to": "approve"})
    response = client.post(transition_url(answer, "approve"), {"attest": "on", "password": password_of(user)})
    assert response["Location"] == review_url(answer)
    assert messages_of(response) == [refusal]  # from editorial.review.services, with the right signature
    answer = reloaded(answer)
    assert answer.status == Status.UNDER_REVIEW and answer.live_revision is None
    assert event_count(answer) == before


def test_forged_post_of_a_hidden_button_goes_through_the_service(client, answer_in, editor):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(editor)
    response = client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    assert messages_of(response) == ["Only Medical Advisory Board members may review answers."]
    assert reloaded(answer).status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["submit", "_moved", "delete", "save", ""])
def test_a_post_that_is_no_review_button_changes_nothing(client, answer_in, board_member, name):
    answer = answer_in(Status.SUBMITTED)
    before = event_count(answer)
    client.force_login(board_member)
    response = client.post(review_url(answer), {"_fsm_transition_to": name, "status": "approved", "_save": "Save"})
    assert messages_of(response) == ["Nothing to do: this page only takes review decisions."]
    assert reloaded(answer).status == Status.SUBMITTED
    assert event_count(answer) == before


def test_every_status_change_made_from_the_admin_is_audited(client, answer_in, board_member):
    """Had the library run a transition itself, a status would change without an audit event."""
    answer = answer_in(Status.SUBMITTED)
    client.force_login(board_member)
    client.post(review_url(answer), {"_fsm_transition_to": "start_review"})
    verify_citations(board_member, answer)
    client.post(transition_url(answer, "approve"), {"attest": "on", "password": password_of(board_member)})
    states = list(
        AuditEvent.objects.filter(answer_id=answer.pk, action__startswith="vetted.answer.")
        .order_by("id")
        .values_list("to_state", flat=True)
    )
    assert states == ["submitted", "under_review", "approved"]
    assert reloaded(answer).status == Status.APPROVED


def test_the_mixins_own_transition_runner_is_disabled(answer_in, rf, board_member):
    from django.contrib import admin

    from answers.models import Answer

    answer = answer_in(Status.SUBMITTED)
    request = rf.post("/")
    request.user = board_member
    with pytest.raises(RuntimeError, match="editorial.review.services only"):
        admin.site._registry[Answer]._apply_fsm_transition(obj=answer, transition_name="start_review", request=request)
    assert reloaded(answer).status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["start_review", "submit", "delete"])
def test_a_form_page_for_no_form_transition_sends_back(client, answer_in, board_member, name):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(board_member)
    response = client.post(transition_url(answer, name), {"reason": "x"})
    assert response["Location"] == review_url(answer)
    assert messages_of(response) == [f"There is no form for “{name}”."]
    assert reloaded(answer).status == Status.SUBMITTED


def test_a_missing_answer_sends_back_to_the_list(client, board_member):
    client.force_login(board_member)
    for response in (
        client.get("/admin/answers/answer/999999/change/"),
        client.post("/admin/answers/answer/999999/change/", {"_fsm_transition_to": "start_review"}),
        client.get("/admin/answers/answer/999999/transition/reject/"),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
