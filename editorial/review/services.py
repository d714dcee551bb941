"""Every change to an answer's review goes through a function here.

Each one: lock the answer, check the actor's right (`editorial.access.rights`), run
the django-fsm transition, save, and write the audit event, all in one
`transaction.atomic()`. Outside effects (notifications, webhooks) are queued
through `editorial.audit.effects` inside the same transaction and leave on commit.

The decisions themselves (transition, right, blockers, words) are declared in
`editorial.review.decisions`. Every service takes the answer as an id or an
instance, returns a fresh instance, and never changes the caller's object.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import MD5
from django.utils.text import slugify
from django_fsm import ConcurrentTransition, can_proceed

from answers import clock
from answers.models import (
    Answer,
    Audience,
    Citation,
    Question,
    ReviewState,
    Revision,
    RevisionReview,
    RiskTier,
    Section,
    SourceKind,
    Specialty,
    Status,
    canonical_content,
    content_hash,
)
from editorial.access import rights
from editorial.audit import effects
from editorial.audit.trail import audit_record_many, user_label
from editorial.errors import Blocked, Conflict, Invalid, InvalidState, NotAllowed
from editorial.models import AuditAction
from editorial.review import risk, signing
from editorial.review.decisions import APPROVE, DECISIONS, FIRST_APPROVE, REAFFIRM, SUBMIT, Decision


@dataclass
class Draft:
    """The content of a new revision, as a drafting system or editor sends it."""

    question: str
    specialty: Specialty
    sections: list[dict]
    citations: list[dict] = field(default_factory=list)
    audience: str = Audience.PROFESSIONAL
    source_kind: str = SourceKind.MODEL
    model_name: str = ""
    model_version: str = ""
    external_id: str | None = None
    risk: str = ""  # the drafting system's own "high" raises the tier; nothing lowers it here


def _locked_answer(answer_id: int) -> Answer:
    return Answer.objects.select_for_update().select_related("question__specialty").get(pk=answer_id)


def _answer_id(answer: Answer | int) -> int:
    return answer if isinstance(answer, int) else answer.pk


def _check_state(answer: Answer, decision: Decision) -> None:
    """Refuse a decision the state machine does not allow now, saying why."""
    transition = getattr(answer, decision.name)
    if can_proceed(transition):
        return
    if can_proceed(transition, check_conditions=False):
        # The state allows it but a condition of the transition does not (see answers.models).
        unmet = [c for c in answer_transition_conditions(answer, decision.name) if not c(answer)]
        why = " ".join((c.__doc__ or "").strip() for c in unmet) or "it is not ready."
        raise InvalidState(f"Cannot {decision.verb} this answer: {why}", state=answer.status)
    raise InvalidState(
        f"Cannot {decision.verb} this answer: it is {answer.get_status_display().lower()}.", state=answer.status
    )


def answer_transition_conditions(answer: Answer, name: str) -> list:
    """The django-fsm conditions of the transition `name` from the answer's current state."""
    meta = getattr(type(answer), name)._django_fsm
    transition = meta.get_transition(answer.status)
    return list(transition.conditions) if transition is not None else []


# The longest reason a decision records (the admin form says the same).
REASON_MAX = 5000


def _required_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.on("reason", "A reason is required.")
    if len(reason) > REASON_MAX:
        raise Invalid.on("reason", f"A reason is at most {REASON_MAX} characters.")
    return reason


def _decided_revision(answer: Answer, decision: Decision) -> Revision | None:
    """The revision a decision is about: the pending one for a decision on a draft,
    the live one for a decision on published content (re-approve, retract)."""
    if decision.revision_step in ("", "withdraw"):
        return answer.live_revision
    return answer.pending_revision


def _pending_review(answer: Answer, decision: Decision) -> RevisionReview | None:
    """The pending revision's review that the decision moves too, locked; refused
    (with the answer untouched) when that review cannot take the step."""
    if not decision.revision_step or answer.pending_revision_id is None:
        return None
    review = RevisionReview.objects.select_for_update().get(revision_id=answer.pending_revision_id)
    if not can_proceed(getattr(review, decision.revision_step)):
        raise InvalidState(
            f"Cannot {decision.verb} this answer: its pending revision is {review.get_state_display().lower()}.",
            state=answer.status,
        )
    return review


def _review_period_by_risk(answer: Answer) -> None:
    """An approval starts the next review period: shorter for high-risk live content."""
    tier = RevisionReview.objects.filter(revision_id=answer.live_revision_id).values_list("risk_tier", flat=True)
    if tier.first() == RiskTier.HIGH:
        answer.next_review_due = clock.today() + settings.HIGH_RISK_REVIEW_INTERVAL


