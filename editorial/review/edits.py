"""Edits by the board: a board member or editor corrects the draft in review.

`revision_edit()` stores the corrected content as a new immutable revision
(source "human", written by the editor, `parent` the revision edited) that
takes the place of the pending one in review, in one transaction with its audit
event (`vetted.revision.edit`):

- the content obeys exactly the rules of the drafting API
  (`editorial.review.content`, shared with `editorial.drafting.intake`);
- the edited revision's own review is closed as **superseded** (not
  *withdrawn*, which says the answer was retracted): it was never decided, and
  the drafting system reading `GET /api/v1/drafts/<id>/` learns that the board
  rewrote it;
- the answer stays where it stands on the desk (`Answer.edit`): submitted stays
  submitted (an assignment kept), under review stays under review with the same
  holder, who now checks the edit. When the holder (or the assignee) wrote the
  edit, the review goes back to submitted and unassigned: the person who wrote
  a revision never approves it (`editorial.access.rights._wrote_pending`), so
  another board member must take it;
- **carry-over**: a verdict on a citation whose reference is unchanged (same
  number, same fields) and whose citing sentences are unchanged
  (`answers.sentences.citing_sentences`, as readers read them) is copied to the
  new revision, still its recorder's and marked `carried_from` (the revision it
  was recorded on); every other citation starts unchecked. Verdicts belong to
  their recorder (`editorial.review.checks`), so a carried verdict counts for
  approval only when the holder recorded it. Waivers are not carried: a waiver
  is an editor's decision on one revision, and an editor who wrote the edit may
  not waive on it.
"""

from django.db import transaction

from answers.models import Answer, Citation, RevisionReview, SourceKind, Status, canonical_content
from answers.sentences import citing_sentences
from editorial.access import rights
from editorial.audit import effects
from editorial.audit.trail import user_label
from editorial.errors import Conflict, Invalid
from editorial.models import CitationVerdict
from editorial.review import services
from editorial.review.content import parse_content
from editorial.review.decisions import EDIT

NOTHING_CHANGED = "Nothing changed: the edit is the same as the revision in review."


def _sentences(sections) -> dict[int, list[str]]:
    """For each citation number, the text of every sentence citing it, in reading order."""
    return {number: [s.text for s in found] for number, found in citing_sentences(sections).items()}


def _unchanged_citations(old_sections, old_citations, new_content: dict) -> set[int]:
    """Numbers of the citations whose reference and citing sentences the edit left as they were."""
    old = {c.number: canonical_content(sections=[], citations=[c.as_dict()])["citations"][0] for c in old_citations}
    new = {c["number"]: c for c in new_content["citations"]}
    old_said, new_said = _sentences(old_sections), _sentences(new_content["sections"])
    return {
        number
        for number, citation in new.items()
        if old.get(number) == citation and old_said.get(number, []) == new_said.get(number, [])
    }


def _changes(old_sections, old_citations, new_content: dict) -> dict:
    """What the edit changed, as the audit event records it: sections by heading, citations by number."""
    old_s = {s.heading: s.body for s in old_sections}
    new_s = {s["heading"]: s["body"] for s in new_content["sections"]}
    common_old = [s.heading for s in old_sections if s.heading in new_s]
    common_new = [s["heading"] for s in new_content["sections"] if s["heading"] in old_s]
    old_c = {c.number: canonical_content(sections=[], citations=[c.as_dict()])["citations"][0] for c in old_citations}
    new_c = {c["number"]: c for c in new_content["citations"]}
    return {
        "sections": {
            "edited": [h for h in new_s if h in old_s and old_s[h] != new_s[h]],
            "added": [h for h in new_s if h not in old_s],
            "removed": [h for h in old_s if h not in new_s],
            "reordered": common_old != common_new,
        },
        "citations": {
            "changed": sorted(n for n in new_c if n in old_c and old_c[n] != new_c[n]),
            "added": sorted(n for n in new_c if n not in old_c),
            "removed": sorted(n for n in old_c if n not in new_c),
        },
    }


