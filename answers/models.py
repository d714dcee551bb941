"""Answers to clinical questions, their immutable revisions, and the review
state machines that decide which revision readers see.

Three states, kept apart (docs/state-machine.md draws them from this code):

- an answer's **publication** (`Answer.publication`: draft, published,
  retracted) is what readers get. It is derived, never stored: published
  while the answer has a live revision, retracted once withdrawn.
- each revision's **review** (`RevisionReview.state`: submitted, under
  review, awaiting / under second review, changes requested, rejected,
  approved, withdrawn, superseded) is the outcome of that revision alone. A
  decision on a re-draft never touches the live one.
- an answer's **desk status** (`Answer.status`) is where the answer stands on
  the review desk: the review of its pending revision while one is pending,
  otherwise approved (published, nothing pending), rejected (never
  published), retracted or new. Queues, filters and reports read it.

A high-risk revision (`RevisionReview.risk_tier`) needs two approvals by two
board members: the first (`first_approve`) moves it to *awaiting second
review*, a second member takes it (`start_review`, *under second review*) and
their approval (`approve`) publishes it. Standard-tier revisions keep one.

Transitions are declared here, where the state lives; they never save and
never check who is acting. `editorial.review.services` is the one way to run them:
it checks the actor's right, runs the transitions, saves and writes the audit
event in one transaction.
"""

import hashlib
import json
from datetime import UTC

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from answers import clock, mentions, search
from answers.citations import short_reference


class ImmutableError(Exception):
    """Raised when code tries to change or delete a written revision."""


class Specialty(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    text = models.TextField()
    slug = models.SlugField(max_length=200, unique=True)
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="questions")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        triggers = [
            # The readers' search documents of its answers (answers/search.py).
            pgtrigger.Trigger(
                name="question_search_document",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("text"),
                func=search.ON_QUESTION,
            ),
        ]

    def __str__(self) -> str:
        return self.text[:100]


class Audience(models.TextChoices):
    PROFESSIONAL = "professional", "Healthcare professional"
    PATIENT = "patient", "Patient or caregiver"
    STUDENT = "student", "Student"


class Status(models.TextChoices):
    NEW = "new", "New"
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    # A high-risk revision approved once, waiting for (then in) its second, independent review.
    AWAITING_SECOND_REVIEW = "awaiting_second_review", "Awaiting second review"
    SECOND_REVIEW = "second_review", "Under second review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RETRACTED = "retracted", "Retracted"


class Publication(models.TextChoices):
    """What readers get of an answer (`Answer.publication`, derived from its live revision)."""

    DRAFT = "draft", "Draft (never published)"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


# The desk statuses in which the answer has a revision waiting for a decision.
PENDING_STATUSES = (
    Status.SUBMITTED,
    Status.UNDER_REVIEW,
    Status.AWAITING_SECOND_REVIEW,
    Status.SECOND_REVIEW,
    Status.CHANGES_REQUESTED,
)
# The desk statuses of a high-risk revision's second review (after its first approval).
SECOND_REVIEW_STATUSES = (Status.AWAITING_SECOND_REVIEW, Status.SECOND_REVIEW)
# The desk statuses in which one board member holds the review (`Answer.reviewer`) and decides it.
HELD_STATUSES = (Status.UNDER_REVIEW, Status.SECOND_REVIEW)


# What readers may see: approved content that was not retracted. The one rule,
# for querysets (`Answer.objects.public()`) and loaded answers (`answer.is_public`),
# used by the reader site, the API, the admin and the webhooks.
PUBLIC = models.Q(live_revision__isnull=False) & ~models.Q(status=Status.RETRACTED)


class AnswerQuerySet(models.QuerySet):
    def public(self):
        """Answers with approved content that readers may see."""
        return self.filter(PUBLIC)


