"""A decision on a re-draft never takes the published answer hostage.

The answer's publication (draft, published, retracted), each revision's own
review and the answer's desk status are kept apart (answers/models.py). On
02bc2d7, rejecting a re-draft left the answer `rejected` with its live
revision public and nothing could move it again; retract was refused while a
re-draft was pending. Each test here failed there.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from answers import clock
from answers.models import Publication, ReviewState, RevisionReview, Status
from editorial.errors import InvalidState
from editorial.models import AuditAction, AuditEvent
from editorial.review import services
from editorial.webhooks.delivery import decision_payload
from tests import factories

pytestmark = pytest.mark.django_db

REDRAFT = [{"heading": "From the Guidelines", "body": "Intravenous iron first [1]."}]


@pytest.fixture
def published(answer_in):
    """An approved answer (revision 1 live)."""
    return answer_in(Status.APPROVED)


@pytest.fixture
def redraft(published, submit, board_member):
    """redraft(to=status): revision 2 of the published answer, taken to `to` by maya."""

    def _redraft(to: str = Status.UNDER_REVIEW, **overrides):
        answer = submit(sections=REDRAFT, **overrides)
        assert answer.pk == published.pk and answer.pending_revision.number == 2
        if to == Status.SUBMITTED:
            return answer
        return services.answer_start_review(acting_user=board_member, answer=answer)

    return _redraft


def _review(answer, number: int) -> str:
    return RevisionReview.objects.get(revision__answer=answer, revision__number=number).state


def test_rejecting_a_redraft_leaves_the_answer_published_on_its_live_revision(published, redraft, board_member, client):
    live = published.live_revision_id
    answer = services.answer_reject(acting_user=board_member, answer=redraft(), reason="Wrong dose.")

    assert answer.status == Status.APPROVED
    assert answer.publication == Publication.PUBLISHED
    assert answer.live_revision_id == live and answer.pending_revision_id is None
    assert _review(answer, 1) == ReviewState.APPROVED
    assert _review(answer, 2) == ReviewState.REJECTED
    page = client.get(answer.get_absolute_url())
    assert page.status_code == 200
    assert "Oral iron first" in page.content.decode() and "Intravenous iron first" not in page.content.decode()


def test_after_a_rejected_redraft_everything_still_works(published, redraft, submit, board_member, editor, api):
    services.answer_reject(acting_user=board_member, answer=redraft(), reason="Wrong dose.")

    # a later draft is accepted, through the API too
    response = api.post("/api/v1/drafts/", factories.draft_json(external_id="medrafter-0003", sections=REDRAFT))
    assert response.status_code == 201, response.json()
    assert response.json()["revision"] == 3
    # and it can be taken through review and approved
    answer = services.answer_start_review(acting_user=board_member, answer=published.pk)
    factories.verify_citations(board_member, answer)
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=factories.APPROVAL)
    assert answer.live_revision.number == 3
    assert [_review(answer, n) for n in (1, 2, 3)] == ["approved", "rejected", "approved"]
    # retract works after all that
    answer = services.answer_retract(acting_user=editor, answer=answer, reason="Guideline withdrawn.")
    assert answer.publication == Publication.RETRACTED


@pytest.mark.parametrize("pending", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED])
def test_retract_works_whatever_is_pending_and_withdraws_the_pending_revision(
    pending, published, redraft, board_member, editor
):
    answer = redraft(to=pending)
    if pending == Status.CHANGES_REQUESTED:
        answer = services.answer_request_changes(acting_user=board_member, answer=answer, reason="Cite the trial.")
        assert answer.is_public, "requesting changes on a re-draft keeps the live revision public"
    assert answer.status == pending
    live, redrafted = answer.live_revision, answer.pending_revision

    answer = services.answer_retract(acting_user=editor, answer=answer, reason="Safety alert.")

    assert answer.status == Status.RETRACTED and answer.publication == Publication.RETRACTED
    assert answer.pending_revision_id is None and answer.live_revision_id is None
    assert _review(answer, 2) == ReviewState.WITHDRAWN
    retract, withdraw = AuditEvent.objects.filter(answer_id=answer.pk).order_by("-id")[:2][::-1]
    assert (retract.action, retract.revision_id) == (AuditAction.RETRACT, live.pk)
    assert (withdraw.action, withdraw.revision_id) == (AuditAction.REVISION_WITHDRAW, redrafted.pk)
    assert (withdraw.from_state, withdraw.to_state, withdraw.reason) == (pending, "withdrawn", "Safety alert.")


def test_a_never_published_answer_in_review_cannot_be_retracted(answer_in, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    with pytest.raises(InvalidState, match="it has no approved content"):
        services.answer_retract(acting_user=editor, answer=answer, reason="Not yet.")
    assert _review(answer, 1) == ReviewState.UNDER_REVIEW


def test_rejecting_a_first_draft_still_rejects_the_answer(answer_in):
    answer = answer_in(Status.REJECTED)
    assert answer.publication == Publication.DRAFT
    assert _review(answer, 1) == ReviewState.REJECTED


def test_the_re_review_sweep_follows_the_live_revision(published, redraft, board_member):
    answer = redraft(to=Status.SUBMITTED)
    with clock.travel(clock.now() + timedelta(days=400)):
        assert services.answers_mark_review_due() == [answer.pk]
        answer.refresh_from_db()
        assert answer.review_due and answer.status == Status.SUBMITTED
        event = AuditEvent.objects.filter(action=AuditAction.REVIEW_DUE).get()
        assert event.revision_id == answer.live_revision_id
        # approving the re-draft is the re-review: the flag clears
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
        factories.verify_citations(board_member, answer)
        answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=factories.APPROVAL)
        assert not answer.review_due and answer.next_review_due > clock.today()


def test_the_drafting_system_hears_its_own_drafts_outcome(published, redraft, board_member, api):
    response = api.post("/api/v1/drafts/", factories.draft_json(external_id="medrafter-0002", sections=REDRAFT))
    assert response.status_code == 201
    draft_id = response.json()["id"]
    answer = services.answer_start_review(acting_user=board_member, answer=published.pk)
    services.answer_reject(acting_user=board_member, answer=answer, reason="Wrong dose.")

    body = api.get(f"/api/v1/drafts/{draft_id}/").json()
    assert (body["status"], body["answer_status"], body["publication"]) == ("rejected", "approved", "published")
    assert [d["action"] for d in body["decisions"]] == ["reject"]

    event = AuditEvent.objects.get(action=AuditAction.REJECT)
    receipt = event.revision.receipt
    payload = decision_payload(event, receipt)
    assert (payload["event"], payload["status"], payload["publication"]) == ("rejected", "rejected", "published")


def test_the_desk_shows_publication_beside_the_status(published, redraft, board_member, admin_client):
    answer = services.answer_reject(acting_user=board_member, answer=redraft(), reason="Wrong dose.")
    page = admin_client.get(reverse("admin:answers_answer_change", args=[answer.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Published" in text
    assert "Revision 2" in text and "Rejected" in text
