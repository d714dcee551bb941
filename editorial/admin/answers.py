"""The answer list (the queues) and the review page.

The decision buttons and their POSTs live in `editorial.admin.decisions`; this
module shows the queue and the review page and takes the review page's small
forms (citation verdicts, waivers, comments, assignment), each handed to its
service in `editorial.review.checks` or `editorial.review.services`.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST

from answers import clock
from answers.models import Answer, Citation, Status
from answers.rendering import render_sections
from answers.sentences import CitingSentence, citing_sentences
from editorial.access import rights
from editorial.access.roles import is_board_member, is_editor
from editorial.admin.comments import CommentsMixin, comment_context
from editorial.admin.decisions import DecisionsMixin
from editorial.admin.double import DoubleReviewMixin, blind_page, second_review_checks
from editorial.admin.edits import DraftEditsMixin
from editorial.admin.filters import AssignedFilter, DeskFilter, OverdueFilter
from editorial.admin.forms import (
    AssignForm,
    CommentForm,
    RiskForm,
    VerdictForm,
    WaiverForm,
)
from editorial.admin.workspace import WorkspaceMixin, decision_bar_context, may_approve, verdict_rights
from editorial.errors import ReviewError
from editorial.review import checks, risk, selectors, services
from editorial.review.changes import revision_diff


def _risk_context(user, answer: Answer, revisions) -> dict:
    """The pending revision's risk tier and the rules that matched; the editor's form to change it."""
    review = next((r.review for r in revisions if r.pk == answer.pending_revision_id), None)
    if review is None:
        return {"risk_review": None}
    return {
        "risk_review": review,
        "risk_matches": [
            {**m, "label": risk.RULE_LABELS.get(m.get("rule"), m.get("rule"))} for m in review.risk_matches
        ],
        "risk_form": RiskForm(initial={"tier": review.risk_tier})
        if rights.refusal(rights.may_set_risk, user=user, answer=answer) is None
        else None,
    }


# How many revisions the review page lists with their own review (newest first).
REVISIONS_SHOWN = 10


@dataclass(frozen=True)
class CitationCheck:
    """One citation of the shown revision as the evidence pane shows it (its card)."""

    citation: Citation
    verdict: object  # CitationVerdict or None
    blocker: str | None  # why it keeps the revision from approval (editorial.review.checks.citation_blocker)
    last_unwaived: bool  # the only citation not waived: it cannot be waived (checks._refuse_waiving_the_last)
    sentences: tuple[CitingSentence, ...] = ()  # every sentence of the draft that cites it
    checked: bool = False  # waived, or a verdict recorded by the holder of the review
    double: object = None  # both reviews of a high-risk revision (editorial/admin/double.py)

    @property
    def card_id(self) -> str:
        """The card's id: the draft's markers link to it."""
        return f"{CARD_PREFIX}{self.citation.number}"

    @property
    def blocks_approval(self) -> bool:
        return self.blocker is not None

    @property
    def waivable(self) -> bool:
        return self.blocks_approval and not self.last_unwaived


# The evidence cards' ids: `#citation-3` is the card of citation 3; the draft's markers link there.
CARD_PREFIX = "citation-"


def _checked(verdict, *, holder_id: int | None) -> bool:
    if verdict is None:
        return False
    return verdict.waived_at is not None or (verdict.verdict != "" and verdict.reviewer_id == holder_id)


def _citation_checks(
    citations: list[Citation], *, holder_id: int | None, sentences: dict[int, list[CitingSentence]] | None = None
) -> list[CitationCheck]:
    verdicts = [getattr(c, "verdict", None) for c in citations]
    unwaived = [c.pk for c, v in zip(citations, verdicts, strict=True) if v is None or v.waived_at is None]
    return [
        CitationCheck(
            c,
            v,
            checks.citation_blocker(c, v, holder_id=holder_id),
            last_unwaived=unwaived == [c.pk],
            sentences=tuple((sentences or {}).get(c.number, ())),
            checked=_checked(v, holder_id=holder_id),
        )
        for c, v in zip(citations, verdicts, strict=True)
    ]


@admin.register(Answer)
class AnswerAdmin(DoubleReviewMixin, CommentsMixin, WorkspaceMixin, DraftEditsMixin, DecisionsMixin, admin.ModelAdmin):
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
        # Waiting answers first (oldest first), then due for re-review, then the rest.
        # The order lives on the queryset, not in get_ordering(): Django also applies
        # an admin's ordering to foreign-key choices elsewhere (the revision page's
        # `answer` field), where the `waiting_rank` annotation does not exist.
        return selectors.answer_queue().order_by("waiting_rank", "status_changed_at")

    @admin.display(description="Question", ordering="question__text")
    def question_text(self, answer: Answer) -> str:
        text = answer.question.text
        text = text if len(text) <= 120 else text[:119] + "…"
        note = selectors.edit_note(answer)  # an edit by the board: its author may not review it
        return f"{text} ({note})" if note else text

    @admin.display(description="Specialty", ordering="question__specialty__name")
    def specialty(self, answer: Answer) -> str:
        return answer.question.specialty.name

    @admin.display(description="In this state for", ordering="status_changed_at")
    def time_in_state(self, answer: Answer) -> str:
        waited = timesince(answer.status_changed_at, clock.now())
        return f"{waited} (overdue)" if answer.overdue else waited

    def view_on_site(self, answer: Answer):
        return answer.get_absolute_url() if answer.is_public else None

    # -- who may open what ----------------------------------------------------
    # Model permissions (given to the Board and Editors groups) open the pages;
    # editorial.access.rights decides every action.

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
                acting_user=request.user,
                answer=answer.pk,
                # A first review, or a high-risk answer's second one.
                expected_status=answer.status
                if answer.status in (Status.SUBMITTED, Status.AWAITING_SECOND_REVIEW)
                else Status.SUBMITTED,
            ),
            done="Started review of {n} answer(s).",
        )

    @admin.action(description="Assign a reviewer to the selected answers")
    def assign_reviewer(self, request, queryset):
        # The list offers only members who may review every selected answer; a member chosen
        # anyway (a stale page) is refused by the service, answer by answer, saying why.
        eligible = selectors.eligible_reviewers(queryset)
        applying = "apply" in request.POST
        form = AssignForm(
            request.POST if applying else None, reviewers=selectors.board_members() if applying else eligible
        )
        if form.is_valid():
            reviewer = form.cleaned_data["reviewer"]
            self._each(
                request,
                queryset,
                lambda answer: services.answer_assign(acting_user=request.user, answer=answer.pk, reviewer=reviewer),
                done=f"Assigned {reviewer.get_username()} to {{n}} answer(s).",
            )
            return None
        form.fields["reviewer"].queryset = eligible  # a refused form offers the eligible members again
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
                "specialties": selectors.specialties_of(queryset),
                "specialty_rule": rights.specialty_rule(),
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
            *self.comment_urls(),
            path("<path:object_id>/assign/", wrap(self.assign_view), name="answers_answer_assign"),
            path("<path:object_id>/risk/", wrap(self.risk_view), name="answers_answer_risk"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return self._transition_post(request, object_id)
        try:
            Answer._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404("No answer has this id.") from None  # not a number: a 404, not a 500
        answer = selectors.answer_for_review(unquote(object_id))
        request._vetted_review_answer = answer  # reused by get_object(): one load per page
        context = {**(extra_context or {}), **self._review_context(request, answer)} if answer else extra_context
        return super().change_view(request, object_id, form_url, extra_context=context)

    def _review_context(self, request, answer: Answer) -> dict:
        user = request.user
        shown = answer.pending_revision or answer.live_revision
        citations = list(shown.citations.all()) if shown else []
        sections = list(shown.sections.all()) if shown else []
        citation_checks = _citation_checks(
            citations, holder_id=answer.reviewer_id, sentences=citing_sentences(sections)
        )
        citation_checks, second_review = second_review_checks(user, answer, citation_checks)  # admin/double.py
        rendered = render_sections(sections, anchor_prefix=CARD_PREFIX, marker_ids=True)
        context = {
            "title": f"Review: {answer.question}",
            "subtitle": None,
            "answer": answer,
            "shown_revision": shown,
            "shown_is_pending": shown is not None and shown.pk == answer.pending_revision_id,
            # Each revision's own review, newest first (the last few; the audit trail has the rest).
            "revisions": list(answer.revisions.select_related("review").order_by("-number")[:REVISIONS_SHOWN]),
            # The draft as readers will see it; its markers link to the evidence cards and
            # carry the ids the cards' quoted sentences link to.
            "sections": rendered,
            "citations": citations,
            "anchor_prefix": "ref-",  # the reference list under the draft
            "diff": None,
            "time_in_state": timesince(answer.status_changed_at, clock.now()),
            "overdue": answer.overdue,
            "blockers": checks.approval_blockers(answer) if may_approve(user, answer) else [],
            **verdict_rights(user, answer),
            "checks": citation_checks,
            "checked_count": sum(check.checked for check in citation_checks),
            "verdict_form": VerdictForm(),
            "waiver_form": WaiverForm(),
            # The comments; `sections` again, each with its comments and sentences beside it.
            **comment_context(user, answer, shown, sections, rendered),
            "may_comment": rights.refusal(rights.may_comment, user=user, answer=answer) is None,
            "comment_form": CommentForm(),
            "audit_events": selectors.audit_trail(answer),
            "audit_limit": selectors.AUDIT_TRAIL_LIMIT,
            "audit_url": reverse("admin:editorial_auditevent_changelist") + f"?answer__id__exact={answer.pk}",
            "assign_form": None,
        }
        context.update(_risk_context(user, answer, context["revisions"]))
        context["conflict_notice"] = rights.conflict_notice(user, answer)  # _conflict.html
        live, pending = answer.live_revision, answer.pending_revision
        # The workspace's tabs (server-side: ?tab=changes), the diff computed only on its own tab.
        context["diff_available"] = live is not None and pending is not None and live.pk != pending.pk
        context["workspace_tab"] = (
            "changes" if context["diff_available"] and request.GET.get("tab") == "changes" else ""
        )
        if context["workspace_tab"]:
            context["diff"] = revision_diff(live, pending, whole=request.GET.get("diff") == "all")
        context.update(decision_bar_context(request, answer, citation_checks))  # editorial/admin/workspace.py
        context.update(second_review)
        context.update(blind_page(context, answer))
        assignable = answer.status in services.ASSIGNABLE
        if assignable and rights.refusal(rights.may_assign, user=user, answer=answer) is None:
            context["assign_form"] = AssignForm(
                initial={"reviewer": answer.reviewer_id}, reviewers=selectors.eligible_reviewers_of(answer)
            )
        return context

    def citation_checks_of(self, answer, shown, user=None) -> list[CitationCheck]:
        built = _citation_checks(
            list(shown.citations.all()), holder_id=answer.reviewer_id, sentences=citing_sentences(shown.sections.all())
        )
        return built if user is None else second_review_checks(user, answer, built)[0]

    def get_object(self, request, object_id, from_field=None):
        loaded = getattr(request, "_vetted_review_answer", None)
        if loaded is not None and from_field is None and str(loaded.pk) == str(object_id):
            return loaded
        return super().get_object(request, object_id, from_field)

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
                label = (form.fields[field].label or field).capitalize() if field in form.fields else "Form"
                self.message_user(request, f"{label}: {' '.join(errors)}", messages.ERROR)
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

    @method_decorator(require_POST)
    def verdict_view(self, request, object_id, citation_id):
        def act(answer, data):
            citation = self._citation(answer, citation_id)
            checks.citation_verdict_record(
                acting_user=request.user, citation=citation, verdict=data["verdict"], note=data["note"]
            )

        if request.htmx:  # saved without a reload: the card again (editorial/admin/workspace.py)
            return self.card_fragment(request, object_id, citation_id, VerdictForm, act)
        response = self._form_post(request, object_id, VerdictForm, act, done="Citation verdict recorded.")
        return self._anchor(response, f"check-{citation_id}")

    @method_decorator(require_POST)
    def waive_view(self, request, object_id, citation_id):
        def act(answer, data):
            citation = self._citation(answer, citation_id)
            checks.citation_verdict_waive(acting_user=request.user, citation=citation, reason=data["reason"])

        if request.htmx:
            return self.card_fragment(request, object_id, citation_id, WaiverForm, act)
        response = self._form_post(request, object_id, WaiverForm, act, done="Citation check waived.")
        return self._anchor(response, f"check-{citation_id}")

    @method_decorator(require_POST)
    def risk_view(self, request, object_id):
        def act(answer, data):
            services.revision_risk_set(
                acting_user=request.user, answer=answer.pk, tier=data["tier"], reason=data["reason"]
            )

        return self._anchor(self._form_post(request, object_id, RiskForm, act, done="Risk tier changed."), "risk")

    @method_decorator(require_POST)
    def assign_view(self, request, object_id):
        def act(answer, data):
            services.answer_assign(acting_user=request.user, answer=answer.pk, reviewer=data["reviewer"])

        return self._form_post(
            request, object_id, AssignForm, act, done="Reviewer assigned.", reviewers=selectors.board_members()
        )
