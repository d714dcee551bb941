"""The reader pages claim the specialty rule only as it is configured, and name the
reviewer's specialty beside their name."""

from django.urls import reverse

from answers.models import ReviewerProfile
from tests import factories

CLAIM = "whose members review only within their specialties"
BOARD_CLAIM = "Members review only within their specialties and never review a draft they wrote."
BOARD_WITHOUT = "Members never review a draft they wrote."
POLICY_CLAIM = "a board member, qualified in the answer's specialty, checks"
REVIEWED_BY = (
    'Reviewed by</dt> <dd><a href="/medical-advisory-board/#maya-chen">Dr. Maya Chen, MD, FACP</a>'
    ' <span class="reviewer-specialty">({})</span></dd>'
)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_by_default_the_board_and_the_policy_state_the_rule(client, board_member):
    board = _page(client, reverse("answers:board"))
    assert BOARD_CLAIM in board
    assert POLICY_CLAIM in _page(client, reverse("answers:editorial_policy"))


def test_with_the_rule_off_the_board_and_the_policy_do_not_claim_it(client, board_member, settings):
    settings.REVIEW_REQUIRES_SPECIALTY = False
    board = _page(client, reverse("answers:board"))
    assert BOARD_WITHOUT in board and "within their specialties" not in board
    policy = _page(client, reverse("answers:editorial_policy"))
    assert "a board member checks each citation" in policy and "qualified in" not in policy


def test_by_default_the_answer_page_states_the_rule_and_the_reviewers_specialty(client, approved):
    html = _page(client, approved().get_absolute_url())
    assert CLAIM in html
    assert REVIEWED_BY.format("Hematology/Oncology") in html


def test_the_answer_page_follows_the_setting_even_from_its_cache(client, approved, settings):
    url = approved().get_absolute_url()
    assert CLAIM in _page(client, url)  # cached now
    settings.REVIEW_REQUIRES_SPECIALTY = False
    html = _page(client, url)
    assert "All articles are reviewed for accuracy by our Medical Advisory Board</span>" in html
    assert "within their specialties" not in html
    assert REVIEWED_BY.format("Hematology/Oncology") in html  # a fact about the reviewer, whatever the rule


def test_a_reviewer_outside_the_answers_specialty_is_shown_with_the_specialties_they_hold(
    client, approved, board_member, other_specialty, settings
):
    settings.REVIEW_REQUIRES_SPECIALTY = False  # approvals made while the rule was off
    profile = ReviewerProfile.objects.get(user=board_member)
    answer = approved()
    profile.specialties.set([other_specialty, factories.specialty("Neurology", "neurology")])
    html = _page(client, answer.get_absolute_url())
    assert REVIEWED_BY.format("Cardiology, Neurology") in html
    assert REVIEWED_BY.format("Hematology/Oncology") not in html
    # the approval's signature keeps the specialties the signer held when signing
    assert "Dr. Maya Chen, MD, FACP (Hematology/Oncology) on" in html


def test_a_reviewer_holding_no_specialty_is_shown_without_one(client, approved, board_member):
    answer = approved()
    ReviewerProfile.objects.get(user=board_member).specialties.clear()
    html = _page(client, answer.get_absolute_url())
    assert "Dr. Maya Chen, MD, FACP</a></dd>" in html
    assert "reviewer-specialty" not in html
