"""Two independent approvals of a high-risk revision (issue 15): two different board members,
at least one holding the specialty, no author, a blind second review, disagreements adjudicated."""

import pytest
from django.urls import reverse

from answers.models import Answer, ReviewState, RevisionReview, Signature, SignatureMeaning, Status
from editorial.errors import Blocked, NotAllowed
from editorial.models import AuditAction, AuditEvent, CitationAdjudication, SecondVerdict
from editorial.review import checks, double, edits, selectors, services
from tests import factories
from tests.editorial.admin.desk import messages_of, review_url
from tests.factories import APPROVAL, password_of, record_verdicts, verify_citations

HTMX = {"HTTP_HX_REQUEST": "true"}
NOTE = "Maya-checked-the-abstract"


@pytest.fixture
def high(submit):
    """A high-risk draft (its drafting system says so), submitted."""
    return submit(risk="high")


@pytest.fixture
def first_approved(high, board_member):
    """maya reviewed it (a note on citation 1, a comment) and gave the first approval."""
    answer = services.answer_start_review(acting_user=board_member, answer=high)
    first = answer.pending_revision.citations.order_by("number").first()
    checks.citation_verdict_record(acting_user=board_member, citation=first, verdict="verified", note=NOTE)
    verify_citations_but(board_member, answer, skip=first.pk)
    checks.comment_add(acting_user=board_member, answer=answer, body="Maya-comment-about-dose")
    return services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)


def verify_citations_but(reviewer, answer, *, skip):
    for citation in answer.pending_revision.citations.exclude(pk=skip):
        checks.citation_verdict_record(acting_user=reviewer, citation=citation, verdict="verified")


def third_member(specialty, username="tess"):
    return factories.board_member_of(specialty, username)


def test_the_first_approval_publishes_nothing_and_the_second_by_another_member_does(
    first_approved, board_member, second_board_member
):
    answer = Answer.objects.get(pk=first_approved.pk)
    assert answer.status == Status.AWAITING_SECOND_REVIEW and answer.reviewer is None
    assert answer.live_revision is None and not answer.is_public
    review = answer.pending_revision.review
    assert review.state == ReviewState.AWAITING_SECOND_REVIEW and review.first_approved_by == board_member
    first_event = AuditEvent.objects.get(answer=answer, action=AuditAction.FIRST_APPROVE)
    assert (first_event.from_state, first_event.to_state) == (Status.UNDER_REVIEW, Status.AWAITING_SECOND_REVIEW)
    assert not AuditEvent.objects.filter(answer=answer, action=AuditAction.APPROVE).exists()
    # The first approval is signed on the pending revision: "Approved for publication".
    [first_signature] = Signature.objects.filter(revision=answer.pending_revision)
    assert (first_signature.signer, first_signature.meaning) == (board_member, SignatureMeaning.APPROVED)

    with pytest.raises(NotAllowed, match="first approval"):
        services.answer_start_review(acting_user=board_member, answer=answer)

    pending = answer.pending_revision
    factories.second_approval(second_board_member, answer)
    answer.refresh_from_db()
    assert answer.status == Status.APPROVED and answer.live_revision == pending and answer.is_public
    assert answer.approved_by == second_board_member
    review = RevisionReview.objects.get(pk=pending.pk)
    assert review.state == ReviewState.APPROVED and review.decided_by == second_board_member
    meanings = list(Signature.objects.filter(revision=pending).values_list("signer__username", "meaning"))
    assert meanings == [("maya", SignatureMeaning.APPROVED), ("daniel", SignatureMeaning.SECOND_APPROVAL)]
    assert AuditEvent.objects.filter(answer=answer, action=AuditAction.APPROVE).count() == 1


def test_the_first_approver_may_neither_hold_nor_be_assigned_nor_approve_the_second_review(
    first_approved, board_member, second_board_member, editor
):
    with pytest.raises(NotAllowed, match="first approval"):
        services.answer_assign(acting_user=editor, answer=first_approved, reviewer=board_member)
    services.answer_assign(acting_user=editor, answer=first_approved, reviewer=second_board_member)
    services.answer_start_review(acting_user=second_board_member, answer=first_approved)
    # Even holding it by a forged assignment, the first approver is refused at approval.
    Answer.objects.filter(pk=first_approved.pk).update(reviewer=board_member)
    with pytest.raises(NotAllowed, match="first approval"):
        services.answer_approve(acting_user=board_member, answer=first_approved.pk, attestation=APPROVAL)
    assert Answer.objects.get(pk=first_approved.pk).status == Status.SECOND_REVIEW


