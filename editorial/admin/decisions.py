"""The review decisions of the admin: which buttons show, and where their POSTs go.

The buttons come from django-fsm-2's `FSMAdminMixin`, but the library never
runs a transition here: every POST, whatever button it claims to come from, is
handed to the service in `editorial.review.services`, which checks the actor's right,
the state and the page's freshness (`expected_status`). The buttons shown are
the decisions (`editorial.review.decisions`) whose transition the state
machine allows and whose right says yes, so a hidden button and a refused POST
come from the same rule.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django_fsm.admin import FSMAdminMixin, FSMObjectTransition, FSMTransitionContext

from answers.models import Answer
from editorial.admin.forms import ApprovalForm, ReasonForm
from editorial.errors import Invalid, ReviewError
from editorial.review import selectors, services
from editorial.review.decisions import BUTTONS, DECISIONS, Decision


def _form_of(decision: Decision) -> type | None:
    """The form a decision's button opens: the signature, a reason, or none (it runs at once)."""
    if decision.needs_attestation:
        return ApprovalForm
    if decision.needs_reason:
        return ReasonForm
    return None


# The decisions that end a board member's review: after one, they land on the next answer waiting for them.
ENDS_REVIEW = frozenset({"approve", "first_approve", "request_changes", "reject"})


def allowed_actions(user, answer: Answer) -> list[str]:
    """The buttons `user` may press on `answer` now: the state machine allows the
    transition (its conditions included) and the decision's right says yes."""
    possible = {t.name for t in answer.get_available_status_transitions()}
    return [
        decision.name
        for decision in BUTTONS
        if decision.name in possible and decision.refusal(user=user, answer=answer) is None
    ]


def _refusal_message(decision: Decision, user, answer: Answer) -> str:
    why = decision.refusal(user=user, answer=answer)
    if why:
        return f"{decision.label}: {why}"
    return f"{decision.label} is not possible now: the answer is {answer.get_status_display().lower()}."


class DecisionsMixin(FSMAdminMixin):
    """FSMAdminMixin with its transition handling replaced by the services."""

    fsm_fields = ["status"]
    fsm_forms = {decision.name: _form_of(decision) for decision in BUTTONS if _form_of(decision)}
    fsm_transition_form_template = "admin/editorial/answer/transition_form.html"

    def _get_fsm_extra_context(self, *, request, obj) -> list[FSMObjectTransition]:
        """Replace the mixin's choice of buttons (which ignores who is asking) with the rights check."""
        if obj is None:
            return []
        transitions = [
            FSMTransitionContext(name=name, label=DECISIONS[name].label, help_text=DECISIONS[name].help_text)
            for name in allowed_actions(request.user, obj)
        ]
        if not transitions:
            return []
        return [FSMObjectTransition(fsm_field="status", block_label="Review", available_transitions=transitions)]

    def _apply_fsm_transition(self, **kwargs):
        # The mixin's own runner transitions and saves with no right check and no audit event.
        raise RuntimeError("Answer transitions run through editorial.review.services only.")

    def get_fsm_label(self, transition) -> str:
        decision = DECISIONS.get(transition.name)
        return decision.label if decision else transition.name

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
        decision = DECISIONS.get(name)
        if decision is None or decision not in BUTTONS:
            self.message_user(request, "Nothing to do: this page only takes review decisions.", messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        expected = request.POST.get("expected_status") or None
        if _form_of(decision) is not None:
            # Reasons and signatures are asked on their own page, which carries the status seen here.
            url = reverse("admin:answers_answer_transition", kwargs={"object_id": answer.pk, "transition_name": name})
            return HttpResponseRedirect(url + ("?" + urlencode({"expected_status": expected}) if expected else ""))
        self._run(request, answer, name, expected_status=expected)
        return HttpResponseRedirect(self._change_url(answer))

    def _run(self, request, answer: Answer, name: str, *, expected_status=None) -> None:
        try:
            services.answer_decide(name, acting_user=request.user, answer=answer.pk, expected_status=expected_status)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"{DECISIONS[name].label}: done.", messages.SUCCESS)

    def _decided(self, request, answer: Answer, name: str):
        """Where a decision taken lands: for one that ends a review, the next answer in the
        reviewer's "Waiting for me" (or the queue when none is left), saying what was done."""
        decision = DECISIONS[name]
        if name not in ENDS_REVIEW:
            self.message_user(request, f"{decision.label}: done.", messages.SUCCESS)
            return HttpResponseRedirect(self._change_url(answer))
        done = f"{decision.label}: done, on “{answer.question}”."
        following = selectors.next_waiting(request.user, after=answer)
        if following is None:
            self.message_user(request, f"{done} Nothing else is waiting for you.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:answers_answer_changelist"))
        self.message_user(request, f"{done} Next waiting for you: “{following.question}”.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(following))

    def fsm_transition_view(self, request, object_id, transition_name, **kwargs):
        """The reason / signature form of one transition; on a valid POST, the service runs it."""
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        decision = DECISIONS.get(transition_name)
        form_class = _form_of(decision) if decision in BUTTONS else None
        if form_class is None:
            self.message_user(request, f"There is no form for “{transition_name}”.", messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        data = request.POST if request.method == "POST" else None
        if data is None and transition_name not in allowed_actions(request.user, answer):
            # Say why before asking for a reason or a password; a POST goes to the service, which says it too.
            self.message_user(request, _refusal_message(decision, request.user, answer), messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        form = form_class(
            data,
            user=request.user,
            request=request,
            answer=answer,
            initial={"expected_status": request.GET.get("expected_status")},
        )
        if data is not None and form.is_valid():
            try:
                services.answer_decide(
                    transition_name,
                    acting_user=request.user,
                    answer=answer.pk,
                    expected_status=form.cleaned_data["expected_status"] or None,
                    **form.service_kwargs(),
                )
            except Invalid as error:
                for problem in error.problems:
                    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            except ReviewError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(self._change_url(answer))
            else:
                return self._decided(request, answer, transition_name)
        return render(
            request,
            self.fsm_transition_form_template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": answer,
                "title": f"{decision.label}: {answer.question}",
                "transition": FSMTransitionContext(
                    name=transition_name, label=decision.label, help_text=decision.help_text
                ),
                "transition_form": form,
                "has_view_permission": True,
            },
        )
