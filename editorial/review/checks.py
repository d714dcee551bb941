"""What a reviewer records during a review: citation verdicts, waivers, comments.

A comment belongs to the revision it was written on (by default the one the
review page shows: the pending revision, else the live one), on the whole
answer or anchored to a section of that revision, and within it to a quoted
sentence, which must occur in the section's text as readers read it
(`answers.sentences`). Board members and editors resolve and reopen comments;
"Request changes" sends the open ones of the pending revision to the drafting
system (`comments_for_drafter`, gathered by `editorial.review.decisions`).

Each write is one service in one transaction with its audit event, like the
answer transitions in `editorial.review.services`.
"""

from django.db import transaction
from django.db.models import F
from django.utils.text import Truncator

from answers import clock
from answers.models import HELD_STATUSES, Answer, Citation, Revision, Section, Status
from answers.sentences import section_text
from editorial.access import rights
from editorial.audit import effects
from editorial.errors import Blocked, Invalid, InvalidState
from editorial.models import AuditAction, CitationVerdict, Comment, Verdict
from editorial.review import double

COMMENT_MAX = 5000
EXCERPT_MAX = 200  # the start of a comment, as its audit event quotes it
QUOTE_MAX = 2000  # a quoted sentence
QUOTE_EXCERPT_MAX = 80  # the start of a quoted sentence, as the audit event quotes it
NOTE_MAX = 2000  # a verdict's note and a waiver's reason


def citation_blocker(citation: Citation, verdict: CitationVerdict | None, *, holder_id: int | None) -> str | None:
    """Why this citation keeps its revision from approval, or None.

    A verdict belongs to the board member who recorded it: one recorded by
    anyone but the current holder of the review (before a reassignment)
    counts as unchecked until the holder records it again. An editor's
    waiver covers the citation whoever checked it.
    """
    if verdict is not None and verdict.waived_at is not None:
        return None
    if verdict is None or verdict.verdict == "":
        return f"Citation {citation.number} has not been checked."
    if verdict.reviewer_id != holder_id:
        return f"Citation {citation.number} was checked by {verdict.reviewer}; confirm or re-record it."
    if verdict.blocks_approval:
        return f"Citation {citation.number} is marked as not supporting the claim."
    return None


def approval_blockers(answer: Answer) -> list[str]:
    """Why the pending revision cannot be approved yet (empty: it can). In a high-risk revision's
    second review: the second reviewer's own verdicts and the adjudicated disagreements
    (`editorial.review.double`)."""
    if answer.pending_revision_id is None:
        return []
    if answer.status == Status.SECOND_REVIEW:
        return double.second_review_blockers(answer)
    citations = (
        Citation.objects.filter(revision_id=answer.pending_revision_id)
        .select_related("verdict__reviewer")
        .order_by("number")
    )
    problems = []
    for citation in citations:
        why = citation_blocker(citation, getattr(citation, "verdict", None), holder_id=answer.reviewer_id)
        if why:
            problems.append(why)
    return problems


def _citation_under_review(citation_id: int, statuses=(Status.UNDER_REVIEW,)) -> tuple[Citation, Answer]:
    citation = Citation.objects.select_related("revision").get(pk=citation_id)
    answer = Answer.objects.select_for_update().get(pk=citation.revision.answer_id)
    if answer.status not in statuses or answer.pending_revision_id != citation.revision_id:
        raise InvalidState(f"Citation {citation.number} is not part of a revision under review.", state=answer.status)
    return citation, answer


