"""Each user's choice of e-mails, per kind, on the preferences page."""

from django.urls import reverse
from django.utils.html import escape

from editorial.models import NotificationKind, NotificationPreference


def test_the_preferences_page_shows_every_kind_switched_on_by_default(client, board_member):
    client.force_login(board_member)

    page = client.get(reverse("notification_preferences"))

    assert page.status_code == 200
    for kind, label in NotificationKind.choices:
        assert f'name="{kind}"' in page.content.decode()
        assert escape(label) in page.content.decode()
    assert page.content.decode().count("checked") == len(NotificationKind.values)


def test_a_user_switches_a_kind_off_and_on_again(client, board_member):
    client.force_login(board_member)
    wanted = [k for k in NotificationKind.values if k != NotificationKind.REMINDER]

    client.post(reverse("notification_preferences"), {k: "on" for k in wanted})

    off = NotificationPreference.objects.filter(user=board_member, enabled=False)
    assert list(off.values_list("kind", flat=True)) == [NotificationKind.REMINDER]

    client.post(reverse("notification_preferences"), {k: "on" for k in NotificationKind.values})

    assert not NotificationPreference.objects.filter(user=board_member, enabled=False).exists()


def test_the_preferences_page_needs_a_signed_in_user(client, db):
    page = client.get(reverse("notification_preferences"))

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
