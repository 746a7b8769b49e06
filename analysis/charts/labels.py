"""Text on a chart: cut to fit and escaped (Plotly interprets a few HTML tags in labels and hover
texts, and titles, terms and names come from the article), and made distinct where Plotly would
merge equal category labels."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence


def short_label(text: str, limit: int = 80) -> str:
    # Hover labels interpret a few tags, so escape the article's text before Plotly sees it.
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return html.escape(text)


def unique_labels(names: Sequence[str]) -> list[str]:
    """Category labels made distinct (Plotly merges equal labels into one bar or row)."""
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name} [{seen[name]}]")
    return out
