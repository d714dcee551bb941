"""Reads behind the API, shaped once so a page costs the same few queries whatever its size."""

from django.db.models import Exists, F, OuterRef, QuerySet

from answers.models import Answer, Citation, FollowUpQuestion, FollowUpStatus, Revision
from editorial.models import AuditAction, AuditEvent

# The reviewer decisions a drafting system learns about.
DECISION_ACTIONS = (
    AuditAction.FIRST_APPROVE,
    AuditAction.APPROVE,
    AuditAction.REAFFIRM,
    AuditAction.REQUEST_CHANGES,
    AuditAction.REJECT,
    AuditAction.RETRACT,
    AuditAction.REVISION_WITHDRAW,
)


def decision_dict(event: AuditEvent) -> dict:
    return {
        "action": event.action.rsplit(".", 1)[-1],
        "label": event.label,
        "status": event.to_state,
        "reason": event.reason,
        "comments": event.drafter_comments,
        "decided_by": event.actor_label,
        "decided_at": event.created_at,
    }


def draft_for_user(*, revision_id: int, user) -> Revision:
    """A draft the user submitted (DoesNotExist, hence 404, for anyone else's)."""
    return Revision.objects.select_related("answer__live_revision", "receipt", "review").get(
        pk=revision_id, created_by=user
    )


def draft_detail(revision: Revision) -> dict:
    answer = revision.answer
    events = list(
        AuditEvent.objects.filter(answer_id=answer.pk, revision_id=revision.pk, action__in=DECISION_ACTIONS).order_by(
            "id"
        )
    )
    citations = Citation.objects.filter(revision=revision).select_related("verdict").order_by("number")
    receipt = getattr(revision, "receipt", None)
    return {
        "id": revision.pk,
        "external_id": revision.external_id or (receipt.external_id if receipt else ""),
        "answer_id": answer.pk,
        "revision": revision.number,
        # The draft's own review; the answer's desk status and publication beside it.
        "status": revision.review.state,
        "answer_status": answer.status,
        "publication": answer.publication,
        "live_revision": answer.live_revision.number if answer.live_revision_id else None,
        "submitted_at": revision.created_at,
        "decisions": [decision_dict(e) for e in events],
        "citations": [_verdict_dict(c) for c in citations],
    }


def _verdict_dict(citation: Citation) -> dict:
    verdict = getattr(citation, "verdict", None)
    return {
        "number": citation.number,
        "title": citation.title,
        "verdict": (verdict.verdict or None) if verdict else None,
        "note": verdict.note if verdict else "",
        "waived": bool(verdict and verdict.waived_at),
        "waiver_reason": verdict.waiver_reason if verdict else "",
    }


def answers_for_drafter(*, user, status=None, updated_since=None, specialty=None) -> QuerySet:
    """Answers the user drafted a revision of, oldest change first (for polling)."""
    drafted = Revision.objects.filter(answer=OuterRef("pk"), created_by=user)
    answers = (
        Answer.objects.filter(Exists(drafted))
        .select_related("question__specialty", "live_revision", "pending_revision")
        .order_by("status_changed_at", "id")
    )
    if status:
        answers = answers.filter(status=status)
    if updated_since is not None:
        answers = answers.filter(status_changed_at__gte=updated_since)
    if specialty:
        answers = answers.filter(question__specialty__slug=specialty)
    return answers


def answer_summary(answer: Answer, *, last_decision: AuditEvent | None, public_url: str | None) -> dict:
    return {
        "id": answer.pk,
        "question": answer.question.text,
        "specialty": answer.question.specialty.slug,
        "audience": answer.audience,
        "status": answer.status,
        "status_changed_at": answer.status_changed_at,
        "live_revision": answer.live_revision.number if answer.live_revision_id else None,
        "pending_revision": answer.pending_revision.number if answer.pending_revision_id else None,
        "public_url": public_url,
        "last_decision": decision_dict(last_decision) if last_decision else None,
    }


def last_decisions(answer_ids: list[int], *, user) -> dict[int, AuditEvent]:
    """The latest decision of each answer, in one query, for answers whose decided revision `user` submitted.

    Several drafting systems may draft revisions of one answer; a decision (and
    its reason) on another system's revision is none of the caller's business,
    so such answers are left out (the API shows `last_decision: null`).
    """
    latest: dict[int, AuditEvent] = {}
    events = (
        AuditEvent.objects.filter(answer_id__in=answer_ids, action__in=DECISION_ACTIONS)
        .annotate(revision_author_id=F("revision__created_by_id"))
        .order_by("-id")
    )
    for event in events:
        latest.setdefault(event.answer_id, event)
    return {answer_id: e for answer_id, e in latest.items() if e.revision_author_id == user.pk}


def pending_questions() -> QuerySet:
    return (
        FollowUpQuestion.objects.filter(status=FollowUpStatus.PENDING)
        .select_related("answer__question")
        .order_by("created_at", "id")
    )


def pending_question_summary(question: FollowUpQuestion) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "audience": question.audience,
        "asked_at": question.created_at,
        "follows_answer_id": question.answer_id,
        "follows_question": question.answer.question.text if question.answer_id else None,
    }
