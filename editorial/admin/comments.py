"""Comments on the review page: on the whole answer, on a section, on a quoted sentence.

The draft pane shows each section of the shown revision (the reader's
`answers/_sections.html`, which includes `section_aside` after each section) with
the comments anchored to it and two plain POST forms ("Comment on this section", and a sentence chosen
from a select of the section's sentences); the decision area lists the open
anchored comments of the pending revision ("Request changes" sends them); every
comment can be resolved and reopened. The services are in `editorial.review.checks`.
Templates (`admin/editorial/answer/`): `_section_comments.html`, `_comment.html`, `_open_comments.html`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from answers.models import Answer, Revision
from answers.sentences import section_sentences
from editorial.access import rights
from editorial.admin.forms import CommentForm
from editorial.errors import ReviewError
from editorial.models import Comment
from editorial.review import checks


@dataclass(frozen=True)
class DraftSection:
    """One section of the shown revision in the draft pane (an `answers.rendering.RenderedSection`
    for `_sections.html`), with its comments and its sentences."""

    position: int
    heading: str  # escaped by answers.rendering
    anchor: str
    html: str  # rendered and sanitised by answers.rendering
    sentences: tuple[str, ...]  # what "Comment on a sentence" offers, as readers read them
    comments: tuple[Comment, ...]  # written on the shown revision, anchored here, oldest first


def comment_context(user, answer: Answer, shown: Revision | None, sections: list, rendered: list) -> dict:
    """The review page's context for comments. `answer.comments` is prefetched with what the
    templates read (`editorial.review.selectors.answer_for_review`): no query per comment."""
    comments = list(answer.comments.all())
    anchored: dict[int, list[Comment]] = {}
    for comment in comments:
        if shown is not None and comment.revision_id == shown.pk and comment.section_id is not None:
            anchored.setdefault(comment.section.position, []).append(comment)
    draft_sections = [
        DraftSection(
            position=section.position,
            heading=shown_section.heading,
            anchor=shown_section.anchor,
            html=shown_section.html,
            sentences=tuple(s for s in section_sentences(section) if len(s) <= checks.QUOTE_MAX),
            comments=tuple(anchored.get(section.position, ())),
        )
        for section, shown_section in zip(sections, rendered, strict=True)
    ]
    pending_id = answer.pending_revision_id
    open_anchored = sorted(
        (c for c in comments if c.revision_id == pending_id and c.section_id is not None and c.is_open),
        key=lambda c: (c.section.position, c.created_at, c.pk),
    )
    return {
        "comments": comments,
        "sections": draft_sections,
        "section_aside": "admin/editorial/answer/_section_comments.html",
        "open_anchored_comments": open_anchored if pending_id is not None else [],
        "may_resolve_comments": rights.refusal(rights.may_resolve_comment, user=user, answer=answer) is None,
    }


class CommentsMixin:
    """The review page's comment POSTs (for `AnswerAdmin`): add, resolve, reopen."""

    def comment_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/comments/", wrap(self.comment_view), name="answers_answer_comment"),
            path(
                "<path:object_id>/comments/<int:comment_id>/resolve/",
                wrap(self.comment_resolve_view),
                name="answers_answer_comment_resolve",
            ),
            path(
                "<path:object_id>/comments/<int:comment_id>/reopen/",
                wrap(self.comment_reopen_view),
                name="answers_answer_comment_reopen",
            ),
        ]

    @staticmethod
    def _comment_anchor(section: int | None) -> str:
        return f"section-comments-{section}" if section else "comments"

    @method_decorator(require_POST)
    def comment_view(self, request, object_id):
        def act(answer, data):
            checks.comment_add(
                acting_user=request.user,
                answer=answer.pk,
                body=data["body"],
                revision=data.get("revision"),
                section=data.get("section"),
                quote=data.get("quote") or "",
            )

        response = self._form_post(request, object_id, CommentForm, act, done="Comment added.")
        section = request.POST.get("section", "")
        return self._anchor(response, self._comment_anchor(int(section) if section.isdigit() else None))

    @method_decorator(require_POST)
    def comment_resolve_view(self, request, object_id, comment_id):
        return self._comment_resolution(request, object_id, comment_id, checks.comment_resolve, "Comment resolved.")

    @method_decorator(require_POST)
    def comment_reopen_view(self, request, object_id, comment_id):
        return self._comment_resolution(request, object_id, comment_id, checks.comment_reopen, "Comment reopened.")

    def _comment_resolution(self, request, object_id, comment_id, act, done: str):
        answer, redirect = self._answer_or_redirect(request, object_id)
        if redirect:
            return redirect
        comment = get_object_or_404(Comment.objects.select_related("section"), pk=comment_id, answer_id=answer.pk)
        try:
            act(acting_user=request.user, comment=comment.pk)
        except ReviewError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        section = comment.section.position if comment.section_id else None
        return self._anchor(HttpResponseRedirect(self._change_url(answer)), self._comment_anchor(section))
