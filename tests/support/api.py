"""The drafting API as a drafting system calls it: a valid draft's JSON and a client that sends the bearer token."""

import json

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


class ApiClient:
    def __init__(self, client, raw_token: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, payload=None, *, content_type="application/json", raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(payload if payload is not None else {})
        return self.client.post(path, data, content_type=content_type, **self.headers)
