"""The edit page of a draft in review (`editorial/admin/edits.py`): one form with the sections and
citations, held to the drafting API's own rules (the same bad input gives the same field errors),
nothing written on error, no server error on malformed posts; the review page links to it and to
the edit's diff, and the evidence cards say which verdicts were carried over."""

import copy

import pytest
from django.urls import reverse

from answers import clock
from answers.models import Answer, Revision, Status
from editorial.models import AuditAction, AuditEvent, CitationVerdict
from tests import factories
from tests.editorial.admin.desk import messages_of, review_url

pytestmark = pytest.mark.django_db


def edit_url(answer) -> str:
    return reverse("admin:answers_answer_edit", args=[answer.pk])


def form_data(content: dict, *, revision: int | str = "", blank_extra: bool = True) -> dict:
    """The edit form's POST for `content` (as the API's JSON), plus the blank form at the end of each list."""
    data = {"revision": revision}
    sections, citations = content["sections"], content["citations"]
    data |= {
        "sections-TOTAL_FORMS": len(sections) + blank_extra,
        "sections-INITIAL_FORMS": len(sections),
        "citations-TOTAL_FORMS": len(citations) + blank_extra,
        "citations-INITIAL_FORMS": len(citations),
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-heading": section["heading"],
            f"sections-{i}-body": section["body"],
            f"sections-{i}-ORDER": i + 1,
        }
    for i, citation in enumerate(citations):
        for name in ("number", "title", "authors", "journal", "year", "pmid", "doi", "url"):
            value = citation.get(name)
            data[f"citations-{i}-{name}"] = "" if value is None else str(value)
    return data


def field_errors(response) -> set[tuple[str, str]]:
    """(field path, message) of every error the edit page shows on a field, as the API names them."""
    assert response.status_code == 200, response
    found = set()
    for name in ("sections", "citations"):
        kept = [f for f in response.context[name].forms if f.has_changed() or f.initial or f.errors]
        for i, form in enumerate(kept):
            for field, messages in form.errors.items():
                found |= {(f"{name}[{i}].{field}", message) for message in messages}
    return found


def api_errors(response) -> set[tuple[str, str]]:
    assert response.status_code == 400, response.content
    return {(e["field"], e["message"]) for e in response.json()["errors"]}


def writes() -> tuple[int, int, int]:
    return Revision.objects.count(), AuditEvent.objects.count(), CitationVerdict.objects.count()


@pytest.fixture
def in_review(answer_in, board_member):
    """Under review by maya, both citations verified; its content is the API's draft_json's."""
    answer = answer_in(Status.UNDER_REVIEW, sections=factories.draft_json()["sections"])
    factories.verify_citations(board_member, answer)
    return Answer.objects.get(pk=answer.pk)


def api_content() -> dict:
    payload = factories.draft_json()
    return {"sections": payload["sections"], "citations": payload["citations"]}


def test_the_edit_page_shows_the_pending_revision_in_one_form(client, in_review, board_member):
    client.force_login(board_member)
    response = client.get(edit_url(in_review))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Oral iron first [1]." in html and "10.1000/xyz123" in html
    assert "You hold this review: once you save, it goes back to the queue" in html
    assert [html.count(f"<legend>{name}") for name in ("Section 2", "New section", "Citation 2", "New citation")] == [
        1,
        1,
        1,
        1,
    ]
    assert response.context["sections"].total_form_count() == 3  # two sections and the blank one
    assert response.context["base_form"].initial["revision"] == in_review.pending_revision_id


