"""The review workspace: the draft as readers will see it beside the evidence pane, one card
per citation (reference, citing sentences, verdict), every form a plain POST."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers.models import Answer, Status
from editorial.models import Verdict
from editorial.review import checks, services
from tests import factories
from tests.editorial.admin.desk import messages_of, review_url
from tests.xss_corpus import PAYLOADS, executable_markup, visible_text

pytestmark = pytest.mark.django_db

SECTIONS = [
    {
        "heading": "From the Guidelines",
        "body": "Oral iron first, e.g. ferrous sulfate [1]. Smith et al. [2] compared it vs. placebo [1, 2].",
    },
    {"heading": "Key Findings", "body": "- Three cohorts agree at 2.5 mg [2-3]\n- A sentence citing nothing."},
]
CITATIONS = [
    {
        "number": 1,
        "title": "Guideline on iron deficiency",
        "authors": "Pasricha SR, Tye-Din J",
        "journal": "Blood",
        "year": 2021,
        "pmid": "12345678",
    },
    {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
    {"number": 3, "title": "Cohort of oral iron", "url": "https://example.org/cohort?a=1&b=2", "year": 2019},
    {"number": 4, "title": "A reference no sentence cites", "year": 2018},
]


@pytest.fixture
def in_review(drafter, specialty, board_member):
    """An answer under review by maya with the draft above: four citations, the fourth cited nowhere."""
    answer = factories.submitted(by=drafter, specialty=specialty, sections=SECTIONS, citations=CITATIONS)
    return services.answer_start_review(acting_user=board_member, answer=answer)


def card(html: str, number: int) -> str:
    """The HTML of citation `number`'s evidence card."""
    start = html.index('<article class="evidence-card')
    start = html.index(f'id="citation-{number}"', start)
    return html[start : html.index("</article>", start)]


def draft_pane(html: str) -> str:
    return html[html.index('id="revision"') : html.index('id="evidence"')]


def page(client, answer) -> str:
    response = client.get(review_url(answer))
    assert response.status_code == 200
    return response.content.decode()


def progress(html: str) -> str:
    return " ".join(re.search(r'<p class="evidence-progress"[^>]*>(.*?)</p>', html, re.S).group(1).split())


def test_the_draft_and_the_evidence_pane_sit_side_by_side(client, in_review, board_member):
    client.force_login(board_member)
    html = page(client, in_review)
    workspace = html[html.index('<div class="review-workspace') :]
    assert workspace.index('id="revision"') < workspace.index('id="evidence"')
    assert re.findall(r'<article class="evidence-card[^"]*" id="(citation-\d+)"', html) == [
        "citation-1", "citation-2", "citation-3", "citation-4",
    ]  # fmt: skip
    assert "admin/editorial/answer/_evidence_card.html" in [t.name for t in client.get(review_url(in_review)).templates]


def test_each_card_holds_the_full_reference_with_links_that_open_a_new_tab(client, in_review, board_member):
    client.force_login(board_member)
    html = page(client, in_review)
    first = card(html, 1)
    assert "Pasricha SR, Tye-Din J. <cite>Guideline on iron deficiency</cite>. Blood (2021)." in first
    new_tab = 'rel="noopener noreferrer" target="_blank"'
    assert f'<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/" {new_tab}>PubMed 12345678</a>' in first
    assert f'<a href="https://doi.org/10.1000/xyz123" {new_tab}>doi:10.1000/xyz123</a>' in card(html, 2)
    assert (
        '<a href="https://example.org/cohort?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">Source</a>'
        in card(html, 3)
    )
    # Every reference link on the page, in the cards and in the preview's reference list, opens a new tab.
    reference_links = re.findall(r'<a href="https://(?:pubmed|doi\.org|example\.org)[^>]*>', html)
    assert len(reference_links) == 6  # three in the cards, three in the preview
    assert all('target="_blank"' in a and 'rel="noopener noreferrer' in a for a in reference_links)


def test_the_reader_page_keeps_its_links_in_the_same_tab(client, answer_in):
    answer = answer_in(Status.APPROVED)
    html = client.get(answer.get_absolute_url()).content.decode()
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/" rel="noopener noreferrer">' in html
    assert 'target="_blank"' not in html


