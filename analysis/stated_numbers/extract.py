"""From text to `Figure` records: the candidates, their meanings, and which are worth reporting."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.records import Figure, Sentence
from analysis.stated_numbers.candidates import find_candidates
from analysis.stated_numbers.meanings import meanings_of


def figures_in_text(text: str, position: int | None = None) -> list[Figure]:
    """The figures stated in one sentence (or title), in text order."""
    if not text or not text.strip():
        return []
    cands = find_candidates(text)
    figures = []
    for c, meaning in zip(cands, meanings_of(text, cands), strict=True):
        if c.kind == "number" and meaning is None and c.value is not None and abs(c.value) < 10_000:
            continue  # a bare small number with no stated meaning is not worth reporting
        figures.append(
            Figure(
                kind=c.kind,  # type: ignore[arg-type]
                text=text[c.start : c.end].strip(),
                value=None if c.value is None else round(c.value, 10),
                unit=c.unit,
                context=text,
                position=position,
                meaning=meaning,
                value_high=None if c.value_high is None else round(c.value_high, 10),
            )
        )
    return figures


def extract_figures(sentences: Sequence[Sentence], title: str | None = None) -> list[Figure]:
    """Every figure the title and the sentences state: title first, then in sentence order."""
    figures = figures_in_text(title, None) if title else []
    for s in sentences:
        figures.extend(figures_in_text(s.text, s.position))
    return figures
