"""Aggregation per period: conservation of counts, NEV bounds, same formulas as articles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.aggregate import (
    TimelineAccumulator,
    breakdown,
    engagement_weight,
    period_label,
    period_start,
    timeline_csv_frame,
)
from analysis.metrics import summarize_counts

SH = "Asia/Shanghai"
LABEL_CHOICES = ["positive", "neutral", "negative", None]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60 * 24 * 40), st.sampled_from(LABEL_CHOICES), st.integers(0, 10_000)),
        min_size=0,
        max_size=300,
    ),
    st.sampled_from(["H", "D", "W"]),
    st.integers(1, 50),
)
def test_counts_are_conserved_and_nev_bounded(
    rows: list[tuple[int, str | None, int]], freq: str, chunk: int
) -> None:
    base = pd.Timestamp("2020-01-01", tz=SH)
    times = pd.Series([base + pd.Timedelta(minutes=m) for m, _, _ in rows], dtype=f"datetime64[ns, {SH}]")
    labels = pd.Series([lab for _, lab, _ in rows], dtype=object)
    weights = engagement_weight(pd.Series([lk for _, _, lk in rows], dtype=float), None, None, labels.index)
    acc = TimelineAccumulator(freq)
    for start in range(0, len(rows), chunk):  # streamed in chunks: the result must not depend on it
        sl = slice(start, start + chunk)
        acc.add(period_start(times.iloc[sl], freq), labels.iloc[sl], weights.iloc[sl])
    out = acc.result()
    scored = sum(1 for _, lab, _ in rows if lab is not None)
    assert int(out["n"].sum()) == scored
    assert int(out["unscored"].sum()) == len(rows) - scored
    assert int(out["posts"].sum()) == len(rows)  # every post, scored or not
    assert (out["posts"] == out["n"] + out["unscored"]).all()
    assert ((out["nev"].dropna() >= -1) & (out["nev"].dropna() <= 1)).all()
    assert ((out["nev_polar"].dropna() >= -1) & (out["nev_polar"].dropna() <= 1)).all()
    assert (out["nev_weighted"].dropna().abs() <= 1 + 1e-12).all()
    for _, row in out.iterrows():
        ref = summarize_counts(int(row["positive"]), int(row["neutral"]), int(row["negative"]))
        assert row["n"] == ref.n
        assert (ref.nev is None and math.isnan(row["nev"])) or math.isclose(row["nev"], ref.nev)
        assert (ref.nev_polar is None and math.isnan(row["nev_polar"])) or math.isclose(
            row["nev_polar"], ref.nev_polar
        )
    if len(out) > 1:  # consecutive periods, gaps included
        steps = out["period"].diff().dropna().unique()
        assert len(steps) == 1


def test_period_boundaries_are_wall_clock_in_the_zone() -> None:
    times = pd.Series(
        pd.to_datetime(["2020-03-29 23:59", "2020-03-30 00:01", "2020-04-05 12:00"])
    ).dt.tz_localize(SH)
    assert period_label(period_start(times, "D"), "D").tolist() == ["2020-03-29", "2020-03-30", "2020-04-05"]
    assert period_label(period_start(times, "W"), "W").tolist() == ["2020-03-23", "2020-03-30", "2020-03-30"]
    assert period_label(period_start(times, "H"), "H").tolist() == [
        "2020-03-29 23:00",
        "2020-03-30 00:00",
        "2020-04-05 12:00",
    ]


def test_csv_frame_contract() -> None:
    times = pd.Series(pd.to_datetime(["2020-01-01 10:00", "2020-01-03 10:00"])).dt.tz_localize(SH)
    acc = TimelineAccumulator("D")
    acc.add(period_start(times, "D"), pd.Series(["positive", "negative"]))
    acc.add(period_start(times, "D"), pd.Series([None, None]))  # unscored: in posts, not in n
    frame = timeline_csv_frame(acc.result(), "D")
    assert list(frame.columns) == [
        "period", "posts", "n", "unscored", "positive", "neutral", "negative", "nev", "nev_polar",
    ]  # fmt: skip
    assert frame["period"].tolist() == ["2020-01-01", "2020-01-02", "2020-01-03"]
    assert frame["posts"].tolist() == [2, 0, 2]
    assert frame["n"].tolist() == [1, 0, 1]
    assert frame["unscored"].tolist() == [1, 0, 1]
    assert frame["nev"].iloc[0] == 1.0 and np.isnan(frame["nev"].iloc[1]) and frame["nev"].iloc[2] == -1.0


def test_engagement_weight_formula() -> None:
    idx = pd.RangeIndex(2)
    w = engagement_weight(pd.Series([0, 10]), pd.Series([0, 2]), pd.Series([0, 1]), idx)
    assert w.tolist() == [1.0, 1.0 + math.log(1 + 10 + 4 + 3)]
    assert engagement_weight(None, None, None, idx).tolist() == [1.0, 1.0]


def test_breakdown_by_source() -> None:
    posts = pd.DataFrame(
        {"source": ["微博", "微博", "论坛", None], "label": ["positive", "negative", "negative", None]}
    )
    out = breakdown(posts, "source").set_index("group")
    assert out.loc["微博", "n"] == 2 and out.loc["微博", "nev"] == 0.0
    assert out.loc["论坛", "nev"] == -1.0
    assert out.loc["—", "unscored"] == 1