def test_a_saved_edit_lands_on_the_review_page_with_its_origin_its_diff_and_carried_verdicts(
    client, in_review, editor, board_member
):
    content = api_content()
    content["sections"][1]["body"] = "- Intravenous iron when oral iron fails, 1 g once [2]."
    client.force_login(editor)

    response = client.post(edit_url(in_review), form_data(content, revision=in_review.pending_revision_id))

    assert response.status_code == 302 and response["Location"] == review_url(in_review) + "#revision"
    answer = Answer.objects.get(pk=in_review.pk)
    assert (answer.pending_revision.number, answer.pending_revision.created_by) == (2, editor)
    assert AuditEvent.objects.latest("id").action == AuditAction.REVISION_EDIT
    client.force_login(board_member)
    html = client.get(review_url(answer)).content.decode()
    assert "An edit by edith of revision 1 (medrafter 1.0)" in html
    diff_url = reverse("admin:answers_answer_edit_diff", args=[answer.pk, answer.pending_revision_id])
    assert diff_url in html
    assert html.count("Carried over from revision 1") == 1  # citation 1; citation 2's sentence changed
    diff = client.get(diff_url)
    assert diff.status_code == 200
    assert "<ins>" in diff.content.decode() and "1 g once" in diff.content.decode()


def test_sections_are_added_removed_and_reordered(client, in_review, editor):
    content = api_content()
    data = form_data(content)
    data |= {"sections-0-ORDER": 2, "sections-1-ORDER": 1}  # swap
    data |= {"sections-2-heading": "Bottom line", "sections-2-body": "Start with oral iron [1].", "sections-2-ORDER": 3}
    data |= {"citations-1-DELETE": "on", "sections-0-DELETE": ""}
    data["sections-1-body"] = "- Intravenous iron when oral iron fails."  # no longer cites [2]
    client.force_login(editor)

    response = client.post(edit_url(in_review), data)

    assert response.status_code == 302, field_errors(response)
    stored = Answer.objects.get(pk=in_review.pk).pending_revision.stored_content()
    assert [s["heading"] for s in stored["sections"]] == ["Key Findings", "From the Guidelines", "Bottom line"]
    assert [c["number"] for c in stored["citations"]] == [1]


def _mutations():
    """The drafting API tests' bad drafts (tests/editorial/drafting/test_validation.py), on the content."""

    def duplicate_number(c):
        c["citations"][1]["number"] = 1

    def beyond_n(c):
        c["citations"][1]["number"] = 3
        c["sections"][1]["body"] = "Intravenous iron [3]."

    def dangling_marker(c):
        c["sections"][1]["body"] = "Intravenous iron when oral iron fails [2, 4-5]."

    def empty_section(c):
        c["sections"].append({"heading": "Bottom line", "body": "   \n "})

    def future_year(c):
        c["citations"][0]["year"] = clock.today().year + 1

    def not_a_number(c):
        c["citations"][0]["number"] = "one"

    def nul(c):
        c["sections"][0]["heading"] = "Bad\x00heading"

    def empty_title(c):
        c["citations"][0]["title"] = ""

    def long_heading(c):
        c["sections"][0]["heading"] = "x" * 201

    def bad_url(c):
        c["citations"][1]["url"] = "ftp://example.org/x"

    found = [duplicate_number, beyond_n, dangling_marker, empty_section, future_year, not_a_number, nul]
    found += [empty_title, long_heading, bad_url]
    for doi in ["10.1000", "doi:10.1000/xyz", "11.1000/xyz", "10.12/xyz"]:
        found.append(lambda c, doi=doi: c["citations"][1].__setitem__("doi", doi))
    for pmid in ["PMID12345", "0123", "12 345", "1234567890"]:
        found.append(lambda c, pmid=pmid: c["citations"][0].__setitem__("pmid", pmid))
    return found