def test_each_card_quotes_every_sentence_citing_it_with_a_link_to_the_draft(client, in_review, board_member):
    client.force_login(board_member)
    html = page(client, in_review)

    def quoted(number: int) -> list[tuple[str, str, str]]:
        return re.findall(
            r'<blockquote>(.*?)</blockquote>\s*<span class="help">(.*?)</span>\s*<a href="#([^"]+)" class="to-draft">',
            card(html, number),
        )

    assert quoted(1) == [
        ("Oral iron first, e.g. ferrous sulfate [1].", "From the Guidelines", "cite-1-1"),
        ("Smith et al. [2] compared it vs. placebo [1, 2].", "From the Guidelines", "cite-1-2"),
    ]
    assert quoted(2) == [
        ("Smith et al. [2] compared it vs. placebo [1, 2].", "From the Guidelines", "cite-1-2"),
        ("Three cohorts agree at 2.5 mg [2-3]", "Key Findings", "cite-2-1"),
    ]
    assert quoted(3) == [("Three cohorts agree at 2.5 mg [2-3]", "Key Findings", "cite-2-1")]
    assert quoted(4) == [] and "No sentence of the draft cites this reference." in card(html, 4)


def test_the_draft_carries_the_quoted_anchors_and_its_markers_open_the_cards(client, in_review, board_member):
    client.force_login(board_member)
    html = page(client, in_review)
    draft = draft_pane(html)
    markers = dict(re.findall(r'<sup class="cite" id="([^"]+)">(.*?)</sup>', draft))
    assert set(markers) == {"cite-1-1", "cite-1-2", "cite-1-3", "cite-2-1"}
    assert re.findall(r'href="#(citation-\d)"', markers["cite-2-1"]) == ["citation-2", "citation-3"]
    for target in re.findall(r'<a href="#([^"]+)" class="to-draft">', html):
        assert target in markers  # every quoted sentence leads to a marker of the draft
    for target in set(re.findall(r'href="#(citation-\d+)"', draft)):
        assert f'id="{target}"' in html  # every marker leads to a card
    assert html.count('id="cite-1-2"') == 1


def test_the_verdict_form_is_a_plain_post_with_the_three_verdicts_and_a_note(client, in_review, board_member):
    client.force_login(board_member)
    html = page(client, in_review)
    first = card(html, 1)
    citation = in_review.pending_revision.citations.get(number=1)
    action = reverse("admin:answers_answer_verdict", args=[in_review.pk, citation.pk])
    # A plain POST; with script, htmx posts it and swaps the card (tests/editorial/admin/test_review_keys.py).
    assert f'<form method="post" action="{action}" class="verdict-form" hx-post="{action}"' in first
    radio = r'<input type="radio" name="verdict" value="([a-z]+)" required aria-keyshortcuts="(\d)">'
    radios = re.findall(radio, first)
    assert radios == [(value, str(key)) for key, value in enumerate(Verdict.values, start=1)]
    assert [label for _value, label in Verdict.choices] == [
        "Verified", "Could not verify", "Does not support the claim",
    ]  # fmt: skip
    assert f'<textarea id="note-{citation.pk}" name="note" maxlength="2000" rows="2">' in first

    response = client.post(action, {"verdict": "verified", "note": "Abstract matches the dose."})
    assert messages_of(response) == ["Citation verdict recorded."]
    assert response["Location"].endswith(f"#check-{citation.pk}")
    first = card(page(client, in_review), 1)
    assert f'id="check-{citation.pk}"' in first  # the redirect lands inside the card
    assert '<span class="badge verified">Verified</span>' in first
    assert 'value="verified" required aria-keyshortcuts="1" checked>' in first
    assert ">Abstract matches the dose.</textarea>" in first


def test_the_progress_counts_verdicts_of_the_holder_and_waivers(
    client, in_review, board_member, second_board_member, editor
):
    client.force_login(board_member)
    assert progress(page(client, in_review)) == "<strong>0 of 4</strong> checked"
    citations = {c.number: c for c in in_review.pending_revision.citations.all()}
    checks.citation_verdict_record(acting_user=board_member, citation=citations[1], verdict="verified")
    checks.citation_verdict_record(acting_user=board_member, citation=citations[2], verdict="unsupported")
    checks.citation_verdict_waive(acting_user=editor, citation=citations[3], reason="Checked by phone.")
    html = page(client, in_review)
    assert progress(html) == "<strong>3 of 4</strong> checked"
    assert 'class="evidence-card checked" id="citation-2"' in html  # checked, though it blocks approval
    assert 'class="evidence-card" id="citation-4"' in html

    # After a reassignment the new holder's count starts again; the waiver still counts.
    services.answer_assign(acting_user=editor, answer=in_review.pk, reviewer=second_board_member)
    client.force_login(second_board_member)
    html = page(client, in_review)
    assert progress(html) == "<strong>1 of 4</strong> checked"
    assert "Citation 1 was checked by maya; confirm or re-record it." in card(html, 1)


