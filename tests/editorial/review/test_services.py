from datetime import date, timedelta

import pytest

from answers import clock
from answers.models import Answer, Status
from editorial.errors import Blocked, Conflict, Invalid, InvalidState, NotAllowed
from editorial.models import OutboxMessage
from editorial.review import checks, services
from tests import factories
from tests.factories import APPROVAL, at, verify_citations

# -- submit -------------------------------------------------------------------


def test_submitting_a_draft_creates_question_answer_and_first_revision(submit):
    answer = submit()
    assert answer.status == Status.SUBMITTED
    assert answer.pending_revision.number == 1
    assert answer.live_revision is None
    assert answer.pending_revision.source_label == "medrafter 1.0"
    assert [s.heading for s in answer.pending_revision.sections.all()] == ["From the Guidelines", "Key Findings"]
    assert [c.number for c in answer.pending_revision.citations.all()] == [1, 2]


def test_a_draft_needs_a_section(submit):
    with pytest.raises(Invalid) as refused:
        submit(sections=[])
    assert refused.value.fields == ["sections"]
    assert not Answer.objects.exists()


def test_a_reader_cannot_submit_drafts(submit, reader):
    with pytest.raises(NotAllowed):
        submit(acting_user=reader)
    assert not Answer.objects.exists()


def test_a_new_revision_is_refused_while_the_answer_is_in_review(answer_in, submit):
    answer_in(Status.UNDER_REVIEW)
    with pytest.raises(InvalidState) as refused:
        submit()
    assert refused.value.state == Status.UNDER_REVIEW
    assert "under review" in refused.value.message


def test_a_new_revision_of_an_approved_answer_leaves_the_live_one_in_place(answer_in, submit):
    answer = answer_in(Status.APPROVED)
    live = answer.live_revision
    again = submit(sections=[{"heading": "From the Guidelines", "body": "Updated [1]."}])
    assert again.pk == answer.pk
    assert again.status == Status.SUBMITTED
    assert again.live_revision == live
    assert again.pending_revision.number == 2


def test_a_rejected_answer_takes_no_new_revision(answer_in, submit):
    answer_in(Status.REJECTED)
    with pytest.raises(InvalidState):
        submit()


# -- start review ---------------------------------------------------------------


def test_a_board_member_starts_review_and_holds_it(submit, board_member):
    answer = submit()
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    assert answer.status == Status.UNDER_REVIEW
    assert answer.reviewer == board_member


@pytest.mark.parametrize("who", ["editor", "drafter", "reader", "superuser"])
def test_only_board_members_start_review(submit, request, who):
    answer = submit()
    with pytest.raises(NotAllowed):
        answer = services.answer_start_review(acting_user=request.getfixturevalue(who), answer=answer)
    answer.refresh_from_db()
    assert answer.status == Status.SUBMITTED


def test_an_assigned_answer_is_reviewed_by_its_assignee(submit, editor, board_member, second_board_member):
    answer = submit()
    answer = services.answer_assign(acting_user=editor, answer=answer, reviewer=second_board_member)
    with pytest.raises(NotAllowed, match="assigned to daniel"):
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
    answer = services.answer_start_review(acting_user=second_board_member, answer=answer)
    assert answer.reviewer == second_board_member


def test_only_editors_assign_and_only_to_board_members(submit, editor, board_member, reader):
    answer = submit()
    with pytest.raises(NotAllowed):
        answer = services.answer_assign(acting_user=board_member, answer=answer, reviewer=board_member)
    with pytest.raises(NotAllowed):
        answer = services.answer_assign(acting_user=editor, answer=answer, reviewer=reader)
    answer.refresh_from_db()
    assert answer.reviewer is None


def test_specialty_is_required_by_default(submit, outside_board_member, board_member):
    answer = submit()
    with pytest.raises(NotAllowed, match="Hematology/Oncology, a specialty your reviewer profile does not list"):
        answer = services.answer_start_review(acting_user=outside_board_member, answer=answer)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    assert answer.status == Status.UNDER_REVIEW


# -- approve ------------------------------------------------------------------------


def test_approval_makes_the_revision_live_and_dates_it(answer_in, board_member, settings):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    with clock.travel(at("2025-03-24")):
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED
    assert answer.live_revision.number == 1
    assert answer.pending_revision is None
    assert answer.approved_by == board_member
    assert answer.last_updated == date(2025, 3, 24)
    assert answer.last_reviewed == date(2025, 3, 24)
    assert answer.next_review_due == date(2025, 3, 24) + settings.REVIEW_INTERVAL


def test_approval_needs_the_attestation(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    with pytest.raises(Invalid) as refused:
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation="ok")
    assert refused.value.fields == ["attestation"]
    answer.refresh_from_db()
    assert answer.status == Status.UNDER_REVIEW


