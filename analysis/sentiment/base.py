"""The sentiment interface every model implements, and the neutral band that labels its scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from analysis.errors import OpinionLensError
from analysis.records import Evidence, Label, Lang


class SentimentError(OpinionLensError):
    """An unknown model name or a model that cannot be used here."""

    default_code = "sentiment"


@dataclass(frozen=True)
class Thresholds:
    """The neutral band: score <= negative_below → negative, score >= positive_above → positive."""

    negative_below: float
    positive_above: float

    def __post_init__(self) -> None:
        if not (-1.0 <= self.negative_below <= self.positive_above <= 1.0):
            raise SentimentError(
                f"invalid neutral band [{self.negative_below}, {self.positive_above}]: "
                "need -1 <= negative_below <= positive_above <= 1"
            )

    def label(self, score: float) -> Label:
        if score <= self.negative_below:
            return "negative"
        if score >= self.positive_above:
            return "positive"
        return "neutral"

    def labels(self, scores: np.ndarray) -> np.ndarray:
        """Vectorised `label` (NaN → empty string, i.e. unscored)."""
        out = np.full(scores.shape, "neutral", dtype=object)
        out[scores <= self.negative_below] = "negative"
        out[scores >= self.positive_above] = "positive"
        out[np.isnan(scores)] = ""
        return out

    def as_dict(self) -> dict[str, float]:
        return {"negative_below": self.negative_below, "positive_above": self.positive_above}


class SentimentModel(Protocol):
    """One language's scorer. `score` must accept empty strings (returning 0.0) and be vectorised."""

    name: str
    version: str
    lang: Lang
    thresholds: Thresholds  # the calibrated default band for this model's scores

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [-1, 1], one per text."""
        ...

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """The few terms that moved the score most, with signed weights."""
        ...


@dataclass(frozen=True)
class ScoredText:
    lang: Lang
    score: float | None
    label: Label | None
    evidence: tuple[Evidence, ...] = ()
    uncertain: tuple[str, ...] = ()  # why a human should look: "tiers disagree", "band edge"
