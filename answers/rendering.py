"""Turning a revision's drafted Markdown into HTML a reader can trust.

Drafted text is untrusted. Markdown is rendered with raw HTML off
(markdown-it-py's `js-default` preset), citation markers become links to the
reference list, and the result is sanitised with an allow-list (nh3).
"""

import functools
import itertools
import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

from answers.citations import MARKER_RE, expand

_markdown = MarkdownIt("js-default")


@functools.lru_cache(maxsize=64)
def _markdown_html(text: str) -> str:
    """markdown-it's HTML (before markers and sanitising). The review page reads each body
    twice (`render_sections`, `reading_blocks`): parsed once. Under 10 MB per process."""
    return _markdown.render(text)


ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "sup", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-label"},
    "sup": {"class", "id"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


# markdown-it escapes "<" and ">" in text and attribute values, so in its
# output every "<...>" is a tag: markers are linked in the text between tags
# only, never inside an attribute, a link or code.
_TAG_RE = re.compile(r"(<[^>]*>)")
_NO_MARKERS_IN = {"a", "code", "pre"}
# Tags that end a run of text readers read as one block (a paragraph, an item, a cell).
_BLOCK_TAGS = {
    "p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "th", "td", "br", "hr",
}  # fmt: skip


def _pieces(html: str):
    """The rendered HTML as (piece, tag name or None, markers linked here?), in order.

    The one walk behind both the linked markers (`_link_markers`) and the text
    readers read (`reading_blocks`), so both count the same markers.
    """
    open_skips = 0
    for i, part in enumerate(_TAG_RE.split(html)):
        if i % 2:  # a tag
            name = part.strip("</>").split(None, 1)[0].lower() if part.strip("</>") else ""
            if name in _NO_MARKERS_IN:
                open_skips += -1 if part.startswith("</") else 1
            yield part, name, False
        elif part:
            yield part, None, open_skips <= 0


def marker_id(section: int, ordinal: int) -> str:
    """The id of a section's `ordinal`-th citation marker in the rendered draft (both from 1)."""
    return f"cite-{section}-{ordinal}"


def _link_markers(html: str, *, anchor_prefix: str, section: int | None = None) -> str:
    ordinals = itertools.count(1)

    def replace(match) -> str:
        links = ", ".join(
            f'<a href="#{anchor_prefix}{n}" class="cite" aria-label="Reference {n}">{n}</a>'
            for n in expand(match.group(1))
        )
        ordinal = next(ordinals)
        marker = f' id="{marker_id(section, ordinal)}"' if section is not None else ""
        return f'<sup class="cite"{marker}>{links}</sup>'

    return "".join(MARKER_RE.sub(replace, piece) if linked else piece for piece, _tag, linked in _pieces(html))


@dataclass(frozen=True)
class Marker:
    """A citation marker as readers see it: where it sits in its block's text, what it cites."""

    start: int
    end: int
    numbers: tuple[int, ...]
    ordinal: int  # its place among the body's linked markers, from 1 (`marker_id`)


@dataclass(frozen=True)
class Block:
    """A paragraph, list item, heading or cell of a rendered body, as plain text."""

    text: str
    markers: tuple[Marker, ...]


def reading_blocks(text: str) -> list[Block]:
    """Drafted Markdown as the text readers read, block by block, with the markers the
    renderer links (a marker inside a link or code is text, as on the page)."""
    blocks: list[Block] = []
    chunks: list[str] = []
    markers: list[Marker] = []
    length = 0
    ordinal = 0

    def close() -> None:
        nonlocal length
        joined = "".join(chunks)
        if joined.strip():
            blocks.append(Block(joined, tuple(markers)))
        chunks.clear()
        markers.clear()
        length = 0

    for piece, tag, linked in _pieces(_markdown_html(text or "")):
        if tag is not None:
            if tag in _BLOCK_TAGS:
                close()
            continue
        position = 0
        for match in MARKER_RE.finditer(piece) if linked else ():
            plain = unescape(piece[position : match.start()])
            chunks.append(plain)
            length += len(plain)
            ordinal += 1
            markers.append(Marker(length, length + len(match.group()), tuple(expand(match.group(1))), ordinal))
            chunks.append(match.group())
            length += len(match.group())
            position = match.end()
        plain = unescape(piece[position:])
        chunks.append(plain)
        length += len(plain)
    close()
    return blocks


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Links in drafted text go to an in-page anchor or an absolute http(s)/mailto
    address; relative and protocol-relative links (`/admin/`, `//host/`) are dropped."""
    if attribute != "href":
        return value
    if value.startswith("#"):
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() == "mailto" or (parts.scheme.lower() in {"http", "https"} and parts.netloc):
        return value
    return None


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str, *, anchor_prefix: str = "ref-", section: int | None = None) -> SafeString:
    """Markdown (untrusted) -> sanitised HTML with citation markers linked.

    With `section` (its position, from 1), each marker carries its `marker_id`.
    """
    html = _markdown_html(text or "")
    return mark_safe(sanitize(_link_markers(html, anchor_prefix=anchor_prefix, section=section)))


@dataclass(frozen=True)
class RenderedSection:
    heading: str
    anchor: str
    html: SafeString


def heading_and_body(section) -> tuple[str, str]:
    """A section given as an object or as a dict with heading and body."""
    if isinstance(section, dict):
        return section["heading"], section["body"]
    return section.heading, section.body


def render_sections(sections, *, anchor_prefix: str = "ref-", marker_ids: bool = False) -> list[RenderedSection]:
    """Sections (objects or dicts with heading and body) ready for `_sections.html`.

    With `marker_ids`, each citation marker carries its `marker_id` (the anchors of
    `answers.sentences.citing_sentences`).
    """
    rendered = []
    for position, section in enumerate(sections, start=1):
        heading, body = heading_and_body(section)
        rendered.append(
            RenderedSection(
                heading=escape(heading),
                anchor=slugify(heading) or "section",
                html=render_markdown(body, anchor_prefix=anchor_prefix, section=position if marker_ids else None),
            )
        )
    return rendered
