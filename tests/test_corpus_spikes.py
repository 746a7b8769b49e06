"""Spike rule (robust z-score) and spike explanations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.aggregate import add_nev
from analysis.corpus.spikes import explain_period, find_spikes, rank_posts, robust_z


def _timeline(n: list[int], pos_share: list[float]) -> pd.DataFrame:
    pos = [round(a * s) for a, s in zip(n, pos_share, strict=True)]
    neg = [a - p for a, p in zip(n, pos, strict=True)]
    frame = pd.DataFrame(
        {
            "period": pd.date_range("2020-01-01", periods=len(n), freq="D"),
            "positive": pos,
            "neutral": 0,
            "negative": neg,
            "unscored": 0,
        }
    )
    return add_nev(frame)


def test_robust_z() -> None:
    z = robust_z([10, 11, 9, 10, 12, 10, 100])
    assert z[-1] > 3.5 and (np.abs(z[:-1]) < 3.5).all()
    flat = robust_z([5, 5, 5, 5, 5, 40])  # MAD = 0: mean absolute deviation fallback
    assert flat[-1] > 3.5
    assert (robust_z([3, 3, 3]) == 0).all()


def test_volume_spike_and_sentiment_turn() -> None:
    rng = np.random.default_rng(0)
    n = [int(x) for x in rng.integers(40, 60, size=30)]
    n[12] = 400
    share = [0.6 + float(x) for x in rng.uniform(-0.03, 0.03, size=30)]
    share[20:] = [0.1] * 10  # sentiment collapses from day 20 on
    spikes = find_spikes(_timeline(n, share))
    kinds = {(s.kind, s.period.day) for s in spikes}
    assert ("volume", 13) in kinds
    assert ("turn", 21) in kinds
    assert all(s.kind != "turn" or s.value < 0 for s in spikes)


def test_volume_counts_every_post_not_only_the_scored() -> None:
    """A day of 300 posts of which only 50 could be scored is still a volume spike of 300 posts."""
    frame = _timeline([50] * 20, [0.5] * 20)
    frame.loc[7, "unscored"] = 250
    spikes = find_spikes(add_nev(frame))
    assert [(s.kind, s.period.day, s.value, s.n) for s in spikes] == [("volume", 8, 300.0, 50)]


def test_quiet_series_has_no_spike() -> None:
    assert find_spikes(_timeline([50] * 20, [0.5] * 20)) == []
    assert find_spikes(_timeline([], [])) == []


def test_explain_period_keywords_and_top_posts() -> None:
    period = pd.Timestamp("2020-02-01")
    posts = pd.DataFrame(
        {
            "period": [period] * 4 + [pd.Timestamp("2020-02-02")],
            "text_clean": [
                "口罩价格暴涨，药店口罩断货",
                "口罩哪里能买到，口罩断货太难了",
                "央视新闻报道口罩生产",
                "央视新闻直播",
                "别的日子",
            ],
            "label": ["negative", "negative", "neutral", None, "positive"],
            "score": [-0.8, -0.6, 0.0, np.nan, 0.9],
            "weight": [5.0, 9.0, 1.0, 1.0, 20.0],
        }
    )
    exp = explain_period(posts, period, background=frozenset({"央视"}))
    assert (exp.summary.n, exp.summary.negative, exp.summary.unscored) == (3, 2, 1)
    terms = [k.term for k in exp.keywords]
    assert "口罩" in terms and "央视" not in terms
    assert exp.top_posts["weight"].tolist() == [9.0, 5.0, 1.0, 1.0]


def test_rank_posts_breaks_ties_by_sentiment_strength() -> None:
    posts = pd.DataFrame({"weight": [1.0, 1.0, 2.0], "score": [0.1, -0.9, 0.0]})
    assert rank_posts(posts).index.tolist() == [2, 1, 0]
