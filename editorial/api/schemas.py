"""What the API answers with (the draft it accepts is `editorial.drafting.intake.DraftIn`)."""

from datetime import datetime

from ninja import Field, Schema

from answers.models import Publication, ReviewState


class DraftCreatedOut(Schema):
    id: int
    answer_id: int
    revision: int
    status: str
    url: str


class ReviewCommentOut(Schema):
    section: str | None = Field(description="The heading of the section commented on; null for the whole answer")
    quote: str | None = Field(description="The sentence commented on, as readers read it; null unless anchored to one")
    comment: str


class DecisionOut(Schema):
    action: str
    label: str
    status: str
    reason: str
    comments: list[ReviewCommentOut] = Field(
        description="With request_changes: the board's open comments on the draft (section, quoted sentence, "
        "comment), in reading order; empty for the other decisions"
    )
    decided_by: str
    decided_at: datetime


class CitationVerdictOut(Schema):
    number: int
    title: str
    verdict: str | None
    note: str
    waived: bool
    waiver_reason: str


class DraftOut(Schema):
    id: int
    external_id: str
    answer_id: int
    revision: int
    status: str = Field(description="This draft's own review: " + ", ".join(ReviewState.values))
    answer_status: str = Field(description="The answer's status on the review desk")
    publication: str = Field(description="What readers get of the answer: " + ", ".join(Publication.values))
    live_revision: int | None
    public_url: str | None
    submitted_at: datetime
    decisions: list[DecisionOut]
    citations: list[CitationVerdictOut]


class AnswerOut(Schema):
    id: int
    question: str
    specialty: str
    audience: str
    status: str
    status_changed_at: datetime
    live_revision: int | None
    pending_revision: int | None
    public_url: str | None
    last_decision: DecisionOut | None


class AnswerPage(Schema):
    count: int
    page: int
    next: str | None
    items: list[AnswerOut]


class PendingQuestionOut(Schema):
    id: int
    text: str
    audience: str
    asked_at: datetime
    follows_answer_id: int | None
    follows_question: str | None


class PendingQuestionPage(Schema):
    count: int
    page: int
    next: str | None
    items: list[PendingQuestionOut]


class ClaimOut(Schema):
    id: int
    status: str
    claimed_at: datetime
