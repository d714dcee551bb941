import json
import re
from html.parser import HTMLParser

from django.urls import reverse

from answers import clock
from answers.models import ReviewerProfile, Status
from tests.factories import at


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = []

    def handle_starttag(self, tag, attrs):
        self.names.extend(name for name, _ in attrs)


def _attribute_names(html: str) -> list[str]:
    parser = _Attributes()
    parser.feed(html)
    return parser.names


def _jsonld(response) -> dict:
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S)
    return json.loads(match.group(1))


def test_answer_page_shows_every_element_of_the_seed_page(client, approved):
    answer = approved()
    with clock.travel(at("2025-06-01")):  # as the seed page was read: approved, not yet due for re-review
        response = client.get(answer.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{answer.question.text}</h1>" in html
    assert "All articles are reviewed for accuracy by our Medical Advisory Board" in html
    assert "Article Review Status" in html
    assert re.search(r'aria-current="step">\s*<span[^>]*>✓</span>\s*<span class="step-label">Approved', html)
    assert 'Last updated:</dt> <dd><time datetime="2025-03-24">March 24, 2025</time>' in html
    assert '<a href="/medical-advisory-board/#maya-chen">Dr. Maya Chen, MD, FACP</a>' in html
    assert 'Next review due:</dt> <dd><time datetime="2026-03-24">March 24, 2026</time>' in html
    assert f'<a href="{reverse("answers:editorial_policy")}">View editorial policy</a>' in html
    assert "From the Guidelines" in html and "Key Findings" in html
    assert "Professional Medical Disclaimer" in html
    assert "Which best describes you?" in html
    assert "Have a follow-up question?" in html
    assert "pending human review" not in html


def test_citation_markers_link_to_the_numbered_references_with_pubmed_and_doi(client, approved):
    html = client.get(approved().get_absolute_url()).content.decode()
    assert '<a href="#ref-1" class="cite" aria-label="Reference 1"' in html
    assert '<li id="ref-1" value="1">' in html and '<li id="ref-2" value="2">' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in html
    assert 'href="https://doi.org/10.1000/xyz123"' in html


def test_answer_page_carries_a_canonical_link_and_medical_web_page_json_ld(client, approved):
    answer = approved()
    response = client.get(answer.get_absolute_url() + "?utm_source=x")
    canonical = f"http://testserver{answer.get_absolute_url()}"
    assert f'<link rel="canonical" href="{canonical}">' in response.content.decode()
    data = _jsonld(response)
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == canonical
    assert data["lastReviewed"] == "2025-03-24"
    # each signer of the revision shown, as they signed (answers.Signature)
    assert data["reviewedBy"] == [
        {
            "@type": "Person",
            "name": "Dr. Maya Chen",
            "url": "http://testserver/medical-advisory-board/#maya-chen",
            "honorificSuffix": "MD, FACP",
        }
    ]
    assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
    assert data["about"]["name"] == "Hematology/Oncology"
    assert [c["name"] for c in data["citation"]] == ["Guideline on iron deficiency", "Trial of intravenous iron"]
    assert data["citation"][0]["sameAs"] == ["https://pubmed.ncbi.nlm.nih.gov/12345678/"]


def test_json_ld_cannot_be_closed_by_drafted_text(client, approved):
    answer = approved(question="Does </script><script>alert(1)</script> close the block?")
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert html.count("<script") == 1  # the JSON-LD data block, nothing else


def test_reviewer_without_a_public_profile_is_named_as_a_board_member(client, approved, board_member):
    answer = approved()
    ReviewerProfile.objects.filter(user=board_member).delete()  # since the approval
    html = client.get(answer.get_absolute_url()).content.decode()
    assert 'Reviewed by</dt> <dd><a href="/medical-advisory-board/">a member of our Medical Advisory Board' in html


def test_answer_page_sends_a_content_security_policy_without_inline_script(client, approved):
    response = client.get(approved().get_absolute_url())
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    html = response.content.decode()
    assert "<script" not in html.replace('<script type="application/ld+json">', "")
    assert re.search(r'<link rel="stylesheet" href="/static/answers/site\.css', html)
    attributes = _attribute_names(html)
    assert not [name for name in attributes if name.startswith("on") or name == "style"]


def test_unknown_question_is_not_found(client, db):
    assert client.get("/answers/no-such-question/").status_code == 404


def test_answer_page_is_read_only_to_get(client, approved):
    answer = approved()
    assert client.post(answer.get_absolute_url()).status_code == 405


def test_approved_answer_in_a_new_review_keeps_showing_the_approved_text(client, approved, revise):
    answer = approved()
    answer = revise(answer, body="Brand new text waiting for review [1].", approve=False)
    assert answer.status == Status.SUBMITTED
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Oral iron first" in html
    assert "Brand new text" not in html
    assert "pending human review" not in html


def test_reader_pages_answer_head_requests(client, approved):
    answer = approved()
    for url in (answer.get_absolute_url(), "/answers/", "/editorial-policy/", "/medical-advisory-board/"):
        assert client.head(url).status_code == 200
