"""Reports are for editors and staff; everyone else is refused, anonymous visitors are sent to log in."""

import pytest
from django.urls import reverse

URLS = [
    reverse("editorial_reports:index"),
    reverse("editorial_reports:page", args=["backlog"]),
    reverse("editorial_reports:page", args=["quality"]) + "?export=quality",
    reverse("editorial_reports:page", args=["agreement"]),
    reverse("editorial_reports:page", args=["agreement"]) + "?export=agreement_pairs",
]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitor_is_sent_to_the_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", URLS)
def test_reader_is_refused(client, reader, url):
    client.force_login(reader)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_drafting_system_is_refused(client, drafter, url):
    client.force_login(drafter)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("user", ["editor", "superuser", "board_member"])
@pytest.mark.parametrize("url", [URLS[1], URLS[3], URLS[4]])
def test_editors_and_staff_may_read_reports(db, client, request, user, url):
    client.force_login(request.getfixturevalue(user))
    assert client.get(url).status_code == 200


def test_an_inactive_staff_member_is_sent_to_log_in_again(client, editor):
    client.force_login(editor)
    editor.is_active = False
    editor.save()
    # Django's session auth drops inactive users, so they are anonymous again.
    response = client.get(URLS[0])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_reader_cannot_start_an_export(client, reader):
    client.force_login(reader)
    assert client.post(reverse("editorial_reports:export_start")).status_code == 403


def test_the_admin_index_links_to_the_reports(client, editor):
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'href="/editorial/reports/"' in response.content.decode()
