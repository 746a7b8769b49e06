"""Reviewed items as training data: `text,label` rows for `scripts/train_sentiment.py --extra`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.library import Library
from analysis.review.trail import list_reviews, overrides

_TRAIN_LABEL = {"positive": "pos", "neutral": "neu", "negative": "neg"}


def training_rows(library: Library) -> list[tuple[str, str]]:
    """(text, label) of every reviewed sentence and post (the latest review of each text; resets
    left out), label as the training sets write it (pos / neu / neg), for
    `scripts/train_sentiment.py --extra`."""
    return [
        (e.text, _TRAIN_LABEL[e.label])
        for e in overrides(list_reviews(library)).values()
        if e.text and e.label in _TRAIN_LABEL
    ]


def training_csv(rows: Iterable[tuple[str, str]]) -> bytes:
    """`text,label` CSV (UTF-8, no BOM) of `training_rows`, as `scripts/train_sentiment.py --extra`
    reads it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
