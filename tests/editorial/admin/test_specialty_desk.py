"""The desk under the specialty rule (on by default): what waits for whom, the counts,
Start review, and whom the assign lists offer, with each member's open reviews."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers import clock
from answers.models import SourceKind, Status
from editorial.access import roles
from editorial.review import services
from tests import factories
from tests.editorial.admin.desk import messages_of, reloaded, review_url

pytestmark = pytest.mark.django_db

LIST = "/admin/answers/answer/"
REFUSED = (
    "This answer is in Hematology/Oncology, a specialty your reviewer profile does not list: "
    "board members review only within their specialties."
)


@pytest.fixture
def cardiology(drafter, other_specialty):
    return factories.submitted(by=drafter, specialty=other_specialty, question="Q cardiology")


def listed(client, query: str = "") -> list[int]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [a.pk for a in response.context["cl"].result_list]


def desk(client) -> dict[str, int]:
    """The board member's counts on the admin index, as shown."""
    html = client.get("/admin/").content.decode()
    counts = {}
    for queue in ("waiting", "in_review", "due"):
        row = html[html.index(f'<tr class="desk-{queue}">') :]
        cell = row[row.index('<td class="desk-count">') + len('<td class="desk-count">') :]
        counts[queue] = int(cell[: cell.index("<")])
    return counts


def offered(form) -> list[str]:
    """The assign form's choices as the editor reads them."""
    return [label for value, label in form.fields["reviewer"].choices if value != ""]


# -- waiting for me, the counts, Start review --------------------------------------------


def test_waiting_for_me_and_the_counts_hold_only_my_specialties(
    client, answer_in, cardiology, board_member, outside_board_member
):
    hematology = answer_in(Status.SUBMITTED, question="Q hematology")
    with clock.travel(clock.now() - settings.REVIEW_INTERVAL - timedelta(days=2)):
        answer_in(Status.APPROVED, question="Q hematology due again")

    client.force_login(outside_board_member)
    assert listed(client, "?desk=waiting") == [cardiology.pk]
    assert listed(client, "?desk=due") == []
    assert desk(client) == {"waiting": 1, "in_review": 0, "due": 0}

    client.force_login(board_member)
    assert listed(client, "?desk=waiting") == [hematology.pk]
    assert desk(client) == {"waiting": 1, "in_review": 0, "due": 1}


def test_with_the_rule_off_waiting_for_me_holds_every_specialty(
    client, answer_in, cardiology, outside_board_member, settings
):
    settings.REVIEW_REQUIRES_SPECIALTY = False
    hematology = answer_in(Status.SUBMITTED, question="Q hematology")
    client.force_login(outside_board_member)
    assert sorted(listed(client, "?desk=waiting")) == sorted([hematology.pk, cardiology.pk])
    assert desk(client)["waiting"] == 2


def test_start_review_of_another_specialty_is_refused_saying_why(client, answer_in, cardiology, outside_board_member):
    hematology = answer_in(Status.SUBMITTED, question="Q hematology")
    client.force_login(outside_board_member)
    response = client.post(
        LIST, {"action": "start_review_selected", "_selected_action": [hematology.pk, cardiology.pk]}
    )
    assert messages_of(response) == ["Started review of 1 answer(s).", f"Q hematology: {REFUSED}"]
    assert reloaded(cardiology).status == Status.UNDER_REVIEW
    assert (reloaded(hematology).status, reloaded(hematology).reviewer) == (Status.SUBMITTED, None)


# -- the assign lists ------------------------------------------------------------------------


def test_the_assign_list_offers_only_eligible_members_with_their_open_reviews(
    client, answer_in, editor, board_member, second_board_member, outside_board_member, author
):
    answer_in(Status.UNDER_REVIEW, question="Q in maya's review")
    assigned = answer_in(Status.SUBMITTED, question="Q assigned to maya")
    services.answer_assign(acting_user=editor, answer=assigned, reviewer=board_member)
    answer_in(Status.APPROVED, question="Q maya approved")  # closed: not counted
    by_hand = answer_in(Status.SUBMITTED, question="Q by hand", acting_user=author, source_kind=SourceKind.HUMAN)
    client.force_login(editor)

    page = client.post(LIST, {"action": "assign_reviewer", "_selected_action": [by_hand.pk]})
    assert offered(page.context["form"]) == [
        "Dr. Daniel Okafor, MD, PhD (daniel): 0 open reviews",
        "Dr. Maya Chen, MD, FACP (maya): 2 open reviews",
    ]  # not omar (Cardiology only), not arthur (he wrote it)
    assert "members whose profile lists\nHematology/Oncology," in page.content.decode()

    review_page = client.get(review_url(by_hand))
    assert offered(review_page.context["assign_form"]) == offered(page.context["form"])