# The invariants of an answer's state, enforced by the database
# (CheckConstraint; migration answers/0004 names existing rows that break one).
INVARIANTS = (
    models.CheckConstraint(
        condition=~models.Q(status=Status.APPROVED) | models.Q(live_revision__isnull=False),
        name="approved_has_live_revision",
    ),
    models.CheckConstraint(
        condition=~models.Q(
            status__in=[Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_SECOND_REVIEW, Status.SECOND_REVIEW]
        )
        | models.Q(pending_revision__isnull=False),
        name="in_review_has_pending_revision",
    ),
    models.CheckConstraint(
        condition=~models.Q(status__in=[Status.UNDER_REVIEW, Status.SECOND_REVIEW]) | models.Q(reviewer__isnull=False),
        name="under_review_has_reviewer",
    ),
    models.CheckConstraint(
        condition=~models.Q(status=Status.RETRACTED) | models.Q(retracted_at__isnull=False, live_revision__isnull=True),
        name="retracted_is_dated_and_not_live",
    ),
    models.CheckConstraint(
        # Re-review concerns the live content, whatever re-draft is pending.
        condition=models.Q(review_due=False) | models.Q(live_revision__isnull=False),
        name="review_due_only_when_live",
    ),
    models.CheckConstraint(
        # Published content stays published while a re-draft is decided:
        # only approval (new, rejected), retraction or a re-draft leave these states.
        condition=~models.Q(status__in=[Status.NEW, Status.REJECTED]) | models.Q(live_revision__isnull=True),
        name="never_published_states_have_no_live_revision",
    ),
)


