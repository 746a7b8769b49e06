"""Citations: the marks `[1][3]`, `[1,3]`, `［1］`, `[1-3]` and the numbers they cite."""

from __future__ import annotations

import re

_CITATION = re.compile(
    r"[ \t]*[\[［【]\^?[ \t]*(\d{1,4}(?:[ \t]*[,，、\-–~～][ \t]*\d{1,4}){0,20})[ \t]*[\]］】]"
)
_MAX_CITATION = 999
_MAX_RANGE = 50  # [1-1000] is not a citation range anyone means; cap the expansion


def _citation_numbers(inner: str) -> list[int]:
    numbers: list[int] = []
    for part in re.split(r"[ \t]*[,，、][ \t]*", inner):
        bounds = re.split(r"[ \t]*[\-–~～][ \t]*", part)
        if len(bounds) == 2:
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo <= hi and hi - lo < _MAX_RANGE:
                numbers.extend(range(lo, hi + 1))
            else:
                numbers.extend((lo, hi))
        else:
            numbers.extend(int(b) for b in bounds if b)
    return numbers


def extract_citations(text: str) -> tuple[str, tuple[int, ...]]:
    """Remove citation marks from `text`; return the cleaned text and the cited numbers in order."""
    cited: list[int] = []

    def drop(m: re.Match[str]) -> str:
        numbers = _citation_numbers(m.group(1))
        if not numbers or any(n < 1 or n > _MAX_CITATION for n in numbers):
            return m.group(0)  # [2025] or [0]: not a citation
        cited.extend(numbers)
        return ""

    cleaned = _CITATION.sub(drop, text)
    return cleaned, tuple(dict.fromkeys(cited))