def test_answers_of_two_specialties_are_offered_to_members_holding_both(
    client, answer_in, cardiology, editor, board_member, second_board_member, outside_board_member, other_specialty
):
    hematology = answer_in(Status.SUBMITTED, question="Q hematology")
    selection = {"action": "assign_reviewer", "_selected_action": [hematology.pk, cardiology.pk]}
    client.force_login(editor)

    page = client.post(LIST, selection)
    assert offered(page.context["form"]) == []
    assert "No board member may review all of the selected answers." in page.content.decode()
    assert "Select answers of one specialty at a time." in page.content.decode()

    second_board_member.reviewer_profile.specialties.add(other_specialty)
    page = client.post(LIST, selection)
    assert offered(page.context["form"]) == ["Dr. Daniel Okafor, MD, PhD (daniel): 0 open reviews"]


def test_a_member_chosen_from_a_stale_list_is_refused_saying_why(client, answer_in, editor, outside_board_member):
    answer = answer_in(Status.SUBMITTED, question="Q hematology")
    client.force_login(editor)
    response = client.post(
        LIST,
        {
            "action": "assign_reviewer",
            "_selected_action": [answer.pk],
            "apply": "1",
            "reviewer": outside_board_member.pk,
        },
    )
    assert messages_of(response) == [
        "Q hematology: omar does not hold Hematology/Oncology, this answer's specialty: "
        "board members review only within their specialties."
    ]
    response = client.post(
        reverse("admin:answers_answer_assign", args=[answer.pk]), {"reviewer": outside_board_member.pk}
    )
    assert messages_of(response)[-1].startswith("omar does not hold Hematology/Oncology")
    assert reloaded(answer).reviewer is None


def test_a_refused_assign_form_lists_the_eligible_members_again(client, answer_in, editor, board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(editor)
    response = client.post(LIST, {"action": "assign_reviewer", "_selected_action": [answer.pk], "apply": "1"})
    assert response.context["form"].errors["reviewer"]
    assert offered(response.context["form"]) == ["Dr. Maya Chen, MD, FACP (maya): 0 open reviews"]


def test_with_the_rule_off_the_assign_list_offers_the_whole_board(
    client, answer_in, editor, board_member, outside_board_member, settings
):
    settings.REVIEW_REQUIRES_SPECIALTY = False
    answer = answer_in(Status.SUBMITTED)
    client.force_login(editor)
    page = client.post(LIST, {"action": "assign_reviewer", "_selected_action": [answer.pk]})
    assert offered(page.context["form"]) == [
        "Dr. Maya Chen, MD, FACP (maya): 0 open reviews",
        "Dr. Omar Haddad, MD (omar): 0 open reviews",
    ]
    assert "members whose profile lists" not in page.content.decode()


def _members(start: int, count: int, specialty) -> None:
    """Board members holding the specialty, each with one answer in their review."""
    for i in range(start, start + count):
        member = factories.user(f"member{i}", roles.BOARD)
        factories.reviewer_profile(member, display_name=f"Dr. Member {i}", slug=f"member-{i}", specialties=[specialty])


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code == 200
    return len(captured)


def test_the_assign_lists_cost_the_same_queries_for_2_members_and_22(
    client, answer_in, submit, editor, board_member, specialty
):
    answers = [answer_in(Status.SUBMITTED, question=f"Q {i}") for i in range(3)]
    selection = {"action": "assign_reviewer", "_selected_action": [a.pk for a in answers]}
    client.force_login(editor)
    _members(0, 1, specialty)
    client.get(review_url(answers[0]))  # the session's first page warms its caches
    few = (_queries(client, "post", LIST, selection), _queries(client, "get", review_url(answers[0])))

    _members(1, 20, specialty)
    for i, answer in enumerate(answers):  # open reviews to count
        services.answer_assign(
            acting_user=editor, answer=answer, reviewer=factories.User.objects.get(username=f"member{i}")
        )
    many = (_queries(client, "post", LIST, selection), _queries(client, "get", review_url(answers[0])))
    assert many == few
    assert len(offered(client.post(LIST, selection).context["form"])) == 22