def citation_verdict_record(*, acting_user, citation: Citation | int, verdict: str, note: str = "") -> CitationVerdict:
    """The reviewer holding the review records a verdict on one citation (in a high-risk revision's
    second review, their own: `editorial.review.double.second_verdict_record`)."""
    if verdict not in Verdict.values:
        raise Invalid.on("verdict", f"Unknown verdict {verdict!r}.")
    if len((note or "").strip()) > NOTE_MAX:
        raise Invalid.on("note", f"A note is at most {NOTE_MAX} characters.")
    citation_id = citation if isinstance(citation, int) else citation.pk
    with transaction.atomic():
        citation, answer = _citation_under_review(citation_id, HELD_STATUSES)
        rights.require(rights.may_record_verdict, user=acting_user, answer=answer)
        if answer.status == Status.SECOND_REVIEW:
            return double.second_verdict_record(
                acting_user=acting_user, citation=citation, answer=answer, verdict=verdict, note=note.strip()
            )
        row, _ = CitationVerdict.objects.update_or_create(
            citation=citation,
            defaults={
                "answer": answer,
                "revision_id": citation.revision_id,
                "verdict": verdict,
                "note": note.strip(),
                "reviewer": acting_user,
                "decided_at": clock.now(),
                # A verdict recorded again is no longer one carried over by an edit.
                "carried_from": None,
                # A new verdict replaces any earlier waiver.
                "waived_by": None,
                "waiver_reason": "",
                "waived_at": None,
            },
        )
        effects.record_on_citation(
            action=AuditAction.CITATION_VERDICT,
            actor=acting_user,
            answer=answer,
            citation=citation,
            reason=note.strip(),
            verdict=verdict,
        )
    return row


def citation_verdict_waive(*, acting_user, citation: Citation | int, reason: str) -> CitationVerdict:
    """An editor lets approval proceed despite an unchecked or unsupported citation."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.on("reason", "A waiver needs a written reason.")
    if len(reason) > NOTE_MAX:
        raise Invalid.on("reason", f"A waiver's reason is at most {NOTE_MAX} characters.")
    citation_id = citation if isinstance(citation, int) else citation.pk
    with transaction.atomic():
        citation, answer = _citation_under_review(citation_id)
        rights.require(rights.may_waive, user=acting_user, answer=answer)
        _refuse_waiving_the_last(citation)
        row, _ = CitationVerdict.objects.get_or_create(
            citation=citation, defaults={"answer": answer, "revision_id": citation.revision_id}
        )
        row.waived_by = acting_user
        row.waiver_reason = reason
        row.waived_at = clock.now()
        row.save(update_fields=["waived_by", "waiver_reason", "waived_at"])
        effects.record_on_citation(
            action=AuditAction.CITATION_WAIVE,
            actor=acting_user,
            answer=answer,
            citation=citation,
            reason=reason,
            verdict=row.verdict,
        )
    return row


def _refuse_waiving_the_last(citation: Citation) -> None:
    """Waivers never cover every citation of a revision: an approval rests on at least one board verdict."""
    others = Citation.objects.filter(revision_id=citation.revision_id).exclude(pk=citation.pk)
    if not others.filter(verdict__waived_at__isnull=True).exists():
        raise Blocked(
            f"Citation {citation.number} is the last citation not waived: "
            "a board member must check it; it cannot be waived."
        )


def _excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    return Truncator(" ".join(text.split())).chars(limit)


def _comment_revision(answer: Answer, revision: Revision | int | None) -> Revision | None:
    """The revision a new comment is written on: the one named (of this answer), else the pending, else the live."""
    if revision is None:
        revision_id = answer.pending_revision_id or answer.live_revision_id
        return Revision.objects.get(pk=revision_id) if revision_id else None
    revision_id = revision if isinstance(revision, int) else revision.pk
    found = Revision.objects.filter(pk=revision_id, answer_id=answer.pk).first()
    if found is None:
        raise Invalid.on("revision", "This answer has no such revision.")
    return found


def _comment_anchor(revision: Revision | None, section: int | None, quote: str) -> Section | None:
    """The section a comment is anchored to (None: the whole answer), its quote checked against the section's text."""
    if section is None:
        if quote:
            raise Invalid.on("quote", "A quoted sentence needs the section it comes from.")
        return None
    if revision is None:
        raise Invalid.on("section", "This answer has no revision to comment on.")
    anchor = Section.objects.filter(revision=revision, position=section).first()
    if anchor is None:
        raise Invalid.on("section", f"Revision {revision.number} has no section {section}.")
    if quote and quote not in section_text(anchor):
        raise Invalid.on("quote", f"The quoted sentence is not in the section \u201c{anchor.heading}\u201d.")
    return anchor


