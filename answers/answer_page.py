"""The answer page, rendered once and cached.

The cache key names everything the page shows: the answer, the revision shown
(live, or pending with SHOW_PENDING_ANSWERS), the answer's audience and the
one the reader asked for, the review facts a re-approval changes, whether
the review is overdue today, whether the specialty rule is on, and the
reviewers' declared interests (how many, and when one last changed). A new approval therefore moves the key and the
stale page is never read again: invalidation needs no hook into the review
services (and `answers` never imports `editorial`).

The forms' CSRF token is the only per-reader part of the page. The cache
holds the page cut at the forms' token fields, and each response joins the
pieces with the reader's token: the cut is made at a marker drawn at random
for each rendering, so no drafted text can name it (a fixed placeholder,
written into a draft, would have been replaced by every reader's token
wherever it appeared). Pages carrying a message or a form's errors are
rendered for that one response and not cached.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse

from answers import clock, interests, jsonld
from answers.forms import AudienceForm, FollowUpForm
from answers.models import Audience
from answers.rendering import render_sections
from answers.selectors import (
    ReaderAnswer,
    reviewer_declarations,
    reviewer_specialties,
    revision_content,
    revision_signatures,
    specialty_rule,
)

CACHE_VERSION = "6"  # bump when the page's templates or the cached value change shape
ANCHOR_PREFIX = "ref-"


def review_overdue(shown: ReaderAnswer) -> bool:
    due = shown.answer.next_review_due
    return not shown.pending and due is not None and clock.today() > due + settings.REVIEW_OVERDUE_GRACE


def cache_key(shown: ReaderAnswer, *, host: str) -> str:
    answer = shown.answer
    facts = "|".join(
        str(value)
        for value in (
            answer.status if shown.pending else "live",
            answer.approved_by_id,
            answer.last_updated,
            answer.last_reviewed,
            answer.next_review_due,
            review_overdue(shown),
            specialty_rule(),
            getattr(answer, "interests_count", None),
            getattr(answer, "interests_changed", None),
            host,
        )
    )
    digest = hashlib.sha256(facts.encode()).hexdigest()[:16]
    return (
        f"answers:page:v{CACHE_VERSION}:{answer.pk}:{shown.revision_id}:"
        f"{answer.audience}:{shown.requested_audience}:{digest}"
    )


def response(
    request,
    shown: ReaderAnswer,
    *,
    follow_up_form=None,
    rate_limited: bool = False,
    follow_up_unavailable: bool = False,
    status: int = 200,
):
    """The answer page for `shown`: from the cache unless this response is the reader's own.

    The page cache degrades (settings.CACHES): with Redis down every read is a
    miss and the page is rendered from the database.
    """
    if follow_up_form is not None or rate_limited or follow_up_unavailable or len(messages.get_messages(request)):
        html = _render(
            request,
            shown,
            csrf=get_token(request),
            follow_up_form=follow_up_form,
            rate_limited=rate_limited,
            follow_up_unavailable=follow_up_unavailable,
        )
        return HttpResponse(html, status=status)
    key = cache_key(shown, host=request.get_host())
    pieces = cache.get(key)
    if pieces is None:
        pieces = cacheable_pieces(request, shown)
        cache.set(key, pieces, settings.ANSWER_PAGE_CACHE_SECONDS)
    return HttpResponse(get_token(request).join(pieces), status=status)


def _reviewer_conflicts(answer, signatures, sections, citations) -> list[dict]:
    """For each reviewer (the live revision's signers, else the approver): their name and the
    declared interests this answer's question, sections or citation titles mention ([]: none
    declared). One query, none when the answer's query counted no declaration (`interests_count`)."""
    reviewers = {}  # user id -> public name, in signing order
    for signature in signatures:
        reviewers.setdefault(signature.signer_id, signature.printed_name)
    if not reviewers and answer.approved_by_id:
        profile = getattr(answer.approved_by, "reviewer_profile", None)
        reviewers[answer.approved_by_id] = profile.display_name if profile else ""
    if not reviewers:
        return []
    if getattr(answer, "interests_count", None) == 0:
        declared = {user_id: [] for user_id in reviewers}
    else:
        declared = reviewer_declarations(reviewers)
    texts = interests.texts_of(answer.question.text, sections, citations)
    return [
        {"name": name, "declarations": interests.touching(declared[user_id], texts)}
        for user_id, name in reviewers.items()
    ]


def cacheable_pieces(request, shown: ReaderAnswer) -> list[str]:
    """The page cut where the forms' CSRF token goes, at a marker no draft can contain."""
    marker = f"csrf-{secrets.token_hex(16)}"
    return _render(request, shown, csrf=marker).split(marker)


def _render(
    request,
    shown: ReaderAnswer,
    *,
    csrf: str,
    follow_up_form=None,
    rate_limited: bool = False,
    follow_up_unavailable: bool = False,
) -> str:
    answer = shown.answer
    slug = answer.question.slug
    sections, citations = revision_content(shown.revision_id)
    signatures = [] if shown.pending else revision_signatures(shown.revision_id)
    profile = getattr(answer.approved_by, "reviewer_profile", None) if answer.approved_by_id else None
    conflicts = [] if shown.pending else _reviewer_conflicts(answer, signatures, sections, citations)
    canonical_url = request.build_absolute_uri(answer.get_absolute_url())
    data = jsonld.medical_web_page(
        answer=answer,
        citations=citations,
        url=canonical_url,
        board_url=request.build_absolute_uri(reverse("answers:board")),
        pending=shown.pending,
        signatures=signatures,
    )
    # The follow-up keeps the audience the reader asked for (cookie or link alike).
    audience = shown.requested_audience
    audience_query = f"?audience={audience}" if audience != Audience.PROFESSIONAL else ""
    context = {
        "shown": shown,
        "answer": answer,
        "question": answer.question,
        "pending": shown.pending,
        "reviewer": None if shown.pending else profile,
        "reviewer_specialties": [] if shown.pending else reviewer_specialties(answer, profile),
        "specialty_rule": specialty_rule(),
        "sections": render_sections(sections, anchor_prefix=ANCHOR_PREFIX),
        "citations": citations,
        "signatures": signatures,
        "conflicts": conflicts,
        "anchor_prefix": ANCHOR_PREFIX,
        "jsonld": jsonld.as_script(data),
        "canonical_url": canonical_url,
        "review_overdue": review_overdue(shown),
        "csrf_value": csrf,
        "audience_form": AudienceForm(initial={"audience": shown.requested_audience, "next": request.path}),
        "follow_up_form": follow_up_form or FollowUpForm(),
        "follow_up_action": reverse("answers:follow_up", args=[slug]) + audience_query,
        "rate_limited": rate_limited,
        "follow_up_unavailable": follow_up_unavailable,
    }
    return render_to_string("answers/answer_detail.html", context, request=request)
