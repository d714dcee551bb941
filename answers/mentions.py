"""Whether a text mentions a name (a declared interest's company or drug): one rule, two engines.

A name is mentioned when it appears case-insensitively on word boundaries: the
characters either side are not letters a-z, digits or "_" (or the text starts
or ends there), and any run of spaces in the name matches any run of spaces in
the text. "Pfizer" is mentioned in "Pfizer's trial" and "(PFIZER)", not in
"Pfizerville"; "insulin glargine" in "Insulin  glargine".

The rule is a regular expression (`pattern_for`) written so that Python's `re`
(per object, and SQLite's REGEXP) and PostgreSQL's `~*` (the desk's filters,
`answers.interests`) read it the same way: no `\\b` (PostgreSQL spells it `\\y`),
ASCII classes only, every character of the name that is not a letter or digit
escaped. The pattern is stored with each declaration (`DeclaredInterest.pattern`).
"""

import re

_EDGE = "[^0-9a-z_]"


def pattern_for(name: str) -> str:
    """The regular expression (case-insensitive) that finds `name` on word boundaries."""
    parts = []
    for word in name.split():
        parts.append("".join(ch if ch.isalnum() else f"\\{ch}" for ch in word))
    words = r"\s+".join(parts)
    return f"(^|{_EDGE}){words}({_EDGE}|$)"


def mentions(pattern: str, text: str) -> bool:
    return bool(text) and re.search(pattern, text, re.IGNORECASE) is not None


def normalise_name(name: str) -> str:
    """A declared name as stored: its spaces collapsed."""
    return " ".join((name or "").split())
