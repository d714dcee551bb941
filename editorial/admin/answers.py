"""The answer list (the queues) and the review page.

The transition buttons come from django-fsm-2's `FSMAdminMixin`, but the
library never runs a transition here: every POST, whatever button it claims
to come from, is handed to the service in `editorial.services`, which checks
the actor's right, the state and the page's freshness. The buttons shown are
the ones `editorial.rights.refusal()` allows, so a hidden button and a refused
POST come from the same rule.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST
from django_fsm.admin import FSMAdminMixin, FSMObjectTransition, FSMTransitionContext

from answers import clock
from answers.models import Answer, Citation, Status
from answers.rendering import render_sections
from editorial import review, rights, selectors, services
from editorial.admin.filters import AssignedFilter, DeskFilter, OverdueFilter
from editorial.admin.forms import (
    ApprovalForm,
    AssignForm,
    CommentForm,
    ReasonForm,
    VerdictForm,
    WaiverForm,
)
from editorial.diff import revision_diff
from editorial.errors import InvalidInput, ReviewError
from editorial.roles import is_board_member, is_editor


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


@dataclass(frozen=True)
class CitationCheck:
    citation: Citation
    verdict: object  # CitationVerdict or None

    @property
    def blocks_approval(self) -> bool:
        return self.verdict is None or self.verdict.blocks_approval


def _due_for_rereview(answer: Answer) -> bool:
    if answer.status != Status.APPROVED:
        return False
    return answer.review_due or (answer.next_review_due is not None and answer.next_review_due <= clock.today())


def allowed_actions(user, answer: Answer) -> list[str]:
    """The buttons `user` may press on `answer` now: state allows it and `rights.refusal()` says yes."""
    possible = {t.name for t in answer.get_available_status_transitions()}
    allowed = []
    for name in ACTIONS:
        if name not in possible or rights.refusal(name, user=user, answer=answer) is not None:
            continue
        if name == "reaffirm" and not _due_for_rereview(answer):
            continue
        allowed.append(name)
    return allowed


def _refusal_message(name: str, user, answer: Answer) -> str:
    label = ACTIONS[name].label
    why = rights.refusal(name, user=user, answer=answer)
    if why:
        return f"{label}: {why}"
    return f"{label} is not possible now: the answer is {answer.get_status_display().lower()}."


@admin.register(Answer)
class AnswerAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["status"]
    fsm_forms = {name: action.form for name, action in ACTIONS.items() if action.form}
    fsm_transition_form_template = "admin/editorial/answer/transition_form.html"
    change_form_template = "admin/editorial/answer/review.html"

    list_display = ["question_text", "specialty", "status", "reviewer", "time_in_state", "next_review_due"]
    list_filter = [DeskFilter, "status", "question__specialty", AssignedFilter, OverdueFilter]
    list_select_related = ["question__specialty", "reviewer"]
    search_fields = ["question__text"]
    search_help_text = "Search the question text."
    list_per_page = 50
    actions = ["start_review_selected", "assign_reviewer"]
    fields = ["status"]

    # -- the list -------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.answer_queue()

    def get_ordering(self, request):
        # Waiting answers first (oldest first), then due for re-review, then the rest.
        return ["waiting_rank", "status_changed_at"]

    @admin.display(description="Question", ordering="question__text")
    def question_text(self, answer: Answer) -> str:
        text = answer.question.text
        return text if len(text) <= 120 else text[:119] + "…"

    @admin.display(description="Specialty", ordering="question__specialty__name")
    def specialty(self, answer: Answer) -> str:
        return answer.question.specialty.name

    @admin.display(description="In this state for", ordering="status_changed_at")
    def time_in_state(self, answer: Answer) -> str:
        waited = timesince(answer.status_changed_at, clock.now())
        return f"{waited} (overdue)" if answer.overdue else waited

    def view_on_site(self, answer: Answer):
        if answer.live_revision_id is None or answer.status == Status.RETRACTED:
            return None
        try:
            return answer.get_absolute_url()
        except NoReverseMatch:  # the reader site is not routed in this deployment
            return None

    # -- who may open what ----------------------------------------------------
    # Model permissions (given to the Board and Editors groups) open the pages;
    # editorial.rights decides every action.

    def has_add_permission(self, request):
        return False  # answers arrive as drafts through the drafting API

    def has_delete_permission(self, request, obj=None):
        return False  # answers are retracted, never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_board_member(request.user):
            actions.pop("start_review_selected", None)
        if not is_editor(request.user):
            actions.pop("assign_reviewer", None)
        return actions

    # -- queue actions --------------------------------------------------------

    @admin.action(description="Start review of the selected answers")
    def start_review_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda answer: services.answer_start_review(
                acting_user=request.user, answer=answer.pk, expected_status=Status.SUBMITTED
            ),
            done="Started review of {n} answer(s).",
        )

    @admin.action(description="Assign a reviewer to the selected answers")
    def assign_reviewer(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None, reviewers=selectors.board_members())
        if form.is_valid():
            reviewer = form.cleaned_data["reviewer"]
            self._each(
                request,
                queryset,
                lambda answer: services.answer_assign(acting_user=request.user, answer=answer.pk, reviewer=reviewer),
                done=f"Assigned {reviewer.get_username()} to {{n}} answer(s).",
            )
            return None
        return TemplateResponse(
            request,
            "admin/editorial/answer/assign_reviewer.html",
            {
                **self.admin_site.each_context(request),
                "title": "Assign a reviewer",
                "opts": self.opts,
                "form": form,
                "answers": queryset,
                "count": queryset.count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "select_across": request.POST.get("select_across", "0"),
            },
        )

    def _each(self, request, queryset, act, *, done: str) -> None:
        """Run a service per selected answer; report successes and each refusal."""
        succeeded, refused = 0, []
        for answer in queryset.select_related("question"):
            try:
                act(answer)
            except ReviewError as error:
                refused.append(f"{answer.question}: {error.message}")
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done.format(n=succeeded), messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)
        if len(refused) > 20:
            self.message_user(request, f"… and {len(refused) - 20} more refused.", messages.ERROR)

    # -- the review page --------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/citations/<int:citation_id>/verdict/",
                wrap(self.verdict_view),
                name="answers_answer_verdict",
            ),
            path(
                "<path:object_id>/citations/<int:citation_id>/waive/",
                wrap(self.waive_view),
                name="answers_answer_waive",
            ),
            path("<path:object_id>/comments/", wrap(self.comment_view), name="answers_answer_comment"),
            path("<path:object_id>/assign/", wrap(self.assign_view), name="answers_answer_assign"),
            *super().get_urls(),
        ]

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
        raise RuntimeError("Answer transitions run through editorial.services only.")

    def get_fsm_label(self, transition) -> str:
        action = ACTIONS.get(transition.name)
        return action.label if action else transition.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return self._transition_post(request, object_id)
        answer = selectors.answer_for_review(unquote(object_id))
        request._vetted_review_answer = answer  # reused by get_object(): one load per page
        context = {**(extra_context or {}), **self._review_context(request, answer)} if answer else extra_context
        return super().change_view(request, object_id, form_url, extra_context=context)

    def _review_context(self, request, answer: Answer) -> dict:
        user = request.user
        shown = answer.pending_revision or answer.live_revision
        citations = list(shown.citations.all()) if shown else []
        holds_review = answer.status == Status.UNDER_REVIEW and answer.reviewer_id == user.pk
        under_review = answer.status == Status.UNDER_REVIEW and answer.pending_revision_id is not None
        context = {
            "title": f"Review: {answer.question}",
            "subtitle": None,
            "answer": answer,
            "shown_revision": shown,
            "shown_is_pending": shown is not None and shown.pk == answer.pending_revision_id,
            "sections": render_sections(shown.sections.all()) if shown else [],
            "citations": citations,
            "anchor_prefix": "ref-",
            "diff": None,
            "time_in_state": timesince(answer.status_changed_at, clock.now()),
            "overdue": answer.overdue,
            "blockers": review.approval_blockers(answer) if "approve" in allowed_actions(user, answer) else [],
            "may_record_verdicts": holds_review and is_board_member(user),
            "may_waive": under_review and is_editor(user),
            "checks": [CitationCheck(c, getattr(c, "verdict", None)) for c in citations],
            "verdict_form": VerdictForm(),
            "waiver_form": WaiverForm(),
            "comments": list(answer.comments.all()),
            "may_comment": is_board_member(user) or is_editor(user),
            "comment_form": CommentForm(),
            "audit_events": selectors.audit_trail(answer),
            "audit_limit": selectors.AUDIT_TRAIL_LIMIT,
            "audit_url": reverse("admin:editorial_auditevent_changelist") + f"?answer__id__exact={answer.pk}",
            "assign_form": None,
        }
        live, pending = answer.live_revision, answer.pending_revision
        if live is not None and pending is not None and live.pk != pending.pk:
            context["diff"] = revision_diff(live, pending)
        if is_editor(user) and answer.status in (Status.SUBMITTED, Status.UNDER_REVIEW):
            context["assign_form"] = AssignForm(
                initial={"reviewer": answer.reviewer_id}, reviewers=selectors.board_members()
            )
        return context

    def get_object(self, request, object_id, from_field=None):
        loaded = getattr(request, "_vetted_review_answer", None)
        if loaded is not None and from_field is None and str(loaded.pk) == str(object_id):
            return loaded
        return super().get_object(request, object_id, from_field)

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

    def _run(self, request, answer: Answer, name: str, *, expected_status=None, **kwargs) -> bool:
        try:
            ACTIONS[name].service(acting_user=request.user, answer=answer.pk, expected_status=expected_status, **kwargs)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
            return False
        self.message_user(request, f"{ACTIONS[name].label}: done.", messages.SUCCESS)
        return True

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

    # -- verdicts, waivers, comments, assignment ------------------------------------

    def _citation(self, answer: Answer, citation_id: int) -> Citation:
        return get_object_or_404(Citation, pk=citation_id, revision__answer_id=answer.pk)

    def _form_post(self, request, object_id, form_class, act, *, done: str, **form_kwargs):
        """Validate a small form from the review page and hand it to a service; back to the page."""
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        form = form_class(request.POST, **form_kwargs)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label or field if field in form.fields else ""
                self.message_user(request, f"{label.capitalize()}: {' '.join(errors)}", messages.ERROR)
        else:
            try:
                act(answer, form.cleaned_data)
            except ReviewError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(answer))

    @staticmethod
    def _anchor(response, anchor: str):
        response["Location"] += f"#{anchor}"
        return response

    def verdict_view(self, request, object_id, citation_id):
        return require_POST(self._verdict)(request, object_id, citation_id)

    def _verdict(self, request, object_id, citation_id):
        def act(answer, data):
            citation = self._citation(answer, citation_id)
            review.citation_verdict_record(
                acting_user=request.user, citation=citation, verdict=data["verdict"], note=data["note"]
            )

        response = self._form_post(request, object_id, VerdictForm, act, done="Citation verdict recorded.")
        return self._anchor(response, f"check-{citation_id}")

    def waive_view(self, request, object_id, citation_id):
        return require_POST(self._waive)(request, object_id, citation_id)

    def _waive(self, request, object_id, citation_id):
        def act(answer, data):
            citation = self._citation(answer, citation_id)
            review.citation_verdict_waive(acting_user=request.user, citation=citation, reason=data["reason"])

        response = self._form_post(request, object_id, WaiverForm, act, done="Citation check waived.")
        return self._anchor(response, f"check-{citation_id}")

    def comment_view(self, request, object_id):
        return require_POST(self._comment)(request, object_id)

    def _comment(self, request, object_id):
        def act(answer, data):
            review.comment_add(acting_user=request.user, answer=answer.pk, body=data["body"])

        response = self._form_post(request, object_id, CommentForm, act, done="Comment added.")
        return self._anchor(response, "comments")

    def assign_view(self, request, object_id):
        return require_POST(self._assign)(request, object_id)

    def _assign(self, request, object_id):
        def act(answer, data):
            services.answer_assign(acting_user=request.user, answer=answer.pk, reviewer=data["reviewer"])

        return self._form_post(
            request, object_id, AssignForm, act, done="Reviewer assigned.", reviewers=selectors.board_members()
        )
