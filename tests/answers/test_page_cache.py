"""The answer page's cost is fixed, its HTML is cached, and a new approval replaces it."""

import re

import pytest
from django.core.cache import cache

from answers.answer_page import cache_key
from answers.selectors import answer_for_reader
from tests.xss_corpus import json_ld

# 1 query for the question's answers (with specialty, reviewer and profile),
# which is also what keys the cache; on a miss, 1 for the sections, 1 for the citations
# and 1 for the signatures (with their signers' profiles).
QUERIES_COLD = 4
QUERIES_WARM = 1


def _many_sections_and_citations(n: int) -> dict:
    return {
        "sections": [{"heading": f"Section {i}", "body": f"Finding {i} [{i}]."} for i in range(1, n + 1)],
        "citations": [{"number": i, "title": f"Study {i}", "pmid": str(10_000_000 + i)} for i in range(1, n + 1)],
    }


@pytest.mark.parametrize("size", [1, 5, 40])
def test_answer_page_runs_a_fixed_number_of_queries(client, approved, django_assert_num_queries, size):
    answer = approved(**_many_sections_and_citations(size))
    url = answer.get_absolute_url()
    with django_assert_num_queries(QUERIES_COLD):
        response = client.get(url)
    assert response.content.decode().count('class="answer-section"') == size
    with django_assert_num_queries(QUERIES_WARM):
        warm = client.get(url)
    assert _without_csrf(warm.content) == _without_csrf(response.content)


def _without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_a_cached_page_is_served_without_rendering_again(client, approved):
    answer = approved()
    client.get(answer.get_absolute_url())
    key = cache_key(answer_for_reader(slug=answer.question.slug, audience="professional"), host="testserver")
    cached = cache.get(key)
    # The page cut at the two forms' token fields; the reader's own token joins the pieces on the way out.
    assert len(cached) == 3
    assert all(piece.endswith('name="csrfmiddlewaretoken" value="') for piece in cached[:-1])
    assert "Oral iron first" in "".join(cached)
    cache.set(key, [piece.replace("Oral iron first", "Served from the cache") for piece in cached])
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Served from the cache" in html
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)) == 2


PLACEHOLDER = "__vetted_csrf_token__"  # what the cached page once held where the token goes


def test_drafted_text_can_never_receive_a_readers_csrf_token(client, approved):
    answer = approved(
        question=f"Does {PLACEHOLDER} matter in iron dosing?",
        # In Markdown `__x__` is bold: as code (or escaped) the placeholder reaches the page as written.
        sections=[{"heading": "Guidelines", "body": f"Type `{PLACEHOLDER}` or \\_\\_vetted_csrf_token\\_\\_ [1]."}],
        citations=[{"number": 1, "title": f"Study of {PLACEHOLDER}", "url": f"https://example.org/?t={PLACEHOLDER}"}],
    )
    for attempt in ("miss", "hit"):
        html = client.get(answer.get_absolute_url()).content.decode()
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html)
        assert len(tokens) == 2, attempt
        # The token appears in the two hidden fields and nowhere else (not in text, links or JSON-LD)...
        assert html.count(tokens[0]) == 2, attempt
        # ...and the drafted text is shown as written, in the body, the reference, its link and the JSON-LD.
        assert f"Type <code>{PLACEHOLDER}</code> or {PLACEHOLDER}" in html, attempt
        assert f"<h1>Does {PLACEHOLDER} matter in iron dosing?</h1>" in html, attempt
        assert f"Study of {PLACEHOLDER}" in html, attempt
        assert f"https://example.org/?t={PLACEHOLDER}" in html, attempt
        ((_, data),) = json_ld(html)
        assert [c["name"] for c in data["citation"]] == [f"Study of {PLACEHOLDER}"], attempt
        assert data["name"] == f"Does {PLACEHOLDER} matter in iron dosing?", attempt


def test_an_overdue_review_gets_its_own_cached_page(client, settings, approved):
    from datetime import timedelta

    from answers import clock
    from tests.factories import at

    settings.REVIEW_OVERDUE_GRACE = timedelta(days=0)
    answer = approved("2025-03-24")
    with clock.travel(at("2026-03-24")):
        assert "Review overdue" not in client.get(answer.get_absolute_url()).content.decode()
    with clock.travel(at("2026-03-25")):
        assert "Review overdue" in client.get(answer.get_absolute_url()).content.decode()


def test_a_newly_approved_revision_replaces_the_cached_page(client, approved, revise):
    answer = approved()
    url = answer.get_absolute_url()
    assert "Oral iron first" in client.get(url).content.decode()
    old_live = answer.live_revision_id
    answer = revise(answer, body="Newly approved guidance [1].")
    assert answer.live_revision_id != old_live
    html = client.get(url).content.decode()
    assert "Newly approved guidance" in html
    assert "Oral iron first" not in html
    assert 'datetime="2026-01-10"' in html  # last updated moved with the content


def test_a_pending_revision_does_not_touch_the_cached_approved_page(client, approved, revise):
    answer = approved()
    url = answer.get_absolute_url()
    first = client.get(url).content.decode()
    answer = revise(answer, body="Still in review [1].", approve=False)
    second = client.get(url).content.decode()
    assert "Still in review" not in second
    assert "Oral iron first" in first and "Oral iron first" in second


def test_a_retraction_is_seen_at_once_despite_the_cache(client, approved, editor):
    from editorial.review import services

    answer = approved()
    url = answer.get_absolute_url()
    assert client.get(url).status_code == 200
    answer = services.answer_retract(acting_user=editor, answer=answer, reason="Withdrawn.")
    assert client.get(url).status_code == 410


def test_each_audience_has_its_own_cached_page(client, approved):
    answer = approved()
    patient = approved(
        question=answer.question.text, audience="patient", sections=[{"heading": "For you", "body": "Plain words [1]."}]
    )
    assert "Oral iron first" in client.get(answer.get_absolute_url()).content.decode()
    assert "Plain words" in client.get(patient.get_absolute_url()).content.decode()
    assert "Oral iron first" in client.get(answer.get_absolute_url()).content.decode()
