"""Reviewer profiles: the public identity of a board member, changed only here.

A profile is shown to readers (the board page, "Reviewed by"), so only members
of the board group may have one, and every change (creation, each changed
field old → new, removal) is an audit event (`vetted.profile.change`, with no
answer) in the same transaction as the change.
"""

from django.db import transaction

from answers.models import ReviewerProfile
from editorial.access import rights
from editorial.access.roles import BOARD, is_board_member
from editorial.audit import effects
from editorial.errors import Invalid
from editorial.models import AuditAction, AuditEvent

# The fields readers see, compared before and after a save.
PUBLIC_FIELDS = ("user", "display_name", "credentials", "bio", "conflict_of_interest", "slug")


def profile_refusal(user) -> str | None:
    """Why `user` cannot have a public profile, or None."""
    if user is None or not is_board_member(user):
        return f"Only members of the {BOARD} can have a public reviewer profile; {user} is not one."
    return None


def _snapshot(profile: ReviewerProfile | None, specialties=None) -> dict:
    if profile is None:
        return {name: None if name == "user" else "" for name in PUBLIC_FIELDS} | {"specialties": []}
    values = {name: getattr(profile, name) for name in PUBLIC_FIELDS if name != "user"}
    values["user"] = profile.user.get_username() if profile.user_id else None
    names = specialties if specialties is not None else profile.specialties.all()
    values["specialties"] = sorted(s.name for s in names)
    return values


def reviewer_profile_save(*, acting_user, profile: ReviewerProfile, specialties=None) -> ReviewerProfile:
    """Create or change a profile (its fields already set on `profile`), and its specialties if given."""
    rights.require(rights.may_edit_profiles, user=acting_user, answer=None)
    if why := profile_refusal(profile.user if profile.user_id else None):
        raise Invalid.on("user", why)
    with transaction.atomic():
        before_row = (
            ReviewerProfile.objects.select_for_update().select_related("user").filter(pk=profile.pk).first()
            if profile.pk
            else None
        )
        before = _snapshot(before_row)
        profile.save()
        if specialties is not None:
            profile.specialties.set(specialties)
        after = _snapshot(profile, specialties)
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if changes or before_row is None:
            effects.record(
                action=AuditAction.PROFILE_CHANGE,
                actor=acting_user,
                data={
                    "profile": profile.pk,
                    "user": after["user"],
                    "created": before_row is None,
                    "changes": changes,
                },
            )
    return profile


def reviewer_profile_delete(*, acting_user, profile: ReviewerProfile) -> None:
    rights.require(rights.may_edit_profiles, user=acting_user, answer=None)
    with transaction.atomic():
        before = _snapshot(profile)
        pk = profile.pk
        profile.delete()
        effects.record(
            action=AuditAction.PROFILE_CHANGE,
            actor=acting_user,
            data={"profile": pk, "user": before["user"], "deleted": True, "changes": {}, "created": False},
        )


def profile_history(profile: ReviewerProfile) -> list[AuditEvent]:
    """The audit events of one profile, newest first."""
    return list(AuditEvent.objects.filter(action=AuditAction.PROFILE_CHANGE, data__profile=profile.pk).order_by("-id"))
