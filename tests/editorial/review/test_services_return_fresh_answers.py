"""Every service takes an id or an instance, returns the answer as saved, and
leaves the caller's object as it was."""

import pytest

from answers.models import Answer, Status
from editorial.review import services

pytestmark = pytest.mark.django_db


def test_a_decision_returns_a_fresh_answer_and_leaves_the_callers_object_alone(submit, board_member):
    mine = submit()
    returned = services.answer_start_review(acting_user=board_member, answer=mine)
    assert returned is not mine
    assert (returned.status, returned.reviewer_id) == (Status.UNDER_REVIEW, board_member.pk)
    assert (mine.status, mine.reviewer_id) == (Status.SUBMITTED, None)


def test_a_decision_takes_an_id_as_well_as_an_instance(submit, board_member):
    answer_id = submit().pk
    returned = services.answer_start_review(acting_user=board_member, answer=answer_id)
    assert isinstance(returned, Answer) and returned.pk == answer_id
    assert Answer.objects.get(pk=answer_id).status == Status.UNDER_REVIEW


def test_assigning_a_reviewer_returns_a_fresh_answer_too(submit, editor, board_member):
    mine = submit()
    returned = services.answer_assign(acting_user=editor, answer=mine, reviewer=board_member)
    assert returned.reviewer_id == board_member.pk and mine.reviewer_id is None
