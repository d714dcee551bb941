"""The request that stands for each URL pattern in the permission matrix."""

import json

from tests.matrix.world import DRAFT


def _admin_model(prefix: str, obj: str) -> dict:
    return {
        f"admin/{prefix}/": ("GET", f"/admin/{prefix}/", None),
        f"admin/{prefix}/add/": ("GET", f"/admin/{prefix}/add/", None),
        f"admin/{prefix}/<path:object_id>/history/": ("GET", f"/admin/{prefix}/{{{obj}}}/history/", None),
        f"admin/{prefix}/<path:object_id>/delete/": ("GET", f"/admin/{prefix}/{{{obj}}}/delete/", None),
        f"admin/{prefix}/<path:object_id>/change/": ("GET", f"/admin/{prefix}/{{{obj}}}/change/", None),
        f"admin/{prefix}/<path:object_id>/": ("GET", f"/admin/{prefix}/{{{obj}}}/", None),
    }


ADMIN_MODELS = {
    "auth/group": "group",
    "auth/user": "user",
    "answers/specialty": "specialty",
    "answers/question": "question",
    "answers/reviewerprofile": "reviewerprofile",
    "answers/revision": "revision",
    "answers/answer": "answer",
    "editorial/auditevent": "auditevent",
    "axes/accessattempt": "accessattempt",
    "axes/accesslog": "accesslog",
    "axes/accessfailurelog": "accessfailurelog",
    "editorial/apitoken": "apitoken",
    "editorial/draftreceipt": "draftreceipt",
    "editorial/webhookdelivery": "webhookdelivery",
    "editorial/highalertdrug": "highalertdrug",
}

