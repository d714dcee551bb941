"""The specialty rule, on by default, in its three forms: they agree.

`rights.may_review` decides one (user, answer); `rights.reviewable_by_q` filters
answers (the desk's queues and counts) and `rights.may_review_q` filters users
(the assign list, through `selectors.eligible_reviewers`). Each pair is checked
over every user and every answer, with the setting on and off.
"""

import pytest
from django.contrib.auth import get_user_model

from answers.models import Answer, SourceKind, Status
from editorial.access import rights, roles
from editorial.review import selectors
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    answer_in, submit, drafter, board_member, second_board_member, outside_board_member, author, editor, reader,
    other_specialty,
):  # fmt: skip
    inactive = factories.user("ines", roles.BOARD)
    factories.reviewer_profile(inactive, display_name="Dr. Ines", slug="ines", specialties=[other_specialty])
    inactive.is_active = False
    inactive.save()
    no_profile = factories.user("nadia", roles.BOARD)
    answers = [
        answer_in(Status.SUBMITTED, question="Hematology by the drafting system?"),
        answer_in(Status.SUBMITTED, question="Hematology by hand?", acting_user=author, source_kind=SourceKind.HUMAN),
        answer_in(Status.UNDER_REVIEW, question="Hematology in review?"),
        factories.submitted(by=drafter, specialty=other_specialty, question="Cardiology?"),
    ]
    users = [board_member, second_board_member, outside_board_member, author, editor, reader, inactive, no_profile]
    return users, [Answer.objects.select_related("question", "pending_revision").get(pk=a.pk) for a in answers]


def _fresh(user):
    """A user as a request loads it: nothing cached on the object."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("rule", [True, False], ids=["rule on", "rule off"])
def test_the_answer_filter_and_the_per_object_check_agree(world, settings, rule):
    settings.REVIEW_REQUIRES_SPECIALTY = rule
    users, answers = world
    for user in users:
        per_object = {a.pk for a in answers if rights.may_review(_fresh(user), a)}
        filtered = set(Answer.objects.filter(rights.reviewable_by_q(_fresh(user))).values_list("pk", flat=True))
        assert filtered == per_object, user.username


@pytest.mark.parametrize("rule", [True, False], ids=["rule on", "rule off"])
def test_the_reviewer_filter_and_the_per_object_check_agree(world, settings, rule):
    settings.REVIEW_REQUIRES_SPECIALTY = rule
    users, answers = world
    for answer in answers:
        per_object = {u.pk for u in users if rights.may_review(_fresh(u), answer)}
        assert {u.pk for u in selectors.eligible_reviewers_of(answer)} == per_object, answer.question.text
        one = Answer.objects.filter(pk=answer.pk)
        assert {u.pk for u in selectors.eligible_reviewers(one)} == per_object, answer.question.text
    # Several answers: those who may review every one of them.
    everyone = {u.pk for u in users if all(rights.may_review(_fresh(u), a) for a in answers)}
    assert {u.pk for u in selectors.eligible_reviewers(Answer.objects.all())} == everyone


def test_the_rule_is_on_by_default_and_splits_the_board_by_specialty(world):
    users, answers = world
    maya, daniel, omar, arthur = users[:4]
    hematology, by_hand, _, cardiology = answers
    assert {u.username for u in selectors.eligible_reviewers_of(hematology)} == {"maya", "daniel", "arthur"}
    assert {u.username for u in selectors.eligible_reviewers_of(by_hand)} == {"maya", "daniel"}  # not its author
    assert {u.username for u in selectors.eligible_reviewers_of(cardiology)} == {"omar"}
    assert not rights.may_review(_fresh(omar), hematology)
    assert not rights.may_review(_fresh(maya), cardiology)


def test_a_specialty_added_to_a_profile_counts_from_the_next_request(world, other_specialty):
    users, answers = world
    maya, cardiology = users[0], answers[3]
    assert not rights.may_review(_fresh(maya), cardiology)
    maya.reviewer_profile.specialties.add(other_specialty)
    assert rights.may_review(_fresh(maya), cardiology)
    assert cardiology in Answer.objects.filter(rights.reviewable_by_q(_fresh(maya)))
