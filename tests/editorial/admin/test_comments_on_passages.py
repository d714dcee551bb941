"""Comments on a passage on the review page: beside their section in the draft pane, written
through plain POST forms (a section, or a sentence chosen from a select), resolved and reopened
with a button, the open anchored ones listed in the decision area; a fixed number of queries."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers.models import Answer, Status
from editorial.models import AuditAction, AuditEvent, Comment
from editorial.review import checks, services
from tests.editorial.admin.desk import messages_of, review_url

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"heading": "From the Guidelines", "body": "Oral iron is first line [1]. Take it every other day."},
    {"heading": "Key Findings", "body": "- Intravenous iron when oral iron fails [2].\n- Watch phosphate."},
]


@pytest.fixture
def in_review(submit, board_member):
    return services.answer_start_review(acting_user=board_member, answer=submit(sections=SECTIONS))


def comment_url(answer) -> str:
    return reverse("admin:answers_answer_comment", args=[answer.pk])


def resolve_url(answer, comment, verb="resolve") -> str:
    return reverse(f"admin:answers_answer_comment_{verb}", args=[answer.pk, comment.pk])


def section_aside(html: str, position: int) -> str:
    start = html.index(f'id="section-comments-{position}"')
    return html[start : html.index("</aside>", start)]


def decision_area(html: str) -> str:
    start = html.index('id="decision"')
    return html[start : html.index("</section>", start)]


def options(aside: str) -> list[str]:
    return [unescape(value) for value in re.findall(r'<option value="([^"]*)"', aside)]


# -- writing, without JavaScript ----------------------------------------------------------------


def test_each_section_offers_a_section_form_and_a_select_of_its_sentences(client, in_review, board_member):
    client.force_login(board_member)
    html = client.get(review_url(in_review)).content.decode()
    first, second = section_aside(html, 1), section_aside(html, 2)
    assert "Comment on this section" in first and "Comment on this sentence" in first
    assert f'name="revision" value="{in_review.pending_revision_id}"' in first
    assert options(first) == ["Oral iron is first line [1].", "Take it every other day."]
    assert options(second) == ["Intravenous iron when oral iron fails [2].", "Watch phosphate."]
    # The draft is still the reader's markup: the section, then its comments.
    assert html.index('id="section-from-the-guidelines-1"') < html.index('id="section-comments-1"')


def test_a_sentence_chosen_from_the_select_is_commented_beside_its_section(client, in_review, board_member):
    client.force_login(board_member)
    html = client.get(review_url(in_review)).content.decode()
    quote = options(section_aside(html, 2))[0]
    response = client.post(
        comment_url(in_review),
        {"revision": in_review.pending_revision_id, "section": "2", "quote": quote, "body": "Which <b>dose</b>?"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#section-comments-2")
    assert messages_of(response) == ["Comment added."]
    response = client.post(comment_url(in_review), {"revision": in_review.pending_revision_id, "section": "1",
                                                    "body": "Say how long."})  # fmt: skip
    assert response["Location"].endswith("#section-comments-1")

    html = client.get(review_url(in_review)).content.decode()
    second = section_aside(html, 2)
    assert '<blockquote class="comment-quote">Intravenous iron when oral iron fails [2].</blockquote>' in second
    assert "Which &lt;b&gt;dose&lt;/b&gt;?" in second and "Say how long." not in second
    assert "Say how long." in section_aside(html, 1)
    assert [(c.section.position, c.quote) for c in Comment.objects.order_by("id")] == [(2, quote), (1, "")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"section": "1", "quote": "Oral iron is second line [1]."}, "The quoted sentence is not in the section"),
        ({"section": "2", "quote": "Oral iron is first line [1]."}, "not in the section \u201cKey Findings\u201d"),
        ({"section": "9"}, "has no section 9"),
        ({"section": "abc"}, "Section: Enter a whole number."),
        ({"section": "0"}, "Section: Ensure this value is greater than or equal to 1."),
        ({"section": "99999999999999999999"}, "Section: Ensure this value is less than or equal to 32767."),
        ({"quote": "Oral iron is first line [1]."}, "needs the section it comes from"),
        ({"section": "1", "quote": "x" * 3000}, "Sentence: Ensure this value has at most 2000 characters"),
        ({"revision": "abc", "section": "1"}, "Revision: Enter a whole number."),
    ],
)
def test_a_bad_anchor_is_a_message_on_the_page_never_a_500(client, in_review, board_member, data, message):
    client.force_login(board_member)
    events = AuditEvent.objects.count()
    response = client.post(comment_url(in_review), {"revision": in_review.pending_revision_id, "body": "Hm.", **data})
    assert response.status_code == 302
    (said,) = messages_of(response)
    assert message in said
    assert not Comment.objects.exists() and AuditEvent.objects.count() == events


def test_a_revision_of_another_answer_is_refused(client, in_review, submit, board_member):
    other = submit(question="Is ferritin enough to diagnose iron deficiency?")
    client.force_login(board_member)
    response = client.post(comment_url(in_review), {"revision": other.pending_revision_id, "section": "1", "body": "x"})
    assert messages_of(response) == ["This answer has no such revision."]
    assert not Comment.objects.exists()


def test_the_whole_answer_form_writes_on_the_revision_shown(client, answer_in, editor):
    approved = answer_in(Status.APPROVED)
    client.force_login(editor)
    client.post(comment_url(approved), {"body": "Due for an update next year."})
    comment = Comment.objects.get()
    assert (comment.revision_id, comment.section_id) == (approved.live_revision_id, None)


# -- resolving, without JavaScript --------------------------------------------------------------


def test_board_members_and_editors_resolve_and_reopen_with_a_button(client, in_review, board_member, editor):
    comment = checks.comment_add(acting_user=board_member, answer=in_review, body="Which dose?", section=2)
    client.force_login(editor)
    html = client.get(review_url(in_review)).content.decode()
    assert f'action="{resolve_url(in_review, comment)}"' in section_aside(html, 2)
    response = client.post(resolve_url(in_review, comment))
    assert messages_of(response) == ["Comment resolved."]
    assert response["Location"].endswith("#section-comments-2")
    assert not Comment.objects.get(pk=comment.pk).is_open

    client.force_login(board_member)
    html = client.get(review_url(in_review)).content.decode()
    assert "Resolved by" in section_aside(html, 2) and 'value="Reopen"' in section_aside(html, 2)
    response = client.post(resolve_url(in_review, comment, "reopen"))
    assert messages_of(response) == ["Comment reopened."]
    assert Comment.objects.get(pk=comment.pk).is_open
    actions = AuditEvent.objects.filter(answer_id=in_review.pk).order_by("id").values_list("action", "actor")
    assert list(actions)[-2:] == [
        (AuditAction.COMMENT_RESOLVE, editor.pk),
        (AuditAction.COMMENT_REOPEN, board_member.pk),
    ]

    response = client.post(resolve_url(in_review, comment, "reopen"))
    assert messages_of(response)[-1] == "This comment is open already."


def test_a_comment_of_another_answer_is_a_404_and_a_get_is_refused(client, in_review, submit, board_member):
    other = submit(question="Is ferritin enough to diagnose iron deficiency?")
    comment = checks.comment_add(acting_user=board_member, answer=other, body="Which dose?")
    client.force_login(board_member)
    assert client.post(resolve_url(in_review, comment)).status_code == 404
    assert client.get(resolve_url(other, comment)).status_code == 405
    assert Comment.objects.get(pk=comment.pk).is_open


# -- the decision area --------------------------------------------------------------------------


def test_the_decision_area_lists_the_open_anchored_comments_of_the_pending_revision(
    client, answer_in, submit, board_member, editor
):
    answer = answer_in(Status.APPROVED)
    live = Answer.objects.get(pk=answer.pk).live_revision
    old = checks.comment_add(acting_user=editor, answer=answer, body="On the live text.", revision=live, section=1)
    answer = services.answer_start_review(acting_user=board_member, answer=submit(sections=SECTIONS))
    add = checks.comment_add
    first = add(acting_user=editor, answer=answer, body="Which <i>trial</i>?", section=1,
                quote="Oral iron is first line [1].")  # fmt: skip
    second = add(acting_user=board_member, answer=answer, body="Add the phosphate threshold.", section=2)
    done = add(acting_user=board_member, answer=answer, body="Typo.", section=2, quote="Watch phosphate.")
    add(acting_user=board_member, answer=answer, body="The whole answer is fine.")
    checks.comment_resolve(acting_user=editor, comment=done)

    client.force_login(board_member)
    response = client.get(review_url(answer))
    assert [c.pk for c in response.context["open_anchored_comments"]] == [first.pk, second.pk]
    area = decision_area(response.content.decode())
    assert "2 open comments" in area
    assert f'href="#section-comment-{first.pk}"' in area and f'href="#section-comment-{second.pk}"' in area
    assert "Which &lt;i&gt;trial&lt;/i&gt;?" in area and "<q>Oral iron is first line [1].</q>" in area
    for absent in ("Typo.", "The whole answer is fine.", "On the live text."):
        assert absent not in area
    # Every comment, of every revision, stays in the list of comments below.
    assert {c.pk for c in response.context["comments"]} == {old.pk, first.pk, second.pk, done.pk} | {
        Comment.objects.get(body="The whole answer is fine.").pk
    }


def test_no_pending_revision_no_list(client, answer_in, editor):
    answer = answer_in(Status.APPROVED)
    checks.comment_add(acting_user=editor, answer=answer, body="On the live text.", section=1)
    client.force_login(editor)
    response = client.get(review_url(answer))
    assert response.context["open_anchored_comments"] == []
    assert 'id="open-comments"' not in response.content.decode()
    assert "On the live text." in section_aside(response.content.decode(), 1)  # beside the live section


# -- cost -----------------------------------------------------------------------------------


def _comment_many(answer, people, count: int) -> None:
    sentences = ["Oral iron is first line [1].", "Take it every other day.", "Watch phosphate."]
    for n in range(count):
        section = 1 + n % 2
        quote = sentences[n % 3] if (n % 3 != 2) == (section == 1) else ""
        comment = checks.comment_add(
            acting_user=people[n % 2], answer=answer, body=f"Comment {n}", section=section if n % 4 else None,
            quote=quote if n % 4 else "",
        )  # fmt: skip
        if n % 5 == 0:
            checks.comment_resolve(acting_user=people[(n + 1) % 2], comment=comment)


def test_the_review_page_costs_the_same_queries_with_2_comments_and_60(
    client, submit, board_member, editor, django_assert_max_num_queries
):
    small = services.answer_start_review(acting_user=board_member, answer=submit(sections=SECTIONS))
    large = services.answer_start_review(
        acting_user=board_member, answer=submit(sections=SECTIONS, question="Is ferritin enough?")
    )
    _comment_many(small, [board_member, editor], 2)
    _comment_many(large, [board_member, editor], 60)
    for user in (board_member, editor):
        client.force_login(user)
        client.get(review_url(small))
        with CaptureQueriesContext(connection) as few:
            client.get(review_url(small))
        with django_assert_max_num_queries(len(few)):
            response = client.get(review_url(large))
        assert len(response.context["comments"]) == 60
        assert len(response.context["open_anchored_comments"]) > 20
        html = response.content.decode()
        assert html.count('class="comment review-comment') > 60  # beside the sections and in the list
