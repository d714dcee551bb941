"""Citation markers in drafted text: `[1]`, `[2, 3]`, `[4-6]`.

The renderer turns them into links; the drafting API refuses markers that
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
