"""What changed between the live revision and the one under review, as readers read it.

The review's *Changes* tab. Both revisions are compared as the text readers
read (`answers.rendering`: Markdown rendered), split into sentences by
`answers.sentences.reading_sentences` (sentencex, markers masked), and shown
side by side, live | this revision:

- **Sections** are matched by heading (case and spacing aside; repeated
  headings in order), then by position (an unmatched section against the
  unmatched one at the same place: a renamed heading). The others are added or
  removed and shown whole. A matched section out of its old order is `moved`.
- **Sentences** of a matched pair are aligned with the bounded longest common
  subsequence of `editorial.review.diff` (rapidfuzz, in C++: never difflib,
  which is cubic on repetitive input). In a changed run, sentences are paired
  by word similarity (rapidfuzz Indel, at least `SIMILAR`), each with the
  most similar one near its place, in order; a pair shows its changed words
  (<del> on the left, <ins> on the right), the others are removed or added.
  A marker renumbered along with its reference ([2] -> [3]) is no change.
- **References** are matched by DOI, then PMID, then normalised title, and
  reported as added, removed, renumbered or changed (field by field).

Everything is escaped here; the output is safe HTML for `_diff.html`. The work
is bounded by one `Budget` (rendering is estimated before it runs, `render_cost`):
past it a section is compared as drafted Markdown, and says so.
"""

import bisect
import re
import string
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from rapidfuzz.distance import Indel

from answers.sentences import Sentence, collapse, reading_sentences
from editorial.review.diff import Budget, align, word_diff, word_sides

ADDED, REMOVED, CHANGED, UNCHANGED, RENUMBERED = "added", "removed", "changed", "unchanged", "renumbered"

# Two sentences of a changed run are one sentence edited if this share of their words is common.
SIMILAR = 0.5
# A sentence of a changed run is weighed against the sentences this near its place on the other side.
BAND = 8
_WORD = re.compile(r"\w+|[^\w\s]")

# What rendering and splitting a body costs, in microseconds (markdown-it-py is pure Python): per
# character, and more per ASCII punctuation character and line, where its rules try to match (a
# link at every "[", an autolink or HTML at every "<"). An upper bound of what bench/diff.py's "render
# estimate" measures on prose and on 35 kinds of dense markup, each 50,000 characters.
_RENDER_BASE = 1.2
_RENDER_PUNCTUATION = 30
_RENDER_WEIGHTS = {**dict.fromkeys(string.punctuation, _RENDER_PUNCTUATION), "[": 200, "<": 100, "~": 40, "\n": 60}


