"""What a reviewer records while reviewing: citation verdicts and comments."""

from django.conf import settings
from django.db import models

from answers import clock
from answers.models import Answer, Citation, ImmutableModel, Revision


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


class Comment(ImmutableModel):
    """Internal discussion among board members and editors; never shown to readers."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on answer {self.answer_id}"