class Answer(ConcurrentTransitionMixin, models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.PROFESSIONAL)
    status = FSMField(default=Status.NEW, choices=Status.choices, protected=True, db_index=True)
    status_changed_at = models.DateTimeField(default=clock.now, db_index=True)

    # The revision waiting for (or in) review, and the one readers see.
    pending_revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    live_revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reviewing_answers"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_answers"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateField(null=True, blank=True, help_text="The day the live content was approved.")
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    review_due = models.BooleanField(
        default=False, help_text="Approved content past its next review date, waiting for re-review."
    )
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "audience"], name="one_answer_per_question_audience"),
            *INVARIANTS,
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"])]
        triggers = [
            # The readers' search document follows the live revision (answers/search.py).
            pgtrigger.Trigger(
                name="answer_search_document_insert",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                func=search.ON_ANSWER,
            ),
            pgtrigger.Trigger(
                name="answer_search_document_update",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("live_revision", "question"),
                func=search.ON_ANSWER,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.get_audience_display()})"

    def get_absolute_url(self) -> str:
        url = reverse("answers:detail", kwargs={"slug": self.question.slug})
        if self.audience != Audience.PROFESSIONAL:
            url += f"?audience={self.audience}"
        return url

    @property
    def is_public(self) -> bool:
        """The `PUBLIC` rule for one loaded answer."""
        return self.live_revision_id is not None and self.status != Status.RETRACTED

    @property
    def publication(self) -> str:
        """What readers get: published, retracted, or a draft never published."""
        if self.is_public:
            return Publication.PUBLISHED
        if self.status == Status.RETRACTED:
            return Publication.RETRACTED
        return Publication.DRAFT

    def get_publication_display(self) -> str:
        return Publication(self.publication).label

    # -- conditions (their docstrings are the reasons people read) ---------------
    def has_pending_revision(self) -> bool:
        """there is no revision waiting for review."""
        return self.pending_revision_id is not None

    def has_live_revision(self) -> bool:
        """it has no approved content."""
        return self.live_revision_id is not None

    def pending_review(self) -> "RevisionReview | None":
        """The pending revision's own review: from `select_related("pending_revision__review")` when
        loaded so, else one query, kept on the instance for its pending revision."""
        if self.pending_revision_id is None:
            return None
        revision = self._state.fields_cache.get("pending_revision")
        loaded = revision._state.fields_cache if revision is not None else {}
        if revision is not None and revision.pk == self.pending_revision_id and "review" in loaded:
            return loaded["review"]
        cached = getattr(self, "_vetted_pending_review", None)
        if cached is None or cached.revision_id != self.pending_revision_id:
            cached = RevisionReview.objects.filter(revision_id=self.pending_revision_id).first()
            self._vetted_pending_review = cached
        return cached

    def _pending_is_high_risk(self) -> bool:
        review = self.pending_review()
        return review is not None and review.risk_tier == RiskTier.HIGH

    def needs_one_approval(self) -> bool:
        """it is a high-risk revision: its first approval sends it to a second board member (`first_approve`)."""
        return self.status == Status.SECOND_REVIEW or not self._pending_is_high_risk()

    def needs_two_approvals(self) -> bool:
        """it is a standard-tier revision: one approval publishes it (`approve`)."""
        return self._pending_is_high_risk()

    def is_due_for_rereview(self) -> bool:
        """it is not due for re-review."""
        return self.review_due or (self.next_review_due is not None and self.next_review_due <= clock.today())

    def _moved(self) -> None:
        self.status_changed_at = clock.now()

    # -- transitions (never save; editorial.review.services does) ------------
    # Every review decision takes who decides (`by`) and the reason given, if any.
    # The pending revision's own review moves with it (`RevisionReview`, by the services).
    @transition(
        field=status,
        source=[Status.NEW, Status.CHANGES_REQUESTED, Status.APPROVED, Status.RETRACTED],
        target=Status.SUBMITTED,
    )
    def submit(self, *, revision: "Revision") -> None:
        self.pending_revision = revision
        self.reviewer = None
        self._moved()

    @transition(field=status, source=Status.SUBMITTED, target=Status.UNDER_REVIEW, conditions=[has_pending_revision])
    @transition(
        field=status,
        source=Status.AWAITING_SECOND_REVIEW,
        target=Status.SECOND_REVIEW,
        conditions=[has_pending_revision],
    )
    def start_review(self, *, by, reason: str = "") -> None:
        """A board member takes the review: the first, or the second of a high-risk revision."""
        self.reviewer = by
        self._moved()

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.AWAITING_SECOND_REVIEW,
        conditions=[has_pending_revision, needs_two_approvals],
    )
    def first_approve(self, *, by, reason: str = "") -> None:
        """The first of a high-risk revision's two approvals: nothing is published yet; the review
        waits, unassigned, for a second board member (never the first, never an author)."""
        self.reviewer = None
        self._moved()

    @transition(
        field=status,
        source=[Status.UNDER_REVIEW, Status.SECOND_REVIEW],
        target=Status.APPROVED,
        conditions=[has_pending_revision, needs_one_approval],
    )
    def approve(self, *, by, reason: str = "") -> None:
        """Publish the pending revision: a standard-tier revision's approval, or a high-risk
        revision's second approval."""
        today = clock.today()
        if self.live_revision_id != self.pending_revision_id:
            self.last_updated = today
        self.live_revision = self.pending_revision
        self.pending_revision = None
        self.approved_by = by
        self.approved_at = clock.now()
        self._mark_reviewed(today)
        self.retracted_at = None
        self.retraction_reason = ""
        self._moved()

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.APPROVED,
        conditions=[has_live_revision, is_due_for_rereview],
    )
    def reaffirm(self, *, by, reason: str = "") -> None:
        """Re-approval of the live revision after a periodic re-review (only once it is due)."""
        self.approved_by = by
        self._mark_reviewed(clock.today())

    @transition(field=status, source=[Status.UNDER_REVIEW, Status.SECOND_REVIEW], target=Status.CHANGES_REQUESTED)
    def request_changes(self, *, by, reason: str = "") -> None:
        """The draft goes back to its drafting system; live content, if any, stays published."""
        self._moved()

    @transition(
        field=status,
        source=[Status.UNDER_REVIEW, Status.SECOND_REVIEW],
        target=RETURN_VALUE(Status.REJECTED, Status.APPROVED),
    )
    def reject(self, *, by, reason: str = "") -> str:
        """The pending revision is refused for good. A published answer stays published
        on its live revision (and takes later drafts); one never published is rejected."""
        self.pending_revision = None
        self._moved()
        return Status.APPROVED if self.live_revision_id is not None else Status.REJECTED

    @transition(field=status, source=Status.SUBMITTED, target=Status.SUBMITTED, conditions=[has_pending_revision])
    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=RETURN_VALUE(Status.UNDER_REVIEW, Status.SUBMITTED),
        conditions=[has_pending_revision],
    )
    def edit(self, *, revision: "Revision", by) -> str:
        """A board member's or editor's edit takes the place of the pending revision (whose
        review is superseded). The review stays with its holder, who checks the edit; when
        the holder wrote the edit, it goes back to submitted, unassigned, for another board
        member: nobody approves their own writing."""
        self.pending_revision = revision
        if self.reviewer_id is not None and self.reviewer_id == by.pk:
            self.reviewer = None
            if self.status == Status.UNDER_REVIEW:
                self._moved()
            return Status.SUBMITTED
        return self.status

    @transition(
        field=status,
        source=[
            Status.APPROVED,
            Status.SUBMITTED,
            Status.UNDER_REVIEW,
            Status.AWAITING_SECOND_REVIEW,
            Status.SECOND_REVIEW,
            Status.CHANGES_REQUESTED,
        ],
        target=Status.RETRACTED,
        conditions=[has_live_revision],
    )
    def retract(self, *, by, reason: str = "") -> None:
        """Withdraw the live content from readers, whatever is pending (the pending
        revision is withdrawn with it)."""
        self.live_revision = None
        self.pending_revision = None
        self.review_due = False
        self.retracted_at = clock.now()
        self.retraction_reason = reason
        self._moved()

    def _mark_reviewed(self, today) -> None:
        self.last_reviewed = today
        self.next_review_due = today + settings.REVIEW_INTERVAL
        self.review_due = False


