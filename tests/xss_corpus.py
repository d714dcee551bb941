"""XSS payloads shared by the sanitizer's unit tests (`tests/answers/test_sanitizer.py`)
and the end-to-end tests (`tests/security/`), and a checker for whole pages.

`executable_markup(html)` parses a page (stdlib `html.parser`, attributes
decoded as a browser decodes them) and names everything in it that could run:
a script other than a JSON-LD data block or a same-origin static file, an
event-handler attribute, a `javascript:`/`vbscript:`/`data:` URL, a frame,
an object, a `<base>` or a meta refresh.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](http://ok.example "title\\" onmouseover=\\"alert(1)")',
    '[x](http://ok.example "[1] onmouseover=alert(1)")',
    "[1](javascript:alert(1))",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<!--<script>alert(1)</script>-->",
    "<details open ontoggle=alert(1)>",
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
    "[x](\x01javascript:alert(1))",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "> <script>alert(1)</script> [1]",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    '<a href="#ref-1" onclick="alert(1)">[1]</a>',
    "[x](//evil.example/%0ajavascript:alert(1))",
    "<xmp><script>alert(1)</script></xmp>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}
UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "file"}
# Browsers drop ASCII tab, newline and other control characters inside a scheme.
_CONTROL = re.compile(r"[\x00-\x20]")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script = attributes
            self.scripts.append((attributes, ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._script = None

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attributes, content = self.scripts[-1]
            self.scripts[-1] = (attributes, content + data)
        else:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _unsafe_url(value: str) -> bool:
    scheme = urlsplit(_CONTROL.sub("", value)).scheme.lower()
    return scheme in UNSAFE_SCHEMES


def executable_markup(html: str) -> list[str]:
    """Everything in `html` a browser could execute; an empty list means the page is inert.

    Scripts may only be data blocks or files of this site (`/static/...`, the admin's `/admin/jsi18n/`).
    """
    page = parse(html)
    problems = []
    for tag, attributes in page.elements:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif name == "srcdoc":
                problems.append(f"srcdoc on <{tag}>")
            elif name in URL_ATTRIBUTES and _unsafe_url(value):
                problems.append(f"{name}={value!r} on <{tag}>")
            elif name == "style" and re.search(r"javascript:|expression\s*\(|url\s*\(", value, re.I):
                problems.append(f"style={value!r} on <{tag}>")
    for attributes, content in page.scripts:
        kind = attributes.get("type", "").lower()
        if kind in DATA_SCRIPT_TYPES:
            if attributes.get("src"):
                problems.append("data script with a src")
            try:
                json.loads(content)
            except ValueError:
                problems.append(f"data script is not valid JSON: {content[:80]!r}")
        elif "src" in attributes:
            src = attributes["src"]
            if not src.startswith("/") or src.startswith("//") or content.strip():
                problems.append(f"script src={src!r}")
        else:
            problems.append(f"inline script: {content[:80]!r}")
    return problems


def json_ld(html: str) -> list[tuple[str, object]]:
    """Each JSON-LD block of the page: (its raw text, the parsed data)."""
    page = parse(html)
    return [
        (content, json.loads(content))
        for attributes, content in page.scripts
        if attributes.get("type", "").lower() == "application/ld+json"
    ]


def visible_text(html: str) -> str:
    """The page's text as a reader sees it (entities decoded), whitespace collapsed."""
    return " ".join("".join(parse(html).text).split())
