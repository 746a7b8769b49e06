"""Score a corpus with Dask: the same per-partition function the CLI and dashboard use.

    python examples/dask_scoring.py [PATH.csv] [--text-column text] [--model default] [--workers 2]

`analysis.corpus.scoring.score_frame` takes and returns a pandas DataFrame, so it runs unchanged as
`dask.dataframe.map_partitions` on a cluster (here a LocalCluster of worker processes; point
`Client` at a scheduler address to use a real one). `default` is the fast tier for a corpus; each
worker process loads its models once, on first use, under the registry's lock. The per-day counts and net emotional value are then a plain groupby on
the scored frame. Defaults to the sample corpus shipped in sample_data/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
from dask.distributed import Client, LocalCluster

from analysis.corpus.aggregate import add_nev, period_start
from analysis.corpus.scoring import score_frame, score_meta
from analysis.corpus.timeparse import parse_times

ROOT = Path(__file__).resolve().parents[1]


def score_with_dask(
    frame: pd.DataFrame,
    text_column: str = "text",
    model: str = "default",
    partitions: int = 4,
    emotions: bool = False,
) -> pd.DataFrame:
    """`score_frame` over `partitions` Dask partitions (uses the active Dask client, if any); with
    `emotions`, each post's emotion too (the fast emotion tier, loaded once per worker process)."""
    ddf = dd.from_pandas(frame, npartitions=partitions)
    scored = ddf.map_partitions(
        score_frame, text_column, model, emotions=emotions, meta=score_meta(frame, emotions=emotions)
    )
    return scored.compute()


def daily_timeline(scored: pd.DataFrame, time_column: str) -> pd.DataFrame:
    day = period_start(parse_times(scored[time_column]).times, "D")
    lab = scored["label"].fillna("unscored")
    counts = pd.crosstab(day, lab).reindex(
        columns=["positive", "neutral", "negative", "unscored"], fill_value=0
    )
    return add_nev(counts.rename_axis("period").reset_index())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path", nargs="?", default=str(ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv")
    )
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--time-column", default="timestamp")
    parser.add_argument("--model", default="default")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    frame = pd.read_csv(args.path, dtype=str)
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=2, processes=True) as cluster,
        Client(cluster),
    ):
        scored = score_with_dask(frame, args.text_column, args.model, partitions=args.workers * 2)
    print(daily_timeline(scored, args.time_column).round(4).to_string(index=False))


if __name__ == "__main__":
    main()
