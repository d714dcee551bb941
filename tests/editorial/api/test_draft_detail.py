from answers.models import Status
from editorial.models import ApiToken
from editorial.review import checks, services
from tests.factories import APPROVAL, verify_citations
from tests.support.api import ApiClient


def _submit(api, payload) -> int:
    response = api.post("/api/v1/drafts/", payload)
    assert response.status_code == 201
    return response.json()["id"]


def test_a_submitted_draft_shows_its_status_and_unchecked_citations(api, draft_payload):
    draft_id = _submit(api, draft_payload())

    body = api.get(f"/api/v1/drafts/{draft_id}/").json()

    assert body["status"] == "submitted"
    assert body["answer_status"] == "submitted"
    assert body["external_id"] == "medrafter-0001"
    assert body["revision"] == 1
    assert body["live_revision"] is None
    assert body["public_url"] is None
    assert body["decisions"] == []
    assert [(c["number"], c["verdict"]) for c in body["citations"]] == [(1, None), (2, None)]


def test_requested_changes_show_the_reason_and_the_verdicts(api, draft_payload, board_member):
    draft_id = _submit(api, draft_payload())
    answer_id = api.get(f"/api/v1/drafts/{draft_id}/").json()["answer_id"]
    services.answer_start_review(acting_user=board_member, answer=answer_id)
    first, second = services.Revision.objects.get(pk=draft_id).citations.all()
    checks.citation_verdict_record(acting_user=board_member, citation=first, verdict="verified")
    checks.citation_verdict_record(
        acting_user=board_member, citation=second, verdict="unsupported", note="The trial was in CKD."
    )
    services.answer_request_changes(acting_user=board_member, answer=answer_id, reason="Citation 2 is misused.")

    body = api.get(f"/api/v1/drafts/{draft_id}/").json()

    assert body["status"] == "changes_requested"
    assert [(d["action"], d["status"], d["reason"]) for d in body["decisions"]] == [
        ("request_changes", "changes_requested", "Citation 2 is misused.")
    ]
    assert body["decisions"][0]["decided_by"].startswith("maya")
    assert [(c["verdict"], c["note"]) for c in body["citations"]] == [
        ("verified", ""),
        ("unsupported", "The trial was in CKD."),
    ]


def test_an_approved_draft_shows_the_live_revision_and_public_url(api, draft_payload, board_member):
    draft_id = _submit(api, draft_payload())
    answer = services.Answer.objects.get(revisions__pk=draft_id)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    verify_citations(board_member, answer)
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)

    body = api.get(f"/api/v1/drafts/{draft_id}/").json()

    assert body["status"] == "approved"
    assert body["live_revision"] == 1
    assert body["public_url"] == f"http://testserver{answer.get_absolute_url()}"
    assert [d["action"] for d in body["decisions"]] == ["approve"]


def test_an_older_draft_keeps_its_own_decision_when_a_new_revision_waits(api, draft_payload, board_member):
    first_id = _submit(api, draft_payload())
    answer = services.Answer.objects.get(revisions__pk=first_id)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    verify_citations(board_member, answer)
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    second_id = _submit(api, draft_payload(external_id="medrafter-0002"))

    first = api.get(f"/api/v1/drafts/{first_id}/").json()
    second = api.get(f"/api/v1/drafts/{second_id}/").json()

    assert (first["status"], first["answer_status"], first["live_revision"]) == ("approved", "submitted", 1)
    assert (second["status"], second["revision"], second["public_url"]) == ("submitted", 2, first["public_url"])


def test_an_unknown_draft_is_a_404(api):
    assert api.get("/api/v1/drafts/999/").status_code == 404


def test_another_drafting_system_cannot_read_my_draft(api, client, draft_payload, answer_in):
    draft_id = _submit(api, draft_payload())
    other_user = services.Revision.objects.get(pk=draft_id).created_by.__class__.objects.create_user("other")
    other_user.groups.add(*services.Revision.objects.get(pk=draft_id).created_by.groups.all())
    _, raw = ApiToken.issue(user=other_user, name="other system")

    assert ApiClient(client, raw).get(f"/api/v1/drafts/{draft_id}/").status_code == 404


def test_an_out_of_range_id_is_a_400_not_a_server_error(api):
    assert api.get(f"/api/v1/drafts/{2**70}/").status_code == 400
    assert api.get("/api/v1/drafts/0/").status_code == 400


def test_a_retracted_answer_has_no_public_url(api, draft_payload, answer_in):
    answer = answer_in(Status.RETRACTED, question=draft_payload()["question"])
    revision = answer.revisions.get()
    revision_created_by_drafter = revision.created_by
    assert revision_created_by_drafter.username == "drafter"

    body = api.get(f"/api/v1/drafts/{revision.pk}/").json()

    assert body["status"] == "approved"  # the draft's own review: it was approved, then retracted
    assert body["answer_status"] == "retracted"
    assert body["publication"] == "retracted"
    assert body["public_url"] is None
    assert [d["action"] for d in body["decisions"]] == ["approve", "retract"]
