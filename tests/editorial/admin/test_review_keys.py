"""The review workspace's speed, through the Django test client: verdicts saved without a reload
(htmx requests answered with the card and the counts out-of-band, in a fixed number of queries),
the decision bar and its approve dialog, and the next answer after a decision.

The browser side (the keys, the dialogs, page loads counted) is test_browser_keys.py.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers.models import Status
from editorial.models import CitationVerdict
from editorial.review import checks, selectors, services
from editorial.review.summary import changes_line
from tests import factories
from tests.editorial.admin.desk import messages_of, reloaded, review_url, transition_url
from tests.factories import APPROVAL, password_of, verify_citations

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
QUEUE = "/admin/answers/answer/"


def draft_with(specialty, count: int, question: str, **overrides):
    draft = factories.draft(specialty, question=question, **overrides)
    draft.citations = [
        {"number": n, "title": f"Study {n}", "year": 2020, "pmid": str(1000 + n)} for n in range(1, count + 1)
    ]
    draft.sections[0]["body"] = " ".join(f"Finding {n} [{n}]." for n in range(1, count + 1))
    draft.sections[1]["body"] = "- Nothing cited here."
    return draft


def in_review(drafter, board_member, specialty, *, count: int = 6, question: str = "Six citations?"):
    revision = services.draft_submit(acting_user=drafter, draft=draft_with(specialty, count, question))
    return services.answer_start_review(acting_user=board_member, answer=revision.answer)


def waiting(drafter, specialty, question: str):
    return services.draft_submit(acting_user=drafter, draft=draft_with(specialty, 2, question)).answer


def resubmit(drafter, board_member, answer, draft):
    """A new revision of `answer` in "submitted" (changes requested first, if it is in review)."""
    if reloaded(answer).status == Status.UNDER_REVIEW:
        services.answer_decide("request_changes", acting_user=board_member, answer=answer.pk, reason="Redo.")
    services.draft_submit(acting_user=drafter, draft=draft)
    return reloaded(answer)


def verdict_url(answer, number: int) -> str:
    citation = reloaded(answer).pending_revision.citations.get(number=number)
    return reverse("admin:answers_answer_verdict", args=[answer.pk, citation.pk])


# -- saves without a reload ----------------------------------------------------------------


def test_an_htmx_verdict_answers_with_the_card_and_the_counts_out_of_band(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty)
    client.force_login(board_member)
    response = client.post(verdict_url(answer, 3), {"verdict": "verified", "note": "Matches table 2."}, **HTMX)
    assert response.status_code == 200  # no redirect: the card replaces itself
    html = response.content.decode()
    assert html.lstrip().startswith('<article class="evidence-card checked" id="citation-3"')
    assert html.count('<article class="evidence-card') == 1  # that card only, not the page
    assert '<span class="badge verified">Verified</span>' in html and "Matches table 2." in html
    assert (
        '<p class="evidence-progress" id="evidence-progress" hx-swap-oob="true"><strong>1 of 6</strong> checked</p>'
        in html
    )
    status = html[html.index('id="decision-status"') :]
    assert 'hx-swap-oob="true"' in status[:80] and "<strong>1 of 6</strong> checked: 1 verified, 5 unchecked" in status
    assert "Approve is blocked until 5 things are done" in status
    # The approve dialog's summary follows too.
    assert '<dd id="decision-approve-verdicts" hx-swap-oob="true">1 verified, 5 unchecked</dd>' in html
    assert messages_of(response) == []  # nothing left to flash on the next page load
    verdict = CitationVerdict.objects.get(citation__revision=reloaded(answer).pending_revision, citation__number=3)
    assert (verdict.verdict, verdict.note, verdict.reviewer) == ("verified", "Matches table 2.", board_member)


def test_the_last_verdict_clears_the_blockers_out_of_band(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    client.force_login(board_member)
    client.post(verdict_url(answer, 1), {"verdict": "verified"}, **HTMX)
    html = client.post(verdict_url(answer, 2), {"verdict": "unverifiable"}, **HTMX).content.decode()
    assert "<strong>2 of 2</strong> checked: 1 verified, 1 could not verify" in html
    assert "Approve is blocked" not in html
    assert '<div id="decision-approve-blockers" hx-swap-oob="true"></div>' in html


def test_a_refused_htmx_verdict_shows_on_the_card_and_records_nothing(
    client, drafter, board_member, second_board_member, specialty
):
    answer = in_review(drafter, board_member, specialty, count=2)
    client.force_login(board_member)
    html = client.post(verdict_url(answer, 1), {"verdict": "maybe"}, **HTMX).content.decode()
    assert '<p class="errornote" role="alert">Verdict: Select a valid choice.' in html
    assert '<span class="badge unchecked">Unchecked</span>' in html
    client.force_login(second_board_member)  # not the holder of the review
    html = client.post(verdict_url(answer, 1), {"verdict": "verified"}, **HTMX).content.decode()
    assert "Only the board member holding this review may record citation verdicts." in html
    assert "<form" not in html  # no verdict form for someone who may not record one
    assert not CitationVerdict.objects.exists()


def test_a_plain_verdict_post_still_redirects_to_the_card(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    client.force_login(board_member)
    response = client.post(verdict_url(answer, 1), {"verdict": "verified"})
    assert response.status_code == 302 and response["Location"].startswith(review_url(answer) + "#check-")
    assert messages_of(response) == ["Citation verdict recorded."]


def test_an_htmx_verdict_on_a_stale_page_reloads_it(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    old = verdict_url(answer, 1)
    resubmit(drafter, board_member, answer, draft_with(specialty, 2, "Six citations?", model_version="2"))
    client.force_login(board_member)
    response = client.post(old, {"verdict": "verified"}, **HTMX)
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert not CitationVerdict.objects.exists()


def test_an_htmx_waiver_answers_with_the_card(client, drafter, board_member, editor, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    citation = reloaded(answer).pending_revision.citations.get(number=2)
    client.force_login(editor)
    url = reverse("admin:answers_answer_waive", args=[answer.pk, citation.pk])
    html = client.post(url, {"reason": "Checked by phone."}, **HTMX).content.decode()
    assert html.lstrip().startswith('<article class="evidence-card checked" id="citation-2"')
    assert "Waived by" in html and "<strong>1 of 2</strong> checked" in html


def test_the_fragment_runs_the_same_queries_for_2_citations_and_40(
    client, drafter, board_member, specialty, django_assert_max_num_queries
):
    small = in_review(drafter, board_member, specialty, count=2, question="Small?")
    large = in_review(drafter, board_member, specialty, count=40, question="Large?")
    for answer in (small, large):
        verify_citations(board_member, answer)  # every card checked: the most the fragment shows
    client.force_login(board_member)
    client.post(verdict_url(small, 1), {"verdict": "verified"}, **HTMX)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.post(verdict_url(small, 2), {"verdict": "verified"}, **HTMX)
    url = verdict_url(large, 40)
    with django_assert_max_num_queries(len(few)):
        response = client.post(url, {"verdict": "unverifiable"}, **HTMX)
    assert "<strong>40 of 40</strong> checked: 39 verified, 1 could not verify" in response.content.decode()


# -- the decision bar and its dialogs ---------------------------------------------------------


def dialog(html: str, name: str) -> str:
    start = html.index(f'<dialog class="decision-dialog" id="decision-{name}"')
    return html[start : html.index("</dialog>", start)]


def test_the_approve_dialog_shows_what_is_signed(client, drafter, board_member, specialty):
    first = in_review(drafter, board_member, specialty, count=3)
    verify_citations(board_member, first)
    services.answer_approve(acting_user=board_member, answer=first, attestation=APPROVAL)
    draft = draft_with(specialty, 3, "Six citations?")
    draft.sections[1]["body"] = "- A new finding [3]."
    draft.citations[2]["title"] = "Study 3, updated"
    draft.citations.append({"number": 4, "title": "Study 4", "year": 2024, "doi": "10.1/new"})
    draft.sections[0]["body"] += " Finding 4 [4]."
    services.draft_submit(acting_user=drafter, draft=draft)
    answer = services.answer_start_review(acting_user=board_member, answer=first)
    checks.citation_verdict_record(
        acting_user=board_member, citation=reloaded(answer).pending_revision.citations.get(number=1), verdict="verified"
    )
    client.force_login(board_member)
    html = client.get(review_url(answer)).content.decode()
    pending = reloaded(answer).pending_revision
    approve = dialog(html, "approve")
    assert f'action="{transition_url(answer, "approve")}"' in approve  # the approve page's own form
    assert f"Approve: revision {pending.number}" in approve
    assert f'<code class="content-hash">{pending.content_hash}</code>' in approve
    assert "1 verified, 3 unchecked" in approve
    assert "2 sections changed; 1 reference changed, 1 added" in approve
    assert settings.APPROVAL_ATTESTATION in approve
    assert 'type="password" name="password"' in approve and 'id="id_approve_password"' in approve
    assert '<input type="hidden" name="expected_status" value="under_review"' in approve
    assert "Approve is blocked: Citation 2 has not been checked. (and 2 more)" in approve
    # The bar's buttons stay plain POSTs; the keys and the dialog are the script's addition.
    assert re.search(r'value="approve"[^>]*data-dialog="decision-approve"[^>]*aria-keyshortcuts="a"', html)
    assert re.search(r'value="request_changes"[^>]*data-dialog="decision-request_changes"', html)
    assert 'id="id_request_changes_reason"' in dialog(html, "request_changes")
    assert 'id="id_reject_reason"' in dialog(html, "reject")
    assert '<dialog class="keys-help" id="keys-help"' in html


def test_changes_line_matches_references_by_doi_then_pmid_then_title(drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    live = reloaded(answer).pending_revision
    assert changes_line(live, live) == ""
    assert changes_line(None, live) == ""
    draft = draft_with(specialty, 2, "Six citations?")
    draft.citations[0]["number"], draft.citations[1]["number"] = 2, 1  # renumbered only: same references
    draft.sections[0]["body"] = "Finding 1 [2]. Finding 2 [1]."
    pending = resubmit(drafter, board_member, answer, draft).pending_revision
    assert changes_line(live, pending) == "1 section changed"
    draft = draft_with(specialty, 2, "Six citations?")
    draft.citations[1] = {"number": 2, "title": "Another study", "year": 2021}
    draft.sections[1]["heading"] = "Bottom line"
    services.answer_start_review(acting_user=board_member, answer=answer)
    assert changes_line(live, resubmit(drafter, board_member, answer, draft).pending_revision) == (
        "1 section added, 1 removed; 1 reference added, 1 removed"
    )


def test_the_page_loads_htmx_from_our_static_files_with_eval_off(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    client.force_login(board_member)
    response = client.get(review_url(answer))
    html = response.content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
    assert json.loads(config.group(1)) == {
        "allowEval": False,
        "allowScriptTags": False,
        "includeIndicatorStyles": False,
        "historyCacheSize": 0,
        "selfRequestsOnly": True,
    }
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in html
    assert not re.search(r"<[^>]+\s(on[a-z]+|hx-on[:-][^=]*)=", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_vendored_htmx_is_the_version_package_json_pins():
    base = Path(settings.BASE_DIR)
    pinned = json.loads((base / "package.json").read_text())["devDependencies"]["htmx.org"]
    vendored = (base / "editorial/static/vendor/htmx/htmx.min.js").read_text()
    assert f'version:"{pinned}"' in vendored
    assert "Zero-Clause BSD" in (base / "editorial/static/vendor/htmx/LICENSE").read_text()


# -- after a decision: the next answer waiting -------------------------------------------------------


def approve(client, answer, user):
    return client.post(
        transition_url(answer, "approve"),
        {"attest": "on", "password": password_of(user), "expected_status": "under_review"},
    )


def test_after_approving_the_reviewer_lands_on_the_next_answer_waiting(
    client, drafter, board_member, second_board_member, specialty
):
    answer = in_review(drafter, board_member, specialty, count=2)
    verify_citations(board_member, answer)
    older = waiting(drafter, specialty, "Older waiting question?")
    waiting(drafter, specialty, "Newer waiting question?")
    taken = waiting(drafter, specialty, "Taken by someone else?")
    services.answer_start_review(acting_user=second_board_member, answer=taken)
    client.force_login(board_member)
    response = approve(client, answer, board_member)
    assert response.status_code == 302 and response["Location"] == review_url(older)
    assert messages_of(response) == [
        "Approve: done, on “Six citations?”. Next waiting for you: “Older waiting question?”."
    ]
    assert reloaded(answer).status == Status.APPROVED


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_after_a_reasoned_decision_the_reviewer_lands_on_the_next_answer(
    client, drafter, board_member, specialty, decision
):
    answer = in_review(drafter, board_member, specialty, count=2)
    following = waiting(drafter, specialty, "Next question?")
    client.force_login(board_member)
    response = client.post(transition_url(answer, decision), {"reason": "Wrong dose units."})
    assert response["Location"] == review_url(following)
    label = {"request_changes": "Request changes", "reject": "Reject"}[decision]
    assert messages_of(response) == [f"{label}: done, on “Six citations?”. Next waiting for you: “Next question?”."]


def test_with_nothing_left_the_reviewer_lands_on_the_queue(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)
    verify_citations(board_member, answer)
    client.force_login(board_member)
    response = approve(client, answer, board_member)
    assert response["Location"] == QUEUE
    assert messages_of(response) == ["Approve: done, on “Six citations?”. Nothing else is waiting for you."]


def test_start_review_and_a_refused_decision_stay_on_the_answer(client, drafter, board_member, specialty):
    answer = in_review(drafter, board_member, specialty, count=2)  # unchecked: approval is blocked
    waiting(drafter, specialty, "Next question?")
    client.force_login(board_member)
    response = approve(client, answer, board_member)
    assert response["Location"] == review_url(answer)
    assert reloaded(answer).status == Status.UNDER_REVIEW


def test_next_waiting_follows_the_queue_rule(drafter, author, board_member, specialty):
    own = services.draft_submit(acting_user=author, draft=draft_with(specialty, 2, "My own draft?")).answer
    assert own.status == Status.SUBMITTED
    assert selectors.next_waiting(author) is None  # never their own revision
    assert selectors.next_waiting(board_member) == own
    other = waiting(drafter, specialty, "Someone else's draft?")
    assert selectors.next_waiting(author) == other
    assert selectors.next_waiting(author, after=other) is None