class AnswerSearch(models.Model):
    """The readers' search document of an answer's live content; written only by PostgreSQL triggers."""

    answer = models.OneToOneField(Answer, primary_key=True, on_delete=models.CASCADE, related_name="search")
    document = SearchVectorField()

    class Meta:
        verbose_name = "search document"

    def __str__(self) -> str:
        return f"Search document of answer {self.answer_id}"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError(f"{self.model.__name__} rows are immutable once written")

    def delete(self):
        raise ImmutableError(f"{self.model.__name__} rows cannot be deleted")


class ImmutableModel(models.Model):
    """Rows written once. A changed save, update() or delete() raises."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values().first()
            current = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
            if stored != current:
                raise ImmutableError(f"{type(self).__name__} {self.pk} is immutable: write a new revision instead")
            return
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(f"{type(self).__name__} {self.pk} cannot be deleted")


def written_once(name: str, what: str) -> list:
    """PostgreSQL's own refusal of UPDATE, DELETE and TRUNCATE, as for the audit trail
    (editorial.AuditEvent): a plain SQL `UPDATE` cannot change reviewed content."""
    return [
        pgtrigger.Protect(name=f"{name}_written_once", operation=pgtrigger.Update | pgtrigger.Delete),
        # TRUNCATE skips row triggers: refuse it with a statement trigger.
        pgtrigger.Trigger(
            name=f"{name}_no_truncate",
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            level=pgtrigger.Statement,
            func=f"RAISE EXCEPTION 'pgtrigger: Cannot truncate % ({what} are written once)', TG_TABLE_NAME;",
        ),
    ]


class SourceKind(models.TextChoices):
    MODEL = "model", "Drafting model"
    HUMAN = "human", "Human editor"


class Revision(ImmutableModel):
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    model_name = models.CharField(max_length=120, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions")
    created_at = models.DateTimeField(default=clock.now)
    content_hash = models.CharField(max_length=64)
    # The drafting system's own id, unique per submitting user (each system its own namespace);
    # NULL, not "", for revisions without one, so the constraint leaves them out.
    external_id = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    # The revision a board member or editor edited to write this one (`editorial.review.edits`);
    # NULL for a draft as its drafting system (or editor) submitted it.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="edits")

    class Meta:
        ordering = ["answer", "number"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "number"], name="revision_number_per_answer"),
            models.UniqueConstraint(fields=["created_by", "external_id"], name="revision_external_id_per_submitter"),
        ]
        triggers = written_once("revision", "revisions")

    def __str__(self) -> str:
        return f"Revision {self.number} of answer {self.answer_id}"

    @property
    def source_label(self) -> str:
        if self.source_kind == SourceKind.MODEL:
            return f"{self.model_name} {self.model_version}".strip()
        return "Human editor"

    def stored_content(self) -> dict:
        return canonical_content(
            sections=[{"heading": s.heading, "body": s.body} for s in self.sections.all()],
            citations=[c.as_dict() for c in self.citations.all()],
        )

    def verify_hash(self) -> bool:
        return content_hash(self.stored_content()) == self.content_hash


class Section(ImmutableModel):
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown")

    class Meta:
        ordering = ["revision", "position"]
        constraints = [models.UniqueConstraint(fields=["revision", "position"], name="section_position")]
        triggers = written_once("section", "sections")

    def __str__(self) -> str:
        return self.heading


class Citation(ImmutableModel):
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="citations")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    authors = models.TextField(blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)

    CONTENT_FIELDS = ("number", "title", "authors", "journal", "year", "pmid", "doi", "url")

    class Meta:
        ordering = ["revision", "number"]
        constraints = [models.UniqueConstraint(fields=["revision", "number"], name="citation_number")]
        triggers = written_once("citation", "citations")

    def __str__(self) -> str:
        return f"[{self.number}] {self.title}"

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @property
    def short_reference(self) -> str:
        """First author and year ("Kantarjian 2016"), as a person names the citation."""
        return short_reference(authors=self.authors, year=self.year, title=self.title)


class ReviewState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    AWAITING_SECOND_REVIEW = "awaiting_second_review", "Awaiting second review"
    SECOND_REVIEW = "second_review", "Under second review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Superseded by an edit"


class RiskTier(models.TextChoices):
    STANDARD = "standard", "Standard"
    HIGH = "high", "High risk"


# A revision's review is open in these states; the others are its outcome, kept for good.
OPEN_REVIEW_STATES = (
    ReviewState.SUBMITTED,
    ReviewState.UNDER_REVIEW,
    ReviewState.AWAITING_SECOND_REVIEW,
    ReviewState.SECOND_REVIEW,
)


class RevisionReview(models.Model):
    """The review of one revision, beside it (a revision itself is written once).

    Each revision gets one when it is submitted. Its outcome stays with it: a
    rejected re-draft is recorded as rejected here while its answer stays
    published on the live revision. Moved only by `editorial.review.services`,
    together with the answer's desk status.
    """

    revision = models.OneToOneField(Revision, primary_key=True, on_delete=models.PROTECT, related_name="review")
    state = FSMField(default=ReviewState.SUBMITTED, choices=ReviewState.choices, protected=True, db_index=True)
    changed_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How much harm an error could do (editorial/review/risk.py computes it at submission):
    # the tier, the rules that matched ({"rule", "text", "where"}), and why an editor changed it.
    risk_tier = models.CharField(max_length=10, choices=RiskTier.choices, default=RiskTier.STANDARD, db_index=True)
    risk_matches = models.JSONField(default=list, blank=True)
    risk_reason = models.TextField(blank=True)
    # A high-risk revision's first approval (its signature has the meaning "Approved for publication");
    # the second approval, by another board member, is `decided_by`.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "revision review"

    def __str__(self) -> str:
        return f"Review of revision {self.revision_id}: {self.get_state_display()}"

    def _decided(self, by) -> None:
        self.decided_by = by
        self.changed_at = clock.now()

    @transition(field=state, source=ReviewState.SUBMITTED, target=ReviewState.UNDER_REVIEW)
    @transition(field=state, source=ReviewState.AWAITING_SECOND_REVIEW, target=ReviewState.SECOND_REVIEW)
    def start_review(self, *, by) -> None:
        self.changed_at = clock.now()

    @transition(field=state, source=ReviewState.UNDER_REVIEW, target=ReviewState.AWAITING_SECOND_REVIEW)
    def first_approve(self, *, by) -> None:
        """The first of two approvals of a high-risk revision."""
        self.first_approved_by = by
        self.first_approved_at = clock.now()
        self.changed_at = self.first_approved_at

    @transition(field=state, source=[ReviewState.UNDER_REVIEW, ReviewState.SECOND_REVIEW], target=ReviewState.APPROVED)
    def approve(self, *, by) -> None:
        self._decided(by)

    @transition(
        field=state, source=[ReviewState.UNDER_REVIEW, ReviewState.SECOND_REVIEW], target=ReviewState.CHANGES_REQUESTED
    )
    def request_changes(self, *, by) -> None:
        self._decided(by)

    @transition(field=state, source=[ReviewState.UNDER_REVIEW, ReviewState.SECOND_REVIEW], target=ReviewState.REJECTED)
    def reject(self, *, by) -> None:
        self._decided(by)

    @transition(
        field=state,
        source=[
            ReviewState.SUBMITTED,
            ReviewState.UNDER_REVIEW,
            ReviewState.AWAITING_SECOND_REVIEW,
            ReviewState.SECOND_REVIEW,
            ReviewState.CHANGES_REQUESTED,
        ],
        target=ReviewState.WITHDRAWN,
    )
    def withdraw(self, *, by) -> None:
        """Its answer was retracted before a decision on it."""
        self._decided(by)

    @transition(field=state, source=[ReviewState.SUBMITTED, ReviewState.UNDER_REVIEW], target=ReviewState.SUPERSEDED)
    def supersede(self, *, by) -> None:
        """A board member or editor edited it: the edit (a new revision, `parent` this one)
        takes its place in review. Closed, never decided."""
        self._decided(by)


def canonical_content(*, sections: list[dict], citations: list[dict]) -> dict:
    """The revision's content in one normal form, the input of its hash."""
    return {
        "sections": [{"heading": s["heading"], "body": s["body"]} for s in sections],
        "citations": [_canonical_citation(c) for c in sorted(citations, key=lambda c: c["number"])],
    }


