"""What a board member signs, in a few words: the verdicts, and the changes since the live revision.

The approve dialog of the review workspace (and its decision bar) reads these
two lines; the full comparison is `editorial.review.diff`. Both work on what
the review page has already loaded (prefetched sections, citations and
verdicts): no query of their own.
"""

import re
from dataclasses import dataclass

from editorial.models import Verdict


@dataclass(frozen=True)
class VerdictSummary:
    counts: dict[str, int]  # verdict value -> how many checked citations carry it
    waived: int
    unchecked: int
    total: int

    @property
    def checked(self) -> int:
        return self.total - self.unchecked

    def __str__(self) -> str:
        parts = [f"{self.counts[value]} {label.lower()}" for value, label in Verdict.choices if self.counts[value]]
        if self.waived:
            parts.append(f"{self.waived} waived")
        if self.unchecked:
            parts.append(f"{self.unchecked} unchecked")
        return ", ".join(parts) or "no citation"


def verdict_summary(citation_checks) -> VerdictSummary:
    """Counts of the evidence pane's checks (`editorial.admin.answers.CitationCheck`): a citation
    counts under its verdict once checked (by the holder of the review), as waived, or as unchecked."""
    counts = dict.fromkeys(Verdict.values, 0)
    waived = unchecked = 0
    for check in citation_checks:
        verdict = check.verdict
        if not check.checked:
            unchecked += 1
        elif verdict.waived_at is not None:
            waived += 1
        else:
            counts[verdict.verdict] += 1
    return VerdictSummary(counts, waived, unchecked, len(citation_checks))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _reference_key(citation) -> str:
    """Citations are the same reference when their DOI, else PMID, else normalised title agree."""
    if citation.doi:
        return "doi:" + citation.doi.strip().lower()
    if citation.pmid:
        return "pmid:" + citation.pmid.strip()
    return "title:" + re.sub(r"\W+", " ", (citation.title or "").lower()).strip()


def _reference_content(citation) -> tuple:
    fields = ("authors", "title", "journal", "year", "pmid", "doi", "url")
    return tuple(getattr(citation, field) for field in fields)


def changes_line(live, pending) -> str:
    """The pending revision against the live one in one line, e.g.
    "1 section changed, 1 added; 2 references added, 1 changed" ("" when there is nothing to compare)."""
    if live is None or pending is None or live.pk == pending.pk:
        return ""
    old = {s.heading: s.body for s in live.sections.all()}
    new = {s.heading: s.body for s in pending.sections.all()}
    sections = {
        "changed": sum(1 for h in new if h in old and old[h] != new[h]),
        "added": sum(1 for h in new if h not in old),
        "removed": sum(1 for h in old if h not in new),
    }
    old_refs = {_reference_key(c): _reference_content(c) for c in live.citations.all()}
    new_refs = {_reference_key(c): _reference_content(c) for c in pending.citations.all()}
    references = {
        "changed": sum(1 for k in new_refs if k in old_refs and old_refs[k] != new_refs[k]),
        "added": sum(1 for k in new_refs if k not in old_refs),
        "removed": sum(1 for k in old_refs if k not in new_refs),
    }
    parts = []
    for noun, counts in (("section", sections), ("reference", references)):
        done = [(what, n) for what, n in counts.items() if n]
        if done:
            (first, n), rest = done[0], done[1:]
            parts.append(", ".join([f"{_plural(n, noun)} {first}", *(f"{m} {what}" for what, m in rest)]))
    return "; ".join(parts) or "no change to the text or the references"