def _carry_over(answer: Answer, parent, revision, numbers: set[int]) -> list[int]:
    """Copy the recorded verdicts of `numbers` from `parent` to `revision`; the numbers carried."""
    verdicts = {
        v.citation.number: v
        for v in CitationVerdict.objects.filter(citation__revision=parent, citation__number__in=numbers)
        .exclude(verdict="")
        .select_related("citation")
    }
    if not verdicts:
        return []
    targets = Citation.objects.filter(revision=revision, number__in=verdicts)
    CitationVerdict.objects.bulk_create(
        CitationVerdict(
            citation=citation,
            answer=answer,
            revision=revision,
            verdict=verdicts[citation.number].verdict,
            note=verdicts[citation.number].note,
            reviewer_id=verdicts[citation.number].reviewer_id,
            decided_at=verdicts[citation.number].decided_at,
            carried_from_id=verdicts[citation.number].carried_from_id or parent.pk,
        )
        for citation in targets
    )
    return sorted(verdicts)


def revision_edit(*, acting_user, answer: Answer | int, content: dict, expected_revision: int | None = None) -> Answer:
    """Store a board member's or editor's edit of the pending revision as a new revision in its place.

    `content` is {"sections": [{"heading", "body"}], "citations": [{"number", "title", ...}]},
    as the drafting API takes it; `expected_revision` is the id of the revision the
    editor saw (a Conflict, writing nothing, when another edit or draft replaced it
    meanwhile). Raises Invalid naming every bad field (`sections[1].body`), NotAllowed,
    InvalidState or Conflict; on any refusal nothing is written. Returns the answer as saved.
    """
    parsed = parse_content(content)  # Invalid before anything is locked or written
    sections = [{"heading": s.heading.strip(), "body": s.body} for s in parsed.sections]
    new_content = canonical_content(sections=sections, citations=[c.model_dump() for c in parsed.citations])
    with transaction.atomic():
        locked = services._locked_answer(services._answer_id(answer))
        services._check_state(locked, EDIT)
        rights.require(EDIT.right, user=acting_user, answer=locked)
        parent = locked.pending_revision
        if expected_revision is not None and parent.pk != expected_revision:
            raise Conflict(
                f"The draft in review changed while you were editing it (it is now revision {parent.number}); "
                "reload it and edit again."
            )
        old_sections = list(parent.sections.order_by("position"))
        old_citations = list(parent.citations.order_by("number"))
        if new_content == parent.stored_content():
            raise Invalid.on("content", NOTHING_CHANGED)
        parent_review = RevisionReview.objects.select_for_update().get(revision=parent)
        before, holder = locked.status, locked.reviewer

        revision = services.revision_write(
            answer=locked,
            content=new_content,
            created_by=acting_user,
            source_kind=SourceKind.HUMAN,
            parent=parent,
            risk_floor=(
                parent_review.risk_tier,
                {"rule": "edited_revision", "text": f"revision {parent.number}", "where": "edit"},
            ),
        )
        locked.edit(revision=revision, by=acting_user)
        services._save_transition(locked)
        parent_review.supersede(by=acting_user)
        parent_review.save()
        if locked.status == Status.UNDER_REVIEW:
            review = RevisionReview.objects.get(revision=revision)
            review.start_review(by=locked.reviewer)
            review.save()
        carried = _carry_over(locked, parent, revision, _unchanged_citations(old_sections, old_citations, new_content))
        effects.record(
            action=EDIT.action,
            actor=acting_user,
            answer=locked,
            revision=revision,
            from_state=before,
            to_state=locked.status,
            data={
                "revision": revision.number,
                "parent": parent.number,
                **_changes(old_sections, old_citations, new_content),
                "carried_over": carried,
                "reviewer": user_label(locked.reviewer) if locked.reviewer else None,
                # The holder (or assignee) wrote the edit: the review goes to another board member.
                "handed_back": holder is not None and locked.reviewer is None,
            },
        )
    return locked
