"""Spikes: periods whose volume, or whose change in net emotional value, is an outlier.

Rule (stated in the UI): the robust z-score of Iglewicz & Hoaglin,
    z = 0.6745 · (x − median) / MAD,   MAD = median(|x − median|),
falling back to z = (x − median) / (1.2533 · mean|x − median|) when MAD is 0 (flat series).
- volume spike:    z of the posts per period (every post, scored or not: the volume) ≥ 3.5;
- sentiment turn:  z of the change of nev from the previous period with ≥ `min_posts` posts has
                   |z| ≥ 3.5 (periods with fewer posts are too noisy to compare and are skipped).
Each spike is explained by the period's top keywords and its most engaged posts, and, where
emotions were read, by the emotion whose share rose most against the other periods
(`emotion_shift`: the six feelings of analysis.emotion.FEELINGS, shares of the posts with a
reading; neutral is no emotion to name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.emotion.labels import FEELINGS
from analysis.metrics import summarize_counts
from analysis.records import Keyword, SentimentSummary

Z_THRESHOLD = 3.5
MIN_POSTS = 10


@dataclass(frozen=True)
class Spike:
    period: pd.Timestamp
    kind: str  # "volume" or "turn"
    value: float  # posts in the period (scored or not), or the change of nev
    z: float
    n: int  # scored posts of the period (the nev's denominator)
    nev: float | None


def robust_z(values: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.size == 0:
        return x
    med = np.nanmedian(x)
    dev = np.abs(x - med)
    mad = np.nanmedian(dev)
    if mad > 0:
        return 0.6745 * (x - med) / mad
    mean_ad = np.nanmean(dev)
    if mean_ad > 0:
        return (x - med) / (1.2533 * mean_ad)
    return np.zeros_like(x)


def find_spikes(
    timeline: pd.DataFrame, z_threshold: float = Z_THRESHOLD, min_posts: int = MIN_POSTS
) -> list[Spike]:
    """Spikes of a timeline (columns period, posts, n, nev; without `posts`, n is the volume), in
    period order."""
    spikes: list[Spike] = []
    if timeline.empty:
        return spikes
    volume = timeline["posts" if "posts" in timeline else "n"].to_numpy(dtype=float)
    zv = robust_z(volume)
    for i in np.flatnonzero(zv >= z_threshold):
        row = timeline.iloc[i]
        spikes.append(
            Spike(row["period"], "volume", float(volume[i]), float(zv[i]), int(row["n"]), _f(row["nev"]))
        )
    eligible = timeline[(timeline["n"] >= min_posts) & timeline["nev"].notna()]
    if len(eligible) >= 3:
        delta = eligible["nev"].diff().to_numpy()
        zd = robust_z(delta[1:])
        for j in np.flatnonzero(np.abs(zd) >= z_threshold):
            row = eligible.iloc[j + 1]
            spikes.append(
                Spike(row["period"], "turn", float(delta[j + 1]), float(zd[j]), int(row["n"]), _f(row["nev"]))
            )
    spikes.sort(key=lambda s: (s.period, s.kind))
    return spikes


@dataclass(frozen=True)
class EmotionShift:
    """The feeling whose share rose most in `period` against the baseline (every other period of
    the timeline): its share of the posts with a reading there (`before`) and in the period
    (`after`), and how many posts with a reading each share is of."""

    period: pd.Timestamp
    emotion: str  # one of FEELINGS
    before: float
    after: float
    read_before: int
    read_after: int

    @property
    def rise(self) -> float:
        return self.after - self.before


def emotion_shift(
    timeline: pd.DataFrame, period: pd.Timestamp, min_posts: int = MIN_POSTS
) -> EmotionShift | None:
    """The feeling that rose most (in percentage points of share) in `period` against all other
    periods, from the timeline's emotion counts (aggregate.EMOTION_COLUMNS). None without emotion
    columns, with fewer than `min_posts` posts with a reading in the period or outside it, or when
    no feeling's share rose."""
    columns = [f"emotion_{e}" for e in FEELINGS]
    if timeline.empty or not all(c in timeline for c in columns) or "emotion_neutral" not in timeline:
        return None
    read_columns = [*columns, "emotion_neutral"]
    at = (timeline["period"] == period).to_numpy()
    if not at.any():
        return None
    inside = timeline.loc[at, read_columns].sum().to_numpy(dtype=float)
    outside = timeline.loc[~at, read_columns].sum().to_numpy(dtype=float)
    n_in, n_out = inside.sum(), outside.sum()
    if n_in < min_posts or n_out < min_posts:
        return None
    after, before = inside[:-1] / n_in, outside[:-1] / n_out
    best = int(np.argmax(after - before))
    if after[best] - before[best] <= 0:
        return None
    return EmotionShift(
        period, FEELINGS[best], float(before[best]), float(after[best]), int(n_out), int(n_in)
    )


def _f(v: float | None) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


@dataclass(frozen=True)
class PeriodExplanation:
    period: pd.Timestamp
    summary: SentimentSummary
    keywords: tuple[Keyword, ...]
    top_posts: pd.DataFrame  # the period's posts ranked by engagement, then by |score|


def rank_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Most engaged first (weight), ties broken by the strength of the sentiment."""
    key = pd.DataFrame(
        {
            "w": posts.get("weight", 1.0),
            "s": posts["score"].abs().fillna(0) if "score" in posts else 0.0,
        },
        index=posts.index,
    )
    order = key.sort_values(["w", "s"], ascending=False, kind="stable").index
    return posts.loc[order]


def background_keywords(posts: pd.DataFrame, top: int = 15, sample: int = 3000) -> frozenset[str]:
    """The corpus's own most common keywords (e.g. 央视, 微博, 视频 for a news account): a period's
    explanation leaves them out so it shows what is particular to that period."""
    from analysis.text.keywords import extract_keywords  # lazy: loads jieba

    texts = posts["text_clean"]
    if len(texts) > sample:
        texts = texts.sample(sample, random_state=0)
    return frozenset(k.term for k in extract_keywords(texts.astype(str).tolist(), top=top))


def explain_period(
    posts: pd.DataFrame,
    period: pd.Timestamp,
    top_keywords: int = 8,
    top_posts: int = 5,
    background: frozenset[str] = frozenset(),
    max_texts: int = 1000,
) -> PeriodExplanation:
    """What the posts of one period say: counts, keywords (analysis.themes, minus the corpus's
    background keywords), and its most engaged posts."""
    from analysis.text.keywords import extract_keywords  # lazy: loads jieba

    sel = posts[posts["period"] == period]
    counts = sel["label"].value_counts()
    summary = summarize_counts(
        int(counts.get("positive", 0)),
        int(counts.get("neutral", 0)),
        int(counts.get("negative", 0)),
        int(sel["label"].isna().sum()),
    )
    # Keywords from the period's most engaged posts (at most `max_texts`): a busy day of a large
    # corpus holds thousands of posts, and TF-IDF over its top ones says the same, faster.
    texts = rank_posts(sel).head(max_texts)["text_clean"].astype(str).tolist()
    found = extract_keywords(texts, top=top_keywords + len(background)) if texts else []
    keywords = tuple([k for k in found if k.term not in background][:top_keywords])
    return PeriodExplanation(period, summary, keywords, rank_posts(sel).head(top_posts))
