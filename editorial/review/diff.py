"""The bounded comparison engine behind the review's diff (`editorial.review.changes`).

Two sequences (words of a sentence, sentences of a section) are compared with
a longest-common-subsequence diff: rapidfuzz's bit-parallel Indel opcodes (in
C++) over the items mapped to one character each (diff-match-patch's
linesToChars trick, applied to words or sentences), on what lies between the
sequences' common start and end. Its cost is the matrix it fills, old items x
new items, whatever they hold, so it is bounded before it runs: one revision
diff may split `PAGE_CHARS` characters into words and compare `PAGE_CELLS`
cells, one comparison `COMPARISON_CELLS` (the matrix's memory), and it may
render `PAGE_RENDER` (estimated microseconds of Markdown rendering and sentence
splitting) and weigh `PAGE_PAIRS` sentence pairs. Past a bound a passage is
shown whole, removed then added, and says it is `coarse`. The bound counts
work, not time, so the same revisions always give the same page. difflib's
SequenceMatcher, used before, is cubic on repetitive text (2,000/3,000 words:
111 s), whether the items are words or sentences.
"""

import re
from dataclasses import dataclass
from html import escape  # what django.utils.html.escape calls, without its lazy-string wrapper (hot here)

from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import Indel

# Words and the whitespace between them, so the output keeps the source's spacing.
_TOKEN_RE = re.compile(r"\s+|[^\s]+")

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
# Markdown rendered and split into sentences, in estimated microseconds (`changes.render_cost`): past
# it, a section is compared as drafted Markdown. Rendering is pure Python and some drafted text is slow
# to render ("[" x 50,000: 5 s), so the estimate weighs each character by what it costs the renderer.
PAGE_RENDER = 400_000
# Sentence pairs weighed (a similarity each) to find which sentence of a changed run became which.
PAGE_PAIRS = 20_000


@dataclass
class Budget:
    """What one revision diff may still spend; `*_spent` count what it used."""

    chars: int = PAGE_CHARS
    cells: int = PAGE_CELLS
    per_comparison: int = COMPARISON_CELLS
    render: int = PAGE_RENDER
    pairs: int = PAGE_PAIRS
    chars_spent: int = 0
    cells_spent: int = 0
    render_spent: int = 0
    pairs_spent: int = 0

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

    def take_render(self, cost: int) -> bool:
        if cost > self.render - self.render_spent:
            return False
        self.render_spent += cost
        return True

    def take_pair(self) -> bool:
        if self.pairs_spent >= self.pairs:
            return False
        self.pairs_spent += 1
        return True


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


def _word_blocks(old: str, new: str, budget: Budget):
    """(head, a, b, blocks, tail): the escaped tokens between the common start and end (and
    CONTEXT_CHARS around it) with their shared blocks, the raw text before and after them; None if
    over the budget."""
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
    return old[:start], a, b, blocks, old[len(old) - end :]


def _words(old: str, new: str, budget: Budget) -> str | None:
    """Word by word, inline; None if over the budget."""
    if old == new:
        return escape(old)
    found = _word_blocks(old, new, budget)
    if found is None:
        return None
    head, a, b, blocks, tail = found
    return escape(head) + _render(a, b, blocks) + escape(tail)


def word_sides(old: str, new: str, *, budget: Budget | None = None) -> tuple[SafeString, SafeString, bool]:
    """`old` with its deleted words in <del>, `new` with its inserted words in <ins>, both escaped, and
    whether it was over the budget (then each side is marked whole)."""
    budget = budget or Budget()
    if old == new:
        return mark_safe(escape(old)), mark_safe(escape(new)), False
    found = _word_blocks(old, new, budget)
    if found is None:
        return mark_safe(_whole(old, "")), mark_safe(_whole("", new)), True
    head, a, b, blocks, tail = found
    join = "".join
    left, right = [escape(head)], [escape(head)]
    i = j = 0
    for bi, bj, size in blocks:
        if i < bi:
            left.append(f"<del>{join(a[i:bi])}</del>")
        if j < bj:
            right.append(f"<ins>{join(b[j:bj])}</ins>")
        i, j = bi + size, bj + size
        left.append(join(a[bi:i]))
        right.append(join(b[bj:j]))
    left.append(escape(tail))
    right.append(escape(tail))
    return mark_safe(join(left)), mark_safe(join(right)), False


def align(a: list[str], b: list[str], *, budget: Budget):
    """The runs of two sequences (sentences, say): (equal, i1, i2, j1, j2) meaning a[i1:i2] -> b[j1:j2],
    in order, or None if over the budget."""
    blocks = _blocks(a, b, budget)
    return None if blocks is None else list(_runs(blocks))


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