def render_cost(body: str) -> int:
    """Estimated microseconds to render `body` and split it into sentences (an upper bound, measured)."""
    return int(len(body) * _RENDER_BASE + sum(body.count(c) * w for c, w in _RENDER_WEIGHTS.items()))


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side table: a sentence pair, one side only, or a run left out."""

    change: str  # added / removed / changed / unchanged
    old: SafeString | None = None  # the live side's HTML (None: nothing on that side)
    new: SafeString | None = None
    skipped: int = 0  # unchanged sentences left out here (then old and new are None)


@dataclass(frozen=True)
class SectionDiff:
    heading: str  # this revision's (the live one's for a removed section)
    change: str  # added / removed / changed / unchanged
    rows: tuple[Row, ...]  # what the page shows: only changes, or the whole text
    old_heading: str = ""  # the live heading, when a section matched by position was renamed
    moved: bool = False  # matched, but out of its old order
    coarse: bool = False  # some passage was beyond the budget and is shown whole
    rendered: bool = True  # False: compared as drafted Markdown (rendering it was beyond the budget)
    formatting_only: bool = False  # the Markdown changed but not the text readers read
    counts: dict = field(default_factory=dict)  # sentences by change

    @property
    def changed(self) -> bool:
        return self.change != UNCHANGED


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str
    html: SafeString | None = None  # long fields (title, authors): changed words marked inline


@dataclass(frozen=True)
class ReferenceChange:
    change: str  # added / removed / renumbered / changed / unchanged
    old_number: int | None
    new_number: int | None
    citation: object  # this revision's citation (the live one's when removed)
    matched_by: str = ""  # "DOI", "PMID" or "title"
    fields: tuple[FieldChange, ...] = ()

    @property
    def renumbered(self) -> bool:
        return None not in (self.old_number, self.new_number) and self.old_number != self.new_number


@dataclass(frozen=True)
class RevisionDiff:
    sections: list[SectionDiff]
    references: list[ReferenceChange]  # every reference, unchanged ones included
    whole: bool  # rows hold the whole text, not only the changes

    @property
    def changed_references(self) -> list[ReferenceChange]:
        return [r for r in self.references if r.change != UNCHANGED]

    @property
    def unchanged_references(self) -> int:
        return len(self.references) - len(self.changed_references)

    @property
    def summary(self) -> str:
        """One line: "2 sections changed, 1 added; 5 sentences changed, 2 added; references: 1 added"."""
        parts = []
        sections = _tally(s.change for s in self.sections)
        if sections:
            parts.append(_phrase("section", sections))
        sentences: dict[str, int] = defaultdict(int)
        for section in self.sections:
            for change, count in section.counts.items():
                sentences[change] += count
        sentences = {c: n for c, n in sentences.items() if c != UNCHANGED and n}
        if sentences:
            parts.append(_phrase("sentence", sentences))
        references = _tally(r.change for r in self.references)
        if references:
            parts.append("references: " + ", ".join(f"{n} {c}" for c, n in references.items()))
        return "; ".join(parts) or "No change readers would see."


def _tally(changes) -> dict[str, int]:
    found: dict[str, int] = {}
    for change in changes:
        if change != UNCHANGED:
            found[change] = found.get(change, 0) + 1
    return found


def _phrase(noun: str, counts: dict[str, int]) -> str:
    items = list(counts.items())
    first = f"{items[0][1]} {noun}{'' if items[0][1] == 1 else 's'} {items[0][0]}"
    return ", ".join([first, *(f"{n} {c}" for c, n in items[1:])])


# -- sections ------------------------------------------------------------------------------------


def _heading_key(heading: str) -> str:
    return collapse(heading).casefold()


def match_sections(old_headings: list[str], new_headings: list[str]) -> list[tuple[int | None, int | None]]:
    """(old index, new index) pairs in display order: this revision's order, each removed section
    after the one it followed. Matched by heading, then by position; None on the side it lacks."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for i, heading in enumerate(old_headings):
        waiting[_heading_key(heading)].append(i)
    partner: list[int | None] = []
    for heading in new_headings:
        queue = waiting.get(_heading_key(heading))
        partner.append(queue.popleft() if queue else None)
    matched = {i for i in partner if i is not None}
    for j, i in enumerate(partner):  # then by position: the unmatched old section at the same place
        if i is None and j < len(old_headings) and j not in matched:
            partner[j] = j
            matched.add(j)
    new_of_old = {i: j for j, i in enumerate(partner) if i is not None}
    keyed = [((j, 0, 0), (i, j)) for j, i in enumerate(partner)]
    for i in range(len(old_headings)):
        if i not in matched:
            before = [p for p in new_of_old if p < i]
            keyed.append(((new_of_old[max(before)] if before else -1, 1, i), (i, None)))
    return [pair for _key, pair in sorted(keyed)]


def _moved(pairs) -> set[int]:
    """Old indexes of matched sections out of their old order (off the longest run kept in order)."""
    olds = [i for i, j in pairs if i is not None and j is not None]
    tails: list[int] = []  # longest increasing subsequence, patience style, with back links
    tail_at: list[int] = []
    back = [-1] * len(olds)
    for k, value in enumerate(olds):
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = value, k
        back[k] = tail_at[pos - 1] if pos else -1
    kept, k = set(), tail_at[-1] if tail_at else -1
    while k != -1:
        kept.add(olds[k])
        k = back[k]
    return set(olds) - kept


def _key(sentence: Sentence, numbers: dict[int, int] | None) -> str:
    """The sentence as compared: markers written as the references they cite (old numbers mapped to
    this revision's, so a marker renumbered with its reference is no change)."""
    out = []
    for part in sentence.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            cited = [str(numbers.get(n, f"removed {n}")) if numbers is not None else str(n) for n in part]
            out.append("[" + ", ".join(cited) + "]")
    return collapse("".join(out))


def _words_of(key: str) -> list[str]:
    return _WORD.findall(key.casefold())


def _pairs(old_keys: list[str], new_keys: list[str], budget: Budget) -> tuple[list[tuple[int, int]], bool]:
    """Which sentence of a changed run became which: in order, each with a similar one near its place;
    and whether the budget refused to weigh some pair (those are left unpaired)."""
    m, n = len(old_keys), len(new_keys)
    old_words = [_words_of(k) for k in old_keys]
    new_words = [_words_of(k) for k in new_keys]
    candidates, refused = [], False
    for i in range(m):
        centre = (i * n) // m if m else 0
        for j in range(max(0, centre - BAND), min(n, centre + BAND + 1)):
            if not (old_words[i] and new_words[j]):
                continue
            if not budget.take_pair() or not budget.take_cells(len(old_words[i]) * len(new_words[j])):
                refused = True
                break
            score = Indel.normalized_similarity(old_words[i], new_words[j], score_cutoff=SIMILAR)
            if score:
                candidates.append((-score, i, j))
    candidates.sort()
    olds: list[int] = []  # the accepted pairs, in order on both sides
    news: list[int] = []
    for _score, i, j in candidates:
        pos = bisect.bisect_left(olds, i)
        if pos < len(olds) and olds[pos] == i:
            continue
        if (pos and news[pos - 1] >= j) or (pos < len(news) and news[pos] <= j):
            continue
        olds.insert(pos, i)
        news.insert(pos, j)
    return list(zip(olds, news, strict=True)), refused


