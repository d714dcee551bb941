"""Reviewer profiles: the public identity of a board member, changed only here.

A profile is shown to readers (the board page, "Reviewed by"), so only members
of the board group may have one, and every change (creation, each changed
field old → new, removal) is an audit event (`vetted.profile.change`, with no
answer) in the same transaction as the change.

The profile's declared interests (`answers.DeclaredInterest`) are saved here too,
audited in the same event (field `interests`, the list before and after). A
declaration is never back-dated over a review already done (`backdating_refusal`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from answers import clock, interests
from answers.mentions import normalise_name, pattern_for
from answers.models import DeclaredInterest, InterestKind, ReviewerProfile, Revision, Signature
from editorial.access import rights
from editorial.access.roles import BOARD, is_board_member
from editorial.audit import effects
from editorial.errors import Invalid, Problem
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
        return {name: None if name == "user" else "" for name in PUBLIC_FIELDS} | {"specialties": [], "interests": []}
    values = {name: getattr(profile, name) for name in PUBLIC_FIELDS if name != "user"}
    values["user"] = profile.user.get_username() if profile.user_id else None
    names = specialties if specialties is not None else profile.specialties.all()
    values["specialties"] = sorted(s.name for s in names)
    values["interests"] = [_interest_line(d) for d in profile.interests.order_by("start", "id")] if profile.pk else []
    return values


# -- declared interests ---------------------------------------------------------------

# What counts as a review a member did, for the back-dating rule: these audit events by the
# member on a revision, and their electronic signatures (`answers.Signature`).
REVIEW_ACTIONS = (
    AuditAction.START_REVIEW,
    AuditAction.CITATION_VERDICT,
    AuditAction.APPROVE,
    AuditAction.REAFFIRM,
    AuditAction.REQUEST_CHANGES,
    AuditAction.REJECT,
)

STATEMENT_MAX = 2000


@dataclass(frozen=True)
class Declaration:
    """A declared interest as an editor submits it (`pk` None: a new one)."""

    kind: str
    name: str
    start: date
    end: date | None
    statement: str
    pk: int | None = None

    @property
    def period(self) -> str:
        return DeclaredInterest(start=self.start, end=self.end).period


def _interest_line(d) -> str:
    """ "Company Pfizer, from 2025-01-01: consulting fees": one declaration in the audit trail."""
    return f"{InterestKind(d.kind).label} {d.name}, {d.period}: {d.statement}"


@dataclass(frozen=True)
class CoveredReview:
    """A review a member did that a declaration's period would cover."""

    revision: Revision
    day: date
    what: str  # "approved", "recorded a citation verdict on", ...

    def __str__(self) -> str:
        revision = self.revision
        return f"“{revision.answer.question.text}” (revision {revision.number}, {self.what} on {self.day:%Y-%m-%d})"


_WHAT = {
    AuditAction.START_REVIEW: "review started",
    AuditAction.CITATION_VERDICT: "citation verdict recorded",
    AuditAction.APPROVE: "approved",
    AuditAction.REAFFIRM: "re-approved",
    AuditAction.REQUEST_CHANGES: "changes requested",
    AuditAction.REJECT: "rejected",
}


def _bounds(start: date, end: date | None) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), zone)
    until = timezone.make_aware(datetime.combine((end or clock.today()) + timedelta(days=1), time.min), zone)
    return since, until


def covered_review(user, *, name: str, start: date, end: date | None) -> CoveredReview | None:
    """The first review `user` did, between `start` and `end` (or today), of a revision that
    mentions `name` (`answers.interests.touching`), or None."""
    since, until = _bounds(start, end)
    reviews: list[tuple[datetime, int, str]] = [
        (at, revision_id, _WHAT.get(action, "reviewed"))
        for at, revision_id, action in AuditEvent.objects.filter(
            actor_id=user.pk, action__in=REVIEW_ACTIONS, revision_id__isnull=False,
            created_at__gte=since, created_at__lt=until,
        ).values_list("created_at", "revision_id", "action")
    ]  # fmt: skip
    reviews += [
        (at, revision_id, "signed")
        for at, revision_id in Signature.objects.filter(
            signer_id=user.pk, signed_at__gte=since, signed_at__lt=until
        ).values_list("signed_at", "revision_id")
    ]
    if not reviews:
        return None
    revisions = Revision.objects.select_related("answer__question").prefetch_related("sections", "citations")
    by_id = {r.pk: r for r in revisions.filter(pk__in={revision_id for _, revision_id, _ in reviews})}
    probe = DeclaredInterest(name=name, pattern=pattern_for(name))
    for at, revision_id, what in sorted(reviews):
        revision = by_id.get(revision_id)
        if revision is not None and interests.touches(probe, interests.revision_texts(revision)):
            return CoveredReview(revision=revision, day=timezone.localdate(at), what=what)
    return None


