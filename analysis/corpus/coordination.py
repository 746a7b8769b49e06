"""Coordinated posting: the same text from several distinct authors within a short window.

Duplicates are not noise to delete: 21 different users replying "[汗]" are 21 reactions, and the
same paragraph pasted by a dozen accounts within minutes is a copy-paste campaign, a finding an
analyst must see. This module finds the second kind while the stream of posts goes by.

`CoordinationTracker.add` keeps, per post, only a 64-bit hash of its cleaned text, its time, its
row and its author (Arrow strings: a few bytes each), so a million posts cost tens of megabytes;
the text itself is kept only for texts seen more than once. `result` then looks only at texts
posted at least `min_authors` times: a sliding window over each text's posts (by time) finds the
span of at most `window` with the most distinct authors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_AUTHORS = 3
WINDOW = pd.Timedelta(hours=1)
MAX_AUTHORS_LISTED = 10
COLUMNS = (
    "text",
    "authors",
    "n_authors",
    "n_posts",
    "first_time",
    "last_time",
    "span_minutes",
    "first_author",
    "first_row",
)


@dataclass(frozen=True)
class _Part:
    keys: np.ndarray  # uint64 hash of the cleaned text
    times: np.ndarray  # int64 ns (UTC)
    rows: np.ndarray  # int64, 1-based file row
    authors: pd.Series  # string[pyarrow]


class CoordinationTracker:
    """Accumulates posts chunk by chunk; `result()` lists the coordinated texts."""

    def __init__(self) -> None:
        self._parts: list[_Part] = []
        self._texts: dict[int, str] = {}  # hash -> text, only for texts seen twice or more
        self._tz: str | None = None

    def add(self, posts: pd.DataFrame) -> None:
        """Posts with columns text_clean, time, row, author and duplicate ("" for a first)."""
        if posts.empty:
            return
        authors = posts["author"].astype("string[pyarrow]").str.strip()
        has_author = (authors.fillna("") != "").to_numpy()
        times = posts["time"]
        if self._tz is None and isinstance(times.dtype, pd.DatetimeTZDtype):
            self._tz = str(times.dt.tz)
        keep = has_author & times.notna().to_numpy()
        if not keep.any():
            return
        texts = posts["text_clean"].astype("string")
        keys = pd.util.hash_pandas_object(texts, index=False).to_numpy()
        self._parts.append(
            _Part(
                keys=keys[keep],
                times=times.to_numpy(dtype="datetime64[ns]")[keep].astype(np.int64)
                if not isinstance(times.dtype, pd.DatetimeTZDtype)
                else times.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()[keep].astype(np.int64),
                rows=posts["row"].to_numpy(dtype=np.int64)[keep],
                authors=authors[keep].reset_index(drop=True),
            )
        )
        repeated = (posts["duplicate"].to_numpy() == "exact") & keep
        for key, text in zip(keys[repeated].tolist(), texts[repeated].tolist(), strict=True):
            self._texts.setdefault(key, text)

    def result(self, min_authors: int = MIN_AUTHORS, window: pd.Timedelta = WINDOW) -> pd.DataFrame:
        """One row per coordinated text (columns COLUMNS), most authors first."""
        empty = pd.DataFrame(columns=list(COLUMNS))
        if not self._parts or not self._texts:
            return empty
        keys = np.concatenate([p.keys for p in self._parts])
        candidates = np.fromiter(self._texts.keys(), dtype=np.uint64, count=len(self._texts))
        uniq, counts = np.unique(keys[np.isin(keys, candidates)], return_counts=True)
        candidates = uniq[counts >= min_authors]
        if not len(candidates):
            return empty
        picked = np.isin(keys, candidates)
        frame = pd.DataFrame(
            {
                "key": keys[picked],
                "time": np.concatenate([p.times for p in self._parts])[picked],
                "row": np.concatenate([p.rows for p in self._parts])[picked],
                "author": pd.concat([p.authors for p in self._parts], ignore_index=True)[picked].to_numpy(),
            }
        ).sort_values(["key", "time", "row"], kind="stable")
        width = window.value
        out = []
        for key, group in frame.groupby("key", sort=False):
            found = _densest_window(group["time"].to_numpy(), group["author"].to_numpy(), width)
            if found is None or found[2] < min_authors:
                continue
            start, stop, n_authors = found
            span = group.iloc[start:stop]
            authors = list(dict.fromkeys(span["author"].tolist()))
            out.append(
                {
                    "text": self._texts[int(key)],
                    "authors": "; ".join(authors[:MAX_AUTHORS_LISTED])
                    + (
                        f"; … (+{len(authors) - MAX_AUTHORS_LISTED})"
                        if len(authors) > MAX_AUTHORS_LISTED
                        else ""
                    ),
                    "n_authors": n_authors,
                    "n_posts": int(stop - start),
                    "first_time": span["time"].iloc[0],
                    "last_time": span["time"].iloc[-1],
                    "span_minutes": round((span["time"].iloc[-1] - span["time"].iloc[0]) / 60e9, 1),
                    "first_author": group["author"].iloc[0],  # first poster of the text overall
                    "first_row": int(group["row"].iloc[0]),
                }
            )
        if not out:
            return empty
        result = pd.DataFrame(out, columns=list(COLUMNS))
        for col in ("first_time", "last_time"):
            result[col] = pd.to_datetime(result[col], utc=True)
            if self._tz:
                result[col] = result[col].dt.tz_convert(self._tz)
        return result.sort_values(
            ["n_authors", "n_posts", "first_time"], ascending=[False, False, True]
        ).reset_index(drop=True)


def _densest_window(times: np.ndarray, authors: np.ndarray, width: int) -> tuple[int, int, int] | None:
    """[start, stop) of the window of at most `width` ns with the most distinct authors."""
    best: tuple[int, int, int] | None = None
    seen: Counter[str] = Counter()
    start = 0
    for stop in range(len(times)):
        seen[authors[stop]] += 1
        while times[stop] - times[start] > width:
            seen[authors[start]] -= 1
            if not seen[authors[start]]:
                del seen[authors[start]]
            start += 1
        if best is None or len(seen) > best[2]:
            best = (start, stop + 1, len(seen))
    return best