def comment_add(
    *,
    acting_user,
    answer: Answer | int,
    body: str,
    revision: Revision | int | None = None,
    section: int | None = None,
    quote: str = "",
) -> Comment:
    """A comment on a revision (by default the one under review, else the live one): on the whole
    answer, on the section at position `section`, or on the sentence `quote` of that section."""
    body = (body or "").strip()
    if not body:
        raise Invalid.on("body", "A comment cannot be empty.")
    if len(body) > COMMENT_MAX:
        raise Invalid.on("body", f"A comment is at most {COMMENT_MAX} characters.")
    quote = " ".join((quote or "").split())  # as readers read it: spaces collapsed
    if len(quote) > QUOTE_MAX:
        raise Invalid.on("quote", f"A quoted sentence is at most {QUOTE_MAX} characters.")
    rights.require(rights.may_comment, user=acting_user, answer=None)
    answer_id = answer if isinstance(answer, int) else answer.pk
    with transaction.atomic():
        locked = Answer.objects.get(pk=answer_id)
        written_on = _comment_revision(locked, revision)
        anchor = _comment_anchor(written_on, section, quote)
        comment = Comment.objects.create(
            answer=locked, revision=written_on, section=anchor, quote=quote, author=acting_user, body=body
        )
        effects.record(
            action=AuditAction.COMMENT,
            actor=acting_user,
            answer=locked,
            revision=written_on,
            from_state=locked.status,
            to_state=locked.status,
            data=_comment_data(comment),
        )
    return comment


def _comment_data(comment: Comment) -> dict:
    """What a comment's audit events record: its id, its start, its section's heading, the start of its quote."""
    data = {"comment": comment.pk, "excerpt": _excerpt(comment.body)}
    if comment.section_id is not None:
        data["section"] = comment.section.heading
    if comment.quote:
        data["quote"] = _excerpt(comment.quote, QUOTE_EXCERPT_MAX)
    return data


def comment_resolve(*, acting_user, comment: Comment | int) -> Comment:
    """A board member or editor marks a comment as dealt with (audited)."""
    return _comment_resolution(acting_user=acting_user, comment=comment, resolve=True)


def comment_reopen(*, acting_user, comment: Comment | int) -> Comment:
    """A board member or editor opens a resolved comment again (audited)."""
    return _comment_resolution(acting_user=acting_user, comment=comment, resolve=False)


def _comment_resolution(*, acting_user, comment: Comment | int, resolve: bool) -> Comment:
    rights.require(rights.may_resolve_comment, user=acting_user, answer=None)
    comment_id = comment if isinstance(comment, int) else comment.pk
    with transaction.atomic():
        row = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("answer", "revision", "section")
            .filter(pk=comment_id)
            .first()
        )
        if row is None:
            raise Invalid.on("comment", "No such comment.")
        if resolve and not row.is_open:
            raise InvalidState("This comment is already resolved.", state=row.answer.status)
        if not resolve and row.is_open:
            raise InvalidState("This comment is open already.", state=row.answer.status)
        row.resolved_at = clock.now() if resolve else None
        row.resolved_by = acting_user if resolve else None
        row.save(update_fields=["resolved_at", "resolved_by"])
        effects.record(
            action=AuditAction.COMMENT_RESOLVE if resolve else AuditAction.COMMENT_REOPEN,
            actor=acting_user,
            answer=row.answer,
            revision=row.revision,
            from_state=row.answer.status,
            to_state=row.answer.status,
            data=_comment_data(row),
        )
    return row


def open_comments(revision_id: int | None):
    """The open comments of a revision in reading order: whole-answer ones, then by section, oldest first."""
    if revision_id is None:
        return Comment.objects.none()
    return (
        Comment.objects.open()
        .filter(revision_id=revision_id)
        .select_related("section")
        .order_by(F("section__position").asc(nulls_first=True), "created_at", "id")
    )


def comments_for_drafter(answer: Answer) -> dict:
    """What "Request changes" sends with its reason: the open comments of the pending revision,
    as `{"section": heading or None, "quote": sentence or None, "comment": text}` (audit data)."""
    return {"comments": [comment.for_drafter() for comment in open_comments(answer.pending_revision_id)]}