def _canonical_citation(citation: dict) -> dict:
    normal = {name: citation.get(name) or "" for name in Citation.CONTENT_FIELDS}
    normal["number"] = citation["number"]
    normal["year"] = citation.get("year") or None
    return normal


def content_hash(content: dict) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


class SignatureMeaning(models.TextChoices):
    """What a signer means by signing (21 CFR 11.50(a)(3))."""

    APPROVED = "approved", "Approved for publication"
    SECOND_APPROVAL = "second_approval", "Second approval"
    REAPPROVED = "reapproved", "Re-approved after periodic review"
    ADJUDICATED = "adjudicated", "Adjudicated"


class Signature(ImmutableModel):
    """An electronic signature on one revision, in the sense of 21 CFR 11.50 and 11.70.

    It holds the signer's printed name, credentials and specialties as they were
    at signing (a later profile edit does not rewrite it), the time (UTC), the
    meaning, and the content hash of the revision signed. Written once: the model
    and, on PostgreSQL, triggers refuse any change, deletion or move to another
    revision. `manage.py verify_signatures` recomputes each signed revision's hash.
    Written by `editorial.review.signing.signature_record`, inside the decision's transaction.
    """

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures")
    printed_name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=120, blank=True)
    specialties = models.CharField(max_length=400, blank=True, help_text="The signer's specialties at signing.")
    signed_at = models.DateTimeField(default=clock.now)
    meaning = models.CharField(max_length=20, choices=SignatureMeaning.choices)
    content_hash = models.CharField(max_length=64, help_text="The content hash of the revision signed.")

    class Meta:
        ordering = ["revision", "signed_at", "id"]
        triggers = written_once("signature", "signatures")

    def __str__(self) -> str:
        return self.statement

    @property
    def signed_as(self) -> str:
        """ "Dr. Maya Chen, MD, FACP (Hematology/Oncology)"."""
        name = f"{self.printed_name}, {self.credentials}" if self.credentials else self.printed_name
        return f"{name} ({self.specialties})" if self.specialties else name

    @property
    def statement(self) -> str:
        """The manifestation readers see (21 CFR 11.50(a)): who, when (UTC), what it means."""
        when = self.signed_at.astimezone(UTC)
        return (
            f"Electronically signed by {self.signed_as} on {when.day} {when:%B %Y, %H:%M} UTC: "
            f"{self.get_meaning_display()}"
        )


