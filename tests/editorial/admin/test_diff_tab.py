"""The workspace's Changes tab on the review page: its tab bar (links, server-side), the toggle
between the changed sentences and the whole text (no script), escaping, bad parameters."""

import re

import pytest

from answers.models import Status
from editorial.review import services
from tests import factories
from tests.editorial.admin.desk import review_url
from tests.xss_corpus import PAYLOADS, executable_markup, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def redrafted(answer_in, drafter, specialty):
    """An approved answer (live revision 1) with revision 2 waiting: one sentence edited, one added."""
    answer = answer_in(
        Status.APPROVED,
        sections=[{"heading": "Dosing", "body": "Oral iron first [1]. Give 60 mg daily. Check ferritin [2]."}],
    )
    draft = factories.draft(
        specialty,
        sections=[
            {"heading": "Dosing", "body": "Oral iron first [1]. Give 100 mg on alternate days. Check ferritin [2]."}
        ],
    )
    draft.citations[1]["year"] = 2024
    services.draft_submit(acting_user=drafter, draft=draft)
    return answer


def tabs(html: str) -> list[tuple[str, str, bool]]:
    nav = re.search(r'<nav class="workspace-tabs".*?</nav>', html, re.S).group()
    return [
        (href, visible_text(text), "aria-current" in attrs)
        for href, attrs, text in re.findall(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', nav, re.S)
    ]


def test_the_draft_tab_is_the_default_and_the_changes_are_one_link_away(client, board_member, redrafted):
    client.force_login(board_member)
    response = client.get(review_url(redrafted))
    html = response.content.decode()
    assert tabs(html) == [
        ("?tab=draft", "Draft & evidence", True),
        ("?tab=changes#diff", "Changes since live revision 1", False),
    ]
    assert 'id="workspace"' in html and 'id="diff"' not in html
    assert response.context["diff"] is None  # computed only on its own tab


def test_the_changes_tab_shows_the_diff_instead_of_the_draft(client, board_member, redrafted):
    client.force_login(board_member)
    response = client.get(review_url(redrafted) + "?tab=changes")
    html = response.content.decode()
    assert [current for _href, _text, current in tabs(html)] == [False, True]
    assert 'id="diff"' in html and 'id="workspace"' not in html
    assert "Live (revision 1)" in html and "This revision (2)" in html
    assert '<td class="diff-old">Give <del>60</del> mg <del>daily.</del></td>' in html
    assert '<td class="diff-new">Give <ins>100</ins> mg <ins>on alternate days.</ins></td>' in html
    assert visible_text(html).count("1 unchanged sentence ") == 2  # before and after the changed one
    assert "year: 2020 → 2024" in visible_text(html)
    assert "Oral iron first [1]." not in visible_text(html)  # unchanged: left out by default


def test_the_toggle_shows_the_whole_text_and_back_without_script(client, board_member, redrafted):
    client.force_login(board_member)
    compact = client.get(review_url(redrafted) + "?tab=changes").content.decode()
    assert '<a href="?tab=changes&amp;diff=all#diff" id="diff-toggle">Show the whole text</a>' in compact
    whole = client.get(review_url(redrafted) + "?tab=changes&diff=all").content.decode()
    assert '<a href="?tab=changes#diff" id="diff-toggle">Show only the changes</a>' in whole
    assert visible_text(whole).count("Oral iron first [1].") == 2  # both sides of the unchanged sentence
    assert "unchanged sentence" not in visible_text(whole)
    assert "Guideline on iron deficiency" in visible_text(whole)  # unchanged references listed too


def test_no_tabs_without_a_live_revision_to_compare(client, board_member, answer_in):
    answer = answer_in(Status.UNDER_REVIEW)
    client.force_login(board_member)
    response = client.get(review_url(answer) + "?tab=changes")
    html = response.content.decode()
    assert response.status_code == 200 and response.context["diff"] is None
    assert "workspace-tabs" not in html and 'id="workspace"' in html


@pytest.mark.parametrize("query", ["?tab=nonsense", "?tab=", "?diff=all", "?tab=changes&diff=%00", "?tab=CHANGES"])
def test_unknown_parameters_show_the_default_tab(client, board_member, redrafted, query):
    client.force_login(board_member)
    response = client.get(review_url(redrafted) + query)
    assert response.status_code in (200, 400)  # a NUL byte is refused by NulByteGuardMiddleware: never a 500
    if response.status_code == 200 and "tab=changes" not in query:
        assert response.context["diff"] is None


def test_drafted_markup_is_inert_in_the_changes_tab(client, board_member, answer_in, drafter, specialty):
    payloads = " ".join(PAYLOADS)
    answer = answer_in(Status.APPROVED, sections=[{"heading": "<b>Dosing</b>", "body": "Before. " + payloads}])
    draft = factories.draft(
        specialty,
        sections=[
            {"heading": "<b>Dosing</b>", "body": "After. " + payloads + " [1]"},
            {"heading": "<script>alert(1)</script>", "body": payloads},
        ],
    )
    draft.citations[0]["title"] = "<img src=x onerror=alert(1)> guideline"
    services.draft_submit(acting_user=drafter, draft=draft)
    client.force_login(board_member)
    for query in ("?tab=changes", "?tab=changes&diff=all"):
        html = client.get(review_url(answer) + query).content.decode()
        diff = html[html.index('id="diff"') : html.index('id="comments"')]
        assert executable_markup(diff) == []
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in diff and "&lt;img src=x onerror=alert(1)&gt;" in diff
