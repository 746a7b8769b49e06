"""What to review next (the queue of the least certain sentences) and what a bulk change would
do before it is confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.records import ArticleAnalysis, Sentence
from analysis.text.normalize import content_hash

if TYPE_CHECKING:
    pass
from analysis.review.trail import MAX_BULK, ReviewEntry, check_label, overrides


def edge_distance(analysis: ArticleAnalysis, s: Sentence) -> float | None:
    """How far the sentence's score is from the nearest edge of its language's neutral band
    (None when unscored or the band is unknown): the closer, the less sure the label."""
    lo = analysis.model.thresholds.get(f"{s.lang}.negative_below")
    hi = analysis.model.thresholds.get(f"{s.lang}.positive_above")
    if s.score is None or lo is None or hi is None:
        return None
    return min(abs(s.score - lo), abs(s.score - hi))


def review_queue(analysis: ArticleAnalysis, entries: Iterable[ReviewEntry]) -> list[Sentence]:
    """The scored sentences no analyst has labelled yet (a reset counts as not labelled), those
    that most need a human first: flagged uncertain (more reasons first: the fast and accurate
    tiers disagree, the score is at a band edge), then the rest; within each, the score closest to
    a band edge first, then document order. `analysis` is the model's (not a reviewed view)."""
    done = overrides(entries)

    def rank(s: Sentence) -> tuple[int, int, float, int]:
        d = edge_distance(analysis, s)
        return (0 if s.uncertain else 1, -len(s.uncertain), d if d is not None else float("inf"), s.position)

    waiting = [s for s in analysis.sentences if s.label is not None and content_hash(s.text) not in done]
    return sorted(waiting, key=rank)


@dataclass(frozen=True)
class BulkPreview:
    """What setting one label on a set of sentences would do, before it is confirmed."""

    n: int  # sentences the change touches
    changes: int  # of those, how many would show another label than now
    reviewed_before: int  # of those, how many an analyst had already labelled
    too_many: bool  # over MAX_BULK: refused

    @property
    def limit(self) -> int:
        return MAX_BULK


def bulk_preview(
    analysis: ArticleAnalysis, entries: Iterable[ReviewEntry], positions: Iterable[int], label: str
) -> BulkPreview:
    """The preview count of a bulk change: `label` on the sentences at `positions` of the model's
    `analysis`, given the item's review entries. ReviewError for an unknown label."""
    checked = check_label(label)
    current = overrides(entries)
    by_position = {s.position: s for s in analysis.sentences}
    chosen = [by_position[p] for p in dict.fromkeys(positions) if p in by_position]
    changes = reviewed = 0
    for s in chosen:
        e = current.get(content_hash(s.text))
        reviewed += e is not None
        changes += (e.label if e is not None else s.label) != checked
    return BulkPreview(len(chosen), changes, reviewed, len(chosen) > MAX_BULK)
