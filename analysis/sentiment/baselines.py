"""The classic baselines, kept selectable by name for comparison: SnowNLP (Chinese) and VADER
(English). Both import their library only when constructed: SnowNLP alone costs ~400 MB."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from analysis.records import Evidence

from .base import Thresholds

# SnowNLP's P(positive) → 2p − 1; the customary 0.4/0.6 cut-offs on p become ±0.2.
SNOWNLP_BAND = Thresholds(-0.2, 0.2)
# VADER's own documented cut-offs on the compound score.
VADER_BAND = Thresholds(-0.05, 0.05)


class SnowNLPModel:
    name = "snownlp"
    lang = "zh"
    thresholds = SNOWNLP_BAND

    def __init__(self) -> None:
        import snownlp
        from snownlp import sentiment

        self.version = getattr(snownlp, "__version__", "0.12.3")
        self._sentiment = sentiment.classifier

    def _one(self, text: str) -> float:
        if not text or not text.strip():
            return 0.0  # SnowNLP raises ZeroDivisionError on empty input; empty is neutral
        try:
            p = self._sentiment.classify(text)
        except ZeroDivisionError:
            return 0.0
        return 2.0 * p - 1.0

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self._one(t) for t in texts], dtype=float)

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """Naive-Bayes log-likelihood ratio of each word: what SnowNLP itself adds per word."""
        if not text or not text.strip():
            return ()
        words = self._sentiment.handle(text)
        d = self._sentiment.classifier.d
        if "pos" not in d or "neg" not in d:
            return ()
        seen: dict[str, float] = {}
        for w in words:
            if w in seen or not w.strip():
                continue
            seen[w] = math.log(d["pos"].freq(w)) - math.log(d["neg"].freq(w))
        ranked = sorted(seen.items(), key=lambda kv: -abs(kv[1]))[:top]
        return tuple(Evidence(w, round(v, 4)) for w, v in ranked if abs(v) > 0.3)


_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


class VaderModel:
    name = "vader"
    lang = "en"
    thresholds = VADER_BAND

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.version = "3.3.2"
        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, texts: Sequence[str]) -> np.ndarray:
        return np.array(
            [self._analyzer.polarity_scores(t)["compound"] if t and t.strip() else 0.0 for t in texts],
            dtype=float,
        )

    def explain(self, text: str, top: int = 5) -> tuple[Evidence, ...]:
        """VADER lexicon valences of the words present (normalised to [-1, 1] by VADER's ±4)."""
        lexicon = self._analyzer.lexicon
        seen: dict[str, float] = {}
        for w in _WORD.findall(text or ""):
            v = lexicon.get(w.lower())
            if v is not None and w.lower() not in seen:
                seen[w] = v / 4.0
        ranked = sorted(seen.items(), key=lambda kv: -abs(kv[1]))[:top]
        return tuple(Evidence(w, round(v, 4)) for w, v in ranked)


def register(register_model: Callable[[str, Callable[[], SnowNLPModel | VaderModel]], None]) -> None:
    """Plugin hook called by analysis.sentiment.registry."""
    register_model("snownlp", SnowNLPModel)
    register_model("vader", VaderModel)
