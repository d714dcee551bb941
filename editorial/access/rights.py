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

from answers.models import Answer
from editorial.access.roles import is_board_member, is_drafting_system, is_editor
from editorial.errors import NotAllowed

Right = Callable[..., str | None]


def _holds_specialty(user, answer: Answer) -> bool:
    if not settings.REVIEW_REQUIRES_SPECIALTY:
        return True
    profile = getattr(user, "reviewer_profile", None)
    if profile is None:
        return False
    return profile.specialties.filter(pk=answer.question.specialty_id).exists()


def _wrote_pending(user, answer: Answer | None) -> bool:
    revision = answer.pending_revision if answer is not None else None
    return revision is not None and revision.created_by_id == user.pk


def _board_refusal(user, answer: Answer) -> str | None:
    if not is_board_member(user):
        return "Only Medical Advisory Board members may review answers."
    if not _holds_specialty(user, answer):
        return f"You do not hold the specialty {answer.question.specialty} required to review this answer."
    return None


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
    """A board member who may review it (the assignee, if assigned), never its author."""
    if why := _board_refusal(user, answer):
        return why
    if _wrote_pending(user, answer):
        return "You wrote this revision; another board member must review it."
    if answer.reviewer_id is not None and answer.reviewer_id != user.pk:
        return f"This answer is assigned to {answer.reviewer}."
    return None


def may_decide(user, answer: Answer) -> str | None:
    """Approve, request changes or reject: the board member holding the review, never the author."""
    if why := _board_refusal(user, answer):
        return why
    if _wrote_pending(user, answer):
        return "You wrote this revision; you cannot review your own work."
    if answer.reviewer_id != user.pk:
        return "Only the board member who holds this review may decide it."
    return None


def may_reaffirm(user, answer: Answer) -> str | None:
    """A board member who may review it, never the live revision's author."""
    if why := _board_refusal(user, answer):
        return why
    live = answer.live_revision
    if live is not None and live.created_by_id == user.pk:
        return "You wrote this revision; another board member must re-review it."
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


def may_review(user, answer: Answer) -> bool:
    """Whether `user` could be assigned this answer's review."""
    return _board_refusal(user, answer) is None and not _wrote_pending(user, answer)
