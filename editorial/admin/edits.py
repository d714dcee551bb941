"""The board's edits in the admin: the edit page of a draft in review, and the diff of an edit
against the revision it edited.

The forms only collect what was typed (every field optional, nothing stripped or
converted beyond "a number typed as digits"): the rules are the drafting API's own,
applied by `editorial.review.edits.revision_edit` through `editorial.review.content`,
and each problem it names (`sections[1].body`) is put back on its field. Sections
are added with the blank form at the end, removed with their checkbox and
reordered with their position; citations likewise, numbered by hand. Nothing
needs JavaScript.
"""

import re

from django import forms
from django.contrib import messages
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from answers.models import Answer, Revision
from editorial.access import rights
from editorial.errors import Invalid, ReviewError
from editorial.review import edits
from editorial.review.changes import revision_diff
from editorial.review.content import CITATIONS_MAX, SECTIONS_MAX


class _Text(forms.CharField):
    """Text as typed: not stripped, not required, NUL characters left for the content rules to
    name (with the API's words) rather than refused by Django's own validator."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, required=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


_PATH_RE = re.compile(r"^(sections|citations)\[(\d+)\]\.(\w+)$")
_INTEGER_RE = re.compile(r"^\s*-?\d{1,9}\s*$")


class SectionForm(forms.Form):
    heading = _Text(widget=forms.TextInput(attrs={"size": 60}))
    body = _Text(
        widget=forms.Textarea(attrs={"rows": 8, "cols": 90}), help_text="Markdown; cite with [1], [1, 2] or [2-4]."
    )


class CitationForm(forms.Form):
    number = _Text(widget=forms.TextInput(attrs={"size": 3, "inputmode": "numeric"}))
    title = _Text(widget=forms.TextInput(attrs={"size": 70}))
    authors = _Text(widget=forms.TextInput(attrs={"size": 70}))
    journal = _Text()
    year = _Text(widget=forms.TextInput(attrs={"size": 4, "inputmode": "numeric"}))
    pmid = _Text(label="PMID")
    doi = _Text(label="DOI", widget=forms.TextInput(attrs={"size": 40}))
    url = _Text(label="URL", widget=forms.TextInput(attrs={"size": 60}))


# One blank form at the end of each list adds one more; the bounds only cap what a POST may
# make the server build (the content's own limits are `editorial.review.content`'s, reported by field).
SectionFormSet = forms.formset_factory(
    SectionForm, extra=1, can_order=True, can_delete=True, max_num=SECTIONS_MAX + 1, absolute_max=SECTIONS_MAX + 1
)
CitationFormSet = forms.formset_factory(
    CitationForm, extra=1, can_delete=True, max_num=CITATIONS_MAX + 1, absolute_max=CITATIONS_MAX + 1
)


class BaseForm(forms.Form):
    """The revision the editor saw: the service refuses the edit if another replaced it meanwhile."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _number(value: str):
    """A number typed as digits becomes one; anything else goes to the rules as typed, to be named."""
    return int(value) if _INTEGER_RE.match(value) else value


def _citation(data: dict) -> dict:
    citation = {"number": _number(data["number"]), "title": data["title"]}
    for name in ("authors", "journal", "pmid", "doi", "url"):
        citation[name] = data[name] or None
    citation["year"] = _number(data["year"]) if data["year"].strip() else None
    return citation


def _kept(formset, *, ordered: bool) -> list:
    """The forms that make the content, in its order: not removed, not a blank extra form."""
    if ordered:
        return list(formset.ordered_forms)
    return [
        form
        for i, form in enumerate(formset.forms)
        if not form.cleaned_data.get("DELETE") and (i < formset.initial_form_count() or form.has_changed())
    ]


def _initial(revision: Revision) -> tuple[list[dict], list[dict]]:
    sections = [{"heading": s.heading, "body": s.body, "ORDER": s.position} for s in revision.sections.all()]
    citations = [
        {name: "" if value is None else str(value) for name, value in c.as_dict().items()}
        for c in revision.citations.all()
    ]
    return sections, citations


