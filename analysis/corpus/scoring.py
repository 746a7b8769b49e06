"""Batch scoring of posts: one pandas DataFrame in, the same rows out with `lang, score, label`.

`score_frame` is the per-partition function: it is pure and only touches its own chunk, so it runs
unchanged as `dask.dataframe.map_partitions(score_frame, ...)` or inside a Spark pandas UDF.
Language is decided per text by `detect_langs`, the vectorised twin of `analysis.lang.detect_lang`
(same rule and character classes; tests check they agree). Labels come from the model's neutral
band (or the user's), the same band articles use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.sentiment import Scorer, SentimentError, Thresholds

# Literal characters (not \u escapes) so pandas' Arrow regex engine reads the same classes as re.
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_OTHER = "[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff\u0600-\u06ff\u0370-\u03ff\u0e00-\u0e7f\u0900-\u097f]"
_LATIN_WORD = "[A-Za-z]{2,}"
_ACCENTED = "[à-öø-ÿĀ-ž]"

SCORE_COLUMNS: tuple[str, ...] = ("lang", "score", "label")


def detect_langs(texts: pd.Series) -> pd.Series:
    """`zh` / `en` / `other` per text, by the rule of `analysis.lang.detect_lang`: one Han character
    weighs as much as one English word; other scripts win only when they outnumber both."""
    s = pd.Series(texts).astype("string").fillna("")
    han = s.str.count(_HAN).to_numpy(dtype=np.int64)
    words = s.str.count(_LATIN_WORD).to_numpy(dtype=np.int64)
    other = np.zeros(len(s), dtype=np.int64)
    has_other = s.str.contains(_OTHER, regex=True).to_numpy(dtype=bool)  # rare: count only those
    if has_other.any():
        other[has_other] = s[has_other].str.count(_OTHER).to_numpy(dtype=np.int64)
    out = np.full(len(s), "en", dtype=object)
    zh = (han >= words) | ((han >= 4) & (han >= words * 0.5))
    out[zh] = "zh"
    en_rows = np.flatnonzero(~zh)
    if len(en_rows):
        accented = s.iloc[en_rows].str.count(_ACCENTED).to_numpy(dtype=np.int64)
        out[en_rows[accented > np.maximum(2, words[en_rows] // 4)]] = "other"
    out[(han == 0) & (words == 0)] = "other"
    out[(other > han) & (other > words)] = "other"
    return pd.Series(out, index=s.index, dtype=object)


def score_frame(
    df: pd.DataFrame,
    text_column: str = "text",
    model: str = "default",
    band: Thresholds | None = None,
    lang: str = "auto",
) -> pd.DataFrame:
    """Return `df` with columns `lang` (zh/en/other), `score` (float in [-1, 1], NaN when
    unscored) and `label` (positive/neutral/negative, NA when unscored) added.

    Text in neither language, and empty text, stays unscored rather than guessed."""
    if text_column not in df.columns:
        raise KeyError(f"no column {text_column!r}")
    if lang not in ("auto", "zh", "en"):
        raise SentimentError(f"unknown language {lang!r}; use auto, zh or en")
    scorer = Scorer(model, band)
    texts = df[text_column].astype("string").fillna("")
    nonempty = (texts.str.strip() != "").to_numpy(dtype=bool)
    if lang == "auto":
        langs = detect_langs(texts).to_numpy(dtype=object, copy=True)
    else:
        langs = np.full(len(df), lang, dtype=object)
    langs[~nonempty] = "other"
    scores = np.full(len(df), np.nan, dtype=float)
    labels = np.full(len(df), None, dtype=object)
    for code in ("zh", "en"):
        rows = np.flatnonzero(langs == code)
        if not len(rows):
            continue
        m = scorer.model_for(code)
        if m is None:
            continue
        batch = texts.iloc[rows].tolist()
        s = np.clip(np.asarray(m.score(batch), dtype=float), -1.0, 1.0)
        scores[rows] = s
        labels[rows] = scorer.thresholds_for(code).labels(s)
    labels[labels == ""] = None
    out = df.copy()
    out["lang"] = pd.Series(langs, index=df.index, dtype=object)
    out["score"] = pd.Series(np.round(scores, 4), index=df.index)
    out["label"] = pd.Series(labels, index=df.index, dtype=object)
    return out


def score_meta(df: pd.DataFrame) -> pd.DataFrame:
    """The empty frame describing `score_frame`'s output (Dask's `meta=`)."""
    meta = df.iloc[:0].copy()
    meta["lang"] = pd.Series([], dtype=object)
    meta["score"] = pd.Series([], dtype=float)
    meta["label"] = pd.Series([], dtype=object)
    return meta


def model_components(model: str = "default") -> dict[str, str]:
    """lang → `name@version` of the model that scores it (loads the models)."""
    scorer = Scorer(model)
    out = {}
    for code in ("zh", "en"):
        m = scorer.model_for(code)
        if m is not None:
            out[code] = f"{m.name}@{m.version}"
    return out
