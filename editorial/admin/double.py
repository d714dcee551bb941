"""The review page of a high-risk revision in its second review (`editorial.review.double`).

`second_review_checks` turns the evidence cards built from the first review's
verdicts into what the person looking may see:

- the second reviewer, until their own verdict is on every citation, sees only
  their own verdicts (blind); so does every other board member but the first
  approver (any of them might take the second review). The page then also
  leaves out the audit trail and the first approver's comments;
- once the second reviewer's verdicts are complete, every card shows both
  verdicts, a disagreement, its adjudication, and, to an editor or a third
  board member, the form to adjudicate it (with their password: it is signed).

`DoubleReviewMixin` adds that form's URL (`.../citations/<id>/adjudicate/`).
"""

from dataclasses import dataclass, replace

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from answers.models import Citation, Status
from editorial.access import rights
from editorial.admin.forms import ApprovalForm
from editorial.errors import ReviewError
from editorial.models import Verdict
from editorial.review import double


@dataclass(frozen=True)
class CardSecondReview:
    """What a card shows of the two reviews of its citation (None while the looker is blind)."""

    first: object  # CitationVerdict or None
    second: object  # SecondVerdict or None
    adjudication: object  # CitationAdjudication or None
    disagrees: bool
    may_adjudicate: bool


class AdjudicationForm(forms.Form):
    """The final verdict on a disputed citation, its reason, and the adjudicator's password (a signature)."""

    verdict = forms.ChoiceField(label="Final verdict", choices=Verdict.choices)
    reason = forms.CharField(label="Reason", max_length=double.NOTE_MAX)
    password = ApprovalForm.base_fields["password"]

    def __init__(self, *args, user=None, request=None, answer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.request, self.answer = user, request, answer

    clean_password = ApprovalForm.clean_password


def second_review_checks(user, answer, citation_checks: list) -> tuple[list, dict]:
    """The cards and the page's extra context for `user` (unchanged outside a second review)."""
    review = double.second_review_of(answer)
    if review is None:
        return citation_checks, {"second_review": None}
    blind = double.is_blind(user, answer, review)
    holder = review.holder_id == user.pk
    answer._vetted_second_review_complete = holder and review.complete
    may_adjudicate = review.complete and rights.refusal(rights.may_adjudicate, user=user, answer=answer) is None
    cards = []
    for check in citation_checks:
        c = check.citation
        blocker = review.blocker(c) if answer.status == Status.SECOND_REVIEW else None
        if blind:
            own = review.second.get(c.pk) if holder else None
            cards.append(replace(check, verdict=own, blocker=blocker, checked=own is not None, double=None))
            continue
        cards.append(
            replace(
                check,
                # The second reviewer's card leads with their own verdict; everyone else's with the first review's.
                verdict=review.second.get(c.pk) if holder else check.verdict,
                blocker=blocker,
                checked=c.pk in review.second or review.waived(c),
                double=CardSecondReview(
                    first=review.first.get(c.pk),
                    second=review.second.get(c.pk),
                    adjudication=review.adjudications.get(c.pk),
                    disagrees=review.disagrees(c),
                    may_adjudicate=may_adjudicate and review.disagrees(c) and c.pk not in review.adjudications,
                ),
            )
        )
    context = {
        "second_review": review,
        "second_review_blind": blind,
        "second_review_holder": holder,
        "first_approver_is_you": review.first_approver_id == user.pk,
        "first_approver": None
        if blind
        else get_user_model().objects.select_related("reviewer_profile").filter(pk=review.first_approver_id).first(),
        "adjudications": list(review.adjudications.values()),
        "adjudication_form": AdjudicationForm() if may_adjudicate else None,
    }
    return cards, context


def blind_page(context: dict, answer) -> dict:
    """What the page leaves out while its viewer is blind: the audit trail (verdicts, notes, the first
    approval) and the first approver's comments."""
    if not context.get("second_review_blind"):
        return {}
    first = context["second_review"].first_approver_id

    def kept(comments):
        return [c for c in comments if c.author_id != first]

    return {
        "audit_events": [],
        "comments": kept(context.get("comments", ())),
        # the anchored ones too: beside their section, and in the decision bar
        "sections": [
            replace(s, comments=tuple(kept(s.comments))) if hasattr(s, "comments") else s
            for s in context.get("sections", ())
        ],
        "open_anchored_comments": kept(context.get("open_anchored_comments", ())),
    }


class DoubleReviewMixin:
    """The adjudication form's POST (AnswerAdmin mixes this in)."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/citations/<int:citation_id>/adjudicate/",
                self.admin_site.admin_view(self.adjudicate_view),
                name="answers_answer_adjudicate",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def adjudicate_view(self, request, object_id, citation_id):
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        citation = get_object_or_404(Citation, pk=citation_id, revision__answer_id=answer.pk)
        back = HttpResponseRedirect(self._change_url(answer) + f"#check-{citation.pk}")
        why = rights.refusal(rights.may_adjudicate, user=request.user, answer=answer)
        if why:  # said before a password is checked (the service says it again)
            self.message_user(request, why, messages.ERROR)
            return back
        form = AdjudicationForm(request.POST, user=request.user, request=request, answer=answer)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = (form.fields[field].label or field) if field in form.fields else "Form"
                self.message_user(request, f"{label}: {' '.join(errors)}", messages.ERROR)
            return back
        try:
            double.citation_adjudicate(
                acting_user=request.user,
                citation=citation,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
            )
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"Citation {citation.number} adjudicated.", messages.SUCCESS)
        return back
