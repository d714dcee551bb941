"""What changed between the live revision and the one under review.

Sections are matched by heading (in order, with difflib: at most 50 a side),
then each matched pair is compared word by word. The comparison is of the
drafted Markdown, not the rendered HTML, so a reviewer sees every changed
character of the source; the output is escaped text with `<ins>` and `<del>`
marks. The reference list is compared citation by citation, matched on their
content, so a renumbered list shows as renumbered rather than rewritten.

The word comparison is a longest-common-subsequence diff (rapidfuzz's
bit-parallel Indel opcodes, in C++) over the words mapped to one character
each (diff-match-patch's linesToChars trick, applied to words), on what lies
between the texts' common start and end. Its cost is the matrix it fills, old
words x new words, whatever the texts hold, so it is bounded before it runs:
one revision diff may split `PAGE_CHARS` characters into words and compare
`PAGE_CELLS` cells, one comparison `COMPARISON_CELLS` (the matrix's memory). A
pair over the bound is compared paragraph by paragraph (a line diff, then words
within each changed paragraph, pairing paragraphs one to one when a changed run
holds as many on each side); a passage still over it is shown whole, removed
then added, and its section says it is `coarse`. The bound counts work, not
time, so the same revisions always give the same page. difflib's
SequenceMatcher, used before, is cubic on repetitive text (2,000/3,000 words:
111 s).
"""

import difflib
import re
from dataclasses import dataclass
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper (hot here)

from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import Indel

# Words and the whitespace between them, so the output keeps the source's spacing.
_TOKEN_RE = re.compile(r"\s+|[^\s]+")

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"

# One revision diff's bounds: with them the largest drafts the API takes diff in at most about a
# quarter of a second of CPU here (bench/diff.py). Characters split into words (splitting, mapping,
# marking up: ~0.5 us each):
PAGE_CHARS = 400_000
# Cells (old tokens x new tokens, past the common start and end) compared: ~0.5 ns each, worst case.
PAGE_CELLS = 500_000_000
# Cells one comparison may use: its bit matrix takes cells / 8 bytes (250M cells: 31 MB). Two
# 50,000-character sections of prose (about 15,600 tokens each) fit; 25,000 one-letter words don't.
COMPARISON_CELLS = 250_000_000
# What a word comparison costs at least, of PAGE_CHARS, even one refused: it bounds how many are tried.
ATTEMPT_CHARS = 200
# Unchanged text split into words on each side of the changes, for _slide to shift into.
CONTEXT_CHARS = 1_000


@dataclass
class Budget:
    """What one revision diff may still spend; `*_spent` count what it used."""

    chars: int = PAGE_CHARS
    cells: int = PAGE_CELLS
    per_comparison: int = COMPARISON_CELLS
    chars_spent: int = 0
    cells_spent: int = 0

    @property
    def chars_left(self) -> int:
        return self.chars - self.chars_spent

    def take_chars(self, chars: int) -> bool:
        """Spend `chars` if left; a refusal still costs ATTEMPT_CHARS, the look that led to it."""
        if chars > self.chars_left:
            self.chars_spent += min(ATTEMPT_CHARS, self.chars_left)
            return False
        self.chars_spent += chars
        return True

    def affords_cells(self, cells: int) -> bool:
        return cells <= self.per_comparison and cells <= self.cells - self.cells_spent

    def take_cells(self, cells: int) -> bool:
        if not self.affords_cells(cells):
            return False
        self.cells_spent += cells
        return True


@dataclass(frozen=True)
class SectionDiff:
    heading: str
    change: str  # added / removed / changed / unchanged
    html: SafeString
    # Some changed passage was too large or too different to compare word by word and is shown whole.
    coarse: bool = False

    @property
    def changed(self) -> bool:
        return self.change != UNCHANGED


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def _token_count(text: str) -> int:
    """len(_tokens(text)), without making them: words and the whitespace runs around them."""
    words = len(text.split())
    if not words:
        return 1 if text else 0
    return 2 * words - 1 + text[0].isspace() + text[-1].isspace()


