"""Text staff write that readers see: a board member's public profile and an editor's
retraction reason. Staff accounts can be phished; their text is escaped like drafts."""

import pytest
from django.urls import reverse

from answers.models import ReviewerProfile, Status
from editorial.review import services
from tests.xss_corpus import PAYLOADS, executable_markup, json_ld, visible_text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_board_member_s_profile_is_inert_on_the_board_and_answer_pages(client, answer_in, board_member, payload):
    # set before approving: the approval's signature (shown on the answer page) carries it too
    ReviewerProfile.objects.filter(user=board_member).update(
        display_name=payload[:200], credentials=payload[:120], bio=payload, conflict_of_interest=payload
    )
    answer = answer_in(Status.APPROVED)

    board = client.get(reverse("answers:board"))
    page = client.get(answer.get_absolute_url())

    assert board.status_code == 200 and page.status_code == 200
    assert executable_markup(board.content.decode()) == []
    assert executable_markup(page.content.decode()) == []
    ((raw, data),) = json_ld(page.content.decode())
    assert [signer["name"] for signer in data["reviewedBy"]] == [payload[:200]]
    assert "<" not in raw


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_retraction_reason_is_inert_on_the_retracted_page(client, answer_in, editor, payload):
    answer = answer_in(Status.APPROVED)
    answer = services.answer_retract(acting_user=editor, answer=answer, reason=payload)

    response = client.get(answer.get_absolute_url())

    assert response.status_code == 410
    html = response.content.decode()
    assert executable_markup(html) == []
    assert " ".join(payload.split()) in visible_text(html)
