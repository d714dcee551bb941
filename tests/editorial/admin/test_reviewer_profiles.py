"""Issue 13, item 13: only board members have a public profile, and every change to one is audited."""

import pytest
from django.urls import reverse

from answers.models import ReviewerProfile
from editorial.models import AuditEvent
from tests.editorial.admin.desk import messages_of  # noqa: F401 (shared helpers)

pytestmark = pytest.mark.django_db

ADD = "admin:answers_reviewerprofile_add"


def profile_form(user, specialty=None, **fields):
    data = {
        "user": user.pk,
        "display_name": "Dr. Drafter Bot",
        "credentials": "MD, PhD, FRCP",
        "bio": "",
        "conflict_of_interest": "",
        "slug": "drafter-bot",
        # The declared-interests inline, with no row (tests/editorial/review/test_conflicts_of_interest.py fills it).
        "interests-TOTAL_FORMS": "0",
        "interests-INITIAL_FORMS": "0",
    }
    if specialty is not None:
        data["specialties"] = [specialty.pk]
    data.update(fields)
    return data


def test_an_editor_cannot_give_a_drafting_system_a_public_profile(client, editor, drafter):
    client.force_login(editor)
    response = client.post(reverse(ADD), profile_form(drafter))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["user"]
    assert "Medical Advisory Board" in errors["user"][0]
    assert not ReviewerProfile.objects.filter(user=drafter).exists()
    assert not AuditEvent.objects.filter(action="vetted.profile.change").exists()


def test_the_board_page_lists_only_board_members(client, board_member, drafter):
    ReviewerProfile.objects.create(user=drafter, display_name="Dr. Drafter Bot", credentials="MD", slug="drafter-bot")
    page = client.get(reverse("answers:board")).content.decode()
    assert "Dr. Maya Chen" in page
    assert "Drafter Bot" not in page


def test_creating_a_board_members_profile_is_audited(client, editor, specialty):
    from editorial.access import roles
    from tests.factories import user

    member = user("nadia", roles.BOARD)
    client.force_login(editor)
    response = client.post(
        reverse(ADD), profile_form(member, specialty, display_name="Dr. Nadia Roy", credentials="MD", slug="nadia-roy")
    )
    assert response.status_code == 302
    profile = ReviewerProfile.objects.get(user=member)
    event = AuditEvent.objects.get(action="vetted.profile.change")
    assert event.actor == editor and event.answer_id is None
    assert event.data["profile"] == profile.pk and event.data["created"] is True
    assert event.data["changes"]["credentials"] == ["", "MD"]
    assert event.data["changes"]["specialties"] == [[], ["Hematology/Oncology"]]


def test_rewriting_credentials_is_audited_field_by_field_and_shown_in_its_history(client, editor, board_member):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    url = reverse("admin:answers_reviewerprofile_change", args=[profile.pk])
    data = profile_form(
        board_member,
        display_name=profile.display_name,
        credentials="MD, PhD, FRCP",
        slug=profile.slug,
        specialties=[s.pk for s in profile.specialties.all()],
    )
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="vetted.profile.change")
    assert event.data["changes"] == {"credentials": ["MD, FACP", "MD, PhD, FRCP"]}
    assert event.data["created"] is False and event.actor == editor
    page = client.get(url).content.decode()
    assert "MD, FACP" in page and "MD, PhD, FRCP" in page and "edith" in page
    # Saving again with nothing changed writes nothing.
    client.post(url, data)
    assert AuditEvent.objects.filter(action="vetted.profile.change").count() == 1


def test_a_profile_cannot_be_moved_to_a_non_member(client, editor, board_member, drafter):
    profile = board_member.reviewer_profile
    client.force_login(editor)
    url = reverse("admin:answers_reviewerprofile_change", args=[profile.pk])
    response = client.post(url, profile_form(drafter, display_name=profile.display_name, slug=profile.slug))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["user"]
    assert ReviewerProfile.objects.get(pk=profile.pk).user == board_member