# The group whose members review (and may have a public profile); `editorial.access.roles.BOARD`.
BOARD_GROUP = "Medical Advisory Board"


class ReviewerProfile(models.Model):
    """A Medical Advisory Board member's public identity, shown to readers.

    Only members of the board group may have one (`editorial.review.profiles`
    refuses others, and the board page lists only members).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    display_name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=120, blank=True, help_text='e.g. "MD, FACP"')
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="reviewers")
    bio = models.TextField(blank=True)
    conflict_of_interest = models.TextField(blank=True, help_text="Conflict-of-interest statement, shown publicly.")
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.credentials}" if self.credentials else self.display_name


class InterestKind(models.TextChoices):
    COMPANY = "company", "Company"
    DRUG = "drug", "Drug"


class DeclaredInterest(models.Model):
    """A board member's declared interest in a company or a drug, over a period, shown publicly.

    Current while `start <= today <= end` (no `end`: still current). A member whose
    current declaration names something the revision mentions (`answers.mentions`)
    may not start, be assigned or approve its review (`editorial.access.rights`);
    the board page lists every declaration and the answer page those of its
    reviewers that touch it. Changed only through `editorial.review.profiles`
    (audited; a declaration may not be back-dated over a review already done).
    """

    profile = models.ForeignKey(ReviewerProfile, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=10, choices=InterestKind.choices)
    name = models.CharField(max_length=200, help_text="The company or drug, as texts name it (e.g. Pfizer).")
    start = models.DateField("from")
    end = models.DateField("to", null=True, blank=True, help_text="Empty while the interest is current.")
    statement = models.TextField(help_text="What the interest is (e.g. consulting fees), shown publicly.")
    # `answers.mentions.pattern_for(name)`, kept with the row so the desk's filters can match in SQL.
    pattern = models.CharField(max_length=1200, editable=False)
    changed_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="declared_interest_ends_after_it_starts",
                violation_error_message="The to-date comes before the from-date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"

    def save(self, *args, **kwargs):
        self.name = mentions.normalise_name(self.name)
        self.pattern = mentions.pattern_for(self.name)
        self.changed_at = clock.now()
        super().save(*args, **kwargs)

    @property
    def period(self) -> str:
        """ "from 2025-01-01" (current) or "from 2025-01-01 to 2025-12-31"."""
        if self.end is None:
            return f"from {self.start:%Y-%m-%d}"
        return f"from {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"

    def is_current(self, today) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a draft"
    CLAIMED = "claimed", "Claimed by a drafting system"
    DRAFTED = "drafted", "Drafted"


class FollowUpQuestion(models.Model):
    """A reader's follow-up question, queued for the drafting systems."""

    text = models.TextField(max_length=2000)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.PROFESSIONAL)
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    client_key = models.CharField(max_length=64, blank=True, help_text="Hash of the asking client, for rate limits.")
    created_at = models.DateTimeField(default=clock.now, db_index=True)
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.text[:80]
