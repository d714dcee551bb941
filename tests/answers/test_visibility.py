"""Which content a reader sees, in every state, with and without SHOW_PENDING_ANSWERS."""

import re
from datetime import timedelta

import pytest

from answers import clock
from answers.models import Status
from editorial.review import services
from tests.factories import APPROVAL, at

PENDING_WARNING = "Educational purpose only • Exercise caution as content is pending human review"


def _current_step(html: str) -> str:
    return re.search(r'aria-current="step">.*?<span class="step-label">([^<]+)<', html, re.S).group(1)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED])
def test_pending_answer_is_not_public_by_default(client, answer_in, status):
    answer = answer_in(status)
    assert client.get(answer.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "status, step",
    [
        (Status.SUBMITTED, "Submitted"),
        (Status.UNDER_REVIEW, "Under Review"),
        (Status.CHANGES_REQUESTED, "Under Review"),
    ],
)
def test_pending_answer_is_shown_with_a_warning_when_the_setting_is_on(client, settings, answer_in, status, step):
    settings.SHOW_PENDING_ANSWERS = True
    answer = answer_in(status)
    response = client.get(answer.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert PENDING_WARNING in html
    assert _current_step(html) == step
    assert "Oral iron first" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Reviewed by" not in html
    assert '"reviewedBy"' not in html


def test_pending_answer_stays_out_of_listing_search_and_sitemap(client, settings, answer_in):
    settings.SHOW_PENDING_ANSWERS = True
    answer = answer_in(Status.UNDER_REVIEW)
    assert client.get(answer.get_absolute_url()).status_code == 200
    assert answer.question.text not in client.get("/answers/").content.decode()
    assert answer.question.text not in client.get("/answers/", {"q": "iron"}).content.decode()
    assert answer.question.slug not in client.get("/sitemap.xml").content.decode()


def test_approved_answer_is_public_without_the_pending_warning(client, settings, approved):
    settings.SHOW_PENDING_ANSWERS = True
    with clock.travel(at("2025-06-01")):  # approved 2025-03-24, not yet due for re-review
        html = client.get(approved().get_absolute_url()).content.decode()
    assert PENDING_WARNING not in html
    assert _current_step(html) == "Approved"


@pytest.mark.parametrize("show_pending", [False, True])
def test_rejected_answer_is_never_shown(client, settings, answer_in, show_pending):
    settings.SHOW_PENDING_ANSWERS = show_pending
    answer = answer_in(Status.REJECTED)
    assert client.get(answer.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("show_pending", [False, True])
def test_retracted_answer_is_gone_with_a_notice_and_its_date(client, settings, answer_in, show_pending):
    settings.SHOW_PENDING_ANSWERS = show_pending
    with clock.travel(at("2025-06-02")):
        answer = answer_in(Status.RETRACTED)
    response = client.get(answer.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 410
    assert "This answer was retracted" in html
    assert "June 2, 2025" in html
    assert "Guideline changed." in html
    assert "Oral iron first" not in html
    assert answer.question.text not in client.get("/answers/").content.decode()


def test_review_overdue_note_appears_only_after_the_grace_period(client, settings, approved):
    settings.REVIEW_OVERDUE_GRACE = timedelta(days=30)
    answer = approved("2025-03-24")  # next review due 2026-03-24
    url = answer.get_absolute_url()
    with clock.travel(at("2026-04-23")):
        assert "Review overdue" not in client.get(url).content.decode()
    with clock.travel(at("2026-04-24")):
        html = client.get(url).content.decode()
    assert "Review overdue" in html
    assert 'due for its scheduled review on\n    <time datetime="2026-03-24">March 24, 2026</time>' in html


def test_the_tracker_says_re_review_due_when_the_review_is_overdue(client, settings, approved):
    """The tracker never stays all green while the page says the review is overdue (issue 17)."""
    settings.REVIEW_OVERDUE_GRACE = timedelta(days=30)
    answer = approved("2025-03-24")
    url = answer.get_absolute_url()
    with clock.travel(at("2026-04-23")):
        html = client.get(url).content.decode()
    assert "Re-review due" not in html
    assert re.search(r'is-done is-current" aria-current="step">.*?Approved', html, re.S)
    with clock.travel(at("2026-04-24")):
        html = client.get(url).content.decode()
    current = re.search(r'aria-current="step">(.*?)</li>', html, re.S).group(1)
    assert "Re-review due" in current and "(in progress)" in current
    assert html.count('aria-current="step"') == 1


def test_reapproval_moves_the_review_dates_and_the_reviewer(client, approved, second_board_member):
    answer = approved("2025-03-24")
    url = answer.get_absolute_url()
    assert "Dr. Maya Chen" in client.get(url).content.decode()  # now cached
    with clock.travel(at("2026-03-25")):
        answer = services.answer_reaffirm(acting_user=second_board_member, answer=answer, attestation=APPROVAL)
    html = client.get(url).content.decode()
    assert 'Reviewed by</dt> <dd><a href="/medical-advisory-board/#daniel-okafor">Dr. Daniel Okafor, MD, PhD' in html
    assert 'Last updated:</dt> <dd><time datetime="2025-03-24">' in html
    assert 'Last reviewed:</dt> <dd><time datetime="2026-03-25">' in html
    assert 'Next review due:</dt> <dd><time datetime="2027-03-25">' in html