def test_standard_tier_keeps_one_approval(answer_in, board_member):
    answer = answer_in(Status.APPROVED)
    assert answer.status == Status.APPROVED
    assert not AuditEvent.objects.filter(action=AuditAction.FIRST_APPROVE).exists()
    assert list(Signature.objects.values_list("signer__username", "meaning")) == [("maya", SignatureMeaning.APPROVED)]


def test_at_least_one_of_the_two_holds_the_specialty(settings, submit, outside_board_member, other_specialty,
                                                     second_board_member):  # fmt: skip
    settings.REVIEW_REQUIRES_SPECIALTY = False  # otherwise both must hold it (tests/.../test_specialty_rule.py)
    answer = submit(risk="high")
    services.answer_start_review(acting_user=outside_board_member, answer=answer)
    verify_citations(outside_board_member, answer)
    services.answer_approve(acting_user=outside_board_member, answer=answer.pk, attestation=APPROVAL)
    olga = factories.board_member_of(other_specialty, "olga")  # Cardiology only, like omar
    with pytest.raises(NotAllowed, match="at least one of a high-risk answer's two reviewers"):
        services.answer_start_review(acting_user=olga, answer=answer.pk)
    assert not selectors.Answer.objects.filter(selectors.awaiting_second_review_for_q(olga)).exists()
    assert selectors.Answer.objects.filter(selectors.awaiting_second_review_for_q(second_board_member)).exists()
    factories.second_approval(second_board_member, answer)  # daniel holds it: allowed
    assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED


def test_with_the_specialty_rule_on_the_second_reviewer_holds_it_too(first_approved, outside_board_member):
    with pytest.raises(NotAllowed, match="specialty"):
        services.answer_start_review(acting_user=outside_board_member, answer=first_approved)


def test_no_author_of_the_revision_or_of_one_it_was_edited_from_approves_it(
    submit, author, board_member, second_board_member, specialty
):
    answer = submit(risk="high")
    content = {
        "sections": [{"heading": "From the Guidelines", "body": "Oral iron first, 65 mg daily [1]."}],
        "citations": [{"number": 1, "title": "Guideline on iron deficiency", "year": 2021}],
    }
    edits.revision_edit(acting_user=author, answer=answer, content=content)  # arthur's edit
    content["sections"][0]["body"] = "Oral iron first, 60 mg daily [1]."
    edits.revision_edit(acting_user=board_member, answer=answer, content=content)  # maya edits arthur's edit
    answer.refresh_from_db()
    assert answer.pending_revision.created_by == board_member
    assert answer.pending_revision.parent.created_by == author
    assert answer.pending_revision.review.risk_tier == "high"
    with pytest.raises(NotAllowed, match="wrote this revision"):
        services.answer_start_review(acting_user=board_member, answer=answer)
    with pytest.raises(NotAllowed, match="one it was edited from"):
        services.answer_start_review(acting_user=author, answer=answer)
    services.answer_start_review(acting_user=second_board_member, answer=answer)
    verify_citations(second_board_member, answer)
    services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL)
    # The second review: neither author, nor the first approver; a third member takes it.
    for member in (author, board_member, second_board_member):
        with pytest.raises(NotAllowed):
            services.answer_start_review(acting_user=member, answer=answer.pk)
    factories.second_approval(third_member(specialty), answer)
    assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED


def test_disagreement_blocks_approval_until_adjudicated_which_is_audited_and_signed(
    first_approved, board_member, second_board_member, editor, drafter
):
    answer = services.answer_start_review(acting_user=second_board_member, answer=first_approved)
    record_verdicts(second_board_member, answer, ["unverifiable", "verified"])
    citation = answer.pending_revision.citations.get(number=1)
    with pytest.raises(Blocked, match="Citation 1: the two reviewers disagree"):
        services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL)
    for party in (board_member, second_board_member, drafter):  # the two reviewers, and no reviewer at all
        with pytest.raises(NotAllowed):
            double.citation_adjudicate(acting_user=party, citation=citation, verdict="verified", reason="I say so.")
    with pytest.raises(Blocked, match="agree"):
        double.citation_adjudicate(
            acting_user=editor, citation=answer.pending_revision.citations.get(number=2), verdict="verified", reason="x"
        )

    double.citation_adjudicate(acting_user=editor, citation=citation, verdict="verified", reason="Abstract, line 3.")

    event = AuditEvent.objects.get(answer=answer, action=AuditAction.CITATION_ADJUDICATE)
    assert event.actor == editor and event.reason == "Abstract, line 3."
    assert event.data["first"] == "verified" and event.data["second"] == "unverifiable"
    signature = Signature.objects.get(meaning=SignatureMeaning.ADJUDICATED)
    assert signature.signer == editor and signature.revision_id == answer.pending_revision_id
    with pytest.raises(Blocked, match="already adjudicated"):
        double.citation_adjudicate(acting_user=editor, citation=citation, verdict="unsupported", reason="Again.")
    services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL)
    assert Answer.objects.get(pk=answer.pk).status == Status.APPROVED


