"""The permission matrix's world, built once per module, and the request each row stands for."""

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings

from answers.models import FollowUpQuestion
from editorial.models import AuditEvent, ReportExport
from tests import factories
from tests.matrix.requests import REQUESTS, api_body
from tests.matrix.world import build


def _writes() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), ReportExport.objects.count(), FollowUpQuestion.objects.count()


def _signed_in(user) -> str:
    """The session key of a fresh sign-in of `user`."""
    signing_in = Client()
    signing_in.force_login(user)
    return signing_in.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, and a signed-in session per role, built once for the module's ~130 rows
    instead of once per row (and per request).

    It is written inside a transaction that stays open for the module and is rolled
    back at its end. Each test's `db` runs in a savepoint of it (rolled back after the
    test), and each request of `status_of` in one more, so no row sees another's writes.
    """
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the autouse one is per test
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"), PASSWORD_HASHERS=fast_hashing):
        with django_db_blocker.unblock():
            module_transaction = transaction.atomic()
            module_transaction.__enter__()
            try:
                built = build(Client(), factories.specialty())
                built.sessions = {role: _signed_in(user) for role, user in built.users.items()}
            except BaseException:
                transaction.set_rollback(True)
                module_transaction.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def status_of(db, client, world):
    """status_of(pattern, role): what `role` gets for the pattern's request; changes are rolled back.

    A GET gives its status code. A POST gives "<status> wrote" when the request
    took effect (an audit event, an export or a follow-up question was written)
    and "<status> refused" when not, since a refused admin action also answers
    with a redirect and a message.

    Each request starts from an empty cookie jar holding only the role's session
    (signed in once per module, see `world`), as a fresh sign-in would leave it:
    whatever a request does to that session, a logout included, is rolled back with it.
    """

    def _status(pattern: str, role: str) -> int:
        method, url, data = REQUESTS[pattern]
        url = url.format(**world.ids)
        client.cookies = SimpleCookie()
        headers = {}
        if role != "anonymous":
            if url.startswith("/api/"):
                headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
            else:
                client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        with transaction.atomic():
            before = _writes() if method == "POST" else None
            for name in settings.CACHES:  # rate limits and cached pages from the previous role
                caches[name].clear()
            if method == "GET":
                response = client.get(url, **headers)
            elif isinstance(data, str):
                response = client.post(url, api_body(data), content_type="application/json", **headers)
            else:
                data = {
                    key: (value.format(**world.ids) if isinstance(value, str) else value) for key, value in data.items()
                }
                response = client.post(url, data, **headers)
            wrote = method == "POST" and _writes() != before
            transaction.set_rollback(True)
        if method == "GET":
            return response.status_code
        return f"{response.status_code} {'wrote' if wrote else 'refused'}"

    return _status