def test_approval_is_blocked_while_a_citation_is_unchecked(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    with pytest.raises(Blocked, match="Citation 1 has not been checked"):
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    answer.refresh_from_db()
    assert answer.status == Status.UNDER_REVIEW


def test_approval_is_blocked_by_an_unsupported_citation_until_an_editor_waives_it(answer_in, board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    first, second = answer.pending_revision.citations.all()
    checks.citation_verdict_record(acting_user=board_member, citation=first, verdict="verified")
    checks.citation_verdict_record(acting_user=board_member, citation=second, verdict="unsupported", note="No.")
    with pytest.raises(Blocked, match="Citation 2 is marked as not supporting"):
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    with pytest.raises(NotAllowed):
        checks.citation_verdict_waive(acting_user=board_member, citation=second, reason="Fine")
    with pytest.raises(Invalid):
        checks.citation_verdict_waive(acting_user=editor, citation=second, reason=" ")
    checks.citation_verdict_waive(acting_user=editor, citation=second, reason="The claim is covered by [1].")
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    assert answer.status == Status.APPROVED


def test_an_unverifiable_citation_does_not_block_approval(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    for citation in answer.pending_revision.citations.all():
        checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="unverifiable")
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    assert answer.status == Status.APPROVED


def test_author_cannot_approve_own_revision(specialty, board_member, second_board_member, editor):
    # An editor who is also on the board writes a revision by hand.
    from django.contrib.auth.models import Group

    board_member.groups.add(Group.objects.get(name="Editors"))
    revision = services.draft_submit(acting_user=board_member, draft=factories.draft(specialty, source_kind="human"))
    answer = Answer.objects.get(pk=revision.answer_id)
    with pytest.raises(NotAllowed, match="You wrote this revision"):
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
    with pytest.raises(NotAllowed):
        answer = services.answer_assign(acting_user=editor, answer=answer, reviewer=board_member)


def test_only_the_reviewer_holding_the_review_approves(answer_in, board_member, second_board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    with pytest.raises(NotAllowed, match="holds this review"):
        answer = services.answer_approve(acting_user=second_board_member, answer=answer, attestation=APPROVAL)


def test_an_editor_reassignment_hands_the_decision_over(answer_in, board_member, second_board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    answer = services.answer_assign(acting_user=editor, answer=answer, reviewer=second_board_member)
    verify_citations(second_board_member, answer)
    answer = services.answer_approve(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    answer.refresh_from_db()
    assert answer.approved_by == second_board_member


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED])
def test_approve_from_the_wrong_state_names_the_state(answer_in, board_member, status):
    answer = answer_in(status)
    with pytest.raises(InvalidState) as refused:
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    assert refused.value.state == status
    assert answer.get_status_display().lower() in refused.value.message
    assert refused.value.message.startswith("Cannot approve")


def test_a_stale_page_is_refused(answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    with pytest.raises(Conflict, match="changed while you were looking"):
        answer = services.answer_request_changes(
            acting_user=board_member, answer=answer, reason="x", expected_status=Status.SUBMITTED
        )
    answer.refresh_from_db()
    assert answer.status == Status.UNDER_REVIEW


# -- re-approval of the same revision --------------------------------------------------------


def test_reaffirming_moves_last_reviewed_but_not_last_updated(answer_in, board_member, second_board_member, settings):
    with clock.travel(at("2025-03-24")):
        answer = answer_in(Status.APPROVED)
    with clock.travel(at("2026-03-25")):
        answer = services.answer_reaffirm(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    answer.refresh_from_db()
    assert answer.last_updated == date(2025, 3, 24)
    assert answer.last_reviewed == date(2026, 3, 25)
    assert answer.next_review_due == date(2026, 3, 25) + settings.REVIEW_INTERVAL
    assert answer.status == Status.APPROVED


def test_approving_a_new_revision_moves_last_updated(answer_in, submit, board_member):
    with clock.travel(at("2025-03-24")):
        answer = answer_in(Status.APPROVED)
    with clock.travel(at("2025-06-01")):
        submit(sections=[{"heading": "From the Guidelines", "body": "New advice [1]."}])
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
        verify_citations(board_member, answer)
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    answer.refresh_from_db()
    assert answer.live_revision.number == 2
    assert answer.last_updated == date(2025, 6, 1)


def test_the_sweep_marks_overdue_content_once(answer_in, settings):
    with clock.travel(at("2025-01-10")):
        answer = answer_in(Status.APPROVED)
    with clock.travel(at("2025-06-01")):
        assert services.answer_mark_review_due(answer=answer) is False
    with clock.travel(at("2026-01-11")):
        assert services.answer_mark_review_due(answer=answer) is True
        assert services.answer_mark_review_due(answer=answer) is False
    answer.refresh_from_db()
    assert answer.review_due is True
    assert answer.audit_events.filter(action="vetted.answer.review_due").count() == 1


# -- request changes, reject, retract -------------------------------------------------------


@pytest.mark.parametrize(
    "action, status",
    [
        (services.answer_request_changes, Status.CHANGES_REQUESTED),
        (services.answer_reject, Status.REJECTED),
    ],
)
def test_decisions_need_a_reason(answer_in, board_member, action, status):
    answer = answer_in(Status.UNDER_REVIEW)
    with pytest.raises(Invalid) as refused:
        action(acting_user=board_member, answer=answer, reason="  ")
    assert refused.value.fields == ["reason"]
    answer.refresh_from_db()
    assert answer.status == Status.UNDER_REVIEW
    answer = action(acting_user=board_member, answer=answer, reason="Dose is wrong.")
    assert answer.status == status


def test_changes_requested_then_resubmitted_goes_back_to_submitted(answer_in, submit):
    answer = answer_in(Status.CHANGES_REQUESTED)
    again = submit(sections=[{"heading": "From the Guidelines", "body": "Fixed [1]."}])
    assert again.pk == answer.pk
    assert again.status == Status.SUBMITTED
    assert again.pending_revision.number == 2


def test_retracting_withdraws_the_live_revision(answer_in, editor):
    answer = answer_in(Status.APPROVED)
    answer = services.answer_retract(acting_user=editor, answer=answer, reason="Guideline withdrawn.")
    answer.refresh_from_db()
    assert answer.status == Status.RETRACTED
    assert answer.live_revision is None
    assert answer.retraction_reason == "Guideline withdrawn."
    assert answer.retracted_at is not None
    assert not Answer.objects.public().exists()


def test_drafting_systems_cannot_retract(answer_in, drafter):
    answer = answer_in(Status.APPROVED)
    with pytest.raises(NotAllowed):
        answer = services.answer_retract(acting_user=drafter, answer=answer, reason="x")


def test_retract_needs_a_reason(answer_in, editor):
    answer = answer_in(Status.APPROVED)
    with pytest.raises(Invalid):
        answer = services.answer_retract(acting_user=editor, answer=answer, reason="")
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED


def test_a_retracted_answer_can_be_resubmitted(answer_in, submit):
    answer_in(Status.RETRACTED)
    again = submit(sections=[{"heading": "From the Guidelines", "body": "Corrected [1]."}])
    assert again.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("refusal", "error"),
    [
        ("another board member decides", NotAllowed),
        ("the transition does not leave this state", InvalidState),
        ("the page was stale", Conflict),
        ("citations are unchecked", Blocked),
        ("the reason is blank", Invalid),
    ],
)
def test_a_refused_transition_changes_nothing(answer_in, board_member, second_board_member, refusal, error):
    """Each refusal after the row is locked (state, right, stale page, blockers) rolls back whole."""
    answer = answer_in(Status.UNDER_REVIEW)

    def stored():
        answer.refresh_from_db()
        return (
            answer.status,
            answer.reviewer_id,
            answer.status_changed_at,
            answer.live_revision_id,
            answer.audit_events.count(),
            OutboxMessage.objects.count(),
        )

    before = stored()
    attempt = {
        "another board member decides": lambda: services.answer_reject(
            acting_user=second_board_member, answer=answer, reason="Out of scope."
        ),
        "the transition does not leave this state": lambda: services.answer_start_review(
            acting_user=board_member, answer=answer
        ),
        "the page was stale": lambda: services.answer_reject(
            acting_user=board_member, answer=answer, reason="Out of scope.", expected_status=Status.SUBMITTED
        ),
        "citations are unchecked": lambda: services.answer_approve(
            acting_user=board_member, answer=answer, attestation=APPROVAL
        ),
        "the reason is blank": lambda: services.answer_reject(acting_user=board_member, answer=answer, reason=""),
    }[refusal]

    with pytest.raises(error):
        attempt()

    assert stored() == before


def test_time_in_state_restarts_at_each_transition(submit, board_member):
    with clock.travel(at("2025-01-01")):
        answer = submit()
    with clock.travel(at("2025-01-03")):
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
    assert answer.status_changed_at == at("2025-01-03")
    assert answer.created_at == at("2025-01-01")
    assert answer.status_changed_at - answer.created_at == timedelta(days=2)


def test_an_editor_cannot_choose_the_reviewer_of_a_revision_they_wrote(specialty, editor, board_member):
    revision = services.draft_submit(acting_user=editor, draft=factories.draft(specialty, source_kind="human"))
    with pytest.raises(NotAllowed, match="another editor must choose"):
        services.answer_assign(acting_user=editor, answer=revision.answer_id, reviewer=board_member)
    assert Answer.objects.get(pk=revision.answer_id).reviewer is None
