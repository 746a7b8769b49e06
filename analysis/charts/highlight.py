"""Evidence in a sentence as safe HTML: the article's text escaped, each evidence term marked in
the colour of its weight's sign (Viewpoints)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from analysis.format import (
    EVIDENCE_MARK_FILLS,
)
from analysis.records import Evidence


def highlight_evidence(text: str, evidence: Iterable[Evidence]) -> str:
    """The sentence as safe HTML: every character of `text` escaped, each evidence term wrapped in
    <mark> coloured by the sign of its weight. Terms are found in the *raw* text (case-insensitive)
    and each segment is escaped on its own, so a term containing `&` or `<` still matches and no
    markup from the article can get through."""
    spans: list[tuple[int, int, float]] = []
    terms = sorted(
        {e.term: e.weight for e in evidence if e.term and e.term.strip()}.items(), key=lambda x: -len(x[0])
    )
    taken = [False] * len(text)
    for term, weight in terms:
        ascii_word = term.isascii() and term[:1].isalnum()
        pattern = re.escape(term)
        if ascii_word:  # whole words only for English, so "bad" does not mark "badge"
            pattern = r"(?<![A-Za-z0-9])" + pattern + r"(?![A-Za-z0-9])"
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            spans.append((m.start(), m.end(), weight))
    spans.sort()
    out: list[str] = []
    cursor = 0
    for start, end, weight in spans:
        out.append(html.escape(text[cursor:start]))
        sign = "positive" if weight > 0 else "negative" if weight < 0 else "neutral"
        out.append(
            f'<mark style="background:{EVIDENCE_MARK_FILLS[sign]};padding:0 2px;border-radius:3px" '
            f'title="{weight:+.2f}">{html.escape(text[start:end])}</mark>'
        )
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)
