"""A drafting system's token, an authenticated client, a valid draft payload, and board decisions."""

import copy
import json
from datetime import UTC, datetime

import pytest

from answers import clock
from answers.models import Answer
from editorial.models import ApiToken
from editorial.review import checks, services
from tests.conftest import APPROVAL

VALID_DRAFT = {
    "external_id": "medrafter-0001",
    "question": "What is the first-line treatment for iron deficiency anaemia?",
    "specialty": "hematology-oncology",
    "audience": "professional",
    "sections": [
        {"heading": "From the Guidelines", "body": "Oral iron first [1]."},
        {"heading": "Key Findings", "body": "- Intravenous iron when oral iron fails [2]."},
    ],
    "citations": [
        {"number": 1, "title": "Guideline on iron deficiency", "journal": "Blood", "year": 2021, "pmid": "12345678"},
        {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", "year": 2020},
    ],
    "model": {"name": "medrafter", "version": "1.0"},
}


@pytest.fixture
def draft_payload():
    def _payload(**overrides) -> dict:
        payload = copy.deepcopy(VALID_DRAFT)
        payload.update(overrides)
        return payload

    return _payload


@pytest.fixture
def token(drafter):
    """(ApiToken, raw value) for the drafting system."""
    return ApiToken.issue(user=drafter, name="medrafter host")


class ApiClient:
    def __init__(self, client, raw_token: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, payload=None, *, content_type="application/json", raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(payload if payload is not None else {})
        return self.client.post(path, data, content_type=content_type, **self.headers)


@pytest.fixture
def api(client, token, specialty):
    return ApiClient(client, token[1])


@pytest.fixture
def anonymous_api(client, specialty):
    return ApiClient(client, None)


@pytest.fixture
def allow_private_webhooks(settings):
    """Tests whose webhook receiver listens on 127.0.0.1 (tests/editorial/api/hooks.py)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True


DECIDED_AT = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def decide(api, draft_payload, board_member, django_capture_on_commit_callbacks):
    """Submit a draft with `callback_url` through the API, then have the board decide it."""

    def _decide(decision: str, *, callback_url: str | None):
        response = api.post("/api/v1/drafts/", draft_payload(callback_url=callback_url))
        assert response.status_code == 201
        answer = Answer.objects.get(pk=response.json()["answer_id"])
        with clock.travel(DECIDED_AT):
            answer = services.answer_start_review(acting_user=board_member, answer=answer)
            with django_capture_on_commit_callbacks(execute=False) as queued:
                if decision == "approved":
                    for citation in answer.pending_revision.citations.all():
                        checks.citation_verdict_record(acting_user=board_member, citation=citation, verdict="verified")
                    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
                elif decision == "changes_requested":
                    answer = services.answer_request_changes(
                        acting_user=board_member, answer=answer, reason="Fix the dose."
                    )
                else:
                    answer = services.answer_reject(acting_user=board_member, answer=answer, reason="Out of scope.")
        return answer, queued

    return _decide
