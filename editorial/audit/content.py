"""Approved content checked against the hash its approval signed.

An approval event (`vetted.answer.approve`, and the re-approval after a
periodic review, `vetted.answer.reaffirm`) records the content hash of the
revision the board member approved, inside the hash chain. `verify_audit`
recomputes each approved revision's hash from its stored sections and
citations: a difference means the text readers see under "Reviewed by" is not
the text that was reviewed. PostgreSQL refuses such a change (the
`*_written_once` triggers on revisions, sections and citations), so only
someone who turned those triggers off could make one; this check finds it.

Set-based: approval events are read in revision order and checked in batches,
each batch one query for its revisions and one each for their sections and
citations, whatever the size of the trail.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from answers.models import Citation, Revision, Section, content_hash
from editorial.models import AuditAction, AuditEvent

# Events whose revision_hash a board member vouched for.
SIGNED_ACTIONS = (AuditAction.APPROVE, AuditAction.FIRST_APPROVE, AuditAction.REAFFIRM)


@dataclass
class ContentMismatch:
    revision_id: int
    answer_id: int | None
    event_id: int
    problem: str

    def __str__(self) -> str:
        of_answer = f" of answer {self.answer_id}" if self.answer_id is not None else ""
        return f"Revision {self.revision_id}{of_answer}: {self.problem} (event {self.event_id})."


def verify_approved_content(*, batch_size: int = 500) -> tuple[int, list[ContentMismatch]]:
    """Returns (approved revisions checked, every mismatch found)."""
    signed = (
        AuditEvent.objects.filter(action__in=SIGNED_ACTIONS, revision_id__isnull=False)
        .order_by("revision_id", "id")
        .values_list("id", "answer_id", "revision_id", "revision_hash")
    )
    checked = 0
    mismatches: list[ContentMismatch] = []
    batch: dict[int, list[tuple[int, int | None, str]]] = {}
    for event_id, answer_id, revision_id, revision_hash in signed.iterator(chunk_size=5000):
        if revision_id not in batch and len(batch) >= batch_size:
            checked += _check_batch(batch, mismatches)
            batch = {}
        batch.setdefault(revision_id, []).append((event_id, answer_id, revision_hash))
    if batch:
        checked += _check_batch(batch, mismatches)
    return checked, mismatches


def _check_batch(batch: dict[int, list[tuple[int, int | None, str]]], mismatches: list[ContentMismatch]) -> int:
    revisions = Revision.objects.filter(pk__in=batch).prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch("citations", queryset=Citation.objects.order_by("number")),
    )
    stored = {revision.pk: content_hash(revision.stored_content()) for revision in revisions}
    for revision_id, events in batch.items():
        actual = stored.get(revision_id)
        for event_id, answer_id, signed_hash in events:
            if actual is None:
                problem = "is missing, though an approval names it"
            elif actual != signed_hash:
                problem = "its stored sections and citations no longer match the hash its approval signed"
            else:
                continue
            mismatches.append(ContentMismatch(revision_id, answer_id, event_id, problem))
    return len(batch)
