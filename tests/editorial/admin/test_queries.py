"""The answer list and the review page cost a fixed number of queries, whatever the data.

Measured with 10,000 answers in the list (made with bulk_create: their history
does not matter here) and with answers of 2 and of 40 citations.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from answers.models import Answer
from editorial.review import checks, services
from tests import factories
from tests.editorial.admin.desk import review_url
from tests.factories import APPROVAL, verify_citations
from tests.support.bulk import bulk_queue

pytestmark = pytest.mark.django_db

LIST = "/admin/answers/answer/"
# Session, user, permissions, groups, counts, one page of rows, the specialty filter: a fixed set.
MAX_LIST_QUERIES = 10
MAX_REVIEW_QUERIES = 16
LIST_VIEWS = ["", "?overdue=yes", "?desk=waiting", "?assigned=me", "?q=question+17", "?status__exact=submitted", "?o=5"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_answer_list_runs_the_same_queries_for_10_answers_and_10000(
    client, board_member, specialty, django_assert_max_num_queries
):
    bulk_queue(10, specialty=specialty, reviewer=board_member)
    client.force_login(board_member)
    client.get(LIST)  # the first request of a session warms caches (content types)
    few = {view: queries(client, LIST + view) for view in LIST_VIEWS}

    bulk_queue(9_990, specialty=specialty, reviewer=board_member, offset=10)
    assert Answer.objects.count() == 10_000
    for view in LIST_VIEWS:
        with django_assert_max_num_queries(min(few[view], MAX_LIST_QUERIES)):
            response = client.get(LIST + view)
        assert len(response.context["cl"].result_list) <= 50
    assert client.get(LIST).context["cl"].result_count == 10_000


def _draft_with_citations(specialty, count: int, question: str):
    draft = factories.draft(specialty, question=question)
    draft.citations = [
        {"number": n, "title": f"Study {n}", "year": 2020, "pmid": str(1000 + n)} for n in range(1, count + 1)
    ]
    draft.sections[0]["body"] = "Evidence " + " ".join(f"[{n}]" for n in range(1, count + 1)) + "."
    return draft


def _answer_in_review(*, citations: int, question: str, drafter, board_member, editor, specialty) -> Answer:
    """An approved answer with a new revision in review: a live revision to diff, verdicts, comments."""
    revision = services.draft_submit(acting_user=drafter, draft=_draft_with_citations(specialty, citations, question))
    answer = revision.answer
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    verify_citations(board_member, answer)
    answer = services.answer_approve(acting_user=board_member, answer=answer, attestation=APPROVAL)
    draft = _draft_with_citations(specialty, citations, question)
    draft.sections[1]["body"] = "- Intravenous iron when oral iron fails or is not tolerated [1]."
    services.draft_submit(acting_user=drafter, draft=draft)
    answer = services.answer_start_review(acting_user=board_member, answer=answer)
    verify_citations(board_member, answer)
    for n in range(citations):
        checks.comment_add(acting_user=editor, answer=answer, body=f"Comment {n}")
    return answer


def test_the_review_page_runs_the_same_queries_for_2_citations_and_40(
    client, drafter, board_member, editor, specialty, django_assert_max_num_queries
):
    people = {"drafter": drafter, "board_member": board_member, "editor": editor, "specialty": specialty}
    small = _answer_in_review(citations=2, question="Small answer?", **people)
    large = _answer_in_review(citations=40, question="Large answer?", **people)
    bulk_queue(10_000, specialty=specialty, reviewer=board_member)
    for user in (board_member, editor):
        client.force_login(user)
        client.get(review_url(small))
        few = queries(client, review_url(small))
        with django_assert_max_num_queries(min(few, MAX_REVIEW_QUERIES)):
            response = client.get(review_url(large))
        assert len(response.context["checks"]) == 40 and len(response.context["comments"]) == 40
        # The Changes tab (the diff against the live revision) adds no query: the revisions are prefetched.
        for tab in ("?tab=changes", "?tab=changes&diff=all"):
            with django_assert_max_num_queries(few):
                response = client.get(review_url(large) + tab)
            assert len(response.context["diff"].references) == 40
