import pytest

from tests.editorial.reports import history as worked


@pytest.fixture
def history(db, drafter, board_member, second_board_member, editor, specialty, other_specialty):
    """The hand-made week of reviews of `history.py`, whose figures the report tests check.

    daniel reviews the Cardiology answers too: he holds both specialties."""
    second_board_member.reviewer_profile.specialties.add(other_specialty)
    return worked.build(
        drafter=drafter,
        maya=board_member,
        daniel=second_board_member,
        specialty=specialty,
        other_specialty=other_specialty,
    )