def _char(n: int) -> str:
    return chr(n if n < 0xD800 else n + 0x800)  # no surrogates


def _as_chars(a: list[str], b: list[str]) -> tuple[str, str]:
    """One character per distinct token (the linesToChars trick, applied to words)."""
    distinct = set(a)
    distinct.update(b)
    code = dict(zip(distinct, map(_char, range(1, len(distinct) + 1)), strict=True)).__getitem__
    return "".join(map(code, a)), "".join(map(code, b))


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search: each probe is one C-level comparison
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _boundary(text: str, k: int) -> bool:
    """A token of `text` starts (or ends) at k."""
    return k == 0 or k == len(text) or text[k - 1].isspace() != text[k].isspace()


def _blocks(a: list, b: list, budget: Budget, outside=("", "")) -> list[list[int]] | None:
    """The tokens `a` and `b` share, as [i, j, size] blocks (a[i:i + size] == b[j:j + size]) in
    order, the last [len(a), len(b), 0]; None if over the budget. Between two blocks lies a change.

    `outside`: the unchanged text before and after `a` and `b` that was not split into tokens.
    """
    ca, cb = _as_chars(a, b)
    head = _common_prefix(ca, cb)
    tail = _common_suffix(ca[head:], cb[head:])
    ma, mb = ca[head : len(ca) - tail], cb[head : len(cb) - tail]
    if ma and mb and not budget.take_cells(len(ma) * len(mb)):
        return None
    blocks = [[0, 0, head]]
    if ma and mb:
        blocks += [[head + m.a, head + m.b, m.size] for m in Indel.opcodes(ma, mb).as_matching_blocks() if m.size]
    blocks += [[len(ca) - tail, len(cb) - tail, tail], [len(ca), len(cb), 0]]
    _slide(blocks, a, b, outside)
    joined = []
    for block in blocks[:-1]:  # drop the emptied, join the ones that now meet
        if not block[2]:
            continue
        if joined and joined[-1][0] + joined[-1][2] == block[0] and joined[-1][1] + joined[-1][2] == block[1]:
            joined[-1][2] += block[2]
        else:
            joined.append(block)
    return [*joined, blocks[-1]]


def _runs(blocks: list[list[int]]):
    """(equal, i1, i2, j1, j2) for each change and each block: a[i1:i2] -> b[j1:j2]."""
    i = j = 0
    for bi, bj, size in blocks:
        if i < bi or j < bj:
            yield False, i, bi, j, bj
        if size:
            yield True, bi, bi + size, bj, bj + size
        i, j = bi + size, bj + size


def _slide(blocks: list[list[int]], a: list, b: list, outside=("", "")) -> None:
    """Place each pure insertion or deletion where difflib did.

    One that can shift (it ends like the block before it or starts like the one
    after, mostly on a space) goes where the longer of the two stays whole, the
    earlier on a tie, as difflib matched the longest block first:
    "a<ins> x</ins> b c" but "Give 10 mg <ins>twice </ins>daily.". The first
    and last blocks also weigh the unchanged text `outside` them.
    """
    last = len(blocks) - 2  # the block before the sentinel
    for n in range(1, last + 1):
        left, right = blocks[n - 1], blocks[n]
        i, j = left[0] + left[2], left[1] + left[2]  # where the change starts
        if i < right[0] and j < right[1] or not (left[2] or right[2]):
            continue  # a replacement (or nothing): stays
        moved, start, end = (a, i, right[0]) if i < right[0] else (b, j, right[1])
        span = end - start
        if not span:
            continue
        back = 0  # how far it can shift left: its last tokens are the left block's last ones
        while back < min(span, left[2]) and moved[end - 1 - back] == a[i - 1 - back]:
            back += 1
        ahead = 0  # how far right: its first tokens are the right block's first ones
        while ahead < min(span, right[2]) and moved[start + ahead] == a[right[0] + ahead]:
            ahead += 1
        if not (back or ahead):
            continue
        weight_left = left[2] + (_token_count(outside[0]) if n == 1 and left[0] == 0 else 0)
        weight_right = right[2] + (_token_count(outside[1]) if n == last and right[0] + right[2] == len(a) else 0)
        shift = ahead if weight_left + ahead >= weight_right + back else -back
        left[2] += shift
        right[0] += shift
        right[1] += shift
        right[2] -= shift


