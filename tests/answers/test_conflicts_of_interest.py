"""Issue 15, conflicts of interest, on the reader pages: the board page lists each member's
declared interests; the answer page says, for its reviewers, "No conflicts of interest
declared" or the declarations that touch it, and a declaration change shows on the next
request although the page is cached. Everything drafted or declared is escaped."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from answers.models import DeclaredInterest
from editorial.review import profiles
from tests.xss_corpus import PAYLOADS, executable_markup, visible_text

pytestmark = pytest.mark.django_db


def save(editor, member, *declarations):
    """The declarations of `member`'s profile, set through the audited service as the admin does."""
    profiles.reviewer_profile_save(acting_user=editor, profile=member.reviewer_profile, declarations=list(declarations))


def declared(name, *, start=date(2026, 1, 1), end=None, statement="Consulting fees.", pk=None, kind="drug"):
    return profiles.Declaration(kind=kind, name=name, start=start, end=end, statement=statement, pk=pk)


def conflicts_block(html: str) -> str:
    start = html.index('<section class="conflicts"')
    return visible_text(html[start : html.index("</section>", start)])


def test_the_board_page_lists_each_members_declarations(client, editor, board_member, second_board_member):
    save(editor, board_member, declared("Pfizer", kind="company", end=date(2026, 6, 30)), declared("Insulin glargine"))
    page = visible_text(client.get(reverse("answers:board")).content.decode())
    assert "Pfizer (company, from 2026-01-01 to 2026-06-30): Consulting fees." in page
    assert "Insulin glargine (drug, from 2026-01-01, current): Consulting fees." in page
    assert "No interests in companies or drugs declared." in page  # daniel


def test_the_answer_page_says_no_conflicts_declared_for_its_reviewer(client, approved):
    answer = approved()
    html = client.get(answer.get_absolute_url()).content.decode()
    assert conflicts_block(html) == "Conflicts of interest Dr. Maya Chen: No conflicts of interest declared."


def test_a_declaration_change_shows_on_the_next_request_of_the_cached_page(client, approved, editor, board_member):
    answer = approved()  # "Oral iron first [1]." approved by maya on 2025-03-24
    url = answer.get_absolute_url()
    assert "No conflicts of interest declared" in client.get(url).content.decode()  # rendered and cached

    save(editor, board_member, declared("Pfizer", kind="company"))  # not mentioned: still none touching
    assert "No conflicts of interest declared" in conflicts_block(client.get(url).content.decode())

    pfizer = DeclaredInterest.objects.get()
    save(editor, board_member, declared("Pfizer", kind="company", pk=pfizer.pk), declared("iron"))
    block = conflicts_block(client.get(url).content.decode())
    assert (
        block
        == "Conflicts of interest Dr. Maya Chen: declared an interest in iron (drug, from 2026-01-01): Consulting fees."
    )

    iron = DeclaredInterest.objects.get(name="iron")
    save(editor, board_member, declared("iron", pk=iron.pk, statement="Speaker fees from an iron maker."))
    assert "Speaker fees from an iron maker." in conflicts_block(client.get(url).content.decode())

    save(editor, board_member)  # both removed
    assert "No conflicts of interest declared" in conflicts_block(client.get(url).content.decode())


def test_the_reviewer_list_follows_the_signatures(client, approved, editor, board_member):
    answer = approved()
    save(editor, board_member, declared("Oral", kind="company"))
    html = client.get(answer.get_absolute_url()).content.decode()
    assert "Dr. Maya Chen: declared an interest in Oral" in conflicts_block(html)


def test_a_pending_answer_names_no_reviewer_conflicts(client, settings, submit):
    settings.SHOW_PENDING_ANSWERS = True
    answer = submit()
    html = client.get(answer.get_absolute_url()).content.decode()
    assert 'aria-labelledby="conflicts-heading"' not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_declarations_are_escaped_on_both_pages(client, approved, editor, board_member, payload):
    answer = approved()
    save(
        editor,
        board_member,
        declared("iron", statement=payload),
        declared(f"Acme {payload}"[:200], kind="company", statement=payload),
    )
    for url in (reverse("answers:board"), answer.get_absolute_url()):
        html = client.get(url).content.decode()
        assert executable_markup(html) == [], url
        assert "<script>alert(1)</script>" not in html
        assert escape(payload) in html, url  # shown as text, not dropped
