"""Turning a revision's drafted Markdown into HTML a reader can trust.

Drafted text is untrusted. Markdown is rendered with raw HTML off
(markdown-it-py's `js-default` preset), citation markers become links to the
reference list, and the result is sanitised with an allow-list (nh3).
"""

from dataclasses import dataclass

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


def _link_markers(html: str, *, anchor_prefix: str) -> str:
    def replace(match) -> str:
        links = ", ".join(
            f'<a href="#{anchor_prefix}{n}" class="cite" aria-label="Reference {n}">{n}</a>'
            for n in expand(match.group(1))
        )
        return f'<sup class="cite">{links}</sup>'

    return MARKER_RE.sub(replace, html)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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
