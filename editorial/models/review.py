"""What a reviewer records while reviewing: citation verdicts and comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from answers import clock
from answers.models import Answer, Citation, ImmutableError, ImmutableModel, Revision, Section


class Verdict(models.TextChoices):
    VERIFIED = "verified", "Verified"
    UNVERIFIABLE = "unverifiable", "Could not verify"
    UNSUPPORTED = "unsupported", "Does not support the claim"


class CitationVerdict(models.Model):
    """The reviewer's finding on one citation of one revision.

    It may be changed while the review lasts (each change is audited). An
    editor may waive an unchecked or unsupported citation with a reason. An
    edit by the board carries a verdict over to the edited revision when the
    citation and the sentences citing it are unchanged (`carried_from`).

    `answer` and `revision` are the citation's own (both immutable), copied so
    the reports count verdicts per drafting model without joining citations.
    """

    citation = models.OneToOneField(Citation, on_delete=models.PROTECT, related_name="verdict")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="citation_verdicts")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waiver_reason = models.TextField(blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)
    # Set when the verdict was carried over from an earlier revision by an edit
    # (`editorial.review.edits`): the revision it was recorded on. Cleared when re-recorded.
    carried_from = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["answer", "verdict"])]

    def __str__(self) -> str:
        return f"{self.citation}: {self.get_verdict_display() or 'unchecked'}"

    @property
    def blocks_approval(self) -> bool:
        if self.waived_at is not None:
            return False
        return self.verdict in ("", Verdict.UNSUPPORTED)


class SecondVerdict(models.Model):
    """A board member's own verdict on one citation in the second review of a high-risk revision.

    The first review's verdicts stay in `CitationVerdict` (one per citation, the holder's at the
    first approval); each second reviewer's are kept here, one per citation and reviewer, so both
    reviewers' findings survive side by side (and a reassigned second review starts afresh for its
    new holder). The second reviewer records them blind (`editorial.review.double`): they may change
    them until every citation has one; from then on they are final, and the first review shows.
    """

    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="second_verdicts")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    note = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=clock.now)

    # What the evidence card reads of a verdict (the same names as CitationVerdict's).
    waived_at = None
    carried_from_id = None

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["citation", "reviewer"], name="second_verdict_per_citation_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.citation}: {self.get_verdict_display()} (second review)"


class CitationAdjudication(ImmutableModel):
    """The final verdict on a citation the two reviewers of a high-risk revision disagreed on,
    recorded with a reason by an editor or a third board member. Written once; audited
    (`vetted.citation.adjudicate`) and signed (meaning "Adjudicated")."""

    citation = models.OneToOneField(Citation, on_delete=models.PROTECT, related_name="adjudication")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    first_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_verdict = models.CharField(max_length=20, choices=Verdict.choices)
    second_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_verdict = models.CharField(max_length=20, choices=Verdict.choices)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    reason = models.TextField()
    adjudicated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adjudicated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["revision", "citation__number"]

    def __str__(self) -> str:
        return f"{self.citation}: adjudicated {self.get_verdict_display()}"


class CommentQuerySet(models.QuerySet):
    """Comments are never deleted, and only their resolution changes."""

    def update(self, **kwargs):
        if not set(kwargs) <= Comment.RESOLUTION_FIELDS:
            raise ImmutableError("A comment's text and anchor are written once; only its resolution changes.")
        return super().update(**kwargs)

    def delete(self):
        raise ImmutableError("Comments cannot be deleted")

    def open(self):
        return self.filter(resolved_at__isnull=True)


class Comment(models.Model):
    """Internal discussion among board members and editors; never shown to readers.

    A comment belongs to the revision it was written on, on the whole answer or
    anchored to one of that revision's sections (`section`), and within it to a
    quoted sentence (`quote`, the text as readers read it). Its text and anchor
    are written once; board members and editors resolve it and reopen it
    (`resolved_at`, `resolved_by`; each change audited by `editorial.review.checks`).
    Open comments of the pending revision go to the drafting system with "Request changes".
    """

    RESOLUTION_FIELDS = frozenset({"resolved_at", "resolved_by", "resolved_by_id"})

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="comments")
    # Null only for comments written before comments belonged to a revision (migration 0017 fills them).
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    quote = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=clock.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["revision", "resolved_at"], name="comment_revision_open")]
        constraints = [
            models.CheckConstraint(condition=Q(quote="") | Q(section__isnull=False), name="comment_quote_in_a_section"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="comment_resolved_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on answer {self.answer_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.RESOLUTION_FIELDS:
                raise ImmutableError(
                    f"Comment {self.pk}: its text and anchor are written once; only its resolution changes"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"Comment {self.pk} cannot be deleted")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def anchored(self) -> bool:
        return self.section_id is not None

    def for_drafter(self) -> dict:
        """What the drafting system receives: `section` null for a whole-answer comment,
        `quote` null unless anchored to a sentence."""
        return {
            "section": self.section.heading if self.section_id else None,
            "quote": self.quote or None,
            "comment": self.body,
        }
