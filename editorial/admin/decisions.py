"""The review decisions of the admin: which buttons show, and where their POSTs go.

The buttons come from django-fsm-2's `FSMAdminMixin`, but the library never
runs a transition here: every POST, whatever button it claims to come from, is
handed to the service in `editorial.review.services`, which checks the actor's right,
the state and the page's freshness (`expected_status`). The buttons shown are
the ones `editorial.access.rights.refusal()` allows, so a hidden button and a refused
POST come from the same rule.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_fsm.admin import FSMAdminMixin, FSMObjectTransition, FSMTransitionContext

from answers.models import Answer
from editorial.access import rights
from editorial.admin.forms import ApprovalForm, ReasonForm
from editorial.errors import InvalidInput, ReviewError
from editorial.review import services


@dataclass(frozen=True)
class ReviewAction:
    label: str
    service: object
    form: type | None = None
    help_text: str = ""


# The buttons of the review page, in the order shown. `submit` is not here:
# drafts arrive through the drafting API, never from a button.
ACTIONS = {
    "start_review": ReviewAction("Start review", services.answer_start_review, help_text="Claim this review."),
    "approve": ReviewAction(
        "Approve", services.answer_approve, ApprovalForm, help_text="Publish this revision to readers."
    ),
    "reaffirm": ReviewAction(
        "Re-approve", services.answer_reaffirm, ApprovalForm, help_text="Confirm the live content after re-review."
    ),
    "request_changes": ReviewAction(
        "Request changes", services.answer_request_changes, ReasonForm, help_text="Send the draft back with a reason."
    ),
    "reject": ReviewAction("Reject", services.answer_reject, ReasonForm, help_text="Refuse this draft for good."),
    "retract": ReviewAction(
        "Retract", services.answer_retract, ReasonForm, help_text="Withdraw the approved answer from readers."
    ),
}


def allowed_actions(user, answer: Answer) -> list[str]:
    """The buttons `user` may press on `answer` now: the state allows it and `rights.refusal()` says yes.

    `answer` comes from `editorial.review.selectors` (annotated with `rereview_due`):
    Re-approve is offered only for content due for re-review.
    """
    possible = {t.name for t in answer.get_available_status_transitions()}
    allowed = []
    for name in ACTIONS:
        if name not in possible or rights.refusal(name, user=user, answer=answer) is not None:
            continue
        if name == "reaffirm" and not answer.rereview_due:
            continue
        allowed.append(name)
    return allowed


def _refusal_message(name: str, user, answer: Answer) -> str:
    label = ACTIONS[name].label
    why = rights.refusal(name, user=user, answer=answer)
    if why:
        return f"{label}: {why}"
    return f"{label} is not possible now: the answer is {answer.get_status_display().lower()}."


class DecisionsMixin(FSMAdminMixin):
    """FSMAdminMixin with its transition handling replaced by the services."""

    fsm_fields = ["status"]
    fsm_forms = {name: action.form for name, action in ACTIONS.items() if action.form}
    fsm_transition_form_template = "admin/editorial/answer/transition_form.html"

    def _get_fsm_extra_context(self, *, request, obj) -> list[FSMObjectTransition]:
        """Replace the mixin's choice of buttons (which ignores who is asking) with the rights check."""
        if obj is None:
            return []
        transitions = [
            FSMTransitionContext(name=name, label=ACTIONS[name].label, help_text=ACTIONS[name].help_text)
            for name in allowed_actions(request.user, obj)
        ]
        if not transitions:
            return []
        return [FSMObjectTransition(fsm_field="status", block_label="Review", available_transitions=transitions)]

    def _apply_fsm_transition(self, **kwargs):
        # The mixin's own runner transitions and saves with no right check and no audit event.
        raise RuntimeError("Answer transitions run through editorial.review.services only.")

    def get_fsm_label(self, transition) -> str:
        action = ACTIONS.get(transition.name)
        return action.label if action else transition.name

    # -- every transition POST goes through the services --------------------------

    def _answer_or_redirect(self, request, object_id):
        answer = self.get_object(request, unquote(object_id))
        if answer is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, answer):
            raise PermissionDenied
        return answer, None

    def _change_url(self, answer: Answer) -> str:
        return reverse("admin:answers_answer_change", args=[answer.pk])

    def _transition_post(self, request, object_id):
        """A POST to the review page: a button, or a hand-made request pretending to be one."""
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        name = request.POST.get(self.fsm_post_param, "")
        action = ACTIONS.get(name)
        if action is None:
            self.message_user(request, "Nothing to do: this page only takes review decisions.", messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        expected = request.POST.get("expected_status") or None
        if action.form is not None:
            # Reasons and signatures are asked on their own page, which carries the status seen here.
            url = reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": name})
            return HttpResponseRedirect(url + ("?" + urlencode({"expected_status": expected}) if expected else ""))
        self._run(request, answer, name, expected_status=expected)
        return HttpResponseRedirect(self._change_url(answer))

    def _run(self, request, answer: Answer, name: str, *, expected_status=None) -> None:
        try:
            ACTIONS[name].service(acting_user=request.user, answer=answer.pk, expected_status=expected_status)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"{ACTIONS[name].label}: done.", messages.SUCCESS)

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        """The reason / signature form of one transition; on a valid POST, the service runs it."""
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        action = ACTIONS.get(transition_name)
        if action is None or action.form is None:
            self.message_user(request, f"There is no form for “{transition_name}”.", messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        data = request.POST if request.method == "POST" else None
        if data is None and transition_name not in allowed_actions(request.user, answer):
            # Say why before asking for a reason or a password; a POST goes to the service, which says it too.
            self.message_user(request, _refusal_message(transition_name, request.user, answer), messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        form = action.form(data, user=request.user, initial={"expected_status": request.GET.get("expected_status")})
        if data is not None and form.is_valid():
            try:
                action.service(
                    acting_user=request.user,
                    answer=answer.pk,
                    expected_status=form.cleaned_data["expected_status"] or None,
                    **form.service_kwargs(),
                )
            except InvalidInput as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except ReviewError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(self._change_url(answer))
            else:
                self.message_user(request, f"{action.label}: done.", messages.SUCCESS)
                return HttpResponseRedirect(self._change_url(answer))
        return render(
            request,
            self.fsm_transition_form_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": answer,
                "title": f"{action.label}: {answer.question}",
                "transition": FSMTransitionContext(
                    name=transition_name, label=action.label, help_text=action.help_text
                ),
                "transition_form": form,
                "has_view_permission": True,
            },
        )
