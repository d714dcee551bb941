import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from answers.clients import client_ip

LIMIT = settings.AXES_FAILURE_LIMIT  # LOGIN_FAILURE_LIMIT, 5 by default


def admin_login(client: Client, username: str, password: str, *, address: str = "10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def fail(client: Client, username: str, times: int, *, address: str = "10.0.0.1"):
    return [admin_login(client, username, "wrong-password", address=address).status_code for _ in range(times)]


def test_a_user_is_locked_out_after_repeated_failed_logins_even_with_the_right_password(client, editor):
    statuses = fail(client, "edith", LIMIT)
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert statuses[-1] == 429
    response = admin_login(client, "edith", "edith-password")
    assert response.status_code == 429
    assert b"too many login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_a_failed_login_below_the_limit_does_not_stop_the_right_password(client, editor):
    fail(client, "edith", LIMIT - 1)
    response = admin_login(client, "edith", "edith-password")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_login_clears_the_earlier_failures(client, editor):
    fail(client, "edith", LIMIT - 1)
    admin_login(client, "edith", "edith-password")
    client.logout()
    assert fail(client, "edith", LIMIT - 1) == [200] * (LIMIT - 1)


def test_the_lockout_follows_the_username_across_addresses(client, editor):
    for n in range(LIMIT):
        admin_login(client, "edith", "wrong-password", address=f"10.0.1.{n}")
    assert admin_login(client, "edith", "edith-password", address="10.0.2.1").status_code == 429


def test_the_lockout_follows_the_address_across_usernames(client, editor, board_member):
    for n in range(LIMIT):
        admin_login(client, f"guess{n}", "wrong-password", address="10.0.3.3")
    assert admin_login(client, "maya", "maya-password", address="10.0.3.3").status_code == 429
    assert admin_login(client, "edith", "edith-password", address="10.0.3.4").status_code == 302


def test_lockouts_are_listed_in_the_admin(client, editor, superuser):
    fail(client, "edith", LIMIT)
    assert AccessAttempt.objects.filter(username="edith", failures_since_start=LIMIT).exists()
    staff = Client()
    staff.force_login(superuser)
    response = staff.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert b"edith" in response.content


def test_code_that_authenticates_without_a_request_is_not_refused(client, editor):
    # The test client's login() calls authenticate() with no request.
    assert client.login(username="edith", password="edith-password")
    assert not client.login(username="edith", password="wrong-password")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is the client's own word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a spoofed entry on the left is ignored
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
