from django.contrib.auth.models import User

from answers import clock
from answers.models import Revision
from editorial.access import roles
from editorial.models import ApiToken
from editorial.models.api import token_digest
from tests.support.api import ApiClient

URL = "/api/v1/drafts/"


def test_a_missing_token_is_a_401(anonymous_api, draft_payload):
    response = anonymous_api.post(URL, draft_payload())

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Revision.objects.exists()


def test_a_wrong_token_is_a_401(client, token, specialty, draft_payload):
    response = ApiClient(client, token[1] + "x").post(URL, draft_payload())

    assert response.status_code == 401
    assert not Revision.objects.exists()


def test_a_revoked_token_is_a_401(api, token, draft_payload):
    ApiToken.objects.filter(pk=token[0].pk).update(revoked_at=clock.now())

    assert api.post(URL, draft_payload()).status_code == 401


def test_a_user_outside_the_drafting_group_is_a_403(client, specialty, draft_payload):
    outsider = User.objects.create_user("outsider")
    _, raw = ApiToken.issue(user=outsider, name="stray")

    response = ApiClient(client, raw).post(URL, draft_payload())

    assert response.status_code == 403
    assert roles.DRAFTING in response.json()["detail"]
    assert not Revision.objects.exists()


def test_every_endpoint_needs_the_token(anonymous_api):
    for path in ["/api/v1/drafts/1/", "/api/v1/answers/", "/api/v1/questions/pending/"]:
        assert anonymous_api.get(path).status_code == 401, path
    assert anonymous_api.post("/api/v1/questions/1/claim/").status_code == 401


def test_tokens_are_stored_hashed(token):
    stored, raw = token

    assert raw.startswith("vt_")
    assert stored.digest == token_digest(raw)
    assert raw not in {getattr(stored, f.attname) for f in ApiToken._meta.concrete_fields}
