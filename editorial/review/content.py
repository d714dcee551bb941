"""A revision's content (sections and numbered citations) and its rules, in one place.

The drafting API (`editorial.drafting.intake`: the JSON contract, `import_drafts`)
and the board's edits in the review (`editorial.review.edits`) read content through
this module, so a draft and an edit are held to exactly the same rules:

1. `SectionIn` / `CitationIn` check shapes, types and lengths (pydantic, strict:
   no "1" for 1);
2. `content_problems()` checks what a schema cannot say: blank headings and
   bodies, citation numbers that are not exactly 1..n, markers in the text that
   point at no citation, malformed DOIs, PMIDs and URLs, years in the future,
   text the database cannot store (NUL, lone surrogates).

Every problem is reported against its field path, e.g. `sections[2].body`
(indexes count from 0, as in the JSON array).
"""

import re

import pydantic
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from pydantic import ConfigDict, Field

from answers import clock
from answers.citations import cited_numbers
from editorial.errors import Invalid, Problem

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
_url_validator = URLValidator(schemes=["http", "https"])
# A section is a few paragraphs; `import_drafts` has no body limit of its own, so the schema bounds it.
SECTION_BODY_MAX = 50_000
SECTIONS_MAX = 50
CITATIONS_MAX = 500
# What is said above the list of problems of refused content.
CONTENT_INVALID = "The draft is invalid."


class _Strict(pydantic.BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SectionIn(_Strict):
    heading: str = Field(min_length=1, max_length=200)
    body: str = Field(
        min_length=1, max_length=SECTION_BODY_MAX, description="Markdown; citation markers such as [1] or [2, 3]."
    )


class CitationIn(_Strict):
    number: int = Field(ge=1, le=1000)
    title: str = Field(min_length=1, max_length=2000)
    authors: str | None = Field(None, max_length=2000)
    journal: str | None = Field(None, max_length=300)
    year: int | None = Field(None, ge=1000, le=9999)
    pmid: str | None = Field(None, max_length=20, description="PubMed id: digits only.")
    doi: str | None = Field(None, max_length=200, description="e.g. 10.1056/NEJMoa1509277")
    url: str | None = Field(None, max_length=500)


# The lists as a draft holds them (`DraftIn.sections` / `.citations`, `ContentIn`).
Sections = list[SectionIn]
Citations = list[CitationIn]
SECTIONS_FIELD = {"min_length": 1, "max_length": SECTIONS_MAX}
CITATIONS_FIELD = {"max_length": CITATIONS_MAX}


class ContentIn(_Strict):
    """A revision's content alone: what a board member or editor edits."""

    sections: Sections = Field(**SECTIONS_FIELD)
    citations: Citations = Field(default_factory=list, **CITATIONS_FIELD)


def field_path(loc) -> str:
    """('sections', 2, 'body') -> 'sections[2].body'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def problems_from_pydantic(errors, *, skip: int = 0) -> list[Problem]:
    """pydantic error dicts -> problems; `skip` drops leading loc parts (ninja's 'body', 'payload')."""
    problems = []
    for error in errors:
        loc = tuple(error["loc"])[skip:]
        message = error["msg"]
        if error["type"] == "missing":
            message = "This field is required."
        elif error["type"] == "extra_forbidden":
            message = "Unknown field."
        problems.append(Problem(field_path(loc), message))
    return problems


def _strings(value, path: str):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def text_problems(value) -> list[Problem]:
    """Strings (anywhere in a dumped model) the database could not store: NUL, lone surrogates."""
    problems = []
    for path, text in _strings(value, ""):
        if "\x00" in text:
            problems.append(Problem(path, "Text may not contain NUL characters."))
        else:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(Problem(path, "Text is not valid Unicode (lone surrogate)."))
    return problems


def _section_problems(sections: Sections, numbers: set[int]) -> list[Problem]:
    problems = []
    for i, section in enumerate(sections):
        if not section.heading.strip():
            problems.append(Problem(f"sections[{i}].heading", "A section needs a heading."))
        if not section.body.strip():
            problems.append(Problem(f"sections[{i}].body", "A section may not be empty."))
        dangling = sorted({n for n in cited_numbers(section.body) if n not in numbers})
        if dangling:
            listed = ", ".join(f"[{n}]" for n in dangling)
            problems.append(Problem(f"sections[{i}].body", f"Citation marker {listed} points at no citation."))
    return problems


def _citation_problems(citations: Citations) -> list[Problem]:
    problems = []
    n = len(citations)
    seen: set[int] = set()
    this_year = clock.today().year
    for i, citation in enumerate(citations):
        at = f"citations[{i}]"
        if citation.number in seen:
            problems.append(Problem(f"{at}.number", f"Citation number {citation.number} is used twice."))
        elif citation.number > n:
            problems.append(Problem(f"{at}.number", f"Citation numbers must run from 1 to {n}; got {citation.number}."))
        seen.add(citation.number)
        if not citation.title.strip():
            problems.append(Problem(f"{at}.title", "A citation needs a title."))
        if citation.doi and not DOI_RE.match(citation.doi):
            problems.append(Problem(f"{at}.doi", "Not a DOI (expected 10.<registrant>/<suffix>)."))
        if citation.pmid and not PMID_RE.match(citation.pmid):
            problems.append(Problem(f"{at}.pmid", "Not a PMID (expected up to 9 digits, no leading zero)."))
        if citation.year is not None and citation.year > this_year:
            problems.append(Problem(f"{at}.year", f"{citation.year} is in the future."))
        if citation.url and not valid_url(citation.url):
            problems.append(Problem(f"{at}.url", "Not an http(s) URL."))
    return problems


def valid_url(value: str) -> bool:
    try:
        _url_validator(value)
    except DjangoValidationError:
        return False
    return True


def content_problems(sections: Sections, citations: Citations) -> list[Problem]:
    """The rules a schema cannot express for sections and citations (empty: they are valid).

    Expects text the database can store (`text_problems` first)."""
    numbers = {c.number for c in citations}
    return _section_problems(sections, numbers) + _citation_problems(citations)


def parse_content(data) -> ContentIn:
    """{"sections": [...], "citations": [...]} -> ContentIn, checked by every rule of a draft's
    content; or Invalid naming every bad field."""
    if not isinstance(data, dict):
        raise Invalid([Problem("body", "Content is a JSON object.")], detail=CONTENT_INVALID)
    try:
        content = ContentIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise Invalid(problems_from_pydantic(exc.errors()), detail=CONTENT_INVALID) from None
    problems = text_problems(content.model_dump()) or content_problems(content.sections, content.citations)
    if problems:
        raise Invalid(problems, detail=CONTENT_INVALID)
    return content
