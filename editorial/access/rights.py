"""Who may do what to an answer, in one place.

Each right is a small named function of (user, answer) that answers with the
reason it refuses, or None when it allows. A review decision names the right
it needs (`editorial.review.decisions`); the services, the admin buttons and
the API ask `refusal(right, ...)` or `require(right, ...)` with that function,
so a hidden button and a refused request come from the same rule.
django-fsm's `permission=` is deliberately not used: the library only reads
it in `has_transition_perm`, never when a transition runs.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from answers import interests
from answers.models import (
    SECOND_REVIEW_STATUSES,
    Answer,
    DeclaredInterest,
    ReviewerProfile,
    Revision,
    RevisionReview,
    Status,
)
from editorial.access.roles import BOARD, is_board_member, is_drafting_system, is_editor
from editorial.errors import NotAllowed

Right = Callable[..., str | None]


# -- the specialty rule, once --------------------------------------------------------
# With REVIEW_REQUIRES_SPECIALTY (on by default), a board member reviews an answer only
# when their reviewer profile lists the specialty of the answer's question. The rule
# has three forms, kept side by side so they cannot drift (tests/editorial/review/
# test_specialty_rule.py checks that they agree): per object (`holds_specialty`), as a
# filter on answers (`holds_specialty_q`, within `reviewable_by_q`) and as a filter on
# users (`may_review_q`).


def specialty_rule() -> bool:
    """Whether reviewers must hold the answer's specialty (settings.REVIEW_REQUIRES_SPECIALTY)."""
    return settings.REVIEW_REQUIRES_SPECIALTY


def _held_specialty_ids(user) -> frozenset[int]:
    """The specialties on `user`'s reviewer profile: one query, then kept on the user object
    for its life (a request), as `roles` keeps the user's groups."""
    held = getattr(user, "_vetted_specialties", None)
    if held is None:
        held = frozenset(
            ReviewerProfile.specialties.through.objects.filter(reviewerprofile__user_id=user.pk).values_list(
                "specialty_id", flat=True
            )
        )
        user._vetted_specialties = held
    return held


def holds_specialty(user, answer: Answer) -> bool:
    """Per object: `user` may review `answer` as far as the specialty rule goes."""
    return not specialty_rule() or answer.question.specialty_id in _held_specialty_ids(user)


def holds_specialty_q(user) -> Q:
    """On answers: `holds_specialty`, as a filter."""
    return Q(question__specialty__reviewers__user=user) if specialty_rule() else Q()


def reviewable_by_q(user) -> Q:
    """On answers: the answers `user` may review (`may_review`, as a filter).

    Board membership, the specialty rule, never the author of the pending revision,
    never a pending revision that mentions one of `user`'s current declared interests.
    """
    if not is_board_member(user):
        return Q(pk__in=[])
    return ~Q(pending_revision__created_by=user) & holds_specialty_q(user) & no_conflict_q(user, "pending_revision_id")


def may_review_q(*, specialty_id: int, author_ids=(), revision_ids=()) -> Q:
    """On users: who may review an answer of `specialty_id` whose pending revision (one of
    `revision_ids`) one of `author_ids` wrote (`may_review`, as a filter): not those with a
    current declared interest one of `revision_ids` mentions. For answers of several
    specialties, `.filter()` once per specialty: each call joins the profile's specialties anew."""
    q = Q(is_active=True, groups__name=BOARD)
    if specialty_rule():
        q &= Q(reviewer_profile__specialties=specialty_id)
    authors = [pk for pk in author_ids if pk is not None]
    if authors:
        q &= ~Q(pk__in=authors)
    revisions = [pk for pk in revision_ids if pk is not None]
    if revisions:
        q &= ~Exists(interests.conflicting_declarations(OuterRef("pk"), revision_ids=revisions))
    return q


# -- conflicts of interest, once --------------------------------------------------------
# A board member whose *current* declared interest (`answers.DeclaredInterest`) names a
# company or drug the revision mentions (question, section headings and text, citation
# titles: `answers.mentions`) may not start, be assigned, decide or re-approve its review.
# Per object (`conflict_of`, in `_board_refusal` and `assignment_refusal`) and as a filter
# on answers (`no_conflict_q`, within `reviewable_by_q`) or on users (in `may_review_q`);
# tests/editorial/review/test_conflicts_of_interest.py checks that they agree.


