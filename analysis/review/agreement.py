"""The model measured on the analysts' own corrections: accuracy with its 95% interval, macro-F1
and the confusion matrix, overall, per language and per source. The same measures serve both
fields a review corrects: the sentiment label (over LABELS) and the emotion (over EMOTIONS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from analysis.metrics import wilson_interval
from analysis.records import EMOTIONS, LABELS

if TYPE_CHECKING:
    from analysis.library import Library
from analysis.review.trail import ReviewEntry, list_reviews, overrides


@dataclass(frozen=True)
class ReviewedPair:
    model_label: str
    label: str
    lang: str
    source: str


def reviewed_pairs(library: Library, field: str = "sentiment") -> list[ReviewedPair]:
    """Every reviewed article sentence of the library with the model's label at review time, its
    language and the article's source (latest review per text and article; resets left out).
    `field` "emotion": the analysts' emotions against the emotion model's."""
    by_item: dict[tuple[str, int], list[ReviewEntry]] = defaultdict(list)
    for e in list_reviews(library):
        by_item[(e.item_kind, e.item_id)].append(e)
    sources = {i: s or "—" for i, s in library.article_sources().items()}
    pairs = []
    for (kind, item_id), entries in sorted(by_item.items()):
        for e in overrides(entries, field).values():
            if e.model_label is None or e.label is None:
                continue
            pairs.append(
                ReviewedPair(
                    e.model_label,
                    e.label,
                    _lang_of(e.model),
                    sources.get(item_id, "—") if kind == "article" else f"corpus #{item_id}",
                )
            )
    return pairs


_BASELINE_LANG = {"snownlp": "zh", "vader": "en"}


def _lang_of(model: str) -> str:
    """The language of a single-language model: zh-accurate, en-default, snownlp (zh), vader (en)."""
    prefix = model.split("-", 1)[0]
    return prefix if prefix in ("zh", "en") else _BASELINE_LANG.get(model, "other")


@dataclass(frozen=True)
class Agreement:
    """The model against the analyst: accuracy with its 95% interval, macro-F1 and the confusion."""

    n: int
    accuracy: float | None
    accuracy_interval: tuple[float, float] | None
    macro_f1: float | None
    confusion: dict[str, dict[str, int]]  # reviewed label -> model label -> count


FIELD_LABELS: dict[str, tuple[str, ...]] = {"sentiment": LABELS, "emotion": EMOTIONS}


def agreement(pairs: Sequence[ReviewedPair], labels: Sequence[str] = LABELS) -> Agreement:
    """The model against the analysts over `labels` (LABELS; EMOTIONS for emotions): pairs with
    another label are left out. Macro-F1 averages the labels present on either side."""
    confusion: dict[str, dict[str, int]] = {a: dict.fromkeys(labels, 0) for a in labels}
    for p in pairs:
        if p.label in confusion and p.model_label in confusion[p.label]:
            confusion[p.label][p.model_label] += 1
    n = sum(sum(row.values()) for row in confusion.values())
    if n == 0:
        return Agreement(0, None, None, None, confusion)
    correct = sum(confusion[a][a] for a in labels)
    f1s = []
    for a in labels:
        tp = confusion[a][a]
        predicted = sum(confusion[b][a] for b in labels)
        actual = sum(confusion[a].values())
        if actual == 0 and predicted == 0:
            continue  # a class absent from both sides does not count (macro over present classes)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall))
    macro = sum(f1s) / len(f1s) if f1s else None
    return Agreement(n, correct / n, wilson_interval(correct, n), macro, confusion)


def agreement_by(
    pairs: Sequence[ReviewedPair], key: Literal["lang", "source"], labels: Sequence[str] = LABELS
) -> dict[str, Agreement]:
    groups: dict[str, list[ReviewedPair]] = defaultdict(list)
    for p in pairs:
        groups[getattr(p, key)].append(p)
    return {k: agreement(v, labels) for k, v in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def agreement_table(by: Mapping[str, Agreement]) -> list[dict[str, Any]]:
    """One row per group of `agreement_by`: group, n, accuracy, its 95% interval (low, high) and
    macro-F1 (None where there is nothing to measure), for a table on screen."""
    rows = []
    for group, a in by.items():
        lo, hi = a.accuracy_interval or (None, None)
        rows.append(
            {
                "group": group,
                "n": a.n,
                "accuracy": a.accuracy,
                "interval_low": lo,
                "interval_high": hi,
                "macro_f1": a.macro_f1,
            }
        )
    return rows