def _whole(old: str, new: str) -> str:
    return (f"<del>{escape(old)}</del>" if old else "") + (f"<ins>{escape(new)}</ins>" if new else "")


def _render(a: list[str], b: list[str], blocks: list[list[int]]) -> str:
    """The HTML of tokens already escaped (escaping keeps whitespace, so splits the same)."""
    join = "".join
    out = []
    i = j = 0
    for bi, bj, size in blocks:
        if i < bi:
            out.append(f"<del>{join(a[i:bi])}</del>")
        if j < bj:
            out.append(f"<ins>{join(b[j:bj])}</ins>")
        i, j = bi + size, bj + size
        out.append(join(a[bi:i]))
    return join(out)


def _words(old: str, new: str, budget: Budget) -> str | None:
    """Word by word; None if over the budget. Only the part between the common start and end
    (and CONTEXT_CHARS around it) is split into words."""
    if old == new:
        return escape(old)
    if budget.chars_left < ATTEMPT_CHARS:
        return None
    head = _common_prefix(old, new)
    while head and not (_boundary(old, head) and _boundary(new, head)):
        head -= 1
    tail = _common_suffix(old[head:], new[head:])
    while tail and not (_boundary(old, len(old) - tail) and _boundary(new, len(new) - tail)):
        tail -= 1
    start = max(0, head - CONTEXT_CHARS)  # the texts are the same up to head and from their tails on
    while start < head and not _boundary(old, start):
        start += 1
    end = max(0, tail - CONTEXT_CHARS)  # counted from the end
    while end < tail and not _boundary(old, len(old) - end):
        end += 1
    window_old, window_new = old[start : len(old) - end], new[start : len(new) - end]
    # The cells the words between common start and end need: no splitting if over.
    cells = _token_count(old[head : len(old) - tail]) * _token_count(new[head : len(new) - tail])
    if not budget.affords_cells(cells):
        budget.take_chars(ATTEMPT_CHARS)  # the look that found it too big
        return None
    if not budget.take_chars(max(ATTEMPT_CHARS, len(window_old) + len(window_new))):
        return None
    a, b = _tokens(escape(window_old)), _tokens(escape(window_new))
    blocks = _blocks(a, b, budget, outside=(old[:start], old[len(old) - end :]))
    if blocks is None:
        return None
    return escape(old[:start]) + _render(a, b, blocks) + escape(old[len(old) - end :])


