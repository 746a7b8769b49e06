"""Counts, shares and the two net-emotional-value formulas (ARCHITECTURE.md, Contracts)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from analysis.records import LABELS, Label, SentimentSummary

NEV_FORMULA = "nev = (P - N) / (P + U + N)"
NEV_POLAR_FORMULA = "nev_polar = (P - N) / (P + N)"
# Labels as small integers for vectorised counting (posts, entity mentions); unscored is its own code.
LABEL_CODES: dict[Label, int] = {label: code for code, label in enumerate(LABELS)}
UNSCORED_CODE = len(LABELS)


def summarize_counts(positive: int, neutral: int, negative: int, unscored: int = 0) -> SentimentSummary:
    """Build a summary from counts. `nev_polar` is None when P + N = 0; `nev` is None when n = 0."""
    if min(positive, neutral, negative, unscored) < 0:
        raise ValueError("counts must be non-negative")
    n = positive + neutral + negative
    nev = (positive - negative) / n if n else None
    polar = positive + negative
    nev_polar = (positive - negative) / polar if polar else None
    return SentimentSummary(
        n=n,
        positive=positive,
        neutral=neutral,
        negative=negative,
        nev=nev,
        nev_polar=nev_polar,
        unscored=unscored,
    )


def summarize_labels(labels: Iterable[str | None]) -> SentimentSummary:
    """Summarise a stream of labels; None (unscored) is counted apart and left out of n."""
    counts = {"positive": 0, "neutral": 0, "negative": 0, None: 0}
    for label in labels:
        if label not in counts:
            raise ValueError(f"unknown label {label!r}")
        counts[label] += 1
    return summarize_counts(counts["positive"], counts["neutral"], counts["negative"], counts[None])


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson score interval of a share, for the small-sample warning; None when n = 0."""
    if n <= 0:
        return None
    p = successes / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denom
    return max(0.0, center - half), min(1.0, center + half)


SMALL_SAMPLE = 30  # fewer scored sentences than this and the UI warns that shares are unstable


def summary_row(s: SentimentSummary) -> dict[str, Any]:
    """A summary as one table row: n, the three label counts, unscored, nev and nev_polar (exports,
    the library's timeline points, comparisons)."""
    return {
        "n": s.n,
        "positive": s.positive,
        "neutral": s.neutral,
        "negative": s.negative,
        "unscored": s.unscored,
        "nev": s.nev,
        "nev_polar": s.nev_polar,
    }


def headline_measures(s: SentimentSummary) -> dict[str, float | None]:
    """The measures an article may state about itself, computed on its text (the keys of
    `analysis.stated_numbers.stated_sentiment`): the three shares, nev and nev_polar."""
    return {
        "negative_share": s.share("negative"),
        "positive_share": s.share("positive"),
        "neutral_share": s.share("neutral"),
        "nev": s.nev,
        "nev_polar": s.nev_polar,
    }