def _save_transition(answer: Answer) -> None:
    try:
        answer.save()
    except ConcurrentTransition:
        raise Conflict("Another reviewer changed this answer at the same time; reload and try again.") from None


def _decide(
    decision: Decision,
    *,
    answer: Answer | int,
    acting_user,
    expected_status: str | None = None,
    reason: str = "",
    data: dict | None = None,
) -> Answer:
    """Steps shared by every review decision:

    1. lock the answer row and refuse a stale request (`expected_status`);
    2. check the state, then the actor's right, then what blocks the decision;
    3. run the transition and save (the concurrent mixin refuses a lost race);
    4. write the audit event and queue outside effects, in the same transaction.

    Returns the answer as saved; the caller's instance is left as it was.
    """
    with transaction.atomic():
        locked = _locked_answer(_answer_id(answer))
        if expected_status is not None and locked.status != expected_status:
            raise Conflict(
                f"This answer changed while you were looking at it: it is now {locked.get_status_display().lower()}."
            )
        _check_state(locked, decision)
        rights.require(decision.right, user=acting_user, answer=locked)
        if decision.blockers is not None and (blockers := decision.blockers(locked)):
            raise Blocked(f"{decision.blocked}: " + " ".join(blockers))
        if decision.gathers is not None:
            data = {**(data or {}), **decision.gathers(locked)}
        before = locked.status
        revision = _decided_revision(locked, decision)
        pending, review = locked.pending_revision, _pending_review(locked, decision)
        getattr(locked, decision.name)(by=acting_user, reason=reason)
        if decision.signs and locked.status == Status.APPROVED:
            _review_period_by_risk(locked)
        _save_transition(locked)
        if review is not None:
            review_before = review.state
            getattr(review, decision.revision_step)(by=acting_user)
            review.save()
        effects.record(
            action=decision.action,
            actor=acting_user,
            answer=locked,
            revision=revision,
            from_state=before,
            to_state=locked.status,
            reason=reason,
            data=data,
        )
        if decision.signs:
            # The signed revision: the one approved (now live, or waiting for its second approval) or re-approved.
            signing.signature_record(signer=acting_user, revision=revision, meaning=decision.meaning(before))
        if review is not None and review.state == ReviewState.WITHDRAWN:
            # A retraction takes the revision pending with it: its own event, on its own revision.
            effects.record(
                action=AuditAction.REVISION_WITHDRAW,
                actor=acting_user,
                answer=locked,
                revision=pending,
                from_state=review_before,
                to_state=review.state,
                reason=reason,
                data={"revision": pending.number},
            )
    return locked


def answer_decide(name: str, *, acting_user, answer: Answer | int, expected_status=None, **inputs) -> Answer:
    """Take the decision called `name` (the admin's buttons and forms come here): its
    reason or attestation in `inputs`, as the decision declares."""
    decision = DECISIONS[name]
    if decision is APPROVE or decision is FIRST_APPROVE:
        decision = _approval_of(answer)
    if decision.needs_attestation:
        return _approve(decision, acting_user=acting_user, answer=answer, expected_status=expected_status, **inputs)
    if decision.needs_reason:
        return _decide(
            decision,
            answer=answer,
            acting_user=acting_user,
            expected_status=expected_status,
            reason=_required_reason(inputs.get("reason")),
        )
    return _decide(decision, answer=answer, acting_user=acting_user, expected_status=expected_status)


def _approval_of(answer: Answer | int) -> Decision:
    """The approval a board member gives now: a high-risk revision's first approval (`first_approve`,
    nothing published yet) or the approval that publishes (`approve`: a standard-tier revision's only
    one, a high-risk revision's second). The same "Approve" button and service either way."""
    locked = Answer.objects.filter(pk=_answer_id(answer)).only("pk", "status", "pending_revision_id").first()
    if locked is not None and locked.status == Status.UNDER_REVIEW and locked.needs_two_approvals():
        return FIRST_APPROVE
    return APPROVE


def _approve(decision: Decision, *, acting_user, answer, attestation: str, expected_status=None) -> Answer:
    """Approve and re-approve: the same signature, the same path."""
    if (attestation or "").strip() != settings.APPROVAL_ATTESTATION:
        raise Invalid.on("attestation", f'Approval needs the attestation "{settings.APPROVAL_ATTESTATION}".')
    return _decide(
        decision,
        answer=answer,
        acting_user=acting_user,
        expected_status=expected_status,
        data={"attestation": settings.APPROVAL_ATTESTATION},
    )


# -- writes ---------------------------------------------------------------------


