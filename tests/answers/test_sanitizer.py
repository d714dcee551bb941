"""Drafted Markdown is untrusted: a corpus of XSS payloads through `answers.rendering`.

Whatever a payload does, the rendered HTML may hold only allow-listed tags and
attributes, links only to http(s), mailto or in-page anchors, and no script,
event handler, `javascript:` URL, style or frame.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.utils.html import escape

from answers.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, render_sections
from tests.xss_corpus import PAYLOADS

SAFE_SCHEMES = {"http", "https", "mailto"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _tags(html: str):
    collector = _Collector()
    collector.feed(html)
    return collector.tags


def assert_safe(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<style" not in lowered
    for tag, attrs in _tags(html):
        assert tag in ALLOWED_TAGS, f"tag <{tag}> got through: {html}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, f"attribute {name} on <{tag}>: {html}"
            if name == "href":
                url = (value or "").strip()
                scheme = urlsplit(url).scheme.lower()
                assert url.startswith("#") or scheme in SAFE_SCHEMES, f"href {url!r}: {html}"


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_never_reaches_the_reader_as_markup(payload):
    assert_safe(render_markdown(payload))
    assert_safe(render_markdown(f"Before {payload} after [1]."))
    assert_safe(render_markdown(f"- item [2]\n- {payload}\n\n### {payload}"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_section_heading_is_escaped(payload):
    (section,) = render_sections([{"heading": payload, "body": "Body [1]."}])
    assert section.heading == escape(payload)
    assert "<" not in section.heading


def test_safe_markdown_keeps_its_structure():
    html = render_markdown("**Dose** 1.3 mg/m² [1, 2].\n\n- a [3]\n- [guideline](https://example.org/g)\n")
    assert "<strong>Dose</strong>" in html
    assert '<a href="#ref-1" class="cite"' in html and '<a href="#ref-2" class="cite"' in html
    assert '<a href="https://example.org/g" rel="noopener noreferrer nofollow">guideline</a>' in html


def test_relative_and_protocol_relative_links_are_dropped():
    html = render_markdown("[a](/admin/) [b](//evil.example/x) [c](mailto:editors@example.org) [d](#ref-1)")
    assert 'href="/admin/"' not in html and 'href="//evil.example/x"' not in html
    assert 'href="mailto:editors@example.org"' in html and 'href="#ref-1"' in html


def test_markers_are_not_linked_inside_code_links_or_attributes():
    html = render_markdown('Use `a[1]` and [see [2]](https://example.org "note [3]")\n\n    b[4]\n')
    assert 'href="#ref-1"' not in html
    assert 'href="#ref-2"' not in html
    assert 'title="note [3]"' in html
    assert 'href="#ref-4"' not in html


def test_a_drafted_payload_never_reaches_the_published_page(client, approved):
    payload_body = "\n\n".join(PAYLOADS)
    answer = approved(
        sections=[{"heading": "<script>alert('h')</script>", "body": payload_body}],
        citations=[
            {
                "number": 1,
                "title": "<img src=x onerror=alert(1)>",
                "url": "javascript:alert(1)",
                "doi": '10.1/"><script>alert(1)</script>',
                "pmid": '1"><script>',
            }
        ],
    )
    html = client.get(answer.get_absolute_url()).content.decode()
    body = html.split('<script type="application/ld+json">', 1)
    assert "<script" not in body[0] + body[1].split("</script>", 1)[1]
    for tag, attrs in _tags(html):
        assert tag not in {"img", "iframe", "svg", "object", "embed", "style"}
        assert not [name for name, _ in attrs if name.startswith("on") or name == "style"]
        assert not [v for name, v in attrs if name == "href" and v and v.lower().startswith("javascript")]
