"""What changed between the live revision and the one under review.

Sections are matched by heading (in order, with difflib), then each matched
pair is compared word by word. The comparison is of the drafted Markdown, not
the rendered HTML, so a reviewer sees every changed character of the source;
the output is escaped text with `<ins>` and `<del>` marks. The reference list
is compared the same way, one line per citation.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words and the whitespace between them, so the output keeps the source's spacing.
_TOKEN_RE = re.compile(r"\s+|[^\s]+")

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass(frozen=True)
class SectionDiff:
    heading: str
    change: str  # added / removed / changed / unchanged
    html: SafeString

    @property
    def changed(self) -> bool:
        return self.change != UNCHANGED


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def word_diff(old: str, new: str) -> SafeString:
    """`old` -> `new` as escaped HTML with deleted words in <del> and inserted in <ins>."""
    a, b = _tokens(old), _tokens(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))


def _heading(section) -> str:
    return section["heading"] if isinstance(section, dict) else section.heading


def _body(section) -> str:
    return section["body"] if isinstance(section, dict) else section.body


def section_diff(old_sections, new_sections) -> list[SectionDiff]:
    """Section by section (matched by heading), word by word within each section."""
    old, new = list(old_sections), list(new_sections)
    matcher = difflib.SequenceMatcher(None, [_heading(s) for s in old], [_heading(s) for s in new], autojunk=False)
    diffs: list[SectionDiff] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                change = UNCHANGED if _body(before) == _body(after) else CHANGED
                diffs.append(SectionDiff(_heading(after), change, word_diff(_body(before), _body(after))))
            continue
        # A renamed section shows as one removed and one added: the reviewer reads both in full.
        for before in old[i1:i2]:
            diffs.append(SectionDiff(_heading(before), REMOVED, word_diff(_body(before), "")))
        for after in new[j1:j2]:
            diffs.append(SectionDiff(_heading(after), ADDED, word_diff("", _body(after))))
    return diffs


def _citation_line(citation) -> str:
    parts = [f"[{citation.number}]", citation.authors, citation.title, citation.journal, str(citation.year or "")]
    ids = [f"PMID {citation.pmid}" if citation.pmid else "", f"doi:{citation.doi}" if citation.doi else ""]
    return " ".join(p for p in [*parts, *ids, citation.url] if p)


def references_diff(old_citations, new_citations) -> SectionDiff:
    """The reference list as one pseudo-section, one line per citation."""
    old = "\n".join(_citation_line(c) for c in old_citations)
    new = "\n".join(_citation_line(c) for c in new_citations)
    return SectionDiff("References", UNCHANGED if old == new else CHANGED, word_diff(old, new))


def revision_diff(live, pending) -> list[SectionDiff]:
    """The pending revision against the live one; sections then references.

    Both revisions should come with their sections and citations prefetched
    (`editorial.review.selectors.answer_for_review`).
    """
    diffs = section_diff(live.sections.all(), pending.sections.all())
    diffs.append(references_diff(live.citations.all(), pending.citations.all()))
    return diffs
