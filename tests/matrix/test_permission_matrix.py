"""Every URL of the project, every role, and what each must get.

`test_every_url_pattern_is_in_the_matrix` fails when a URL pattern has no row,
so a new page cannot ship before someone decides who may reach it.

Columns: anonymous, reader, drafting system, author (a board member and editor
who wrote the revision under review), board member (holding that review),
editor, superuser. On admin pages 302 sends the visitor to the admin login
(or, for `.../<id>/` and `r/...`, onwards to the object). API requests carry a
bearer token for every signed-in role, so 403 there means "not a drafting
system", never "no token". POST rows say whether the request took effect
("wrote": an audit event, an export or a follow-up question was written).
"""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from tests.matrix.requests import REQUESTS
from tests.matrix.world import ROLES

# POST outcomes: W = the request took effect, N = it did not.
N200 = "200 refused"
W200 = "200 wrote"
W201 = "201 wrote"
N302 = "302 refused"
W302 = "302 wrote"
N303 = "303 refused"
W303 = "303 wrote"
N401 = "401 refused"
N403 = "403 refused"


def row(*cells):
    return dict(zip(ROLES, cells, strict=True))


# fmt: off
MATRIX = {
    'admin/': row(302, 302, 302, 200, 200, 200, 200),
    'accounts/login/': row(200, 200, 200, 200, 200, 200, 200),
    'accounts/logout/': row(N302, N302, N302, N302, N302, N302, N302),
    'accounts/home/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/login/': row(200, 200, 200, 302, 302, 302, 302),
    'admin/logout/': row(N302, N302, N302, N302, N302, N302, N302),  # signed out, everyone lands on the login page
    'admin/password_change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/password_change/done/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/autocomplete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/jsi18n/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/r/<path:content_type_id>/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/auth/user/<id>/password/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/answers/answer/<path:object_id>/citations/<int:citation_id>/verdict/': row(N302, N302, N302, N302, W302, N302, N302),
    # Only a high-risk revision in its second review has disagreements; the world's answer is in its first review.
    'admin/answers/answer/<path:object_id>/citations/<int:citation_id>/adjudicate/': row(N302, N302, N302, N302, N302, N302, N302),
    'admin/answers/answer/<path:object_id>/citations/<int:citation_id>/waive/': row(N302, N302, N302, N302, N302, W302, W302),
    'admin/answers/answer/<path:object_id>/comments/': row(N302, N302, N302, W302, W302, W302, W302),
    'admin/answers/answer/<path:object_id>/comments/<int:comment_id>/resolve/': row(N302, N302, N302, W302, W302, W302, W302),
    'admin/answers/answer/<path:object_id>/comments/<int:comment_id>/reopen/': row(N302, N302, N302, W302, W302, W302, W302),
    'admin/answers/answer/<path:object_id>/assign/': row(N302, N302, N302, N302, N302, W302, W302),
    'admin/answers/answer/<path:object_id>/risk/': row(N302, N302, N302, N302, N302, W302, W302),  # editors; not the author
    # Edit the draft in review (rights.may_edit_draft): board members (who may review it) and editors, never a drafting system.
    'admin/answers/answer/<path:object_id>/edit/': row(N302, N302, N302, W302, W302, W302, W302),
    'admin/answers/answer/<path:object_id>/revisions/<int:revision_id>/diff/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/answer/<path:object_id>/transition/<str:transition_name>/': row(302, 302, 302, 302, 200, 302, 302),
    'admin/^(?P<app_label>auth|answers|editorial|axes)/$': row(302, 302, 302, 200, 200, 200, 200),
    'admin/(?P<url>.*)$': row(302, 302, 302, 404, 404, 404, 404),
    'api/v1/schema/': row(200, 200, 200, 200, 200, 200, 200),
    'api/v1/docs/': row(200, 200, 200, 200, 200, 200, 200),
    'api/v1/drafts/': row(N401, N403, W201, N403, N403, N403, N403),
    'api/v1/drafts/<draft_id>/': row(401, 403, 200, 403, 403, 403, 403),
    'api/v1/answers/': row(401, 403, 200, 403, 403, 403, 403),
    'api/v1/questions/pending/': row(401, 403, 200, 403, 403, 403, 403),
    'api/v1/questions/<question_id>/claim/': row(N401, N403, W200, N403, N403, N403, N403),
    'api/v1/': row(404, 404, 404, 404, 404, 404, 404),
    'editorial/preferences/': row(302, 200, 200, 200, 200, 200, 200),
    'editorial/reports/': row(302, 403, 403, 200, 200, 200, 200),
    'editorial/reports/exports/': row(N302, N403, N403, W302, W302, W302, W302),
    'editorial/reports/exports/<int:pk>/': row(302, 403, 403, 404, 404, 200, 404),
    'editorial/reports/exports/<int:pk>/download/': row(302, 403, 403, 404, 404, 200, 404),
    'editorial/reports/<slug:page>/': row(302, 403, 403, 200, 200, 200, 200),
    '': row(200, 200, 200, 200, 200, 200, 200),
    'answers/': row(200, 200, 200, 200, 200, 200, 200),
    'answers/<slug:slug>/': row(200, 200, 200, 200, 200, 200, 200),
    'answers/<slug:slug>/follow-up/': row(W303, W303, W303, W303, W303, W303, W303),
    'personalize/': row(N303, N303, N303, N303, N303, N303, N303),
    'editorial-policy/': row(200, 200, 200, 200, 200, 200, 200),
    'medical-advisory-board/': row(200, 200, 200, 200, 200, 200, 200),
    'sitemap.xml': row(200, 200, 200, 200, 200, 200, 200),
    'healthz': row(200, 200, 200, 200, 200, 200, 200),
    'readyz': row(200, 200, 200, 200, 200, 200, 200),
    'admin/auth/group/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/group/add/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/group/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/group/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/group/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/group/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/auth/user/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/user/add/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/user/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/user/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/user/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/auth/user/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/answers/specialty/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/specialty/add/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/answers/specialty/<path:object_id>/history/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/specialty/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/answers/specialty/<path:object_id>/change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/specialty/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/answers/question/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/question/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/question/<path:object_id>/history/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/question/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/question/<path:object_id>/change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/question/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/editorial/highalertdrug/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/editorial/highalertdrug/add/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/editorial/highalertdrug/<path:object_id>/history/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/editorial/highalertdrug/<path:object_id>/delete/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/editorial/highalertdrug/<path:object_id>/change/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/editorial/highalertdrug/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/answers/reviewerprofile/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/answers/reviewerprofile/add/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/answers/reviewerprofile/<path:object_id>/history/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/answers/reviewerprofile/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/answers/reviewerprofile/<path:object_id>/change/': row(302, 302, 302, 200, 403, 200, 200),
    'admin/answers/reviewerprofile/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/answers/revision/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/revision/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/revision/<path:object_id>/history/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/revision/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/revision/<path:object_id>/change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/revision/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/answers/answer/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/answer/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/answer/<path:object_id>/history/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/answer/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/answers/answer/<path:object_id>/change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/answers/answer/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/editorial/auditevent/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/editorial/auditevent/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/auditevent/<path:object_id>/history/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/editorial/auditevent/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/auditevent/<path:object_id>/change/': row(302, 302, 302, 200, 200, 200, 200),
    'admin/editorial/auditevent/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/axes/accessattempt/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessattempt/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/axes/accessattempt/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessattempt/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessattempt/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessattempt/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/axes/accesslog/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accesslog/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/axes/accesslog/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accesslog/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accesslog/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accesslog/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/axes/accessfailurelog/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessfailurelog/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/axes/accessfailurelog/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessfailurelog/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessfailurelog/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/axes/accessfailurelog/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/editorial/apitoken/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/apitoken/add/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/apitoken/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/apitoken/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/apitoken/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/apitoken/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/editorial/draftreceipt/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/draftreceipt/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/draftreceipt/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/draftreceipt/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/draftreceipt/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/draftreceipt/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
    'admin/editorial/webhookdelivery/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/webhookdelivery/add/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/webhookdelivery/<path:object_id>/history/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/webhookdelivery/<path:object_id>/delete/': row(302, 302, 302, 403, 403, 403, 403),
    'admin/editorial/webhookdelivery/<path:object_id>/change/': row(302, 302, 302, 403, 403, 403, 200),
    'admin/editorial/webhookdelivery/<path:object_id>/': row(302, 302, 302, 302, 302, 302, 302),
}
# fmt: on


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_url_pattern_is_in_the_matrix():
    patterns = set(_patterns())
    assert sorted(patterns - set(MATRIX)) == [], "URL patterns with no row in the permission matrix"
    assert sorted(set(MATRIX) - patterns) == [], "matrix rows for URL patterns that no longer exist"
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("pattern", list(MATRIX))
def test_each_role_gets_what_the_matrix_says(pattern, status_of):
    observed = {role: status_of(pattern, role) for role in ROLES}
    wrong = {role: (MATRIX[pattern][role], got) for role, got in observed.items() if got != MATRIX[pattern][role]}
    assert wrong == {}, f"{pattern}: role -> (expected, got)"
