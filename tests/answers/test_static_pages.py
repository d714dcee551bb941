"""The editorial policy, the Medical Advisory Board page and the sitemap."""

from datetime import timedelta
from xml.etree import ElementTree

from django.urls import reverse

from answers.models import ReviewerProfile

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_editorial_policy_explains_drafting_review_dates_re_review_and_error_reports(client, settings, db):
    settings.REVIEW_INTERVAL = timedelta(days=365)
    settings.EDITORIAL_CONTACT_EMAIL = "corrections@example.org"
    response = client.get(reverse("answers:editorial_policy"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "How answers are drafted",
        "How answers are reviewed",
        "How answers are dated",
        "How answers are re-reviewed",
        "How to report an error",
    ):
        assert heading in html
    assert "365 days after its last review" in html
    assert 'href="mailto:corrections@example.org"' in html


def test_board_page_lists_members_credentials_specialties_and_conflicts(client, board_member, second_board_member):
    ReviewerProfile.objects.filter(user=board_member).update(conflict_of_interest="Consults for Acme Pharma.")
    html = client.get(reverse("answers:board")).content.decode()
    assert '<li id="maya-chen" class="board-member">' in html
    assert "Dr. Maya Chen, MD, FACP" in html
    assert "Specialties:</span> Hematology/Oncology" in html
    assert "Consults for Acme Pharma." in html
    assert "Dr. Daniel Okafor, MD, PhD" in html
    assert "None declared." in html


def test_board_page_leaves_out_inactive_members(client, board_member):
    board_member.is_active = False
    board_member.save()
    assert "Dr. Maya Chen" not in client.get(reverse("answers:board")).content.decode()


def test_sitemap_lists_approved_answers_with_their_last_modified_dates(client, settings, approved, answer_in):
    settings.SHOW_PENDING_ANSWERS = True
    answer = approved("2025-03-24")
    pending = answer_in("under_review", question="Is this still in review?")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    entries = {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS) for u in root}
    assert entries[f"http://testserver{answer.get_absolute_url()}"] == "2025-03-24"
    assert f"http://testserver{pending.get_absolute_url()}" not in entries
    assert "http://testserver/editorial-policy/" in entries
    assert "http://testserver/medical-advisory-board/" in entries


def test_every_reader_page_has_a_canonical_link(client, approved):
    approved()
    for name in ("answers:list", "answers:editorial_policy", "answers:board"):
        url = reverse(name)
        assert f'<link rel="canonical" href="http://testserver{url}">' in client.get(url).content.decode()
