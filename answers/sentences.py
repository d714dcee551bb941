"""The sentences of a draft, and which of them cite which reference.

Sentences are split by sentencex (Wikimedia's rule-based segmenter, a Rust
core: linear on any input, no model to download), on the text readers read
(`answers.rendering.reading_blocks`: Markdown rendered, one block per
paragraph, list item or cell). Citation markers are masked before splitting,
so "et al. [3] found" or "[1, 2]" never end a sentence, and a marker written
after the full stop ("It works. [1] Then ...") belongs to the sentence before.

pysbd was the other candidate: it has had no release since 2021 and its open
issues include catastrophic backtracking on bracketed numbers and on unclosed
HTML, which drafted (untrusted) text can hold.
"""

import re
from dataclasses import dataclass

import sentencex

from answers.rendering import Block, heading_and_body, marker_id, reading_blocks

_MASK = "\ue000"  # a private-use character: a letter to the splitter, never a full stop
_SPACE = re.compile(r"\s+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of `text`, trailing spaces left to the sentence.

    The spans cover the whole text, in order.
    """
    spans, start = [], 0
    for sentence in sentencex.segment("en", text):
        spans.append((start, start + len(sentence)))
        start += len(sentence)
    if start != len(text):  # the splitter dropped or changed characters: keep the text whole
        return [(0, len(text))] if text else []
    return spans


def _block_sentences(block: Block) -> list[tuple[int, int]]:
    """The sentences of one block, markers masked, leading markers given to the sentence before."""
    masked = list(block.text)
    for marker in block.markers:
        masked[marker.start : marker.end] = _MASK * (marker.end - marker.start)
    spans = split_sentences("".join(masked))
    starts = {marker.start: marker for marker in block.markers}
    for i in range(1, len(spans)):
        boundary, end = spans[i]
        position = boundary
        while True:
            while position < end and block.text[position].isspace():
                position += 1
            if position in starts and starts[position].end <= end:
                position = boundary = starts[position].end
            else:
                break
        if boundary != spans[i][0]:
            spans[i - 1] = (spans[i - 1][0], boundary)
            spans[i] = (boundary, end)
    return [(start, end) for start, end in spans if block.text[start:end].strip()]


@dataclass(frozen=True)
class CitingSentence:
    """A sentence of the draft that cites one or more references."""

    section: int  # the section's position, from 1
    heading: str
    text: str  # as readers read it (Markdown rendered, spaces collapsed), markers included
    numbers: tuple[int, ...]  # every citation it cites, in order of first mention
    anchor: str  # the id of its first marker in the rendered draft (`render_sections(marker_ids=True)`)


def sentences_citing(sections) -> list[CitingSentence]:
    """Every sentence of the sections (objects or dicts with heading and body) that cites something."""
    found = []
    for position, section in enumerate(sections, start=1):
        heading, body = heading_and_body(section)
        for block in reading_blocks(body):
            markers, next_marker = block.markers, 0  # both in text order: one walk, not a scan per sentence
            for start, end in _block_sentences(block):
                first = next_marker
                while next_marker < len(markers) and markers[next_marker].start < end:
                    next_marker += 1
                inside = [m for m in markers[first:next_marker] if m.start >= start]
                if not inside:
                    continue
                numbers = tuple(dict.fromkeys(n for m in inside for n in m.numbers))
                found.append(
                    CitingSentence(
                        section=position,
                        heading=heading,
                        text=_SPACE.sub(" ", block.text[start:end]).strip(),
                        numbers=numbers,
                        anchor=marker_id(position, inside[0].ordinal),
                    )
                )
    return found


def citing_sentences(sections) -> dict[int, list[CitingSentence]]:
    """For each citation number, every sentence of the draft that cites it, in reading order.

    Markers `[1]`, `[1, 2]`, `[2-4]` (ranges expanded, as `answers.citations.expand`
    does). A number no sentence cites has no entry.
    """
    by_number: dict[int, list[CitingSentence]] = {}
    for sentence in sentences_citing(sections):
        for number in sentence.numbers:
            by_number.setdefault(number, []).append(sentence)
    return by_number


@dataclass(frozen=True)
class Sentence:
    """One sentence of a body as readers read it (the review's diff compares these)."""

    text: str  # Markdown rendered, spaces collapsed, markers included
    block: int  # the block (paragraph, list item, cell, heading) it belongs to, from 0
    # The sentence as plain text and markers, in order: each marker as the numbers it cites. The same
    # text as `text` once markers are written back and spaces collapsed (lets a caller renumber them).
    parts: tuple[str | tuple[int, ...], ...]


def collapse(text: str) -> str:
    """Spaces as readers see them: every run one space, none at the ends."""
    return _SPACE.sub(" ", text).strip()


def reading_sentences(body: str) -> list[Sentence]:
    """Every sentence of a body (drafted Markdown), in reading order; the splitter of `sentences_citing`."""
    found = []
    for index, block in enumerate(reading_blocks(body)):
        markers, next_marker = block.markers, 0
        for start, end in _block_sentences(block):
            parts: list[str | tuple[int, ...]] = []
            position = start
            while next_marker < len(markers) and markers[next_marker].start < end:
                marker = markers[next_marker]
                if marker.start >= start:
                    parts += [block.text[position : marker.start], marker.numbers]
                    position = marker.end
                next_marker += 1
            parts.append(block.text[position:end])
            found.append(Sentence(text=collapse(block.text[start:end]), block=index, parts=tuple(parts)))
    return found


def section_sentences(section) -> list[str]:
    """Every sentence of one section (an object or a dict with heading and body) as readers
    read it (Markdown rendered, spaces collapsed, markers included), in reading order."""
    _heading, body = heading_and_body(section)
    sentences = []
    for block in reading_blocks(body):
        for start, end in _block_sentences(block):
            text = _SPACE.sub(" ", block.text[start:end]).strip()
            if text:
                sentences.append(text)
    return sentences


def section_text(section) -> str:
    """The whole text of one section as readers read it, blocks joined by a space, spaces collapsed."""
    _heading, body = heading_and_body(section)
    return _SPACE.sub(" ", " ".join(block.text for block in reading_blocks(body))).strip()
