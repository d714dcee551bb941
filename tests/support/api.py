"""The drafting API as a drafting system calls it: JSON bodies with its bearer token."""

import json


class ApiClient:
    def __init__(self, client, raw_token: str | None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, payload=None, *, content_type="application/json", raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(payload if payload is not None else {})
        return self.client.post(path, data, content_type=content_type, **self.headers)
