"""The per-partition scoring function runs unchanged on a local Dask cluster."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus.scoring import score_frame

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples"))


@pytest.mark.slow
def test_map_partitions_on_a_local_cluster_equals_pandas() -> None:
    from dask.distributed import Client, LocalCluster
    from dask_scoring import daily_timeline, score_with_dask

    frame = pd.read_csv(ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv", dtype=str).iloc[::25]
    frame = pd.concat(
        [frame, pd.DataFrame({"text": ["great news today", "Привет", ""], "timestamp": "2020-05-31"})]
    )
    frame = frame.reset_index(drop=True)
    expected = score_frame(frame, "text", "default", emotions=True)
    # Worker processes, two threads each: every worker loads the default model on first use,
    # from two threads at once (the registry must be safe under concurrent first use).
    with (
        LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        got = score_with_dask(frame, "text", "default", partitions=8, emotions=True)
    got = got.sort_index()
    # Dask stores strings as Arrow strings (NA for missing): compare values, not string dtypes.
    assert got.index.tolist() == expected.index.tolist()
    for col in ("text", "lang", "label", "emotion"):  # emotions read in the workers too
        assert got[col].astype(object).fillna("").tolist() == expected[col].astype(object).fillna("").tolist()
    pd.testing.assert_series_equal(got["score"], expected["score"])
    assert expected["label"].notna().sum() > 100 and expected["emotion"].notna().sum() > 100
    timeline = daily_timeline(got, "timestamp")
    assert timeline["n"].sum() + timeline["unscored"].sum() == len(frame)