def _paragraphs(old: str, new: str, budget: Budget) -> tuple[str, bool]:
    """Lines first, then words within each changed run of lines: (html, some passage shown whole)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    blocks = _blocks(a, b, budget)
    if blocks is None:
        return _whole(old, new), True
    out, coarse = [], False
    for equal, i1, i2, j1, j2 in _runs(blocks):
        if equal:
            out.append(escape("".join(a[i1:i2])))
            continue
        # Changed runs with as many lines on each side are mostly edited paragraphs: pair them.
        if i2 - i1 == j2 - j1:
            pairs = list(zip(a[i1:i2], b[j1:j2], strict=True))
        else:
            pairs = [("".join(a[i1:i2]), "".join(b[j1:j2]))]
        for before, after in pairs:
            # The texts whole already failed: no line broke them up.
            html = None if (before, after) == (old, new) else _words(before, after, budget)
            if html is None:
                html, coarse = _whole(before, after), True
            out.append(html)
    return "".join(out), coarse


def _diff(old: str, new: str, budget: Budget) -> tuple[SafeString, bool]:
    old, new = old or "", new or ""
    html = _words(old, new, budget)
    if html is not None:
        return mark_safe(html), False
    html, coarse = _paragraphs(old, new, budget)
    return mark_safe(html), coarse


def word_diff(old: str, new: str, *, budget: Budget | None = None) -> SafeString:
    """`old` -> `new` as escaped HTML with deleted words in <del> and inserted in <ins>."""
    return _diff(old, new, budget or Budget())[0]


def _heading(section) -> str:
    return section["heading"] if isinstance(section, dict) else section.heading


def _body(section) -> str:
    return section["body"] if isinstance(section, dict) else section.body


def section_diff(old_sections, new_sections, *, budget: Budget | None = None) -> list[SectionDiff]:
    """Section by section (matched by heading), word by word within each section."""
    budget = budget or Budget()
    old, new = list(old_sections), list(new_sections)
    matcher = difflib.SequenceMatcher(None, [_heading(s) for s in old], [_heading(s) for s in new], autojunk=False)
    diffs: list[SectionDiff] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                change = UNCHANGED if _body(before) == _body(after) else CHANGED
                diffs.append(SectionDiff(_heading(after), change, *_diff(_body(before), _body(after), budget)))
            continue
        # A renamed section shows as one removed and one added: the reviewer reads both in full.
        for before in old[i1:i2]:
            diffs.append(SectionDiff(_heading(before), REMOVED, mark_safe(_whole(_body(before), ""))))
        for after in new[j1:j2]:
            diffs.append(SectionDiff(_heading(after), ADDED, mark_safe(_whole("", _body(after)))))
    return diffs


def _citation_line(citation) -> str:
    parts = [f"[{citation.number}]", citation.authors, citation.title, citation.journal, str(citation.year or "")]
    ids = [f"PMID {citation.pmid}" if citation.pmid else "", f"doi:{citation.doi}" if citation.doi else ""]
    return " ".join(p for p in [*parts, *ids, citation.url] if p)


def _citation_content(line: str) -> str:
    return line.split(" ", 1)[1] if " " in line else ""  # the line without its "[n]"


def references_diff(old_citations, new_citations, *, budget: Budget | None = None) -> SectionDiff:
    """The reference list as one pseudo-section, one line per citation.

    Citations are matched by content (the line without its number), so inserting
    a citation at [1] shows one added line and the others renumbered, not every
    line rewritten; changed citations are compared word by word.
    """
    budget = budget or Budget()
    old = [_citation_line(c) for c in old_citations]
    new = [_citation_line(c) for c in new_citations]
    if old == new:
        return SectionDiff("References", UNCHANGED, mark_safe(escape("\n".join(new))))
    blocks = _blocks([_citation_content(x) for x in old], [_citation_content(x) for x in new], budget)
    if blocks is None:  # 500 a side is 250,000 cells: only a spent page budget gets here
        html, coarse = _diff("\n".join(old), "\n".join(new), budget)
        return SectionDiff("References", CHANGED, html, coarse)
    lines, coarse = [], False
    for equal, i1, i2, j1, j2 in _runs(blocks):
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=True)) if equal or i2 - i1 == j2 - j1 else []
        if not pairs:  # a run of citations added or removed, or changed with different counts on each side
            pairs = [(x, "") for x in old[i1:i2]] + [("", x) for x in new[j1:j2]]
        for before, after in pairs:
            if before and after:
                html, whole = _diff(before, after, budget)
                coarse = coarse or whole
            else:
                html = _whole(before, after)
            lines.append(html)
    return SectionDiff("References", CHANGED, mark_safe("\n".join(lines)), coarse)


def revision_diff(live, pending, *, budget: Budget | None = None) -> list[SectionDiff]:
    """The pending revision against the live one; sections then references.

    Both revisions should come with their sections and citations prefetched
    (`editorial.review.selectors.answer_for_review`). The whole diff shares one
    `Budget`, so it takes well under a second at the API's largest drafts.
    """
    budget = budget or Budget()
    diffs = section_diff(live.sections.all(), pending.sections.all(), budget=budget)
    diffs.append(references_diff(live.citations.all(), pending.citations.all(), budget=budget))
    return diffs
