"""The review page: the revision as readers see it, the diff, citation checks, comments, audit trail."""

import pytest
from django.urls import reverse

from answers.models import Status
from editorial.models import AuditEvent, CitationVerdict, Comment
from editorial.review import services
from tests import factories
from tests.editorial.admin.desk import messages_of, reloaded, review_url
from tests.factories import verify_citations

pytestmark = pytest.mark.django_db


def verdict_url(answer, citation) -> str:
    return reverse("admin:answers_answer_verdict", args=[answer.pk, citation.pk])


def waive_url(answer, citation) -> str:
    return reverse("admin:answers_answer_waive", args=[answer.pk, citation.pk])


def test_the_pending_revision_is_rendered_with_the_reader_includes(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.get(review_url(answer))
    html = response.content.decode()
    assert "answers/_sections.html" in [t.name for t in response.templates]
    assert "answers/_citations.html" in [t.name for t in response.templates]
    assert '<h2 id="section-from-the-guidelines-1">From the Guidelines</h2>' in html
    # The markers open the evidence cards; the reference list under the draft keeps the reader's ids.
    assert '<sup class="cite" id="cite-1-1"><a href="#citation-1" class="cite" aria-label="Reference 1"' in html
    assert '<li id="ref-2" value="2">' in html
    assert "<cite>Trial of intravenous iron</cite>" in html


def test_drafted_markup_is_not_executed_on_the_review_page(client, submit, board_member):
    answer = submit(sections=[{"heading": "<b>Guidelines</b>", "body": "<script>alert(1)</script> Oral iron [1]."}])
    client.force_login(board_member)
    html = client.get(review_url(answer)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Guidelines&lt;/b&gt;" in html


def test_a_new_revision_of_an_approved_answer_shows_its_changes_in_their_own_tab(
    client, answer_in, board_member, drafter, specialty
):
    answer = answer_in(Status.APPROVED)
    draft = factories.draft(specialty)
    draft.sections[0]["body"] = "Oral iron first, every other day [1]."
    draft.sections.append({"heading": "Adverse Events", "body": "Constipation."})
    services.draft_submit(acting_user=drafter, draft=draft)
    client.force_login(board_member)
    response = client.get(review_url(answer) + "?tab=changes")
    diff = {d.heading: d for d in response.context["diff"].sections}
    assert diff["From the Guidelines"].change == "changed"
    (row,) = diff["From the Guidelines"].rows
    assert (str(row.old), str(row.new)) == (
        "Oral iron <del>first</del> [1].",
        "Oral iron <ins>first, every other day</ins> [1].",
    )
    assert diff["Key Findings"].change == "unchanged"
    assert diff["Adverse Events"].change == "added"
    assert all(r.change == "unchanged" for r in response.context["diff"].references)
    assert '<td class="diff-new">Constipation.</td>' in response.content.decode()


def test_no_diff_without_a_live_revision(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    assert client.get(review_url(answer)).context["diff"] is None


# -- citation verdicts -----------------------------------------------------------------


def test_holder_records_a_verdict_per_citation(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=2)
    client.force_login(board_member)
    response = client.post(verdict_url(answer, citation), {"verdict": "unsupported", "note": "Reports another dose."})
    assert response["Location"] == review_url(answer) + f"#check-{citation.pk}"
    verdict = CitationVerdict.objects.get(citation=citation)
    assert (verdict.verdict, verdict.note, verdict.reviewer) == ("unsupported", "Reports another dose.", board_member)
    event = AuditEvent.objects.get(answer_id=answer.pk, action="vetted.citation.verdict")
    assert event.data == {"citation": 2, "reference": "Trial of intravenous iron, 2020", "verdict": "unsupported"}
    page = client.get(review_url(answer))
    assert "Citation 2 is marked as not supporting the claim." in page.context["blockers"]


def test_a_verdict_must_be_chosen(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    client.force_login(board_member)
    response = client.post(verdict_url(answer, citation), {"verdict": "", "note": ""})
    assert messages_of(response) == ["Verdict: This field is required."]
    assert not CitationVerdict.objects.exists()


def test_only_the_holder_records_verdicts(client, answer_in, second_board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    client.force_login(second_board_member)
    page = client.get(review_url(answer))
    assert not page.context["may_record_verdicts"] and b"verdict-form" not in page.content
    response = client.post(verdict_url(answer, citation), {"verdict": "verified"})
    assert messages_of(response) == ["Only the board member holding this review may record citation verdicts."]
    assert not CitationVerdict.objects.exists()


def test_a_citation_of_another_answer_is_not_found(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    other = answer_in(Status.UNDER_REVIEW, question="How is iron deficiency diagnosed?")
    foreign = other.pending_revision.citations.get(number=1)
    client.force_login(board_member)
    response = client.post(verdict_url(answer, foreign), {"verdict": "verified"})
    assert response.status_code == 404
    assert not CitationVerdict.objects.exists()


def test_verdict_urls_take_only_posts(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    assert client.get(verdict_url(answer, answer.pending_revision.citations.first())).status_code == 405


def test_editor_waives_an_unsupported_citation_with_a_reason(client, answer_in, board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    citation = answer.pending_revision.citations.get(number=1)
    client.force_login(board_member)
    client.post(verdict_url(answer, citation), {"verdict": "unsupported", "note": "Wrong population."})
    client.force_login(editor)
    page = client.get(review_url(answer))
    assert [c.citation.number for c in page.context["checks"] if c.blocks_approval] == [1]
    assert page.content.decode().count('class="waive-form"') == 1
    response = client.post(waive_url(answer, citation), {"reason": "Board chair confirmed the claim by phone."})
    assert messages_of(response) == ["Citation check waived."]
    event = AuditEvent.objects.get(answer_id=answer.pk, action="vetted.citation.waive")
    assert event.reason == "Board chair confirmed the claim by phone." and event.actor == editor
    assert client.get(review_url(answer)).context["blockers"] == []


def test_a_waiver_needs_a_reason(client, answer_in, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    client.force_login(editor)
    response = client.post(waive_url(answer, citation), {"reason": ""})
    assert messages_of(response) == ["Reason: This field is required."]
    assert not CitationVerdict.objects.exists()


def test_board_members_cannot_waive(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    client.force_login(board_member)
    assert b"waive-form" not in client.get(review_url(answer)).content
    response = client.post(waive_url(answer, citation), {"reason": "I am sure."})
    assert messages_of(response) == ["Only editors may waive a citation check."]
    assert not CitationVerdict.objects.exists()


# -- comments and the audit trail ---------------------------------------------------------


def test_board_members_and_editors_comment_on_the_answer(client, answer_in, board_member, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    url = reverse("admin:answers_answer_comment", args=[answer.pk])
    client.force_login(editor)
    client.post(url, {"body": "Please check the paediatric dose."})
    client.force_login(board_member)
    client.post(url, {"body": "Checked; it is the adult dose."})
    page = client.get(review_url(answer))
    assert [c.body for c in page.context["comments"]] == [
        "Please check the paediatric dose.",
        "Checked; it is the adult dose.",
    ]
    assert AuditEvent.objects.filter(answer_id=answer.pk, action="vetted.comment.add").count() == 2


def test_an_empty_comment_is_refused(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.post(reverse("admin:answers_answer_comment", args=[answer.pk]), {"body": "  "})
    assert messages_of(response) == ["Comment: This field is required."]
    assert not Comment.objects.exists()


def test_the_audit_trail_is_shown_newest_first(client, answer_in, board_member):
    answer = answer_in(Status.APPROVED)
    client.force_login(board_member)
    page = client.get(review_url(answer))
    actions = [e.action for e in page.context["audit_events"]]
    assert actions[0] == "vetted.answer.approve" and actions[-1] == "vetted.answer.submit"
    assert "Approved" in page.content.decode() and "Started review" in page.content.decode()


def test_the_full_audit_trail_link_filters_the_audit_list_to_the_answer(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    answer_in(Status.SUBMITTED, question="How is iron deficiency diagnosed?")
    client.force_login(board_member)
    url = client.get(review_url(answer)).context["audit_url"]
    listing = client.get(url)
    assert listing.status_code == 200
    assert {e.answer_id for e in listing.context["cl"].result_list} == {answer.pk}


def test_an_approved_answer_shows_its_live_revision(client, answer_in, board_member):
    answer = answer_in(Status.APPROVED)
    client.force_login(board_member)
    page = client.get(review_url(answer))
    assert page.context["shown_revision"] == reloaded(answer).live_revision
    assert "Revision 1, live" in page.content.decode()