def test_only_the_holder_sees_the_verdict_forms_and_editors_see_waivers(client, in_review, second_board_member, editor):
    client.force_login(second_board_member)
    html = page(client, in_review)
    assert html.count('<article class="evidence-card') == 4 and "verdict-form" not in html and "waive-form" not in html
    client.force_login(editor)
    html = page(client, in_review)
    assert "verdict-form" not in html and html.count('class="waive-form"') == 4


def test_an_approved_answer_shows_its_cards_without_forms_or_progress(client, answer_in, board_member):
    answer = answer_in(Status.APPROVED)
    client.force_login(board_member)
    html = page(client, answer)
    assert "Verified, by maya" in card(html, 1) and "Verified, by maya" in card(html, 2)
    assert "verdict-form" not in html and "evidence-progress" not in html


def test_the_workspace_is_escaped_whatever_the_draft_holds(client, drafter, specialty, board_member):
    """Every payload of the corpus as a citing sentence, a reference's fields and a verdict's note."""
    sections = [
        {"heading": f"Part {i}", "body": f"Before {payload} claim [{i + 1}]."} for i, payload in enumerate(PAYLOADS)
    ]
    citations = []
    for i, payload in enumerate(PAYLOADS):
        compact = "".join(payload.split())
        citations.append(
            {
                "number": i + 1,
                "title": payload,
                "authors": payload,
                "journal": payload[:300],
                "year": 2021,
                "url": f"https://example.org/ref?{compact}"[:500],
                "doi": f"10.1000/{compact}"[:200],
            }
        )
    answer = factories.submitted(by=drafter, specialty=specialty, sections=sections[:50], citations=citations)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    for citation in answer.pending_revision.citations.all():
        checks.citation_verdict_record(
            acting_user=board_member, citation=citation, verdict="verified", note=PAYLOADS[citation.number - 1]
        )
    client.force_login(board_member)
    html = page(client, answer)
    assert executable_markup(html) == []
    text = visible_text(html)
    # The payloads reach the cards as text: the first one quoted in its sentence, as title and as note.
    assert "Before <script>alert(1)</script> claim [1]." in text
    assert text.count("<script>alert(1)</script>") >= 4


def _answer_with_citations(count: int, *, question: str, drafter, specialty, board_member) -> Answer:
    """An answer under review whose `count` citations are each cited by a sentence of their own, all verified."""
    sentences = " ".join(f"Finding number {n} holds, e.g. at 2.5 mg [{n}]." for n in range(1, count + 1))
    citations = [
        {"number": n, "title": f"Study {n}", "year": 2020, "pmid": str(1000 + n), "doi": f"10.1000/s{n}"}
        for n in range(1, count + 1)
    ]
    answer = factories.submitted(
        by=drafter,
        specialty=specialty,
        question=question,
        sections=[
            {"heading": "Evidence", "body": sentences},
            {"heading": "Summary", "body": f"All of it [1-{count}]."},
        ],
        citations=citations,
    )
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    factories.verify_citations(board_member, answer)
    return answer


def test_the_review_page_runs_the_same_queries_for_4_citations_and_40(client, drafter, specialty, board_member):
    people = {"drafter": drafter, "specialty": specialty, "board_member": board_member}
    small = _answer_with_citations(4, question="Small answer?", **people)
    large = _answer_with_citations(40, question="Large answer?", **people)
    client.force_login(board_member)
    client.get(review_url(small))  # the first request of a session warms caches
    counts = {}
    for name, answer in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(review_url(answer))
        counts[name] = len(captured)
        html = response.content.decode()
        total = answer.pending_revision.citations.count()
        assert progress(html) == f"<strong>{total} of {total}</strong> checked"
        assert html.count('class="to-draft"') == 2 * total  # its own sentence, and the summary's range
    assert counts["small"] == counts["large"]


def test_a_draft_without_citations_shows_the_draft_alone(client, drafter, specialty, board_member):
    sections = [{"heading": "Summary", "body": "Nothing cited here."}]
    answer = factories.submitted(by=drafter, specialty=specialty, sections=sections, citations=[])
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    client.force_login(board_member)
    html = page(client, answer)
    assert '<div class="review-workspace no-evidence" id="workspace">' in html
    assert 'id="evidence"' not in html and "Nothing cited here." in html
