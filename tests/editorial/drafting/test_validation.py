"""The draft contract's rules: every bad draft is a 400 naming each field path, and writes nothing."""

import pytest

from answers import clock

URL = "/api/v1/drafts/"


def _fields(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_missing_fields_are_named(api, draft_payload, nothing_written):
    payload = draft_payload()
    del payload["question"]
    del payload["model"]["version"]
    del payload["sections"][1]["body"]

    fields = _fields(api.post(URL, payload))

    assert set(fields) == {"question", "model.version", "sections[1].body"}
    assert fields["question"] == "This field is required."
    nothing_written()


def test_wrong_types_are_named(api, draft_payload, nothing_written):
    payload = draft_payload(question=42)
    payload["citations"][0]["number"] = "1"
    payload["citations"][1]["year"] = "2020"

    fields = _fields(api.post(URL, payload))

    assert set(fields) == {"question", "citations[0].number", "citations[1].year"}
    nothing_written()


def test_unknown_fields_are_refused(api, draft_payload, nothing_written):
    fields = _fields(api.post(URL, draft_payload(confidence=0.9)))

    assert fields == {"confidence": "Unknown field."}
    nothing_written()


def test_a_draft_needs_sections(api, draft_payload, nothing_written):
    assert "sections" in _fields(api.post(URL, draft_payload(sections=[], citations=[])))
    nothing_written()


def test_an_empty_section_is_named(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["sections"].append({"heading": "Bottom line", "body": "   \n "})

    fields = _fields(api.post(URL, payload))

    assert fields == {"sections[2].body": "A section may not be empty."}
    nothing_written()


def test_citation_numbers_must_be_unique(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["citations"][1]["number"] = 1

    fields = _fields(api.post(URL, payload))

    assert fields["citations[1].number"] == "Citation number 1 is used twice."
    nothing_written()


def test_citation_numbers_must_run_from_one_to_n(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["citations"][1]["number"] = 3
    payload["sections"][1]["body"] = "Intravenous iron [3]."

    fields = _fields(api.post(URL, payload))

    assert fields == {"citations[1].number": "Citation numbers must run from 1 to 2; got 3."}
    nothing_written()


def test_a_marker_pointing_at_no_citation_is_named(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["sections"][1]["body"] = "Intravenous iron when oral iron fails [2, 4-5]."

    fields = _fields(api.post(URL, payload))

    assert fields == {"sections[1].body": "Citation marker [4], [5] points at no citation."}
    nothing_written()


def test_an_unknown_specialty_is_named(api, draft_payload, nothing_written):
    fields = _fields(api.post(URL, draft_payload(specialty="astrology")))

    assert fields == {"specialty": "Unknown specialty 'astrology'."}
    nothing_written()


@pytest.mark.parametrize("doi", ["10.1000", "doi:10.1000/xyz", "11.1000/xyz", "10.12/xyz"])
def test_a_malformed_doi_is_named(api, draft_payload, doi, nothing_written):
    payload = draft_payload()
    payload["citations"][1]["doi"] = doi

    assert "citations[1].doi" in _fields(api.post(URL, payload))
    nothing_written()


@pytest.mark.parametrize("pmid", ["PMID12345", "0123", "12 345", "1234567890"])
def test_a_malformed_pmid_is_named(api, draft_payload, pmid, nothing_written):
    payload = draft_payload()
    payload["citations"][0]["pmid"] = pmid

    assert "citations[0].pmid" in _fields(api.post(URL, payload))
    nothing_written()


def test_a_year_in_the_future_is_named(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["citations"][0]["year"] = clock.today().year + 1

    fields = _fields(api.post(URL, payload))

    assert fields == {"citations[0].year": f"{clock.today().year + 1} is in the future."}
    nothing_written()


def test_this_year_is_not_the_future(api, draft_payload):
    payload = draft_payload()
    payload["citations"][0]["year"] = clock.today().year

    assert api.post(URL, payload).status_code == 201


def test_every_problem_is_reported_at_once(api, draft_payload, nothing_written):
    payload = draft_payload(specialty="astrology")
    payload["citations"][0]["pmid"] = "abc"
    payload["citations"][1]["doi"] = "nope"

    assert set(_fields(api.post(URL, payload))) == {"specialty", "citations[0].pmid", "citations[1].doi"}
    nothing_written()


def test_nul_characters_are_refused_not_a_server_error(api, draft_payload, nothing_written):
    payload = draft_payload()
    payload["sections"][0]["heading"] = "Bad\x00heading"

    assert _fields(api.post(URL, payload)) == {"sections[0].heading": "Text may not contain NUL characters."}
    nothing_written()


def test_a_callback_url_must_be_http(api, draft_payload, nothing_written):
    assert "callback_url" in _fields(api.post(URL, draft_payload(callback_url="ftp://drafter.example/hook")))
    nothing_written()
