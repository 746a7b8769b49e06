"""Counts and net emotional value per period (hour / day / week), streamed chunk by chunk.

Same formulas as articles (analysis.metrics): nev = (P - N) / (P + U + N), nev_polar = (P - N) / (P + N),
where P, U, N count posts. `posts` counts every post of the period (the volume); `n` = P + U + N
is the sentiment denominator, the scored posts; `unscored` = posts - n are the posts without a
label (empty text, nothing left after cleaning, neither language, only unknown emoticon codes).
Periods are wall-clock periods in the chosen time zone; a week starts on Monday.

Engagement weighting (optional): each post weighs
    w = 1 + ln(1 + likes + 2·comments + 3·reposts)
so a post nobody reacted to still counts once, and a viral post counts more but not by orders of
magnitude (the log keeps a single post with a million likes from outweighing a day of posts).
Weighted nev = (Wp - Wn) / (Wp + Wu + Wn) with W the summed weights per label.

Emotions (optional, beside sentiment and never mixed into nev): `emotion_<e>` counts the posts of
the period whose emotion reading is e, for each of analysis.records.EMOTIONS (joy, anger, sadness,
fear, surprise, disgust, neutral), and `emotion_unread` the posts without a reading, so the eight
columns add up to `posts`. A period's share of e is emotion_<e> / (posts - emotion_unread), the
posts with a reading (`emotion_shares`). The prefix keeps them apart from the sentiment counts
(`neutral` is both a sentiment and an emotion).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.records import EMOTIONS, LABELS

FREQS: dict[str, str] = {"H": "hour", "D": "day", "W": "week"}
WEIGHT_FORMULA = "w = 1 + ln(1 + likes + 2·comments + 3·reposts)"
# The timeline CSV (CLI `timeline`, the Posts page's download): volume first, then what scored it.
TIMELINE_COLUMNS: tuple[str, ...] = (
    "period", "posts", "n", "unscored", "positive", "neutral", "negative", "nev", "nev_polar",
)  # fmt: skip
# The emotion counts (`TimelineAccumulator(emotions=True)`, CLI `timeline --emotions`), in EMOTIONS
# order, then the unread posts.
EMOTION_COLUMNS: tuple[str, ...] = (*(f"emotion_{e}" for e in EMOTIONS), "emotion_unread")
_COUNT_COLUMNS = ("positive", "neutral", "negative", "unscored")
_EMOTION_CODE = {e: i for i, e in enumerate(EMOTIONS)}  # len(EMOTIONS) = unread
_WEIGHT_COLUMNS = ("w_positive", "w_neutral", "w_negative")
_LABEL_CODE = {"positive": 0, "neutral": 1, "negative": 2}  # 3 = unscored


def check_freq(freq: str) -> str:
    f = freq.upper()
    if f not in FREQS:
        raise ValueError(f"unknown period {freq!r}; use H (hour), D (day) or W (week)")
    return f


def period_start(times: pd.Series, freq: str) -> pd.Series:
    """Start of each time's period as naive wall-clock time in the times' zone (NaT stays NaT)."""
    f = check_freq(freq)
    wall = times.dt.tz_localize(None) if getattr(times.dt, "tz", None) is not None else times
    if f == "H":
        return wall.dt.floor("h")
    day = wall.dt.normalize()
    if f == "D":
        return day
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def period_label(starts: pd.Series | pd.Index, freq: str) -> pd.Series:
    fmt = "%Y-%m-%d %H:00" if check_freq(freq) == "H" else "%Y-%m-%d"
    return pd.Series(pd.DatetimeIndex(starts).strftime(fmt), index=getattr(starts, "index", None))


def engagement_weight(
    likes: pd.Series | None, comments: pd.Series | None, reposts: pd.Series | None, index: pd.Index
) -> pd.Series:
    """`WEIGHT_FORMULA` per post; absent columns count as 0."""
    total = pd.Series(0.0, index=index)
    for series, factor in ((likes, 1.0), (comments, 2.0), (reposts, 3.0)):
        if series is not None:
            total = total + factor * pd.to_numeric(series, errors="coerce").fillna(0).clip(lower=0)
    return 1.0 + np.log1p(total)


def add_nev(frame: pd.DataFrame) -> pd.DataFrame:
    """Add n, nev, nev_polar (and the weighted pair when weight columns exist), vectorised; and
    posts = n + unscored when the frame counts unscored posts."""
    p, u, n_ = (frame[c].astype("int64") for c in ("positive", "neutral", "negative"))
    frame["n"] = p + u + n_
    if "unscored" in frame:
        frame["posts"] = frame["n"] + frame["unscored"].astype("int64")
    total = frame["n"].astype(float)
    polar = (p + n_).astype(float)
    frame["nev"] = ((p - n_) / total.where(total > 0)).astype(float)
    frame["nev_polar"] = ((p - n_) / polar.where(polar > 0)).astype(float)
    if all(c in frame for c in _WEIGHT_COLUMNS):
        wp, wu, wn = (frame[c] for c in _WEIGHT_COLUMNS)
        wt = wp + wu + wn
        frame["nev_weighted"] = (wp - wn) / wt.where(wt > 0)
        frame["nev_polar_weighted"] = (wp - wn) / (wp + wn).where((wp + wn) > 0)
    return frame


class TimelineAccumulator:
    """Adds up label counts (and engagement weights) per period over chunks; `result()` gives
    one row per period from the first to the last, empty periods included with posts = 0."""

    def __init__(self, freq: str = "D", by: str | None = None, emotions: bool = False) -> None:
        self.freq = check_freq(freq)
        self.by = by
        self.emotions = emotions  # count EMOTION_COLUMNS too (pass `emotions` to every `add`)
        if emotions and by is not None:
            raise ValueError("emotion counts are per period only, not broken down by a column")
        self._parts: list[pd.DataFrame] = []
        self._total: pd.DataFrame | None = None

    def add(self, periods: pd.Series, labels: pd.Series, weights: pd.Series | None = None,
            groups: pd.Series | None = None, emotions: pd.Series | None = None) -> None:  # fmt: skip
        """`periods`: period starts (NaT rows are ignored); `labels`: label or None (unscored);
        `emotions` (with `emotions=True`): one of EMOTIONS or None (unread) per post."""
        if self.emotions and emotions is None:
            raise ValueError("this accumulator counts emotions: pass emotions")
        if self.by is not None:
            if groups is None:
                raise ValueError("this accumulator breaks down by a column: pass groups")
            self._add_grouped(periods, labels, weights, groups)
            return
        # Hot path of the CLI (a million rows): integer codes and bincount instead of a groupby.
        stamps = pd.to_datetime(periods).to_numpy(dtype="datetime64[ns]")
        valid = ~np.isnat(stamps)
        codes = labels.map(_LABEL_CODE).fillna(3).to_numpy(dtype=np.int64)[valid]
        uniq, inverse = np.unique(stamps[valid], return_inverse=True)
        flat = inverse * 4 + codes
        counts = np.bincount(flat, minlength=len(uniq) * 4).reshape(len(uniq), 4)
        part = pd.DataFrame(counts, index=pd.DatetimeIndex(uniq), columns=list(_COUNT_COLUMNS))
        if weights is not None:
            w = np.bincount(flat, weights=weights.to_numpy(dtype=float)[valid], minlength=len(uniq) * 4)
            w = w.reshape(len(uniq), 4)
            for i, col in enumerate(_WEIGHT_COLUMNS):
                part[col] = w[:, i]
        if self.emotions and emotions is not None:
            k = len(EMOTION_COLUMNS)
            ecodes = emotions.map(_EMOTION_CODE).fillna(k - 1).to_numpy(dtype=np.int64)[valid]
            ecounts = np.bincount(inverse * k + ecodes, minlength=len(uniq) * k).reshape(len(uniq), k)
            for i, col in enumerate(EMOTION_COLUMNS):
                part[col] = ecounts[:, i]
        self._total = part if self._total is None else self._total.add(part, fill_value=0)

    def _add_grouped(
        self, periods: pd.Series, labels: pd.Series, weights: pd.Series | None, groups: pd.Series
    ) -> None:
        lab = labels.astype(object).where(labels.notna(), "unscored").astype(str)
        frame = pd.DataFrame({"period": periods.to_numpy(), "label": lab.to_numpy()})
        if weights is not None:
            frame["w"] = weights.to_numpy(dtype=float)
        frame["group"] = groups.astype(object).where(groups.notna(), "—").astype(str).to_numpy()
        keys = ["period", "group"]
        frame = frame[frame["period"].notna()]
        counts = frame.groupby([*keys, "label"]).size().unstack("label", fill_value=0)
        counts = counts.reindex(columns=list(_COUNT_COLUMNS), fill_value=0)
        if weights is not None:
            w = frame.groupby([*keys, "label"])["w"].sum().unstack("label", fill_value=0.0)
            w = w.reindex(columns=list(LABELS), fill_value=0.0)
            w.columns = [f"w_{c}" for c in w.columns]
            counts = counts.join(w)
        self._total = counts if self._total is None else self._total.add(counts, fill_value=0)

    def result(self, fill_gaps: bool = True) -> pd.DataFrame:
        cols = [*_COUNT_COLUMNS, *(EMOTION_COLUMNS if self.emotions else ())]
        total = self._total
        if total is None or total.empty:
            out = pd.DataFrame({c: pd.Series([], dtype="int64") for c in cols})
            for c in _WEIGHT_COLUMNS:
                out[c] = pd.Series([], dtype=float)
            out.insert(0, "period", pd.Series([], dtype="datetime64[ns]"))
            if self.by is not None:
                out.insert(1, self.by, pd.Series([], dtype=object))
            return add_nev(out)
        total = total.copy()
        for c in cols:
            total[c] = total[c].astype("int64")
        if self.by is None:
            total.index.name = "period"
            if fill_gaps:
                full = _period_range(total.index.min(), total.index.max(), self.freq)
                total = total.reindex(full, fill_value=0)
                total.index.name = "period"
            out = total.reset_index()
        else:
            total.index.names = ["period", self.by]
            out = total.reset_index().sort_values(["period", self.by], kind="stable")
        for c in cols:
            out[c] = out[c].astype("int64")
        return add_nev(out).reset_index(drop=True)


def _period_range(first: pd.Timestamp, last: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    step = {"H": "h", "D": "D", "W": "7D"}[freq]
    return pd.date_range(first, last, freq=step)


def emotion_shares(timeline: pd.DataFrame) -> pd.DataFrame:
    """Per period: `read` (posts with an emotion reading) and each emotion's share of them
    (columns EMOTIONS; NaN in a period without a reading). Needs the EMOTION_COLUMNS."""
    counts = timeline[[f"emotion_{e}" for e in EMOTIONS]].to_numpy(dtype=float)
    read = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / np.where(read > 0, read, np.nan)[:, None]
    out = pd.DataFrame(shares, columns=list(EMOTIONS), index=timeline.index)
    out.insert(0, "read", read.astype("int64"))
    return out


def timeline_csv_frame(result: pd.DataFrame, freq: str, emotions: bool = False) -> pd.DataFrame:
    """The CLI's contract (`TIMELINE_COLUMNS`): period, posts, n, unscored, positive, neutral,
    negative, nev, nev_polar (4 decimals); posts = n + unscored, n = positive + neutral + negative.
    With `emotions` (CLI `timeline --emotions`) the EMOTION_COLUMNS follow: emotion_joy ...
    emotion_neutral, emotion_unread, adding up to posts."""
    columns = [*TIMELINE_COLUMNS, *(EMOTION_COLUMNS if emotions else ())]
    out = result.loc[:, columns].copy()
    out["period"] = period_label(result["period"], freq).to_numpy()
    out[["nev", "nev_polar"]] = out[["nev", "nev_polar"]].round(4)
    return out.reset_index(drop=True)


def breakdown(posts: pd.DataFrame, column: str) -> pd.DataFrame:
    """Counts and nev per value of `column` (source, region) over the whole corpus."""
    groups = posts[column].astype(object).where(posts[column].notna(), "—").astype(str)
    lab = posts["label"].astype(object).where(posts["label"].notna(), "unscored")
    counts = pd.crosstab(groups, lab).reindex(columns=list(_COUNT_COLUMNS), fill_value=0)
    counts.index.name = "group"
    out = counts.reset_index()
    for c in _COUNT_COLUMNS:
        out[c] = out[c].astype("int64")
    return add_nev(out)


def theme_timeline(posts: pd.DataFrame, ui_lang: str = "zh", top_level_only: bool = True) -> pd.DataFrame:
    """Posts per (period, theme of the shared taxonomy) with their nev; needs a `period` column.
    A post counts once for every theme it mentions (analysis.themes.sentence_themes)."""
    from analysis.themes import load_taxonomy, sentence_themes  # lazy: loads the taxonomy and jieba

    taxonomy = {th.id: th for th in load_taxonomy()}
    uniques = pd.unique(posts["text_clean"])
    themes_of = {text: sentence_themes(text) for text in uniques}
    frame = pd.DataFrame(
        {"period": posts["period"], "label": posts["label"], "theme": posts["text_clean"].map(themes_of)}
    ).explode("theme")
    frame = frame[frame["theme"].notna()]
    if top_level_only:
        frame = frame[frame["theme"].map(lambda i: i in taxonomy and taxonomy[i].parent is None)]
    if frame.empty:
        return pd.DataFrame(columns=["period", "theme", "theme_name", "n", "nev"])
    lab = frame["label"].astype(object).where(frame["label"].notna(), "unscored")
    counts = (
        frame.assign(label=lab)
        .groupby(["period", "theme", "label"])
        .size()
        .unstack("label", fill_value=0)
        .reindex(columns=list(_COUNT_COLUMNS), fill_value=0)
        .reset_index()
    )
    out = add_nev(counts)
    name_attr = "name_zh" if ui_lang == "zh" else "name_en"
    out["theme_name"] = out["theme"].map(lambda i: getattr(taxonomy[i], name_attr) if i in taxonomy else i)
    return out
