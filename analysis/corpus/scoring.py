"""Batch scoring of posts: one pandas DataFrame in, the same rows out with `lang, score, label`.

`score_frame` is the per-partition function: it is pure and only touches its own chunk, so it runs
unchanged as `dask.dataframe.map_partitions(score_frame, ...)` or inside a Spark pandas UDF.
Language is decided per text by `detect_langs`, the vectorised twin of `analysis.text.lang.detect_lang`
(same rule and character classes; tests check they agree). Labels come from the model's neutral
band (or the user's), the same band articles use.

A text made only of Weibo emoticon codes (`[哈哈]`, a repost whose own words are `[话筒]`) gets
`lang` "emoticon" and is scored by the emoticon table of corpus/clean.py, before and apart from
the language models, so the fast and the accurate tier (and the baselines) label it alike; with no
known code it is unscored, like text in neither language.

With `emotions=True` a column `emotion` is added too: one of analysis.records.EMOTIONS per post,
read by the fast emotion tier (`EmotionReader("fast").labels`) with the language detected here
(so nothing is detected twice), or None when unread (no content, neither language, emoticon codes
only). The model loads lazily, once per process (`get_emotion_model`), so this also runs unchanged
in Dask workers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.corpus.clean import EMOTICON_MODEL, emoticon_labels, emoticon_polarities, emoticon_scores
from analysis.records import EMOTIONS, Evidence
from analysis.sentiment import Scorer, SentimentError, Thresholds, Workload
from analysis.text.scripts import HAN_RANGES

PROGRESS_BATCH = 64  # texts per progress report when the (slow) accurate tier scores

SCORE_COLUMNS: tuple[str, ...] = ("lang", "score", "label")
EMOTION_COLUMN = "emotion"  # added by `score_frame(..., emotions=True)`
EMOTICON_LANG = "emoticon"  # the `lang` of a text made only of emoticon codes


# The character classes of analysis.text.lang, as code-point ranges.
_OTHER_RANGES = (
    (0x3040, 0x30FF), (0xAC00, 0xD7AF), (0x0400, 0x04FF), (0x0600, 0x06FF),
    (0x0370, 0x03FF), (0x0E00, 0x0E7F), (0x0900, 0x097F),
)  # fmt: skip
_ACCENTED_RANGES = ((0xE0, 0xF6), (0xF8, 0xFF), (0x100, 0x17E))
_LATIN_RANGES = ((0x41, 0x5A), (0x61, 0x7A))


def _class_table() -> np.ndarray:
    """Bit flags per BMP code point: 1 Han, 2 other script, 4 accented Latin, 8 ASCII letter."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for bit, ranges in ((1, HAN_RANGES), (2, _OTHER_RANGES), (4, _ACCENTED_RANGES), (8, _LATIN_RANGES)):
        for lo, hi in ranges:
            table[lo : hi + 1] |= bit
    return table


_CLASS_TABLE = _class_table()


def char_class_counts(texts: list[str]) -> dict[str, np.ndarray]:
    """Per text: Han characters, other-script characters, accented letters and English-like words
    (maximal runs of 2+ ASCII letters, as `re.findall("[A-Za-z]{2,}")` counts them).

    All texts are laid end to end as UTF-32 code points, each followed by one NUL (so no run
    crosses a boundary and no segment is empty), classified by one table look-up and summed per
    text with `np.add.reduceat`: no per-text Python regex."""
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return {"han": empty, "other": empty, "accented": empty, "words": empty}
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cp = np.frombuffer(("\0".join(texts) + "\0").encode("utf-32-le"), dtype=np.uint32)
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] + 1)])
    flags = _CLASS_TABLE[np.minimum(cp, 0xFFFF)]  # astral planes (emoji...) are in no class

    def per_text(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask, starts, dtype=np.int64)

    letters = (flags & 8).astype(bool)
    word_starts = letters.copy()
    word_starts[1:] &= ~letters[:-1]  # a run starts here...
    word_starts[:-1] &= letters[1:]  # ...and is at least two letters long
    word_starts[-1] = False
    return {
        "han": per_text(flags & 1),
        "other": per_text((flags & 2) >> 1),
        "accented": per_text((flags & 4) >> 2),
        "words": per_text(word_starts.view(np.uint8)),
    }


