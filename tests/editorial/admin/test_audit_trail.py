"""The audit trail as the admin shows it: sentences (`editorial.audit.describe`), the
question rather than an answer id, states as people say them, user text escaped, and a
fixed number of queries whatever the number of events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers.models import Status
from editorial.audit.describe import describe
from editorial.models import AuditAction, AuditEvent
from editorial.review import checks, services
from tests import factories
from tests.editorial.admin.desk import review_url
from tests.factories import APPROVAL, verify_citations
from tests.xss_corpus import executable_markup, visible_text

pytestmark = pytest.mark.django_db

AUDIT_LIST = "/admin/editorial/auditevent/"
QUESTION = "What is the first-line treatment for iron deficiency anaemia?"


def _changes_requested(answer_in, board_member, reason="Give the dose in mg/kg."):
    answer = answer_in(Status.UNDER_REVIEW)
    citation = answer.pending_revision.citations.get(number=1)
    checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="unsupported", note="Wrong.")
    return services.answer_request_changes(acting_user=board_member, answer=answer, reason=reason)


def test_the_audit_list_reads_as_sentences_naming_the_question(client, answer_in, board_member, editor):
    answer = _changes_requested(answer_in, board_member)
    client.force_login(editor)

    response = client.get(AUDIT_LIST)

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for sentence in (
        "Requested changes: Give the dose in mg/kg.",
        "Citation 1 (Guideline on iron deficiency, 2021): does not support the claim: Wrong.",
        "Started review",
        "Submitted revision 1, drafted by medrafter 1.0",
    ):
        assert sentence in text
    assert "Under review → Changes requested" in text and "New → Submitted" in text
    assert "under_review" not in text and "vetted." not in text
    # The question names the answer, linked to its review page.
    assert f'<a href="{review_url(answer)}">{QUESTION}</a>' in response.content.decode()
    assert [c["text"] for c in response.context["result_headers"]] == [
        "When",
        "What happened",
        "Who",
        "Question",
        "State",
    ]


def test_an_audit_event_page_leads_with_its_sentence(client, answer_in, board_member, editor):
    answer = _changes_requested(answer_in, board_member)
    event = AuditEvent.objects.get(answer_id=answer.pk, action=AuditAction.REQUEST_CHANGES)
    client.force_login(editor)

    response = client.get(reverse("admin:editorial_auditevent_change", args=[event.pk]))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert text.index("What happened: Requested changes: Give the dose in mg/kg.") < text.index("Hash:")
    assert "State: Under review → Changes requested" in text
    assert "Requested changes by maya" in text  # the title, not the action code
    assert "vetted.answer.request_changes by" not in text


def test_the_review_page_trail_reads_as_sentences(client, answer_in, board_member):
    answer = _changes_requested(answer_in, board_member)
    client.force_login(board_member)

    response = client.get(review_url(answer))

    html = response.content.decode()
    trail = visible_text(html[html.index('id="audit-trail"') :])
    assert "Requested changes: Give the dose in mg/kg." in trail
    assert "Citation 1 (Guideline on iron deficiency, 2021): does not support the claim: Wrong." in trail
    assert "Under review → Changes requested" in trail
    assert "under_review" not in trail and "Recorded a citation verdict" not in trail


@pytest.mark.parametrize(
    "payload", ["<img src=x onerror=alert(1)>", "</td></tr><script>alert(1)</script>", '"><svg onload=alert(1)>']
)
def test_user_text_in_a_sentence_is_escaped_on_every_trail(client, answer_in, board_member, editor, payload):
    """Reasons, notes and comments are what people typed: shown as text in the list, the event page and
    the review page (the end-to-end walk, tests/security/test_xss_end_to_end.py, takes them further)."""
    answer = _changes_requested(answer_in, board_member, reason=f"Reason {payload}")
    checks.comment_add(acting_user=editor, answer=answer, body=f"Comment {payload}")
    client.force_login(editor)
    event = AuditEvent.objects.get(answer_id=answer.pk, action=AuditAction.REQUEST_CHANGES)

    for url in (AUDIT_LIST, reverse("admin:editorial_auditevent_change", args=[event.pk]), review_url(answer)):
        html = client.get(url).content.decode()
        assert executable_markup(html) == [], url
        assert f"Requested changes: Reason {payload}" in visible_text(html), url
    assert f"Commented: Comment {payload}" in visible_text(client.get(AUDIT_LIST).content.decode())


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _more_events(answer_in, board_member, answers: int, verdicts: int) -> None:
    """More answers (each a question of its own) and many verdict events on the last."""
    for n in range(answers):
        answer = answer_in(Status.UNDER_REVIEW, question=f"Question number {n} about iron?")
    citation = answer.pending_revision.citations.get(number=1)
    for n in range(verdicts):
        checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified", note=f"{n}")


def test_the_audit_list_costs_the_same_queries_for_few_events_and_many(
    client, answer_in, board_member, editor, django_assert_max_num_queries
):
    answer_in(Status.UNDER_REVIEW)
    client.force_login(editor)
    client.get(AUDIT_LIST)  # warm the session and the content types
    few_events = AuditEvent.objects.count()
    few = _queries(client, AUDIT_LIST)

    _more_events(answer_in, board_member, answers=5, verdicts=40)
    assert AuditEvent.objects.count() >= few_events + 50
    with django_assert_max_num_queries(few):
        response = client.get(AUDIT_LIST)
    assert len(response.context["cl"].result_list) >= 50
    assert "Question number 4 about iron?" in response.content.decode()


def _approve_and_resubmit(answer, *, times: int, drafter, specialty, board_member):
    """Approve the pending revision and submit the next one, `times` over: events naming their revisions."""
    for _ in range(times):
        verify_citations(board_member, answer)
        services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
        factories.submitted(by=drafter, specialty=specialty)
        answer = services.answer_start_review(acting_user=board_member, answer=answer)
    return answer


def test_the_review_page_trail_costs_the_same_queries_for_few_events_and_many(
    client, answer_in, drafter, specialty, board_member, django_assert_max_num_queries
):
    people = {"drafter": drafter, "specialty": specialty, "board_member": board_member}
    answer = _approve_and_resubmit(answer_in(Status.UNDER_REVIEW), times=1, **people)
    client.force_login(board_member)
    client.get(review_url(answer))
    few = _queries(client, review_url(answer))

    answer = _approve_and_resubmit(answer, times=8, **people)
    with django_assert_max_num_queries(few):
        response = client.get(review_url(answer))
    sentences = [describe(event) for event in response.context["audit_events"]]
    assert len(sentences) > 40
    assert "Approved revision 8" in sentences and "Submitted revision 10, drafted by medrafter 1.0" in sentences