def _unique_slug(text: str) -> str:
    base = slugify(text)[:180].strip("-") or "question"
    slug, n = base, 2
    while Question.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def question_get_or_create(*, text: str, specialty: Specialty) -> Question:
    text = " ".join(text.split())
    # Looked up by digest first: the md5(text) index (answers migration 0002) finds it without a scan.
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    question = Question.objects.alias(text_md5=MD5("text")).filter(text_md5=digest, text=text).first()
    if question is None:
        question = Question.objects.create(text=text, slug=_unique_slug(text), specialty=specialty)
    return question


def revision_write(
    *, answer: Answer, content: dict, created_by, source_kind: str, risk_floor: tuple[str, dict] | None = None, **fields
) -> Revision:
    """Store `content` (canonical: `canonical_content`) as the answer's next revision, with its
    sections, its citations and its own review (submitted). The caller holds the answer's lock
    and moves the answer; `fields` are the revision's other columns (model, external id, parent)."""
    number = (answer.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = Revision.objects.create(
        answer=answer,
        number=number,
        source_kind=source_kind,
        created_by=created_by,
        content_hash=content_hash(content),
        **fields,
    )
    Section.objects.bulk_create(
        Section(revision=revision, position=i, heading=s["heading"], body=s["body"])
        for i, s in enumerate(content["sections"], start=1)
    )
    Citation.objects.bulk_create(Citation(revision=revision, **c) for c in content["citations"])
    # Its risk tier, from its text (editorial/review/risk.py); `risk_floor` (a tier and the reason
    # as a match) raises it, never lowers it: a drafting system's "high", the tier of an edited revision.
    assessment = risk.assess(question=answer.question.text, sections=content["sections"])
    if risk_floor is not None and risk_floor[0] == RiskTier.HIGH:
        assessment.tier = RiskTier.HIGH
        assessment.matches.append(risk_floor[1])
    RevisionReview.objects.create(revision=revision, risk_tier=assessment.tier, risk_matches=assessment.matches)
    return revision


def draft_submit(*, acting_user, draft: Draft) -> Revision:
    """Store a draft as a new immutable revision and submit it for review.

    A new question gets a new answer; a question that already has an answer
    for this audience gets a new revision of it (refused while in review).
    """
    if not draft.sections:
        raise Invalid.on("sections", "A draft needs at least one section.")
    rights.require(SUBMIT.right, user=acting_user, answer=None)
    content = canonical_content(sections=draft.sections, citations=draft.citations)
    try:
        with transaction.atomic():
            question = question_get_or_create(text=draft.question, specialty=draft.specialty)
            answer, _ = Answer.objects.get_or_create(question=question, audience=draft.audience)
            answer = _locked_answer(answer.pk)
            _check_state(answer, SUBMIT)
            before = answer.status
            revision = revision_write(
                answer=answer,
                content=content,
                created_by=acting_user,
                source_kind=draft.source_kind,
                model_name=draft.model_name,
                model_version=draft.model_version,
                external_id=draft.external_id,
                risk_floor=(draft.risk, {"rule": "drafting_system", "text": "risk: high", "where": "draft"}),
            )
            number = revision.number
            answer.submit(revision=revision)
            _save_transition(answer)
            effects.record(
                action=SUBMIT.action,
                actor=acting_user,
                answer=answer,
                revision=revision,
                from_state=before,
                to_state=answer.status,
                data={"revision": number, "source": revision.source_label},
            )
    except IntegrityError as exc:
        # Two submissions raced on the same question or external id.
        raise Conflict("This draft collided with another submission at the same moment; send it again.") from exc
    return revision


# An editor assigns (or reassigns) the first review, or a high-risk revision's second one.
ASSIGNABLE = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_SECOND_REVIEW, Status.SECOND_REVIEW)


def answer_assign(*, acting_user, answer: Answer | int, reviewer) -> Answer:
    """An editor gives the answer's review to a board member (also reassigns)."""
    answer_id = _answer_id(answer)
    with transaction.atomic():
        locked = _locked_answer(answer_id)
        rights.require(rights.may_assign, user=acting_user, answer=locked)
        if locked.status not in ASSIGNABLE:
            raise InvalidState(
                f"Cannot assign a reviewer: the answer is {locked.get_status_display().lower()}.",
                state=locked.status,
            )
        if why := rights.assignment_refusal(reviewer, locked):
            raise NotAllowed(why)
        previous = locked.reviewer
        locked.reviewer = reviewer
        locked.save(update_fields=["reviewer"])
        effects.record(
            action=AuditAction.ASSIGN,
            actor=acting_user,
            answer=locked,
            revision=locked.pending_revision,
            from_state=locked.status,
            to_state=locked.status,
            data={
                "reviewer": reviewer.get_username(),
                "previous": previous.get_username() if previous else None,
                "reviewer_label": user_label(reviewer),
                "previous_label": user_label(previous) if previous else None,
            },
        )
    return locked