class DraftEditsMixin:
    """The edit page and the edit's diff, for the answer admin (`editorial.admin.answers`)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/edit/", wrap(self.edit_view), name="answers_answer_edit"),
            path(
                "<path:object_id>/revisions/<int:revision_id>/diff/",
                wrap(self.edit_diff_view),
                name="answers_answer_edit_diff",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        answer = context.get("answer")
        if isinstance(answer, Answer):
            context.update(self._edit_context(request, answer))
        return super().render_change_form(request, context, *args, **kwargs)

    def _edit_context(self, request, answer: Answer) -> dict:
        """The review page's keys for `_edit_link.html`."""
        pending = answer.pending_revision
        allowed = rights.refusal(rights.may_edit_draft, user=request.user, answer=answer) is None
        return {
            "edit_url": reverse("admin:answers_answer_edit", args=[answer.pk]) if allowed else None,
            "edit_diff_url": (
                reverse("admin:answers_answer_edit_diff", args=[answer.pk, pending.pk])
                if pending is not None and pending.parent_id is not None
                else None
            ),
        }

    @method_decorator(never_cache)
    def edit_view(self, request, object_id):
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        why = rights.refusal(rights.may_edit_draft, user=request.user, answer=answer)
        if why:
            self.message_user(request, why, messages.ERROR)
            return HttpResponseRedirect(self._change_url(answer))
        revision = answer.pending_revision
        page_errors: list[str] = []
        if request.method == "POST":
            base = BaseForm(request.POST)
            sections = SectionFormSet(request.POST, prefix="sections")
            citations = CitationFormSet(request.POST, prefix="citations")
            if all([base.is_valid(), sections.is_valid(), citations.is_valid()]):
                section_forms = _kept(sections, ordered=True)
                citation_forms = _kept(citations, ordered=False)
                content = {
                    "sections": [
                        {"heading": f.cleaned_data["heading"], "body": f.cleaned_data["body"]} for f in section_forms
                    ],
                    "citations": [_citation(f.cleaned_data) for f in citation_forms],
                }
                try:
                    edited = edits.revision_edit(
                        acting_user=request.user,
                        answer=answer.pk,
                        content=content,
                        expected_revision=base.cleaned_data["revision"],
                    )
                except Invalid as error:
                    page_errors = _place(error, {"sections": section_forms, "citations": citation_forms})
                except ReviewError as error:
                    self.message_user(request, error.message, messages.ERROR)
                    return HttpResponseRedirect(self._change_url(answer))
                else:
                    self.message_user(
                        request,
                        f"Your edit is revision {edited.pending_revision.number}, now in review in place of "
                        f"revision {revision.number}. Another board member must approve it.",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self._change_url(answer) + "#revision")
            else:
                page_errors = [
                    *base.non_field_errors(),
                    *(f"Revision: {e}" for e in base.errors.get("revision", [])),
                    *(f"Sections: {e}" for e in sections.non_form_errors()),
                    *(f"Citations: {e}" for e in citations.non_form_errors()),
                ]
        else:
            initial_sections, initial_citations = _initial(revision)
            base = BaseForm(initial={"revision": revision.pk})
            sections = SectionFormSet(initial=initial_sections, prefix="sections")
            citations = CitationFormSet(initial=initial_citations, prefix="citations")
        return render(
            request,
            "admin/editorial/answer/edit_draft.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": answer,
                "answer": answer,
                "revision": revision,
                "title": f"Edit the draft: {answer.question}",
                "base_form": base,
                "sections": sections,
                "citations": citations,
                "page_errors": page_errors,
                "holds_review": answer.reviewer_id == request.user.pk,
                "has_view_permission": True,
            },
        )

    def edit_diff_view(self, request, object_id, revision_id):
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        revision = (
            Revision.objects.select_related("parent", "created_by")
            .prefetch_related("sections", "citations", "parent__sections", "parent__citations")
            .filter(pk=revision_id, answer_id=answer.pk, parent__isnull=False)
            .first()
        )
        if revision is None:
            raise Http404("No edit of this answer has this id.")
        parent = revision.parent
        return render(
            request,
            "admin/editorial/answer/edit_diff.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": answer,
                "answer": answer,
                "title": f"Revision {revision.number} against revision {parent.number}",
                "parent": parent,
                "revision": revision,
                "diff": revision_diff(parent, revision, whole=request.GET.get("diff") == "all"),
                "has_view_permission": True,
            },
        )


def _place(error: Invalid, forms_by_list: dict[str, list]) -> list[str]:
    """Put each problem on its field (`sections[1].body` -> the second section's body);
    return the problems that belong to no single field, for the top of the page."""
    rest = []
    for problem in error.problems:
        match = _PATH_RE.match(problem.field)
        kept = forms_by_list.get(match.group(1), []) if match else []
        index = int(match.group(2)) if match else -1
        if match and index < len(kept) and match.group(3) in kept[index].fields:
            kept[index].add_error(match.group(3), problem.message)
        elif problem.field in ("sections", "citations"):
            rest.append(f"{problem.field.capitalize()}: {problem.message}")
        else:
            rest.append(problem.message)
    return rest