REQUESTS = {
    "admin/": ("GET", "/admin/", None),
    "accounts/login/": ("GET", "/accounts/login/", None),
    "accounts/logout/": ("POST", "/accounts/logout/", {}),
    "accounts/home/": ("GET", "/accounts/home/", None),
    "admin/login/": ("GET", "/admin/login/", None),
    "admin/logout/": ("POST", "/admin/logout/", {}),
    "admin/password_change/": ("GET", "/admin/password_change/", None),
    "admin/password_change/done/": ("GET", "/admin/password_change/done/", None),
    "admin/autocomplete/": ("GET", "/admin/autocomplete/", None),
    "admin/jsi18n/": ("GET", "/admin/jsi18n/", None),
    "admin/r/<path:content_type_id>/<path:object_id>/": ("GET", "/admin/r/{answer_ct}/{answer}/", None),
    "admin/auth/user/<id>/password/": ("GET", "/admin/auth/user/{user}/password/", None),
    "admin/answers/answer/<path:object_id>/citations/<int:citation_id>/verdict/": (
        "POST",
        "/admin/answers/answer/{answer}/citations/{citation}/verdict/",
        {"verdict": "verified", "note": ""},
    ),
    "admin/answers/answer/<path:object_id>/citations/<int:citation_id>/adjudicate/": (
        "POST",
        "/admin/answers/answer/{answer}/citations/{citation}/adjudicate/",
        {"verdict": "verified", "reason": "The abstract says so.", "password": "irrelevant"},
    ),
    "admin/answers/answer/<path:object_id>/citations/<int:citation_id>/waive/": (
        "POST",
        "/admin/answers/answer/{answer}/citations/{citation}/waive/",
        {"reason": "Covered by the guideline."},
    ),
    "admin/answers/answer/<path:object_id>/comments/": (
        "POST",
        "/admin/answers/answer/{answer}/comments/",
        {"body": "A comment."},
    ),
    "admin/answers/answer/<path:object_id>/risk/": (
        "POST",
        "/admin/answers/answer/{answer}/risk/",
        {"tier": "standard", "reason": "Iron in pregnancy at usual doses."},  # the draft is high risk ("pregnancy")
    ),
    "admin/answers/answer/<path:object_id>/comments/<int:comment_id>/resolve/": (
        "POST",
        "/admin/answers/answer/{answer}/comments/{comment}/resolve/",
        {},
    ),
    "admin/answers/answer/<path:object_id>/comments/<int:comment_id>/reopen/": (
        "POST",
        "/admin/answers/answer/{answer}/comments/{resolved_comment}/reopen/",
        {},
    ),
    "admin/answers/answer/<path:object_id>/assign/": (
        "POST",
        "/admin/answers/answer/{answer}/assign/",
        {"reviewer": "{second_reviewer}"},
    ),
    "admin/answers/answer/<path:object_id>/edit/": (
        "POST",
        "/admin/answers/answer/{answer}/edit/",
        {
            "revision": "",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "1",
            "sections-0-heading": "From the Guidelines",
            "sections-0-body": "Oral iron first, 65 mg elemental iron daily [1].",
            "sections-0-ORDER": "1",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "1",
            "citations-0-number": "1",
            "citations-0-title": "Guideline on iron deficiency",
        },
    ),
    "admin/answers/answer/<path:object_id>/revisions/<int:revision_id>/diff/": (
        "GET",
        "/admin/answers/answer/{edited_answer}/revisions/{edit_revision}/diff/",
        None,
    ),
    "admin/answers/answer/<path:object_id>/transition/<str:transition_name>/": (
        "GET",
        "/admin/answers/answer/{answer}/transition/reject/",
        None,
    ),
    "admin/^(?P<app_label>auth|answers|editorial|axes)/$": ("GET", "/admin/answers/", None),
    "admin/(?P<url>.*)$": ("GET", "/admin/no-such-page/", None),
    "api/v1/schema/": ("GET", "/api/v1/schema/", None),
    "api/v1/docs/": ("GET", "/api/v1/docs/", None),
    "api/v1/drafts/": ("POST", "/api/v1/drafts/", "api-draft"),
    "api/v1/drafts/<draft_id>/": ("GET", "/api/v1/drafts/{draft}/", None),
    "api/v1/answers/": ("GET", "/api/v1/answers/", None),
    "api/v1/questions/pending/": ("GET", "/api/v1/questions/pending/", None),
    "api/v1/questions/<question_id>/claim/": ("POST", "/api/v1/questions/{follow_up}/claim/", "api-empty"),
    "api/v1/": ("GET", "/api/v1/", None),
    "editorial/preferences/": ("GET", "/editorial/preferences/", None),
    "editorial/reports/": ("GET", "/editorial/reports/", None),
    "editorial/reports/exports/": ("POST", "/editorial/reports/exports/", {}),
    "editorial/reports/exports/<int:pk>/": ("GET", "/editorial/reports/exports/{export}/", None),
    "editorial/reports/exports/<int:pk>/download/": ("GET", "/editorial/reports/exports/{export}/download/", None),
    "editorial/reports/<slug:page>/": ("GET", "/editorial/reports/backlog/", None),
    "": ("GET", "/", None),
    "answers/": ("GET", "/answers/?q=hypothyroidism", None),
    "answers/<slug:slug>/": ("GET", "/answers/{slug}/", None),
    "answers/<slug:slug>/follow-up/": (
        "POST",
        "/answers/{slug}/follow-up/",
        {"text": "Does the dose change in older adults?"},
    ),
    "personalize/": ("POST", "/personalize/", {"audience": "patient", "next": "/answers/"}),
    "editorial-policy/": ("GET", "/editorial-policy/", None),
    "medical-advisory-board/": ("GET", "/medical-advisory-board/", None),
    "sitemap.xml": ("GET", "/sitemap.xml", None),
    "healthz": ("GET", "/healthz", None),
    "readyz": ("GET", "/readyz", None),
}
for _prefix, _obj in ADMIN_MODELS.items():
    REQUESTS.update(_admin_model(_prefix, _obj))


def api_body(kind: str) -> str:
    if kind == "api-draft":
        return json.dumps({**DRAFT, "external_id": "matrix-0002", "question": "How is hyperthyroidism treated?"})
    return "{}"