def backdating_refusal(user, declaration: Declaration) -> str | None:
    """Why `declaration` would back-date an interest over a review `user` already did, or None.

    The rule: a declaration whose from-date is before today is refused when its period
    (from, to inclusive; no to: up to today) holds a review by the member (a start of
    review, citation verdict, approval, re-approval, request for changes or rejection in
    the audit trail, or a signature) of a revision that mentions the declared name. A
    declaration from today or later covers no review already done.
    """
    if user is None or declaration.start >= clock.today():
        return None
    review = covered_review(user, name=declaration.name, start=declaration.start, end=declaration.end)
    if review is None:
        return None
    return (
        f"{declaration.name} {declaration.period} would cover a review already done: {user_label_of(user)} "
        f"reviewed {review}, which mentions {declaration.name}. A declaration cannot be back-dated over a "
        f"review; declare it from {review.day + timedelta(days=1):%Y-%m-%d} or later."
    )


def user_label_of(user) -> str:
    profile = getattr(user, "reviewer_profile", None)
    return profile.display_name if profile is not None and profile.display_name else user.get_username()


def declaration_problems(declaration: Declaration) -> list[str]:
    """What is wrong with one declaration by itself ([] when nothing)."""
    problems = []
    if declaration.kind not in InterestKind.values:
        problems.append("Choose company or drug.")
    name = normalise_name(declaration.name)
    if not name or not any(ch.isalnum() for ch in name):
        problems.append("Name the company or drug (letters or digits).")
    elif len(name) > 200:
        problems.append("A name has at most 200 characters.")
    if declaration.end is not None and declaration.end < declaration.start:
        problems.append("The to-date comes before the from-date.")
    if not declaration.statement.strip():
        problems.append("Say what the interest is (the statement readers see).")
    elif len(declaration.statement) > STATEMENT_MAX:
        problems.append(f"A statement has at most {STATEMENT_MAX} characters.")
    return problems


def _changes_period(row: DeclaredInterest | None, declaration: Declaration) -> bool:
    """Whether saving `declaration` over `row` sets a name or period (what the back-dating rule checks)."""
    if row is None:
        return True
    return (row.kind, row.name, row.start, row.end) != (
        declaration.kind, normalise_name(declaration.name), declaration.start, declaration.end,
    )  # fmt: skip


def _save_interests(profile: ReviewerProfile, declarations: list[Declaration]) -> None:
    existing = {row.pk: row for row in DeclaredInterest.objects.select_for_update().filter(profile=profile)}
    problems = []
    wanted = set()
    for i, declaration in enumerate(declarations):
        row = existing.get(declaration.pk) if declaration.pk is not None else None
        if declaration.pk is not None and row is None:
            problems.append(Problem(f"interests[{i}]", "This declaration is not one of this profile's."))
            continue
        found = declaration_problems(declaration)
        if not found and _changes_period(row, declaration):
            if why := backdating_refusal(profile.user, declaration):
                found.append(why)
        problems += [Problem(f"interests[{i}]", message) for message in found]
        if row is not None:
            wanted.add(row.pk)
    if problems:
        raise Invalid(problems)
    for pk, row in existing.items():
        if pk not in wanted:
            row.delete()
    for declaration in declarations:
        row = existing.get(declaration.pk) if declaration.pk is not None else DeclaredInterest(profile=profile)
        values = (declaration.kind, normalise_name(declaration.name), declaration.start, declaration.end,
                  declaration.statement)  # fmt: skip
        if row.pk is not None and (row.kind, row.name, row.start, row.end, row.statement) == values:
            continue
        row.kind, row.name, row.start, row.end, row.statement = values
        row.save()


def reviewer_profile_save(
    *, acting_user, profile: ReviewerProfile, specialties=None, declarations: list[Declaration] | None = None
) -> ReviewerProfile:
    """Create or change a profile (its fields already set on `profile`), its specialties if given, and
    its declared interests if given (`declarations`: the whole list wanted, each kept one with its pk).

    Raises Invalid (nothing saved) for a declaration that is wrong or back-dated over a review."""
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
        if declarations is not None:
            _save_interests(profile, declarations)
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