def answer_start_review(*, acting_user, answer, expected_status=None) -> Answer:
    return answer_decide("start_review", acting_user=acting_user, answer=answer, expected_status=expected_status)


def answer_approve(*, acting_user, answer, attestation: str, expected_status=None) -> Answer:
    """Approve the pending revision: it is published, unless it is high risk and this is its first
    approval (the answer then awaits a second board member's)."""
    return _approve(
        _approval_of(answer),
        acting_user=acting_user,
        answer=answer,
        attestation=attestation,
        expected_status=expected_status,
    )


def answer_reaffirm(*, acting_user, answer, attestation: str, expected_status=None) -> Answer:
    """Re-approve the live revision of an answer due for re-review."""
    return _approve(
        REAFFIRM, acting_user=acting_user, answer=answer, attestation=attestation, expected_status=expected_status
    )


def answer_request_changes(*, acting_user, answer, reason: str, expected_status=None) -> Answer:
    return answer_decide(
        "request_changes", acting_user=acting_user, answer=answer, reason=reason, expected_status=expected_status
    )


def answer_reject(*, acting_user, answer, reason: str, expected_status=None) -> Answer:
    return answer_decide(
        "reject", acting_user=acting_user, answer=answer, reason=reason, expected_status=expected_status
    )


def answer_retract(*, acting_user, answer, reason: str, expected_status=None) -> Answer:
    return answer_decide(
        "retract", acting_user=acting_user, answer=answer, reason=reason, expected_status=expected_status
    )


def answer_mark_review_due(*, answer: Answer | int) -> bool:
    """Flag approved content past its review date (run by the system sweep).

    Returns False, writing nothing, when the answer is not (or no longer) due,
    so the sweep is safe to run twice.
    """
    answer_id = _answer_id(answer)
    return bool(answers_mark_review_due(answer_ids=[answer_id]))


def answers_mark_review_due(*, answer_ids: list[int] | None = None, limit: int | None = None) -> list[int]:
    """Flag every published answer past its review date, set-based, for the sweep
    (the live revision's date, whatever re-draft is pending):

    1. lock the due answers (of `answer_ids` if given; at most `limit`, by id);
    2. flag them with one UPDATE;
    3. write one audit event per answer, in one batched insert;
    4. hand the events to the effects together.

    Returns the ids flagged; answers not due are left alone, so it is safe to
    run twice.
    """
    with transaction.atomic():
        due = (
            Answer.objects.select_for_update(of=("self",))
            .public()
            .filter(review_due=False, next_review_due__lte=clock.today())
            .order_by("pk")
        )
        if answer_ids is not None:
            due = due.filter(pk__in=answer_ids)
        rows = list(
            due.values("pk", "status", "next_review_due", "live_revision_id", "live_revision__content_hash")[:limit]
        )
        if not rows:
            return []
        ids = [row["pk"] for row in rows]
        Answer.objects.filter(pk__in=ids).update(review_due=True)
        events = audit_record_many(
            [
                {
                    "action": AuditAction.REVIEW_DUE,
                    "answer_id": row["pk"],
                    "revision_id": row["live_revision_id"],
                    "revision_hash": row["live_revision__content_hash"],
                    "from_state": row["status"],
                    "to_state": row["status"],
                    "data": {"next_review_due": row["next_review_due"].isoformat()},
                }
                for row in rows
            ]
        )
        effects.events_written(events)
    return ids


def revision_risk_set(*, acting_user, answer: Answer | int, tier: str, reason: str) -> RevisionReview:
    """An editor raises or lowers the risk tier of the revision waiting for review, with a reason (audited)."""
    reason = _required_reason(reason)
    if tier not in RiskTier.values:
        raise Invalid.on("tier", f"Choose one of: {', '.join(RiskTier.values)}.")
    with transaction.atomic():
        locked = _locked_answer(_answer_id(answer))
        rights.require(rights.may_set_risk, user=acting_user, answer=locked)
        if locked.pending_revision_id is None:
            raise InvalidState("No revision of this answer is waiting for review.", state=locked.status)
        review = RevisionReview.objects.select_for_update().get(revision_id=locked.pending_revision_id)
        if review.risk_tier == tier:
            raise Invalid.on("tier", f"The tier is already {RiskTier(tier).label.lower()}.")
        before = review.risk_tier
        review.risk_tier, review.risk_reason = tier, reason
        review.save(update_fields=["risk_tier", "risk_reason"])
        effects.record(
            action=AuditAction.RISK_CHANGE,
            actor=acting_user,
            answer=locked,
            revision=locked.pending_revision,
            from_state=locked.status,
            to_state=locked.status,
            reason=reason,
            data={"revision": locked.pending_revision.number, "from": before, "to": tier},
        )
    return review
