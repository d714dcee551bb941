"""Issue 13, item 16: the preferences page has a login any account can use, and
a login with no (or a refused) `next` lands somewhere that exists."""

import pytest
from django.urls import reverse

from editorial.models import NotificationKind, NotificationPreference

pytestmark = pytest.mark.django_db

PREFERENCES = "/editorial/preferences/"


def test_a_drafting_system_signs_in_to_its_preferences(client, drafter):
    page = client.get(PREFERENCES)
    assert page.status_code == 302
    login = page["Location"]
    assert login.startswith("/accounts/login/")
    assert client.get(login).status_code == 200
    signed_in = client.post(login, {"username": "drafter", "password": "drafter-password"}, REMOTE_ADDR="10.0.0.9")
    assert signed_in.status_code == 302 and signed_in["Location"] == PREFERENCES
    preferences = client.get(PREFERENCES)
    assert preferences.status_code == 200
    client.post(PREFERENCES, {k: "on" for k in NotificationKind.values if k != NotificationKind.DECISION})
    assert NotificationPreference.objects.get(user=drafter, kind=NotificationKind.DECISION).enabled is False


def test_the_site_login_counts_failures_like_the_admins(client, drafter):
    from axes.models import AccessAttempt

    response = client.post("/accounts/login/", {"username": "drafter", "password": "nope"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username="drafter").exists()


def test_a_non_staff_login_without_next_goes_to_the_preferences(client, drafter):
    response = client.post("/accounts/login/", {"username": "drafter", "password": "drafter-password"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("notification_preferences")
    assert response.status_code == 200


@pytest.mark.parametrize("next_url", ["https://evil.example.org/", "//evil.example.org/x"])
def test_the_admin_login_with_a_refused_next_goes_to_the_admin_index(client, editor, next_url):
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": "edith", "password": "edith-password", "next": next_url},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("admin:index")
