import pytest
from django.core.cache import cache
from django.db import transaction

from answers.models import FollowUpQuestion
from editorial.models import AuditEvent, ReportExport
from tests.matrix.requests import REQUESTS, api_body
from tests.matrix.world import build


def _writes() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), ReportExport.objects.count(), FollowUpQuestion.objects.count()


@pytest.fixture
def world(db, client, specialty, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build(client, specialty)


@pytest.fixture
def status_of(client, world):
    """status_of(pattern, role): what `role` gets for the pattern's request; changes are rolled back.

    A GET gives its status code. A POST gives "<status> wrote" when the request
    took effect (an audit event, an export or a follow-up question was written)
    and "<status> refused" when not, since a refused admin action also answers
    with a redirect and a message.
    """

    def _status(pattern: str, role: str) -> int:
        method, url, data = REQUESTS[pattern]
        url = url.format(**world.ids)
        with transaction.atomic():
            before = _writes()
            cache.clear()  # rate limits and cached pages from the previous role
            client.logout()
            headers = {}
            if role != "anonymous":
                if url.startswith("/api/"):
                    headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
                else:
                    client.force_login(world.users[role])
            if method == "GET":
                response = client.get(url, **headers)
            elif isinstance(data, str):
                response = client.post(url, api_body(data), content_type="application/json", **headers)
            else:
                data = {
                    key: (value.format(**world.ids) if isinstance(value, str) else value) for key, value in data.items()
                }
                response = client.post(url, data, **headers)
            wrote = _writes() != before
            transaction.set_rollback(True)
        client.logout()
        if method == "GET":
            return response.status_code
        return f"{response.status_code} {'wrote' if wrote else 'refused'}"

    return _status