def _current_interests(user) -> list[DeclaredInterest]:
    """`user`'s declarations in force today: one query, then kept on the user object (a request)."""
    held = getattr(user, "_vetted_interests", None)
    if held is None:
        held = list(DeclaredInterest.objects.filter(interests.current_q(), profile__user_id=user.pk))
        user._vetted_interests = held
    return held


def conflict_of(user, answer: Answer, revision: Revision | None = None) -> DeclaredInterest | None:
    """`user`'s current declaration that `revision` (default: the pending one) mentions, or None.
    Reads the revision's text only when `user` has a current declaration."""
    revision = revision if revision is not None else answer.pending_revision
    if revision is None:
        return None
    declared = _current_interests(user)
    if not declared:
        return None
    touched = interests.touching(declared, interests.revision_texts(revision, answer.question.text))
    return touched[0] if touched else None


def no_conflict_q(user, revision_field: str) -> Q:
    """On answers: those whose revision `revision_field` mentions none of `user`'s current declarations."""
    return ~Q(Exists(interests.conflicting_declarations(user.pk, revision_ref=revision_field)))


_ANOTHER = "another board member must review it."


def declaration_words(declaration: DeclaredInterest) -> str:
    """ "an interest in Pfizer (from 2025-01-01): Consulting fees." (the statement cut at 160 characters,
    ending with a full stop)."""
    statement = " ".join(declaration.statement.split())
    if len(statement) > 160:
        statement = statement[:159].rstrip() + "…"
    if not statement.endswith((".", "!", "?", "…")):
        statement += "."
    return f"an interest in {declaration.name} ({declaration.period}): {statement}"


def _conflict_refusal(user, answer: Answer, revision: Revision | None = None) -> str | None:
    declaration = conflict_of(user, answer, revision)
    if declaration is None:
        return None
    return f"You declared {declaration_words(declaration)} This revision mentions {declaration.name}: " + _ANOTHER


def _wrote_pending(user, answer: Answer | None) -> bool:
    revision = answer.pending_revision if answer is not None else None
    return revision is not None and revision.created_by_id == user.pk


def _board_refusal(user, answer: Answer, revision: Revision | None = None) -> str | None:
    """Board membership, the specialty rule, and no current declared interest that `revision`
    (default: the pending one) mentions."""
    if not is_board_member(user):
        return "Only Medical Advisory Board members may review answers."
    if not holds_specialty(user, answer):
        return (
            f"This answer is in {answer.question.specialty}, a specialty your reviewer profile does not list: "
            "board members review only within their specialties."
        )
    if in_second_review(answer) and not _one_of_two_holds_specialty(user, answer):
        return (
            f"Neither you nor the first reviewer holds {answer.question.specialty}: at least one of a "
            "high-risk answer's two reviewers must hold its specialty."
        )
    return _conflict_refusal(user, answer, revision)


def conflict_notice(user, answer: Answer) -> str | None:
    """What the review page tells a board member whose current declared interest the revision
    in review (else the live one) mentions: the refusal they would get, said once at the top."""
    if not is_board_member(user):
        return None
    return _conflict_refusal(user, answer, answer.pending_revision or answer.live_revision)


# -- two approvals of a high-risk revision -------------------------------------------
# A high-risk revision (`RevisionReview.risk_tier`) is approved twice, by two board members
# (`editorial.review.double`): neither wrote it or any revision it was edited from, the second
# is not the first, and at least one holds the answer's specialty.


def in_second_review(answer: Answer | None) -> bool:
    """The answer's pending revision has its first approval and waits for (or is in) its second review."""
    return answer is not None and answer.status in SECOND_REVIEW_STATUSES


def _pending_review_row(answer: Answer) -> RevisionReview | None:
    """The pending revision's own review (its tier, its first approver), at most one query per answer."""
    return answer.pending_review()


def first_approver_id(answer: Answer) -> int | None:
    """Who gave the pending revision its first approval (None before, and for standard-tier revisions)."""
    review = _pending_review_row(answer)
    return review.first_approved_by_id if review is not None else None


def is_high_risk(answer: Answer | None) -> bool:
    review = _pending_review_row(answer) if answer is not None else None
    return review is not None and review.risk_tier == "high"


def revision_authors(revision_id: int | None) -> set[int]:
    """Who wrote the revision and every revision it was edited from (its `parent` chain)."""
    authors: set[int] = set()
    seen: set[int] = set()
    while revision_id is not None and revision_id not in seen:
        seen.add(revision_id)
        row = Revision.objects.filter(pk=revision_id).values_list("created_by_id", "parent_id").first()
        if row is None:
            break
        authors.add(row[0])
        revision_id = row[1]
    return authors