def _safe(text: str) -> SafeString:
    return mark_safe(escape(text))


def _sentence_rows(old: list[Sentence], new: list[Sentence], numbers, budget: Budget) -> tuple[list[Row], bool]:
    old_keys = [_key(s, numbers) for s in old]
    new_keys = [_key(s, None) for s in new]
    runs = align(old_keys, new_keys, budget=budget)
    coarse = runs is None
    if runs is None:  # too many sentences to align: everything removed, then everything added
        runs = [(False, 0, len(old), 0, len(new))]
    rows: list[Row] = []
    for equal, i1, i2, j1, j2 in runs:
        if equal:
            rows += [Row(UNCHANGED, _safe(o.text), _safe(n.text)) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
            continue
        pairs, refused = ([], False) if coarse else _pairs(old_keys[i1:i2], new_keys[j1:j2], budget)
        coarse = coarse or refused
        i, j = i1, j1
        for pi, pj in [*((i1 + a, j1 + b) for a, b in pairs), (i2, j2)]:
            rows += [Row(REMOVED, old=_safe(s.text)) for s in old[i:pi]]
            rows += [Row(ADDED, new=_safe(s.text)) for s in new[j:pj]]
            if pi < i2:
                if old_keys[pi] == new_keys[pj]:
                    rows.append(Row(UNCHANGED, _safe(old[pi].text), _safe(new[pj].text)))
                else:
                    left, right, whole = word_sides(old[pi].text, new[pj].text, budget=budget)
                    coarse = coarse or whole
                    rows.append(Row(CHANGED, left, right))
            i, j = pi + 1, pj + 1
    return rows, coarse


def _compact(rows: list[Row]) -> list[Row]:
    """The changed rows, each run of unchanged ones as one `skipped` row."""
    out: list[Row] = []
    for row in rows:
        if row.change != UNCHANGED:
            out.append(row)
        elif out and out[-1].skipped:
            out[-1] = Row(UNCHANGED, skipped=out[-1].skipped + 1)
        else:
            out.append(Row(UNCHANGED, skipped=1))
    return out


def _counts(rows: list[Row]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.change] += row.skipped or 1
    return dict(counts)


def _section(old, new, *, numbers, budget: Budget, whole: bool, moved: bool = False) -> SectionDiff:
    """One section pair (either side None: added or removed)."""
    heading = (new or old).heading
    old_heading = old.heading if old is not None and new is not None and old.heading != new.heading else ""
    old_body = old.body if old is not None else ""
    new_body = new.body if new is not None else ""
    if old is not None and new is not None and old_body == new_body and not whole:
        change = CHANGED if old_heading else UNCHANGED
        return SectionDiff(heading, change, (), old_heading=old_heading, moved=moved)
    same = old_body == new_body
    cost = render_cost(new_body) + (0 if same else render_cost(old_body))
    if not budget.take_render(cost):
        return _drafted(heading, old, new, old_heading=old_heading, moved=moved, budget=budget)
    new_sentences = reading_sentences(new_body) if new is not None else []
    old_sentences = new_sentences if same else reading_sentences(old_body) if old is not None else []
    if old is None:
        rows, coarse, change = [Row(ADDED, new=_safe(s.text)) for s in new_sentences], False, ADDED
    elif new is None:
        rows, coarse, change = [Row(REMOVED, old=_safe(s.text)) for s in old_sentences], False, REMOVED
    else:
        rows, coarse = _sentence_rows(old_sentences, new_sentences, numbers, budget)
        change = CHANGED if old_heading or any(r.change != UNCHANGED for r in rows) else UNCHANGED
    return SectionDiff(
        heading,
        change,
        tuple(rows if whole or change in (ADDED, REMOVED) else _compact(rows)),
        old_heading=old_heading,
        moved=moved,
        coarse=coarse,
        formatting_only=change == UNCHANGED and not same,
        counts=_counts(rows),
    )


def _drafted(heading, old, new, *, old_heading, moved, budget: Budget) -> SectionDiff:
    """A section beyond the rendering budget: its drafted Markdown, word by word within the budget."""
    if old is None:
        return SectionDiff(heading, ADDED, (Row(ADDED, new=_safe(new.body)),), rendered=False)
    if new is None:
        return SectionDiff(heading, REMOVED, (Row(REMOVED, old=_safe(old.body)),), rendered=False)
    if old.body == new.body:
        change = CHANGED if old_heading else UNCHANGED
        row = Row(UNCHANGED, _safe(old.body), _safe(new.body))
        return SectionDiff(heading, change, (row,), old_heading=old_heading, moved=moved, rendered=False)
    left, right, coarse = word_sides(old.body, new.body, budget=budget)
    row = Row(CHANGED, left, right)
    return SectionDiff(heading, CHANGED, (row,), old_heading=old_heading, moved=moved, coarse=coarse, rendered=False)


# -- references ----------------------------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+")
FIELDS = (("title", "title"), ("authors", "authors"), ("journal", "journal"), ("year", "year"),
          ("pmid", "PMID"), ("doi", "DOI"), ("url", "URL"))  # fmt: skip
_INLINE = {"title", "authors"}  # long fields: changed words marked


def normalised_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", (doi or "").strip()).strip().lower()


def normalised_title(title: str) -> str:
    """Lower case, punctuation and whitespace collapsed to single spaces."""
    return " ".join(_NOT_WORD.sub(" ", (title or "").casefold()).split())


_MATCHERS = (
    ("DOI", lambda c: normalised_doi(c.doi)),
    ("PMID", lambda c: (c.pmid or "").strip()),
    ("title", lambda c: normalised_title(c.title)),
)


def match_references(old: list, new: list) -> list[tuple[int | None, int | None, str]]:
    """(old index, new index, matched by) for every citation: by DOI, then PMID, then title."""
    partner: dict[int, tuple[int, str]] = {}  # new index -> (old index, how)
    taken: set[int] = set()
    for how, key in _MATCHERS:
        waiting: dict[str, deque[int]] = defaultdict(deque)
        for i, citation in enumerate(old):
            if i not in taken and key(citation):
                waiting[key(citation)].append(i)
        for j, citation in enumerate(new):
            if j in partner or not key(citation):
                continue
            queue = waiting.get(key(citation))
            if queue:
                i = queue.popleft()
                partner[j] = (i, how)
                taken.add(i)
    pairs = [(partner[j][0], j, partner[j][1]) if j in partner else (None, j, "") for j in range(len(new))]
    pairs += [(i, None, "") for i in range(len(old)) if i not in taken]
    return pairs


def _value(citation, name: str) -> str:
    value = getattr(citation, name)
    return "" if value is None else str(value).strip()


def _same(name: str, a: str, b: str) -> bool:
    return normalised_doi(a) == normalised_doi(b) if name == "doi" else a == b


def references_diff(old_citations, new_citations, *, budget: Budget | None = None) -> list[ReferenceChange]:
    """Every reference of both revisions, matched, in this revision's order (removed ones by their
    old number)."""
    budget = budget or Budget()
    old, new = list(old_citations), list(new_citations)
    changes = []
    for i, j, how in match_references(old, new):
        if j is None:
            changes.append(ReferenceChange(REMOVED, old[i].number, None, old[i]))
            continue
        if i is None:
            changes.append(ReferenceChange(ADDED, None, new[j].number, new[j]))
            continue
        before, after = old[i], new[j]
        fields = []
        for name, label in FIELDS:
            a, b = _value(before, name), _value(after, name)
            if not _same(name, a, b):
                html = word_diff(a, b, budget=budget) if name in _INLINE and a and b else None
                fields.append(FieldChange(label, a, b, html))
        change = CHANGED if fields else RENUMBERED if before.number != after.number else UNCHANGED
        changes.append(ReferenceChange(change, before.number, after.number, after, how, tuple(fields)))
    changes.sort(key=lambda c: (c.new_number if c.new_number is not None else c.old_number, c.new_number is None))
    return changes


# -- the whole revision --------------------------------------------------------------------------


def revision_diff(live, pending, *, whole: bool = False, budget: Budget | None = None) -> RevisionDiff:
    """The pending revision against the live one: sections (sentence by sentence), then references.

    Both revisions should come with their sections and citations prefetched
    (`editorial.review.selectors.answer_for_review`): no query here. `whole`
    keeps every sentence in the rows, not only the changed ones. One `Budget`
    bounds the work, so the API's largest drafts take well under a second.
    """
    budget = budget or Budget()
    references = references_diff(live.citations.all(), pending.citations.all(), budget=budget)
    numbers = {r.old_number: r.new_number for r in references if r.old_number is not None and r.new_number}
    old, new = list(live.sections.all()), list(pending.sections.all())
    pairs = match_sections([s.heading for s in old], [s.heading for s in new])
    moved = _moved(pairs)
    sections = [
        _section(
            old[i] if i is not None else None,
            new[j] if j is not None else None,
            numbers=numbers,
            budget=budget,
            whole=whole,
            moved=i in moved,
        )
        for i, j in pairs
    ]
    return RevisionDiff(sections, references, whole)
