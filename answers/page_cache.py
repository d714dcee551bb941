"""The answer page's rendered HTML, cached.

The cache key names everything the cached HTML shows: the answer, the
revision shown (live, or pending with SHOW_PENDING_ANSWERS), the audience and
the review facts that a re-approval changes. A new approval therefore moves
the key and the stale page is never read again: invalidation needs no hook
into the review services (and `answers` never imports `editorial`).

What differs per request (the CSRF token in the forms, the overdue note, the
personalisation note) is rendered outside the cached fragments.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from answers import jsonld
from answers.rendering import render_sections
from answers.selectors import ReaderAnswer, revision_content

CACHE_VERSION = "1"  # bump when the cached templates change shape
ANCHOR_PREFIX = "ref-"


@dataclass(frozen=True)
class AnswerFragments:
    head: SafeString  # title, review status, dates, reviewer
    body: SafeString  # sections, references, disclaimer
    jsonld: SafeString


def cache_key(shown: ReaderAnswer, *, host: str) -> str:
    answer = shown.answer
    review_facts = "|".join(
        str(value)
        for value in (
            answer.status if shown.pending else "live",
            answer.approved_by_id,
            answer.last_updated,
            answer.last_reviewed,
            answer.next_review_due,
            host,
        )
    )
    digest = hashlib.sha256(review_facts.encode()).hexdigest()[:16]
    return f"answers:page:v{CACHE_VERSION}:{answer.pk}:{shown.revision_id}:{answer.audience}:{digest}"


def answer_fragments(shown: ReaderAnswer, *, request) -> AnswerFragments:
    key = cache_key(shown, host=request.get_host())
    cached = cache.get(key)
    if cached is not None:
        return AnswerFragments(**{name: mark_safe(html) for name, html in cached.items()})
    fragments = _render(shown, request=request)
    cache.set(
        key,
        {"head": str(fragments.head), "body": str(fragments.body), "jsonld": str(fragments.jsonld)},
        settings.ANSWER_PAGE_CACHE_SECONDS,
    )
    return fragments


def _render(shown: ReaderAnswer, *, request) -> AnswerFragments:
    answer = shown.answer
    sections, citations = revision_content(shown.revision_id)
    profile = getattr(answer.approved_by, "reviewer_profile", None) if answer.approved_by_id else None
    context = {
        "answer": answer,
        "question": answer.question,
        "pending": shown.pending,
        "reviewer": None if shown.pending else profile,
        "sections": render_sections(sections, anchor_prefix=ANCHOR_PREFIX),
        "citations": citations,
        "anchor_prefix": ANCHOR_PREFIX,
    }
    data = jsonld.medical_web_page(
        answer=answer,
        citations=citations,
        url=request.build_absolute_uri(answer.get_absolute_url()),
        board_url=request.build_absolute_uri(reverse("answers:board")),
        pending=shown.pending,
    )
    return AnswerFragments(
        head=mark_safe(render_to_string("answers/_answer_head.html", context)),
        body=mark_safe(render_to_string("answers/_answer_body.html", context)),
        jsonld=jsonld.as_script(data),
    )