def test_a_third_board_member_may_adjudicate_and_an_unsupported_final_verdict_blocks(
    first_approved, second_board_member, specialty
):
    answer = services.answer_start_review(acting_user=second_board_member, answer=first_approved)
    record_verdicts(second_board_member, answer, ["unsupported", "verified"])
    citation = answer.pending_revision.citations.get(number=1)
    double.citation_adjudicate(
        acting_user=third_member(specialty), citation=citation, verdict="unsupported", reason="No such outcome."
    )
    assert CitationAdjudication.objects.get(citation=citation).adjudicated_by.username == "tess"
    with pytest.raises(Blocked, match="Citation 1 is marked as not supporting the claim"):
        services.answer_approve(acting_user=second_board_member, answer=answer.pk, attestation=APPROVAL)


def test_the_second_reviewers_verdicts_are_their_own_and_final_once_complete(first_approved, second_board_member):
    answer = services.answer_start_review(acting_user=second_board_member, answer=first_approved)
    first, second = answer.pending_revision.citations.order_by("number")
    checks.citation_verdict_record(acting_user=second_board_member, citation=first, verdict="unverifiable")
    checks.citation_verdict_record(acting_user=second_board_member, citation=first, verdict="verified")  # changed
    checks.citation_verdict_record(acting_user=second_board_member, citation=second, verdict="verified")
    # maya's verdicts stay as she recorded them, beside daniel's.
    assert first.verdict.reviewer.username == "maya" and first.verdict.note == NOTE
    assert SecondVerdict.objects.get(citation=first, reviewer=second_board_member).verdict == "verified"
    with pytest.raises(Blocked, match="complete and final"):
        checks.citation_verdict_record(acting_user=second_board_member, citation=first, verdict="unsupported")


# -- the workspace: blind until the second reviewer's verdicts are in -----------------------------


def test_the_second_review_is_blind_in_the_workspace_until_every_citation_has_their_verdict(
    client, first_approved, second_board_member, editor
):
    url = review_url(first_approved)
    client.force_login(second_board_member)
    before_claim = client.get(url).content.decode()
    assert NOTE not in before_claim and "Maya-comment-about-dose" not in before_claim
    assert 'id="blind-notice"' in before_claim
    services.answer_start_review(acting_user=second_board_member, answer=first_approved)

    page = client.get(url)
    html = page.content.decode()
    assert NOTE not in html and "Maya-comment-about-dose" not in html
    assert page.context["audit_events"] == [] and "Verified, by" not in html
    assert all(check.verdict is None for check in page.context["checks"])
    # Nor in the audit list of the admin.
    trail = client.get(reverse("admin:editorial_auditevent_changelist") + f"?answer__id__exact={first_approved.pk}")
    trail_html = trail.content.decode()
    assert NOTE not in trail_html and "first of two approvals:" not in trail_html

    first, second = first_approved.pending_revision.citations.order_by("number")
    verdict_url = reverse("admin:answers_answer_verdict", args=[first_approved.pk, first.pk])
    fragment = client.post(verdict_url, {"verdict": "verified", "note": "Mine."}, **HTMX)
    assert fragment.status_code == 200 and NOTE not in fragment.content.decode()
    assert "Mine." in fragment.content.decode()

    last = client.post(
        reverse("admin:answers_answer_verdict", args=[first_approved.pk, second.pk]), {"verdict": "verified"}, **HTMX
    )
    assert last.headers.get("HX-Refresh") == "true"  # the blind lifts: the whole page again
    html = client.get(url).content.decode()
    assert NOTE in html and "Maya-comment-about-dose" in html and 'id="blind-notice"' not in html
    assert "first of two approvals" in html  # the audit trail is back

    client.force_login(editor)  # an editor was never blind
    assert NOTE in client.get(url).content.decode()


def test_the_first_approver_and_editors_see_the_first_review_meanwhile(client, first_approved, board_member, editor):
    for user in (board_member, editor):
        client.force_login(user)
        html = client.get(review_url(first_approved)).content.decode()
        assert NOTE in html and 'id="blind-notice"' not in html
        assert "Awaiting second review" in html