@pytest.mark.parametrize("mutate", _mutations())
def test_bad_input_gets_the_drafting_apis_field_errors_and_writes_nothing(
    client, api, draft_payload, in_review, editor, mutate
):
    content = api_content()
    mutate(content)
    payload = draft_payload(external_id="same-rules")
    payload |= copy.deepcopy(content)
    expected = api_errors(api.post("/api/v1/drafts/", payload))
    before = writes()
    client.force_login(editor)

    response = client.post(edit_url(in_review), form_data(content, blank_extra=False))

    assert field_errors(response) == expected
    assert "The edit was not saved" in response.content.decode()
    assert writes() == before


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.pop("sections-TOTAL_FORMS"),
        lambda d: d.update({"sections-TOTAL_FORMS": "abc"}),
        lambda d: d.update({"sections-TOTAL_FORMS": "100000", "citations-TOTAL_FORMS": "100000"}),
        lambda d: d.update({"sections-0-ORDER": "first"}),
        lambda d: d.update({"revision": "not-an-id"}),
        lambda d: d.update({"revision": "999999999"}),
        lambda d: d.update({"citations-0-year": "9" * 40}),
        lambda d: d.update({"citations-0-number": "-1"}),
        lambda d: d.update({"sections-0-heading": "", "sections-0-body": "", "sections-1-DELETE": "on"}),
    ],
)
def test_malformed_posts_are_refused_without_a_server_error(client, in_review, editor, tamper):
    data = form_data(api_content())
    data["sections-0-body"] = "Changed [1]."
    tamper(data)
    before = writes()
    client.force_login(editor)

    response = client.post(edit_url(in_review), data)

    assert response.status_code in (200, 302)
    if response.status_code == 302:  # a stale revision id: refused with a message, back to the review
        assert any("changed while you were editing" in m for m in messages_of(response))
    else:
        assert "The edit was not saved" in response.content.decode()
    assert writes() == before


def test_unknown_answers_and_non_edits_are_not_found_not_a_server_error(client, in_review, editor):
    client.force_login(editor)
    assert client.get("/admin/answers/answer/not-a-number/edit/").status_code in (302, 404)
    assert client.get("/admin/answers/answer/99999999/edit/").status_code == 302
    original = reverse("admin:answers_answer_edit_diff", args=[in_review.pk, in_review.pending_revision_id])
    assert client.get(original).status_code == 404  # revision 1 is no edit


def test_who_may_not_edit_is_sent_back_with_the_reason(client, answer_in, editor):
    approved = answer_in(Status.APPROVED)
    client.force_login(editor)
    response = client.get(edit_url(approved))
    assert response.status_code == 302
    assert messages_of(response) == ["Only a draft in review can be edited; this answer is approved."]
    before = writes()
    response = client.post(edit_url(approved), form_data(api_content()))
    assert response.status_code == 302 and writes() == before


def test_a_board_member_outside_the_specialty_may_not_edit_when_the_rule_is_on(
    client, answer_in, outside_board_member, settings
):
    settings.REVIEW_REQUIRES_SPECIALTY = True
    answer = answer_in(Status.SUBMITTED)
    client.force_login(outside_board_member)

    response = client.get(edit_url(answer))

    assert response.status_code == 302
    assert "a specialty your reviewer profile does not list" in messages_of(response)[0]


def test_the_review_page_links_to_the_edit_page_only_while_the_answer_is_in_review(
    client, in_review, answer_in, editor
):
    client.force_login(editor)
    assert 'id="edit-draft-link"' in client.get(review_url(in_review)).content.decode()
    approved = answer_in(Status.APPROVED, question="An approved question?")
    assert 'id="edit-draft-link"' not in client.get(review_url(approved)).content.decode()


def test_waiting_for_me_labels_an_edit_for_the_other_board_members(client, in_review, board_member, author):
    client.force_login(board_member)
    client.post(edit_url(in_review), form_data(api_content() | {"sections": [{"heading": "H", "body": "I [1]."}]}))
    assert Answer.objects.get(pk=in_review.pk).status == Status.SUBMITTED  # the holder edited: handed back

    listed = reverse("admin:answers_answer_changelist") + "?desk=waiting"
    assert "needs another reviewer" not in client.get(listed).content.decode()  # not in maya's queue at all
    client.force_login(author)
    assert "Edited by Dr. Maya Chen: needs another reviewer" in client.get(listed).content.decode()
