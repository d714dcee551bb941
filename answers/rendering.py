"""Turning a revision's drafted Markdown into HTML a reader can trust.

Drafted text is untrusted. Markdown is rendered with raw HTML off
(markdown-it-py's `js-default` preset), citation markers become links to the
reference list, and the result is sanitised with an allow-list (nh3).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

from answers.citations import MARKER_RE, expand

_markdown = MarkdownIt("js-default")

ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "sup", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-label"},
    "sup": {"class"},
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


def _link_markers(html: str, *, anchor_prefix: str) -> str:
    def replace(match) -> str:
        links = ", ".join(
            f'<a href="#{anchor_prefix}{n}" class="cite" aria-label="Reference {n}">{n}</a>'
            for n in expand(match.group(1))
        )
        return f'<sup class="cite">{links}</sup>'

    parts = _TAG_RE.split(html)
    open_skips = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part.strip("</>").split(None, 1)[0].lower() if part.strip("</>") else ""
            if name in _NO_MARKERS_IN:
                open_skips += -1 if part.startswith("</") else 1
        elif part and open_skips <= 0:
            parts[i] = MARKER_RE.sub(replace, part)
    return "".join(parts)


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


def render_markdown(text: str, *, anchor_prefix: str = "ref-") -> SafeString:
    """Markdown (untrusted) -> sanitised HTML with citation markers linked."""
    html = _markdown.render(text or "")
    return mark_safe(sanitize(_link_markers(html, anchor_prefix=anchor_prefix)))


@dataclass(frozen=True)
class RenderedSection:
    heading: str
    anchor: str
    html: SafeString


def render_sections(sections, *, anchor_prefix: str = "ref-") -> list[RenderedSection]:
    """Sections (objects or dicts with heading and body) ready for `_sections.html`."""
    rendered = []
    for section in sections:
        heading = section["heading"] if isinstance(section, dict) else section.heading
        body = section["body"] if isinstance(section, dict) else section.body
        rendered.append(
            RenderedSection(
                heading=escape(heading),
                anchor=slugify(heading) or "section",
                html=render_markdown(body, anchor_prefix=anchor_prefix),
            )
        )
    return rendered
