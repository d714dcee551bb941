"""The reader site: thin views over `answers.selectors` and the cached answer page."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from answers import answer_page, selectors
from answers.follow_ups import RateLimited, RateLimitUnavailable, client_key, follow_up_ask
from answers.forms import AudienceForm, FollowUpForm
from answers.models import Audience

AUDIENCE_COOKIE = "vetted_audience"
AUDIENCE_COOKIE_AGE = 365 * 24 * 3600
PAGE_SIZE = 20


def _requested_audience(request) -> str:
    """An explicit ?audience= link wins, then the reader's saved choice, then the default."""
    for value in (request.GET.get("audience"), request.COOKIES.get(AUDIENCE_COOKIE)):
        if value in Audience.values:
            return value
    return Audience.PROFESSIONAL


@require_safe
def answer_list(request):
    query = request.GET.get("q", "")[:200]
    specialty = request.GET.get("specialty", "")[:120]
    with selectors.one_snapshot():  # the count and the page's rows agree
        page = Paginator(selectors.answer_list(query=query, specialty=specialty), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "answers/answer_list.html",
            {
                "page": page,
                "query": " ".join(query.split()),
                "specialty": specialty,
                "specialties": selectors.specialties_with_answers(),
                "canonical_url": request.build_absolute_uri(reverse("answers:list")),
            },
        )


def _shown_answer_or_gone(request, slug: str):
    shown = selectors.answer_for_reader(slug=slug, audience=_requested_audience(request))
    if shown is None:
        raise Http404("No answer is published at this address.")
    return shown


def _retracted(request, retracted: selectors.Retracted):
    return render(request, "answers/retracted.html", {"answer": retracted.answer}, status=410)


@require_safe
def answer_detail(request, slug: str):
    shown = _shown_answer_or_gone(request, slug)
    if isinstance(shown, selectors.Retracted):
        return _retracted(request, shown)
    return answer_page.response(request, shown)


@require_POST
def follow_up(request, slug: str):
    shown = _shown_answer_or_gone(request, slug)
    if isinstance(shown, selectors.Retracted):
        return _retracted(request, shown)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return answer_page.response(request, shown, follow_up_form=form, status=400)
    try:
        follow_up_ask(
            text=form.cleaned_data["text"],
            audience=shown.requested_audience,
            answer=shown.answer,
            client=client_key(request),
        )
    except RateLimited:
        return answer_page.response(request, shown, follow_up_form=form, rate_limited=True, status=429)
    except RateLimitUnavailable:
        response = answer_page.response(request, shown, follow_up_form=form, follow_up_unavailable=True, status=503)
        response["Retry-After"] = "300"
        return response
    messages.success(
        request,
        "Thank you: your question is queued for drafting. Its answer will be published only after "
        "a member of our Medical Advisory Board has reviewed it.",
    )
    page = _keep_audience(request, reverse("answers:detail", args=[shown.answer.question.slug]))
    return _see_other(f"{page}#follow-up")


@require_POST
def personalize(request):
    """Save the reader's audience in a cookie; a plain form POST, no JavaScript needed."""
    form = AudienceForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponseBadRequest(f"Could not save your choice ({errors})", content_type="text/plain")
    target = form.cleaned_data["next"] or reverse("answers:list")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("answers:list")
    response = _see_other(target)
    response.set_cookie(
        AUDIENCE_COOKIE,
        form.cleaned_data["audience"],
        max_age=AUDIENCE_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


def _keep_audience(request, url: str) -> str:
    audience = request.GET.get("audience")
    return f"{url}?{urlencode({'audience': audience})}" if audience in Audience.values else url


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


@require_safe
def editorial_policy(request):
    return render(
        request,
        "answers/editorial_policy.html",
        {
            "review_interval_days": settings.REVIEW_INTERVAL.days,
            "overdue_grace_days": settings.REVIEW_OVERDUE_GRACE.days,
            "contact_email": settings.EDITORIAL_CONTACT_EMAIL,
            "specialty_rule": selectors.specialty_rule(),
            "canonical_url": request.build_absolute_uri(reverse("answers:editorial_policy")),
        },
    )


@require_safe
def board(request):
    return render(
        request,
        "answers/board.html",
        {
            "members": selectors.board_members(),
            "specialty_rule": selectors.specialty_rule(),
            "canonical_url": request.build_absolute_uri(reverse("answers:board")),
        },
    )
