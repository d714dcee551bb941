"""The review workspace's speed: the decision bar, its dialogs, and saves without a reload.

`AnswerAdmin` (editorial/admin/answers.py) mixes this in. It adds:

- the decision bar's context (`decision_bar_context`): the verdict summary, the
  changes since the live revision in one line, and one dialog per decision that
  asks for a signature or a reason. The dialog holds the very form of the
  decision's own page (editorial/admin/decisions.py) and posts to it, so without
  script the buttons lead to that page as before;
- the answer to an htmx request (django-htmx's `request.htmx`) from a verdict or
  waiver form: the card again, with the progress count and the decision bar's
  status out-of-band (`card_fragment`), in a fixed number of queries whatever
  the number of citations. A plain POST still redirects to the page.
"""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from answers.models import HELD_STATUSES, Citation, Status
from editorial.access import rights
from editorial.admin.decisions import _form_of, allowed_actions
from editorial.admin.forms import ApprovalForm, VerdictForm
from editorial.errors import ReviewError
from editorial.review import selectors
from editorial.review.decisions import DECISIONS
from editorial.review.summary import changes_line, verdict_summary

# The decisions the keyboard opens (review.js), by name.
DECISION_KEYS = {"approve": "a", "first_approve": "a", "reaffirm": "a", "request_changes": "r"}
# The approvals of a pending revision: the one that publishes, and a high-risk revision's first.
APPROVALS = ("approve", "first_approve")


def may_approve(user, answer) -> bool:
    return any(name in APPROVALS for name in allowed_actions(user, answer))


def verdict_rights(user, answer) -> dict:
    """Who may fill the evidence cards' forms now (the page and the fragment read the same)."""
    under_review = answer.status in HELD_STATUSES and answer.pending_revision_id is not None
    return {
        "may_record_verdicts": under_review
        and rights.refusal(rights.may_record_verdict, user=user, answer=answer) is None
        and not getattr(answer, "_vetted_second_review_complete", False),
        # Waivers belong to the first review (a second review has adjudication instead).
        "may_waive": answer.status == Status.UNDER_REVIEW
        and under_review
        and rights.refusal(rights.may_waive, user=user, answer=answer) is None,
    }


def _blockers(may_approve: bool, answer, citation_checks) -> list[str]:
    """What keeps the pending revision from approval, from the checks already built (no query):
    the same rule as `editorial.review.checks.approval_blockers`."""
    if not may_approve or answer.pending_revision_id is None:
        return []
    return [check.blocker for check in citation_checks if check.blocker]


def decision_bar_context(request, answer, citation_checks) -> dict:
    """What the decision bar and its dialogs show, beside the review page's own context."""
    live, pending = answer.live_revision, answer.pending_revision
    dialogs = []
    for name in allowed_actions(request.user, answer):
        decision = DECISIONS[name]
        form_class = _form_of(decision)
        if form_class is None:
            continue  # runs at once (start review): a plain button
        signs = form_class is ApprovalForm
        dialogs.append(
            {
                "name": name,
                "label": decision.label,
                "help_text": decision.help_text,
                "key": DECISION_KEYS.get(name, ""),
                "signs": signs,
                # Approve signs the pending revision; re-approve the live one.
                "revision": (pending if name in APPROVALS else live) if signs else None,
                "url": reverse(
                    "admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": name}
                ),
                "form": form_class(
                    user=request.user,
                    request=request,
                    answer=answer,
                    auto_id=f"id_{name}_%s",
                    initial={"expected_status": answer.status},
                ),
            }
        )
    return {
        "verdict_summary": verdict_summary(citation_checks),
        "changes_line": changes_line(live, pending),
        "decision_dialogs": dialogs,
    }


class WorkspaceMixin:
    """The verdict and waiver forms' answer to an htmx request."""

    card_fragment_template = "admin/editorial/answer/_verdict_saved.html"

    def card_fragment(self, request, object_id, citation_id: int, form_class, act, **form_kwargs):
        """Validate and act like a plain POST, then answer with the card (and out-of-band
        progress and status) instead of a redirect; a refusal shows on the card itself."""
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        get_object_or_404(Citation, pk=citation_id, revision__answer_id=answer.pk)
        error = None
        form = form_class(request.POST, **form_kwargs)
        if not form.is_valid():
            error = " ".join(
                f"{(form.fields[f].label or f).capitalize() if f in form.fields else 'Form'}: {' '.join(e)}"
                for f, e in form.errors.items()
            )
        else:
            try:
                act(answer, form.cleaned_data)
            except ReviewError as refused:
                error = refused.message
        answer = selectors.answer_for_review(answer.pk)
        shown = answer.pending_revision or answer.live_revision
        citation_checks = self.citation_checks_of(answer, shown, request.user) if shown else []
        check = next((c for c in citation_checks if c.citation.pk == citation_id), None)
        if check is None:  # the page is stale (a new revision came in): show the page as it is now
            return HttpResponseClientRefresh()
        if getattr(answer, "_vetted_second_review_complete", False):
            # The second reviewer's last verdict lifts the blind: the whole page shows both reviews now.
            return HttpResponseClientRefresh()
        approving = may_approve(request.user, answer)
        context = {
            "answer": answer,
            "may_approve": approving,  # the approve dialog is on the page: its summary is swapped too
            "shown_revision": shown,
            "shown_is_pending": shown.pk == answer.pending_revision_id,
            "check": check,
            "checks": citation_checks,
            "checked_count": sum(c.checked for c in citation_checks),
            "verdict_form": VerdictForm(),
            "card_error": error,
            "blockers": _blockers(approving, answer, citation_checks),
            "verdict_summary": verdict_summary(citation_checks),
            **verdict_rights(request.user, answer),
        }
        return TemplateResponse(request, self.card_fragment_template, context)

    def citation_checks_of(self, answer, shown) -> list:
        """The evidence cards of `shown` (the admin builds them as its page does)."""
        raise NotImplementedError
