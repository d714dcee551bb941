"""Electronic signatures checked against the content they signed.

Each `Signature` holds the content hash of the revision its signer approved.
`verify_signatures` recomputes every signed revision's hash from its stored
sections and citations, in batches (one query for the signatures of a batch,
one each for their revisions' sections and citations), and names each
signature whose revision no longer matches: the text under "Electronically
signed by" is then not the text that was signed.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from answers.models import Citation, Revision, Section, Signature, content_hash


@dataclass
class SignatureMismatch:
    signature_id: int
    revision_id: int
    statement: str
    problem: str

    def __str__(self) -> str:
        return f"Signature {self.signature_id} on revision {self.revision_id} ({self.statement}): {self.problem}."


def verify_signatures(*, batch_size: int = 500) -> tuple[int, list[SignatureMismatch]]:
    """Returns (signatures checked, every mismatch found)."""
    checked = 0
    mismatches: list[SignatureMismatch] = []
    revision_ids = list(Signature.objects.order_by("revision_id").values_list("revision_id", flat=True).distinct())
    for start in range(0, len(revision_ids), batch_size):
        chunk = revision_ids[start : start + batch_size]
        revisions = Revision.objects.filter(pk__in=chunk).prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("position")),
            Prefetch("citations", queryset=Citation.objects.order_by("number")),
        )
        actual = {revision.pk: content_hash(revision.stored_content()) for revision in revisions}
        for signature in Signature.objects.filter(revision_id__in=chunk).order_by("id"):
            checked += 1
            if signature.content_hash != actual.get(signature.revision_id):
                problem = "the revision's stored sections and citations no longer match the hash it signed"
                mismatches.append(SignatureMismatch(signature.pk, signature.revision_id, signature.statement, problem))
    return checked, mismatches
