"""Citation markers in drafted text: `[1]`, `[2, 3]`, `[4-6]`, and the short
name a citation goes by ("Kantarjian 2016").

The renderer turns markers into links; the drafting API refuses markers that
point at no citation. Both read markers through this module.
"""

import re

MARKER_RE = re.compile(r"\[(\d+(?:\s*[-\u2013]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-\u2013]\s*\d+)?)*)\]")


def expand(group: str) -> list[int]:
    """'2, 4-6' -> [2, 4, 5, 6]."""
    numbers: list[int] = []
    for part in group.split(","):
        bounds = re.split(r"\s*[-\u2013]\s*", part.strip())
        if len(bounds) == 2:
            low, high = int(bounds[0]), int(bounds[1])
            if high < low or high - low > 50:
                numbers.extend([low, high])
            else:
                numbers.extend(range(low, high + 1))
        else:
            numbers.append(int(bounds[0]))
    return numbers


def cited_numbers(text: str) -> list[int]:
    """Every citation number the text refers to, in order of appearance."""
    found: list[int] = []
    for match in MARKER_RE.finditer(text):
        found.extend(expand(match.group(1)))
    return found


# Initials after a surname: "HM", "H.M.", "J-P"; "et al." ends an author list.
_INITIALS_RE = re.compile(r"(?:[A-Z]\.?-?){1,3}")
_ET_AL_RE = re.compile(r"\s*\bet\s+al\b\.?.*$", re.IGNORECASE)
SHORT_TITLE_MAX = 40


def first_author(authors: str) -> str:
    """The first author's surname as a reference list names it: "Kantarjian HM, DeAngelo DJ" ->
    "Kantarjian"; "Kantarjian, H. M." -> "Kantarjian"; a group ("NCCN ALL Panel") stays whole."""
    first = re.split(r"[,;]|\s+(?:and|&)\s+", _ET_AL_RE.sub("", authors or "").strip(), maxsplit=1)[0]
    words = first.split()
    if len(words) > 1 and _INITIALS_RE.fullmatch(words[-1]):
        words = words[:-1]
    return " ".join(words)[:60]


def short_reference(*, authors: str = "", year: int | None = None, title: str = "") -> str:
    """How a person names a citation in a sentence: first author and year ("Kantarjian 2016");
    without authors, the start of the title; "" when there is nothing to name it by."""
    year_text = str(year) if year else ""
    if name := first_author(authors):
        return f"{name} {year_text}".strip()
    title = " ".join((title or "").split())
    if len(title) > SHORT_TITLE_MAX:
        title = title[:SHORT_TITLE_MAX].rsplit(" ", 1)[0] + "…"
    return ", ".join(part for part in (title, year_text) if part)
