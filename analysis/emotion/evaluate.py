"""Emotion metrics: per-class precision, recall and F1, macro-F1 and the confusion matrix.

Predictions are never masked: a model that says "disgust" on a set without disgust is wrong there.
Macro-F1 averages over the labels the set gives (its mask), the form published results use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.emotion.labels import EMOTIONS


@dataclass(frozen=True)
class EmotionMetrics:
    n: int
    accuracy: float
    macro_f1: float  # over `labels`
    per_class: dict[str, dict[str, float]]  # label -> precision, recall, f1, support
    confusion: dict[str, dict[str, int]]  # gold -> predicted -> count (every emotion predicted)
    labels: tuple[str, ...]


def measure(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = EMOTIONS) -> EmotionMetrics:
    """Metrics of `pred` against `gold`, macro-F1 over `labels` (the set's own labels)."""
    g, p = np.asarray(gold, dtype=object), np.asarray(pred, dtype=object)
    if len(g) != len(p):
        raise ValueError(f"{len(g)} gold labels but {len(p)} predictions")
    per_class: dict[str, dict[str, float]] = {}
    for c in labels:
        tp = int(np.sum((p == c) & (g == c)))
        fp = int(np.sum((p == c) & (g != c)))
        fn = int(np.sum((p != c) & (g == c)))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        per_class[c] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    confusion = {a: {b: int(np.sum((g == a) & (p == b))) for b in EMOTIONS} for a in labels}
    return EmotionMetrics(
        n=len(g),
        accuracy=float(np.mean(g == p)) if len(g) else float("nan"),
        macro_f1=float(np.mean([m["f1"] for m in per_class.values()])) if per_class else float("nan"),
        per_class=per_class,
        confusion=confusion,
        labels=tuple(labels),
    )