def _wrote_any_of(user, answer: Answer | None) -> bool:
    """For a high-risk revision: `user` wrote it or a revision it was edited from."""
    if answer is None or answer.pending_revision_id is None or not is_high_risk(answer):
        return False
    return user.pk in revision_authors(answer.pending_revision_id)


def _actually_holds(user_id: int | None, answer: Answer) -> bool:
    if user_id is None:
        return False
    return ReviewerProfile.specialties.through.objects.filter(
        reviewerprofile__user_id=user_id, specialty_id=answer.question.specialty_id
    ).exists()


def _one_of_two_holds_specialty(user, answer: Answer) -> bool:
    """At least one of the two reviewers holds the answer's specialty (always so under the
    specialty rule, which asks it of both)."""
    if specialty_rule():
        return True
    return answer.question.specialty_id in _held_specialty_ids(user) or _actually_holds(
        first_approver_id(answer), answer
    )


def _double_review_refusal(user, answer: Answer) -> str | None:
    """The two-approvals rules a board member meets before reviewing a high-risk revision."""
    if _wrote_any_of(user, answer):
        return "You wrote this revision or one it was edited from; other board members must review it."
    if in_second_review(answer) and first_approver_id(answer) == user.pk:
        return "You gave this revision its first approval; a second, different board member must approve it."
    return None


def second_review_q(user) -> Q:
    """On answers: the high-risk answers awaiting a second review that `user` may take
    (`may_start_review` in the second review, as a filter)."""
    if not is_board_member(user):
        return Q(pk__in=[])
    q = Q(status=Status.AWAITING_SECOND_REVIEW) & (Q(reviewer=user) | Q(reviewer__isnull=True))
    q &= ~Q(pending_revision__created_by=user) & ~Q(pending_revision__parent__created_by=user)
    q &= ~Q(pending_revision__review__first_approved_by=user)
    if specialty_rule():
        return q & holds_specialty_q(user)
    held = ReviewerProfile.specialties.through.objects.filter(specialty_id=OuterRef("question__specialty_id"))
    return q & (
        Exists(held.filter(reviewerprofile__user_id=user.pk))
        | Exists(held.filter(reviewerprofile__user_id=OuterRef("pending_revision__review__first_approved_by")))
    )


# -- the rights ---------------------------------------------------------------------


def may_submit(user, answer: Answer | None = None) -> str | None:
    """Drafting systems and editors."""
    if is_drafting_system(user) or is_editor(user):
        return None
    return "Only drafting systems and editors may submit drafts."


def may_assign(user, answer: Answer | None = None) -> str | None:
    if not is_editor(user):
        return "Only editors may assign reviewers."
    if _wrote_pending(user, answer):
        return "You wrote this revision; another editor must choose its reviewer."
    return None


def may_record_verdict(user, answer: Answer) -> str | None:
    if is_board_member(user) and answer.reviewer_id == user.pk:
        return None
    return "Only the board member holding this review may record citation verdicts."


def may_comment(user, answer: Answer | None = None) -> str | None:
    if is_board_member(user) or is_editor(user):
        return None
    return "Only board members and editors may comment."


def may_resolve_comment(user, answer: Answer | None = None) -> str | None:
    """Resolve or reopen a comment: board members and editors."""
    if is_board_member(user) or is_editor(user):
        return None
    return "Only board members and editors may resolve or reopen comments."


def may_waive(user, answer: Answer) -> str | None:
    if not is_editor(user):
        return "Only editors may waive a citation check."
    if _wrote_pending(user, answer):
        return "You wrote this revision; another editor must decide on waiving its citation checks."
    return None


def may_start_review(user, answer: Answer) -> str | None:
    """A board member who may review it (the assignee, if assigned), never its author; for a
    high-risk revision's second review, never its first approver."""
    if why := _board_refusal(user, answer):
        return why
    if _wrote_pending(user, answer):
        return "You wrote this revision; another board member must review it."
    if why := _double_review_refusal(user, answer):
        return why
    if answer.reviewer_id is not None and answer.reviewer_id != user.pk:
        return f"This answer is assigned to {answer.reviewer}."
    return None


def may_decide(user, answer: Answer) -> str | None:
    """Approve, request changes or reject: the board member holding the review, never the author (nor, in a
    high-risk revision's second review, its first approver)."""
    if why := _board_refusal(user, answer):
        return why
    if _wrote_pending(user, answer):
        return "You wrote this revision; you cannot review your own work."
    if why := _double_review_refusal(user, answer):
        return why
    if answer.reviewer_id != user.pk:
        return "Only the board member who holds this review may decide it."
    return None


