"""A request body the drafting API will not read: not JSON, too large, not declared JSON. Nothing is written."""

import json

import pytest

URL = "/api/v1/drafts/"


def test_a_body_that_is_not_json_is_a_400(api, nothing_written):
    response = api.post(URL, raw=b"{not json")

    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    nothing_written()


def test_a_body_that_is_not_an_object_is_a_400(api, nothing_written):
    assert api.post(URL, raw=b"[1, 2]").status_code == 400
    nothing_written()


def test_a_body_over_the_limit_is_a_413(api, draft_payload, settings, nothing_written):
    settings.API_MAX_BODY_BYTES = 2000
    payload = draft_payload()
    payload["sections"][0]["body"] = "Oral iron first [1]. " * 200

    response = api.post(URL, payload)

    assert response.status_code == 413
    assert "2000 bytes" in response.json()["detail"]
    nothing_written()


def test_a_body_over_django_s_own_limit_is_a_413_too(api, draft_payload, settings, nothing_written):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = draft_payload()
    payload["sections"][0]["body"] = "Oral iron first [1]. " * 200

    assert api.post(URL, payload).status_code == 413
    nothing_written()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_a_body_that_is_not_declared_json_is_a_415(api, draft_payload, content_type, nothing_written):
    response = api.post(URL, raw=json.dumps(draft_payload()).encode(), content_type=content_type)

    assert response.status_code == 415
    nothing_written()
