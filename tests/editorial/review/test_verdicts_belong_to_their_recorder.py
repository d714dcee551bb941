"""Issue 13, item 17: a verdict belongs to the board member who recorded it.

After a reassignment the new holder approves only on verdicts they recorded
(or confirmed) themselves; editors' waivers never cover every citation, so an
approval always rests on at least one board verdict.
"""

import pytest
from django.urls import reverse

from answers.models import Status
from editorial.errors import Blocked, ReviewError
from editorial.models import AuditEvent, CitationVerdict
from editorial.review import checks, services
from tests.editorial.admin.desk import messages_of, reloaded, review_url
from tests.factories import APPROVAL, verify_citations

pytestmark = pytest.mark.django_db


@pytest.fixture
def reassigned(answer_in, board_member, second_board_member, editor):
    """Under review by board_member, every citation verified by them, then handed to second_board_member."""
    answer = answer_in(Status.UNDER_REVIEW)
    verify_citations(board_member, answer)
    return services.answer_assign(acting_user=editor, answer=answer.pk, reviewer=second_board_member)


def test_the_new_holder_cannot_approve_on_the_previous_holders_verdicts(reassigned, second_board_member):
    assert checks.approval_blockers(reassigned) == [
        "Citation 1 was checked by maya; confirm or re-record it.",
        "Citation 2 was checked by maya; confirm or re-record it.",
    ]
    with pytest.raises(Blocked, match="Citation 1 was checked by maya"):
        services.answer_approve(acting_user=second_board_member, answer=reassigned.pk, attestation=APPROVAL)
    assert reloaded(reassigned).status == Status.UNDER_REVIEW


def test_re_recording_the_same_verdict_confirms_it(reassigned, second_board_member):
    citations = list(reassigned.pending_revision.citations.order_by("number"))
    checks.citation_verdict_record(acting_user=second_board_member, citation=citations[0], verdict="verified")
    assert checks.approval_blockers(reloaded(reassigned)) == [
        "Citation 2 was checked by maya; confirm or re-record it."
    ]
    checks.citation_verdict_record(acting_user=second_board_member, citation=citations[1], verdict="verified")
    approved = services.answer_approve(acting_user=second_board_member, answer=reassigned.pk, attestation=APPROVAL)
    assert approved.status == Status.APPROVED


def test_the_review_page_shows_the_inherited_verdicts_as_blocking(client, reassigned, second_board_member):
    client.force_login(second_board_member)
    page = client.get(review_url(reassigned))
    assert [c.citation.number for c in page.context["checks"] if c.blocks_approval] == [1, 2]
    assert "Citation 1 was checked by maya; confirm or re-record it." in page.context["blockers"]


def test_a_waiver_still_covers_a_previous_holders_verdict(reassigned, second_board_member, editor):
    first, second = reassigned.pending_revision.citations.order_by("number")
    checks.citation_verdict_waive(acting_user=editor, citation=first, reason="Checked by the board chair.")
    checks.citation_verdict_record(acting_user=second_board_member, citation=second, verdict="verified")
    assert checks.approval_blockers(reloaded(reassigned)) == []


def test_the_last_unwaived_citation_cannot_be_waived(answer_in, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    first, second = answer.pending_revision.citations.order_by("number")
    checks.citation_verdict_waive(acting_user=editor, citation=first, reason="Checked by phone.")
    events = AuditEvent.objects.count()
    with pytest.raises(ReviewError, match="Citation 2 is the last citation not waived"):
        checks.citation_verdict_waive(acting_user=editor, citation=second, reason="Also fine.")
    assert not CitationVerdict.objects.filter(citation=second).exists()
    assert AuditEvent.objects.count() == events
    # Waiving the same citation again (a new reason) is still allowed.
    checks.citation_verdict_waive(acting_user=editor, citation=first, reason="Checked by phone, twice.")


def test_the_review_page_refuses_the_last_waiver_clearly(client, answer_in, editor):
    answer = answer_in(Status.UNDER_REVIEW)
    first, second = answer.pending_revision.citations.order_by("number")
    client.force_login(editor)
    waive = "admin:answers_answer_waive"
    first_response = client.post(reverse(waive, args=[answer.pk, first.pk]), {"reason": "Checked by phone."})
    assert messages_of(first_response) == ["Citation check waived."]
    response = client.post(reverse(waive, args=[answer.pk, second.pk]), {"reason": "Also fine."})
    assert messages_of(response)[-1:] == [
        "Citation 2 is the last citation not waived: a board member must check it; it cannot be waived."
    ]
    page = client.get(review_url(answer))
    assert page.content.decode().count('class="waive-form"') == 0  # neither the waived one nor the last