def may_adjudicate(user, answer: Answer) -> str | None:
    """An editor, or a third board member (neither of the two reviewers), never an author:
    settles a citation the two reviewers of a high-risk revision disagree on."""
    if not in_second_review(answer):
        return "Only a high-risk revision in its second review has disagreements to adjudicate."
    authors = revision_authors(answer.pending_revision_id)
    if user.pk in authors:
        return "You wrote this revision or one it was edited from; someone else must adjudicate."
    if user.pk in (first_approver_id(answer), answer.reviewer_id):
        return "You are one of its two reviewers; an editor or a third board member must adjudicate."
    if is_editor(user):
        return None
    if not is_board_member(user):
        return "Only editors and board members may adjudicate a disagreement."
    return _board_refusal(user, answer)


def may_edit_draft(user, answer: Answer | None) -> str | None:
    """A board member (who may review it) or an editor, while the answer is in review; never a drafting system.

    The edit becomes the pending revision, written by this person: they may then
    never approve it (`_wrote_pending`), so another board member must.
    """
    if is_drafting_system(user):
        return "Drafting systems send new drafts through the API; they do not edit drafts in review."
    if not is_editor(user):
        if not is_board_member(user):
            return "Only board members and editors may edit a draft."
        if why := _board_refusal(user, answer):
            return why
    if answer is None or answer.status not in (Status.SUBMITTED, Status.UNDER_REVIEW) or not answer.pending_revision_id:
        status = answer.get_status_display().lower() if answer is not None else "not in review"
        return f"Only a draft in review can be edited; this answer is {status}."
    return None


def may_reaffirm(user, answer: Answer) -> str | None:
    """A board member who may review it, never the live revision's author."""
    live = answer.live_revision
    if why := _board_refusal(user, answer, live):
        return why
    if live is not None and live.created_by_id == user.pk:
        return "You wrote this revision; another board member must re-review it."
    return None


def may_set_risk(user, answer: Answer) -> str | None:
    """Editors, never for a revision they wrote."""
    if not is_editor(user):
        return "Only editors may change a revision's risk tier."
    if _wrote_pending(user, answer):
        return "You wrote this revision; another editor must decide its risk tier."
    return None


def may_retract(user, answer: Answer | None = None) -> str | None:
    """Board members and editors."""
    if is_board_member(user) or is_editor(user):
        return None
    return "Only board members and editors may retract an answer."


def may_edit_profiles(user, answer: Answer | None = None) -> str | None:
    """The public reviewer profiles: editors (and superusers)."""
    if is_editor(user):
        return None
    return "Only editors may change reviewer profiles."


def refusal(right: Right, *, user, answer: Answer | None = None) -> str | None:
    """Why `user` may not use `right` on `answer` now, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "You must be signed in."
    return right(user, answer)


def require(right: Right, *, user, answer: Answer | None) -> None:
    """Raise NotAllowed, with the reason for the person who asked, unless `refusal()` allows."""
    why = refusal(right, user=user, answer=answer)
    if why:
        raise NotAllowed(why)


def assignment_refusal(reviewer, answer: Answer) -> str | None:
    """Why `reviewer` could not be assigned this answer's review, said of them, or None."""
    if not is_board_member(reviewer):
        return f"{reviewer} is not an active member of the Medical Advisory Board."
    if not holds_specialty(reviewer, answer):
        return (
            f"{reviewer} does not hold {answer.question.specialty}, this answer's specialty: "
            "board members review only within their specialties."
        )
    if _wrote_pending(reviewer, answer):
        return f"{reviewer} wrote this revision; another board member must review it."
    if _wrote_any_of(reviewer, answer):
        return f"{reviewer} wrote this revision or one it was edited from; another board member must review it."
    if in_second_review(answer) and first_approver_id(answer) == reviewer.pk:
        return f"{reviewer} gave this revision its first approval; a second, different board member must approve it."
    if declaration := conflict_of(reviewer, answer):
        return f"{reviewer} declared {declaration_words(declaration)} This revision mentions {declaration.name}: " + (
            _ANOTHER
        )
    return None


def may_review(user, answer: Answer) -> bool:
    """Whether `user` could be assigned this answer's review (per object; `reviewable_by_q` and
    `may_review_q` are the same rule as filters)."""
    return assignment_refusal(user, answer) is None
