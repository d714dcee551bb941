"""Who may do what to an answer, in one place.

`refusal()` answers with the reason an action is refused, or None when it is
allowed. Services enforce it; the admin and the API ask it to decide which
buttons to show. django-fsm's `permission=` is deliberately not used: the
library only reads it in `has_transition_perm`, never when a transition runs.
"""

from django.conf import settings

from answers.models import Answer
from editorial.access.roles import is_board_member, is_drafting_system, is_editor
from editorial.errors import NotAllowed


def _holds_specialty(user, answer: Answer) -> bool:
    if not settings.REVIEW_REQUIRES_SPECIALTY:
        return True
    profile = getattr(user, "reviewer_profile", None)
    if profile is None:
        return False
    return profile.specialties.filter(pk=answer.question.specialty_id).exists()


def _wrote_pending(user, answer: Answer) -> bool:
    revision = answer.pending_revision
    return revision is not None and revision.created_by_id == user.pk


def _board_refusal(user, answer: Answer) -> str | None:
    if not is_board_member(user):
        return "Only Medical Advisory Board members may review answers."
    if not _holds_specialty(user, answer):
        return f"You do not hold the specialty {answer.question.specialty} required to review this answer."
    return None


def refusal(action: str, *, user, answer: Answer | None = None) -> str | None:
    """Why `user` may not take `action` on `answer` now, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return "You must be signed in."

    if action == "submit":
        if is_drafting_system(user) or is_editor(user):
            return None
        return "Only drafting systems and editors may submit drafts."

    if action == "assign":
        if not is_editor(user):
            return "Only editors may assign reviewers."
        if answer is not None and _wrote_pending(user, answer):
            return "You wrote this revision; another editor must choose its reviewer."
        return None

    if action == "verdict":
        if is_board_member(user) and answer.reviewer_id == user.pk:
            return None
        return "Only the board member holding this review may record citation verdicts."

    if action == "comment":
        if is_board_member(user) or is_editor(user):
            return None
        return "Only board members and editors may comment."

    if action == "waive":
        if not is_editor(user):
            return "Only editors may waive a citation check."
        if _wrote_pending(user, answer):
            return "You wrote this revision; another editor must decide on waiving its citation checks."
        return None

    if action == "start_review":
        why = _board_refusal(user, answer)
        if why:
            return why
        if _wrote_pending(user, answer):
            return "You wrote this revision; another board member must review it."
        if answer.reviewer_id is not None and answer.reviewer_id != user.pk:
            return f"This answer is assigned to {answer.reviewer}."
        return None

    if action in {"approve", "request_changes", "reject"}:
        why = _board_refusal(user, answer)
        if why:
            return why
        if _wrote_pending(user, answer):
            return "You wrote this revision; you cannot review your own work."
        if answer.reviewer_id != user.pk:
            return "Only the board member who holds this review may decide it."
        return None

    if action == "reaffirm":
        why = _board_refusal(user, answer)
        if why:
            return why
        live = answer.live_revision
        if live is not None and live.created_by_id == user.pk:
            return "You wrote this revision; another board member must re-review it."
        return None

    if action == "retract":
        if is_board_member(user) or is_editor(user):
            return None
        return "Only board members and editors may retract an answer."

    raise ValueError(f"unknown action {action!r}")


def require(action: str, *, user, answer: Answer | None) -> None:
    """Raise NotAllowed, with the reason for the person who asked, unless `refusal()` allows."""
    why = refusal(action, user=user, answer=answer)
    if why:
        raise NotAllowed(why)


def may_review(user, answer: Answer) -> bool:
    """Whether `user` could be assigned this answer's review."""
    return _board_refusal(user, answer) is None and not _wrote_pending(user, answer)