def detect_langs(texts: pd.Series) -> pd.Series:
    """`zh` / `en` / `other` per text, by the rule of `analysis.text.lang.detect_lang`: one Han character
    weighs as much as one English word; other scripts win only when they outnumber both."""
    s = pd.Series(texts)
    values = [
        "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v) for v in s.tolist()
    ]
    counts = char_class_counts(values)
    han, words, other, accented = counts["han"], counts["words"], counts["other"], counts["accented"]
    out = np.full(len(values), "en", dtype=object)
    zh = (han >= words) | ((han >= 4) & (han >= words * 0.5))
    out[zh] = "zh"
    out[~zh & (accented > np.maximum(2, words // 4))] = "other"
    out[(han == 0) & (words == 0)] = "other"
    out[(other > han) & (other > words)] = "other"
    return pd.Series(out, index=s.index, dtype=object)


def emoticon_evidence(text: str) -> list[Evidence]:
    """The evidence of a text scored by the emoticon table: its known codes with their polarity."""
    return [Evidence(code, float(polarity)) for code, polarity in emoticon_polarities(text)]


def keep_input_columns(df: pd.DataFrame, added: tuple[str, ...] = SCORE_COLUMNS) -> pd.DataFrame:
    """A copy of `df` in which columns that scoring is about to add (a gold `label`, an earlier
    run's `score`) are renamed `<name>_input`, so the output never silently replaces user data."""
    clashes = {c: f"{c}_input" for c in added if c in df.columns}
    return df.rename(columns=clashes) if clashes else df.copy()


def score_frame(
    df: pd.DataFrame,
    text_column: str = "text",
    model: str = "default",
    band: Thresholds | None = None,
    lang: str = "auto",
    workload: Workload = "corpus",
    progress: Callable[[int], None] | None = None,
    emotions: bool = False,
) -> pd.DataFrame:
    """Return `df` with columns `lang` (zh/en/other/emoticon), `score` (float in [-1, 1], NaN when
    unscored) and `label` (positive/neutral/negative, NA when unscored) added; input columns of
    those names are kept as `<name>_input`.

    Text in neither language, and empty text, stays unscored rather than guessed. A text of emoticon
    codes only is labelled by the emoticon table (its codes' mean polarity as score), whatever the
    model and band; unscored when none of its codes is known. `workload`
    resolves the `default` model (a corpus gets the fast tier, the `score` command the accurate
    one); `progress` is called with the number of texts just scored, per batch. `emotions` adds
    the column `emotion` (module docstring; an input column of that name is kept as
    `emotion_input`)."""
    if text_column not in df.columns:
        raise KeyError(f"no column {text_column!r}")
    if lang not in ("auto", "zh", "en"):
        raise SentimentError(f"unknown language {lang!r}; use auto, zh or en")
    scorer = Scorer(model, band, workload=workload)
    texts = df[text_column].astype("string").fillna("")
    nonempty = (texts.str.strip() != "").to_numpy(dtype=bool)
    if lang == "auto":
        langs = detect_langs(texts).to_numpy(dtype=object, copy=True)
    else:
        langs = np.full(len(df), lang, dtype=object)
    langs[~nonempty] = "other"
    emoticon_only, emoticon_score = emoticon_scores(texts.tolist())
    langs[emoticon_only] = EMOTICON_LANG  # never reaches a language model
    scores = np.full(len(df), np.nan, dtype=float)
    labels = np.full(len(df), None, dtype=object)
    scores[emoticon_only] = emoticon_score[emoticon_only]
    labels[emoticon_only] = emoticon_labels(emoticon_score[emoticon_only])
    felt = np.full(len(df), None, dtype=object)  # emotion labels (with `emotions`)
    read = np.zeros(len(df), dtype=bool)  # rows whose emotion is already read
    for code in ("zh", "en"):
        rows = np.flatnonzero(langs == code)
        if not len(rows):
            continue
        m = scorer.model_for(code)
        if m is None:
            continue
        batch = texts.iloc[rows].tolist()
        if emotions and (fused := _fused_zh(code, m, batch)) is not None:
            s, felt[rows] = fused  # one feature pass for sentiment and emotion
            read[rows] = True
            if progress is not None:
                progress(len(batch))
        else:
            step = PROGRESS_BATCH if progress is not None and scorer.is_accurate else max(len(batch), 1)
            parts = []
            for start in range(0, len(batch), step):
                parts.append(np.asarray(m.score(batch[start : start + step]), dtype=float))
                if progress is not None:
                    progress(len(parts[-1]))
            s = np.concatenate(parts)
        s = np.clip(s, -1.0, 1.0)
        scores[rows] = s
        labels[rows] = (scorer.band or m.thresholds).labels(s)
    labels[labels == ""] = None
    if progress is not None:  # rows in neither language count as done too
        progress(int(len(df) - np.count_nonzero(np.isin(langs, ("zh", "en")))))
    out = keep_input_columns(df, _added(emotions))
    out["lang"] = pd.Series(langs, index=df.index, dtype=object)
    out["score"] = pd.Series(np.round(scores, 4), index=df.index)
    out["label"] = pd.Series(labels, index=df.index, dtype=object)
    if emotions:
        rest = np.flatnonzero(np.isin(langs, ("zh", "en")) & ~read)
        felt[rest] = emotion_labels([texts.iat[i] for i in rest], langs[rest])
        out[EMOTION_COLUMN] = pd.Series(felt, index=df.index, dtype=object)
    return out


def emotion_labels(texts: list[str], langs: np.ndarray) -> np.ndarray:
    """The fast tier's emotion label of each text (None for a text in neither zh nor en, or
    without content): `EmotionReader("fast").labels`, as an object array."""
    from analysis.emotion import EmotionReader  # lazy: the emotion package is only needed here

    out = np.full(len(texts), None, dtype=object)
    if texts:
        out[:] = EmotionReader("fast").labels(texts, [str(x) for x in langs])
    return out


def _fused_zh(code: str, model: object, batch: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """Sentiment scores and emotion labels of Chinese texts from one feature pass, when both are
    the fast hashed models (HashedEmotionModel.logits_with): the same scores as `model.score` and
    the same labels as `EmotionReader("fast").labels` (tests check both), in about half the time
    of two passes. None when the models are of other kinds (the accurate tier, the baselines)."""
    from analysis.emotion.models import HashedEmotionModel, get_emotion_model
    from analysis.sentiment.default_models import HashedLinearModel, blank_mask

    if code != "zh" or type(model) is not HashedLinearModel:
        return None
    feel = get_emotion_model("zh", "fast")
    if not isinstance(feel, HashedEmotionModel):
        return None
    logits, (linear,) = feel.logits_with(batch, (model.weights,))
    blank = blank_mask(batch)  # once for both
    scores = model.score_from_logits(batch, linear + model.bias, blank)
    probs = feel.probabilities_from_logits(batch, logits, blank)
    labels = np.full(len(batch), None, dtype=object)
    has = probs.any(axis=1)  # as EmotionReader.labels: the argmax of the decision values
    labels[has] = np.asarray(EMOTIONS, dtype=object)[np.argmax(feel.calibration.decide(probs[has]), axis=1)]
    return scores, labels


def _added(emotions: bool) -> tuple[str, ...]:
    return (*SCORE_COLUMNS, EMOTION_COLUMN) if emotions else SCORE_COLUMNS


def score_meta(df: pd.DataFrame, emotions: bool = False) -> pd.DataFrame:
    """The empty frame describing `score_frame`'s output (Dask's `meta=`)."""
    meta = keep_input_columns(df.iloc[:0], _added(emotions))
    meta["lang"] = pd.Series([], dtype=object)
    meta["score"] = pd.Series([], dtype=float)
    meta["label"] = pd.Series([], dtype=object)
    if emotions:
        meta[EMOTION_COLUMN] = pd.Series([], dtype=object)
    return meta


def model_components(model: str = "default", workload: Workload = "corpus") -> dict[str, str]:
    """lang → `name@version` of the model that scores it (loads the models); `emoticon` → the
    emoticon table's stamp."""
    scorer = Scorer(model, workload=workload)
    out = {EMOTICON_LANG: EMOTICON_MODEL}
    for code in ("zh", "en"):
        m = scorer.model_for(code)
        if m is not None:
            out[code] = f"{m.name}@{m.version}"
    return out
