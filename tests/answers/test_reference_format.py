"""A reference reads as readers expect: one period after the authors and the title, never
"et al.." (issue 17), and the title's own question mark kept without a period after it."""

import pytest
from django.template.loader import render_to_string

from answers.models import Citation

pytestmark = pytest.mark.django_db


def _reference(**fields) -> str:
    citation = Citation(number=1, title=fields.pop("title", "A trial"), **fields)
    return " ".join(render_to_string("answers/_reference.html", {"c": citation}).split())


@pytest.mark.parametrize(
    ("authors", "title", "start"),
    [
        ("Zhang W, et al.", "Iron in pregnancy", "Zhang W, et al. <cite>Iron in pregnancy</cite>. Blood"),
        ("Zhang W", "Iron in pregnancy", "Zhang W. <cite>Iron in pregnancy</cite>. Blood"),
        ("Zhang W, et al. ", "Is iron safe?", "Zhang W, et al. <cite>Is iron safe?</cite> Blood"),
        ("", "Iron in pregnancy.", "<cite>Iron in pregnancy.</cite> Blood"),
    ],
)
def test_one_period_after_the_authors_and_the_title(authors, title, start):
    html = _reference(authors=authors, title=title, journal="Blood", year=2021)
    assert html.startswith(start)
    assert ".." not in html and "?." not in html
    assert html.endswith("Blood (2021).")


def test_the_reader_page_never_doubles_the_period(client, answer_in):
    from answers.models import Status

    answer = answer_in(
        Status.APPROVED,
        citations=[
            {"number": 1, "title": "Guideline on iron deficiency", "authors": "Zhang W, et al.", "year": 2021},
            {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
        ],
    )
    page = client.get(answer.get_absolute_url()).content.decode()
    assert "Zhang W, et al. <cite>" in page and "et al.." not in page


def test_the_reference_is_still_escaped():
    html = _reference(authors="<b>Zhang</b>", title="<script>alert(1)</script>")
    assert "<script>" not in html and "<cite>&lt;script&gt;alert(1)&lt;/script&gt;</cite>." in html
