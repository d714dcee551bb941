"""The answer list as the reviewers' queue: columns, order, filters, counts, assignment and claiming."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from answers import clock
from answers.models import Status
from editorial.review import services
from tests import factories
from tests.editorial.admin.desk import messages_of, reloaded, review_url

pytestmark = pytest.mark.django_db

LIST = "/admin/answers/answer/"


def listed(client, query: str = "") -> list[int]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [a.pk for a in response.context["cl"].result_list]


def test_the_list_shows_the_queue_columns(client, answer_in, board_member):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.get(LIST)
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "question_text",
        "specialty",
        "status",
        "reviewer",
        "time_in_state",
        "next_review_due",
    ]
    html = response.content.decode()
    assert answer.question.text in html and "Hematology/Oncology" in html and "Under review" in html
    assert "In this state for" in html and "Next review due" in html


def test_answers_waiting_longest_come_first(client, answer_in, board_member):
    start = clock.now()
    with clock.travel(start - timedelta(days=30)):
        approved = answer_in(Status.APPROVED, question="Q approved long ago")
    with clock.travel(start - timedelta(days=2)):
        newer = answer_in(Status.SUBMITTED, question="Q submitted two days ago")
    with clock.travel(start - timedelta(days=5)):
        older = answer_in(Status.UNDER_REVIEW, question="Q in review for five days")
    client.force_login(board_member)
    assert listed(client) == [older.pk, newer.pk, approved.pk]


def test_filters_by_status_specialty_and_search(client, answer_in, board_member, other_specialty, drafter):
    blood = answer_in(Status.SUBMITTED)
    heart = services.draft_submit(
        acting_user=drafter, draft=factories.draft(other_specialty, question="What lowers the heart rate in AF?")
    ).answer
    client.force_login(board_member)
    assert set(listed(client, "?status__exact=submitted")) == {blood.pk, heart.pk}
    assert listed(client, f"?question__specialty__id__exact={other_specialty.pk}") == [heart.pk]
    assert listed(client, "?q=heart+rate") == [heart.pk]


def test_assigned_to_me_and_unassigned_filters(client, answer_in, board_member, editor, second_board_member):
    mine = answer_in(Status.UNDER_REVIEW)
    theirs = answer_in(Status.SUBMITTED, question="Q assigned to Daniel")
    theirs = services.answer_assign(acting_user=editor, answer=theirs, reviewer=second_board_member)
    nobody = answer_in(Status.SUBMITTED, question="Q nobody holds")
    client.force_login(board_member)
    assert listed(client, "?assigned=me") == [mine.pk]
    assert listed(client, "?assigned=nobody") == [nobody.pk]


def test_overdue_filter_finds_answers_past_the_sla_or_the_review_date(client, answer_in, board_member):
    start = clock.now()
    with clock.travel(start - settings.REVIEW_SLA_SUBMITTED - timedelta(hours=1)):
        late = answer_in(Status.SUBMITTED, question="Q waiting too long")
    with clock.travel(start - settings.REVIEW_INTERVAL - timedelta(days=2)):
        stale = answer_in(Status.APPROVED, question="Q approved over a year ago")
    answer_in(Status.SUBMITTED, question="Q just in")
    client.force_login(board_member)
    assert set(listed(client, "?overdue=yes")) == {late.pk, stale.pk}
    assert client.get(LIST).content.decode().count(" (overdue)</td>") == 2


def test_the_index_shows_each_board_member_their_own_counts(client, answer_in, board_member, second_board_member):
    answer_in(Status.SUBMITTED, question="Q waiting for anyone")
    answer_in(Status.UNDER_REVIEW, question="Q in Maya's review")
    with clock.travel(clock.now() - settings.REVIEW_INTERVAL - timedelta(days=2)):
        answer_in(Status.APPROVED, question="Q due again")
    client.force_login(board_member)
    html = client.get("/admin/").content.decode()
    assert _count(html, "waiting") == 1 and _count(html, "in_review") == 1 and _count(html, "due") == 1
    client.force_login(second_board_member)
    html = client.get("/admin/").content.decode()
    assert _count(html, "waiting") == 1 and _count(html, "in_review") == 0 and _count(html, "due") == 1


def _count(html: str, queue: str) -> int:
    row = html[html.index(f'<tr class="desk-{queue}">') :]
    cell = row[row.index('<td class="desk-count">') + len('<td class="desk-count">') :]
    return int(cell[: cell.index("<")])


def test_the_index_counts_link_to_the_matching_queue(client, answer_in, board_member):
    waiting = answer_in(Status.SUBMITTED, question="Q waiting")
    answer_in(Status.UNDER_REVIEW, question="Q in review")
    client.force_login(board_member)
    assert 'href="/admin/answers/answer/?desk=waiting"' in client.get("/admin/").content.decode()
    assert listed(client, "?desk=waiting") == [waiting.pk]


def test_editors_see_unassigned_and_overdue_counts(client, answer_in, editor):
    answer_in(Status.SUBMITTED)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert _count(html, "unassigned") == 1 and _count(html, "overdue") == 0
    assert 'class="desk-waiting"' not in html


def test_no_desk_for_staff_without_a_role(client, db):
    client.force_login(factories.user("sam"))
    assert 'id="my-desk"' not in client.get("/admin/").content.decode()


# -- actions ---------------------------------------------------------------------------


def test_actions_follow_the_role(client, board_member, editor):
    client.force_login(board_member)
    choices = dict(client.get(LIST).context["action_form"].fields["action"].choices)
    assert "start_review_selected" in choices and "assign_reviewer" not in choices
    client.force_login(editor)
    choices = dict(client.get(LIST).context["action_form"].fields["action"].choices)
    assert "assign_reviewer" in choices and "start_review_selected" not in choices


def test_editor_assigns_a_reviewer_to_several_answers(client, answer_in, editor, board_member, second_board_member):
    first = answer_in(Status.SUBMITTED, question="Q one")
    second = answer_in(Status.SUBMITTED, question="Q two")
    approved = answer_in(Status.APPROVED, question="Q three")
    client.force_login(editor)
    selection = {"action": "assign_reviewer", "_selected_action": [first.pk, second.pk, approved.pk]}
    form_page = client.post(LIST, selection)
    assert form_page.status_code == 200 and b"Assign one board member to the 3 selected answers" in form_page.content
    response = client.post(LIST, {**selection, "apply": "1", "reviewer": second_board_member.pk})
    assert reloaded(first).reviewer == reloaded(second).reviewer == second_board_member
    assert reloaded(approved).reviewer == board_member  # unchanged: it was refused
    assert messages_of(response) == [
        "Assigned daniel to 2 answer(s).",
        "Q three: Cannot assign a reviewer: the answer is approved.",
    ]


def test_assigning_needs_a_reviewer(client, answer_in, editor):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(editor)
    response = client.post(LIST, {"action": "assign_reviewer", "_selected_action": [answer.pk], "apply": "1"})
    assert response.status_code == 200 and response.context["form"].errors["reviewer"]
    assert reloaded(answer).reviewer is None


def test_editor_assigns_a_reviewer_from_the_review_page(client, answer_in, editor, second_board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(editor)
    assert client.get(review_url(answer)).context["assign_form"] is not None
    response = client.post(
        reverse("admin:answers_answer_assign", args=[answer.pk]), {"reviewer": second_board_member.pk}
    )
    assert messages_of(response) == ["Reviewer assigned."]
    assert reloaded(answer).reviewer == second_board_member


def test_assigning_the_author_is_refused(client, answer_in, editor, author):
    answer = answer_in(Status.SUBMITTED, acting_user=author)
    client.force_login(editor)
    response = client.post(reverse("admin:answers_answer_assign", args=[answer.pk]), {"reviewer": author.pk})
    assert messages_of(response) == ["arthur wrote this revision; another board member must review it."]
    assert reloaded(answer).reviewer is None


def test_board_members_cannot_assign(client, answer_in, board_member, second_board_member):
    answer = answer_in(Status.SUBMITTED)
    client.force_login(board_member)
    assert client.get(review_url(answer)).context["assign_form"] is None
    response = client.post(
        reverse("admin:answers_answer_assign", args=[answer.pk]), {"reviewer": second_board_member.pk}
    )
    assert messages_of(response) == ["Only editors may assign reviewers."]
    assert reloaded(answer).reviewer is None


def test_board_member_claims_answers_from_the_queue(client, answer_in, board_member, author):
    first = answer_in(Status.SUBMITTED, question="Q one")
    own = answer_in(Status.SUBMITTED, question="Q by the author", acting_user=author)
    client.force_login(author)
    response = client.post(LIST, {"action": "start_review_selected", "_selected_action": [first.pk, own.pk]})
    assert reloaded(first).status == Status.UNDER_REVIEW and reloaded(first).reviewer == author
    assert reloaded(own).status == Status.SUBMITTED
    assert messages_of(response) == [
        "Started review of 1 answer(s).",
        "Q by the author: You wrote this revision; another board member must review it.",
    ]
