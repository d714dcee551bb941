"""The small includes other pages reuse (the admin's review page renders the same ones)."""

import re

from django.template.loader import render_to_string

from answers.models import Status
from answers.rendering import render_sections


def _current(html: str) -> str:
    return re.search(r'aria-current="step">.*?<span class="step-label">([^<]+)<', html, re.S).group(1)


def test_review_status_marks_the_step_of_pending_content(answer_in):
    answer = answer_in(Status.UNDER_REVIEW)
    html = render_to_string("answers/_review_status.html", {"answer": answer, "pending": True})
    assert _current(html) == "Under Review"
    assert html.count("(complete)") == 1  # Submitted
    assert "(not yet)" in html


def test_review_status_of_live_content_is_approved_whatever_is_in_review(approved, revise):
    answer = revise(approved(), body="Next draft [1].", approve=False)
    html = render_to_string("answers/_review_status.html", {"answer": answer, "pending": False})
    assert _current(html) == "Approved"
    assert html.count("(complete)") == 3


def test_sections_and_citations_render_with_a_given_anchor_prefix(approved):
    revision = approved().live_revision
    context = {
        "sections": render_sections(revision.sections.all(), anchor_prefix="rev7-ref-"),
        "citations": revision.citations.all(),
        "anchor_prefix": "rev7-ref-",
    }
    html = render_to_string("answers/_sections.html", context) + render_to_string("answers/_citations.html", context)
    assert 'href="#rev7-ref-1"' in html and '<li id="rev7-ref-1" value="1">' in html


def test_disclaimer_follows_the_audience_of_the_answer(approved):
    professional = approved()
    patient = approved(question=professional.question.text, audience="patient")
    assert "Professional Medical Disclaimer" in render_to_string("answers/_disclaimer.html", {"answer": professional})
    assert "does not replace the advice of a doctor" in render_to_string(
        "answers/_disclaimer.html", {"answer": patient}
    )
