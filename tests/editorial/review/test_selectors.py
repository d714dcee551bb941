"""The desk queues as querysets: they agree with the rights a board member has."""

from datetime import timedelta

import pytest
from django.conf import settings

from answers import clock
from answers.models import Answer, Status
from editorial.review import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {c.queue: c.count for c in selectors.desk_counts(user)}


def test_an_answer_assigned_to_someone_else_is_not_waiting_for_me(answer_in, board_member, second_board_member, editor):
    answer = answer_in(Status.SUBMITTED)
    assert counts(board_member)["waiting"] == 1
    answer = services.answer_assign(acting_user=editor, answer=answer, reviewer=second_board_member)
    assert counts(board_member)["waiting"] == 0
    assert counts(second_board_member)["waiting"] == 1


def test_my_own_draft_is_not_waiting_for_me(answer_in, author, board_member):
    answer_in(Status.SUBMITTED, acting_user=author)
    assert counts(author)["waiting"] == 0
    assert counts(board_member)["waiting"] == 1


def test_by_default_only_holders_of_the_specialty_see_the_answer(
    answer_in, board_member, outside_board_member, settings
):
    answer_in(Status.SUBMITTED)
    assert counts(outside_board_member)["waiting"] == 0  # holds only Cardiology
    assert counts(board_member)["waiting"] == 1
    settings.REVIEW_REQUIRES_SPECIALTY = False
    assert counts(outside_board_member)["waiting"] == 1


def test_due_for_re_review_counts_content_past_its_date_even_before_the_sweep(answer_in, board_member, drafter):
    with clock.travel(clock.now() - settings.REVIEW_INTERVAL - timedelta(days=1)):
        answer = answer_in(Status.APPROVED)
    assert not answer.review_due
    assert counts(board_member)["due"] == 1


def test_the_waiting_queue_lists_every_claimable_answer_once(answer_in, board_member, specialty, drafter):
    services.draft_submit(acting_user=drafter, draft=factories.draft(specialty, question="Another question?"))
    answer_in(Status.SUBMITTED)
    assert counts(board_member)["waiting"] == 2
    assert Answer.objects.filter(selectors.DESK_QUEUES["waiting"][1](board_member)).count() == 2


def test_people_without_an_editorial_role_get_no_counts(reader, drafter):
    assert selectors.desk_counts(reader) == []
    assert selectors.desk_counts(drafter) == []