def test_the_admin_lists_adjudications_and_adjudicates_with_a_signature(
    client, first_approved, second_board_member, editor
):
    answer = services.answer_start_review(acting_user=second_board_member, answer=first_approved)
    record_verdicts(second_board_member, answer, ["unverifiable", "verified"])
    citation = answer.pending_revision.citations.get(number=1)
    url = reverse("admin:answers_answer_adjudicate", args=[answer.pk, citation.pk])
    client.force_login(editor)
    assert url in client.get(review_url(answer)).content.decode()  # the form on the disputed card
    wrong = client.post(url, {"verdict": "verified", "reason": "Abstract.", "password": "nope"})
    assert wrong.status_code == 302 and not CitationAdjudication.objects.exists()
    assert "password" in " ".join(messages_of(wrong)).lower()
    done = client.post(url, {"verdict": "verified", "reason": "Abstract.", "password": password_of(editor)})
    assert done.status_code == 302 and CitationAdjudication.objects.get().verdict == "verified"
    html = client.get(review_url(answer)).content.decode()
    assert 'id="adjudications"' in html and "Abstract." in html
    # A reviewer's forged POST is refused before any password is checked.
    client.force_login(second_board_member)
    forged = client.post(
        url, {"verdict": "unsupported", "reason": "Mine.", "password": password_of(second_board_member)}
    )
    assert "two reviewers" in " ".join(messages_of(forged))
    assert CitationAdjudication.objects.count() == 1


# -- visible everywhere: queue, desk counts, reader tracker, API ------------------------------------


def test_the_queue_and_the_desk_count_second_reviews(client, first_approved, board_member, second_board_member, editor):
    counts = {c.queue: c.count for c in selectors.desk_counts(second_board_member)}
    assert counts["second"] == 1
    assert {c.queue: c.count for c in selectors.desk_counts(board_member)}["second"] == 0  # the first approver
    assert {c.queue: c.count for c in selectors.desk_counts(editor)}["second_unassigned"] == 1
    client.force_login(second_board_member)
    listing = client.get(reverse("admin:answers_answer_changelist") + "?desk=second").content.decode()
    assert first_approved.question.text in listing and "Awaiting second review" in listing
    index = client.get(reverse("admin:index")).content.decode()
    assert "desk-second" in index


def test_the_readers_tracker_shows_the_second_review_while_pending(client, settings, first_approved):
    settings.SHOW_PENDING_ANSWERS = True
    html = client.get(first_approved.get_absolute_url()).content.decode()
    assert 'aria-current="step"' in html
    current = html.split('aria-current="step"')[1].split("</li>")[0]
    assert "Awaiting Second Review" in current


def test_the_api_says_the_drafts_own_review_awaits_a_second_review(
    api, draft_payload, board_member, second_board_member
):
    response = api.post("/api/v1/drafts/", draft_payload(risk="high"))
    assert response.status_code == 201, response.content
    draft_id, answer_id = response.json()["id"], response.json()["answer_id"]
    services.answer_start_review(acting_user=board_member, answer=answer_id)
    verify_citations(board_member, Answer.objects.get(pk=answer_id))
    services.answer_approve(acting_user=board_member, answer=answer_id, attestation=APPROVAL)
    body = api.get(f"/api/v1/drafts/{draft_id}/").json()
    assert body["status"] == "awaiting_second_review" and body["answer_status"] == "awaiting_second_review"
    assert body["publication"] == "draft" and [d["action"] for d in body["decisions"]] == ["first_approve"]
    factories.second_approval(second_board_member, Answer.objects.get(pk=answer_id))
    body = api.get(f"/api/v1/drafts/{draft_id}/").json()
    assert body["status"] == "approved" and body["publication"] == "published"


def test_the_review_pages_approve_gives_the_first_approval_and_says_so(client, high, board_member):
    answer = services.answer_start_review(acting_user=board_member, answer=high)
    verify_citations(board_member, answer)
    client.force_login(board_member)
    page = client.get(review_url(answer))
    buttons = [t.name for t in page.context["fsm_object_transitions"][0].available_transitions]
    assert "first_approve" in buttons and "approve" not in buttons
    # The form posted under the name "approve" (a stale or forged page) still takes the first approval only.
    response = client.post(
        reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": "approve"}),
        {"attest": "on", "password": password_of(board_member), "expected_status": Status.UNDER_REVIEW},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Status.AWAITING_SECOND_REVIEW and answer.live_revision is None
    assert AuditEvent.objects.filter(answer=answer, action=AuditAction.FIRST_APPROVE).count() == 1
