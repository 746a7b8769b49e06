"""Entities in posts: mentions, label counts, NEV and share of voice per period and entity.

Posts keep sentence-level labels (a post's label is its entities' label) and known aliases only:
one vectorised prefilter and regex pass per chunk (`EntityAccumulator`), no part-of-speech
tagging, so memory stays flat however large the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.entities.table import EntityTable, EntityTableError, default_table
from analysis.metrics import LABEL_CODES, UNSCORED_CODE, summarize_counts
from analysis.records import EMOTIONS, EmotionMix

if TYPE_CHECKING:  # the emotion package loads its models lazily; only counting emotions needs it
    from analysis.emotion import EmotionReader

POSTS_COLUMNS: tuple[str, ...] = (
    "period",
    "entity",
    "mentions",
    "positive",
    "neutral",
    "negative",
    "nev",
    "share_of_voice",
)


# With emotions (issue 18): how many of an entity's posts read as each emotion, and the dominant
# one (neutral left out; empty when none of its posts shows a feeling). Beside sentiment, never in it.
EMOTION_COUNT_COLUMNS: tuple[str, ...] = tuple(f"emotion_{e}" for e in EMOTIONS)
EMOTION_POSTS_COLUMNS: tuple[str, ...] = ("emotion", *EMOTION_COUNT_COLUMNS)
_UNREAD = len(EMOTIONS)  # the emotion code of a post without a reading
_EMOTION_CODES = {e: i for i, e in enumerate(EMOTIONS)}


class EntityAccumulator:
    """Entity counts per period over chunks of posts (known aliases only, sentence-level labels).

    `add(texts, labels, periods)` takes one chunk (aligned sequences or Series); `result()` gives
    the posts table (`POSTS_COLUMNS`). A post counts once per entity however often it names it;
    unscored posts count in `mentions` and share of voice, not in the label counts or NEV.

    With `emotions`, the result also counts each entity's posts per emotion
    (`EMOTION_POSTS_COLUMNS`): from the posts' own labels when `add` is given them (a corpus that
    read them), else read here with the fast tier for the posts that name an entity only."""

    def __init__(
        self, table: EntityTable | None = None, *, rollup: bool = False, emotions: bool = False
    ) -> None:
        self.table = table or default_table()
        self.rollup = rollup
        self.emotions = emotions
        self._names: list[str] = []
        self._ids: dict[str, int] = {}
        self._parts: list[pd.DataFrame] = []
        self._emotion_parts: list[pd.DataFrame] = []
        self._reader: EmotionReader | None = None

    def _id(self, name: str) -> int:
        if self.rollup:
            name = self.table.root(name)
        i = self._ids.get(name)
        if i is None:
            i = self._ids[name] = len(self._names)
            self._names.append(name)
        return i

    def add(
        self,
        texts: Iterable[Any],
        labels: Iterable[Any],
        periods: Iterable[Any],
        emotions: Iterable[Any] | None = None,
        langs: Iterable[Any] | None = None,
    ) -> None:
        """One chunk: aligned texts, sentiment labels and periods; with `emotions` on, the posts'
        emotion labels (None or NA: no reading) or, without them, their languages (`langs`, to
        save detecting them) for reading the emotions of the posts that name an entity."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        joined = "\n".join(texts)
        name_of = self.table.name_of
        cache: dict[str, int] = {}
        positions: list[int] = []
        ids: list[int] = []
        for start, _end, surface in self.table.scan(joined):
            i = cache.get(surface)
            if i is None:
                name = name_of(surface)
                i = cache[surface] = self._id(name) if name else -1
            if i >= 0:
                positions.append(start)
                ids.append(i)
        if not ids:
            return
        rows = np.searchsorted(starts, np.asarray(positions, dtype=np.int64), side="right") - 1
        width = len(self._names) + 1
        rows, ids_arr = np.divmod(np.unique(rows * width + np.asarray(ids, dtype=np.int64)), width)
        label_values = _values(labels)[rows]
        codes = (
            pd.Series(label_values, dtype=object)
            .map(LABEL_CODES)
            .fillna(UNSCORED_CODE)
            .to_numpy(dtype=np.int8)
        )
        part = pd.DataFrame({"period": _values(periods)[rows], "eid": ids_arr, "code": codes})
        counts = part.groupby(["period", "eid", "code"], sort=False).size()
        self._parts.append(counts.rename("n").reset_index())
        if self.emotions:
            codes = self._emotion_codes(texts, rows, emotions, langs)
            part = pd.DataFrame({"period": part["period"], "eid": ids_arr, "code": codes})
            counts = part.groupby(["period", "eid", "code"], sort=False).size()
            self._emotion_parts.append(counts.rename("n").reset_index())

    def _emotion_codes(
        self, texts: list[str], rows: np.ndarray, emotions: Iterable[Any] | None, langs: Iterable[Any] | None
    ) -> np.ndarray:
        """The emotion code (EMOTIONS index, `_UNREAD` without a reading) of each mention's post:
        the given labels, or the fast tier's, read once per post that names an entity."""
        posts, inverse = np.unique(rows, return_inverse=True)
        if emotions is not None:
            labels: list[Any] = list(_values(emotions)[posts])
        else:
            if self._reader is None:
                from analysis.emotion import EmotionReader  # the fast tier: hashed n-grams, no encoder

                self._reader = EmotionReader("fast")
            lang_of = None if langs is None else [str(x) for x in _values(langs)[posts]]
            labels = list(self._reader.labels([texts[i] for i in posts], lang_of))
        codes = np.fromiter(
            (_EMOTION_CODES.get(x, _UNREAD) if isinstance(x, str) else _UNREAD for x in labels),
            dtype=np.int8,
            count=len(labels),
        )
        return codes[inverse]

    def result(self) -> pd.DataFrame:
        if not self._parts:
            return _empty_posts_frame(EMOTION_POSTS_COLUMNS if self.emotions else ())
        allc = pd.concat(self._parts, ignore_index=True)
        wide = allc.pivot_table(
            index=["period", "eid"], columns="code", values="n", aggfunc="sum", fill_value=0
        )
        for code in range(4):
            if code not in wide.columns:
                wide[code] = 0
        wide = wide.reset_index()
        pos, neu, neg, uns = (wide[c].to_numpy(dtype=np.int64) for c in range(4))
        mentions = pos + neu + neg + uns
        nev = [summarize_counts(int(p), int(u), int(n)).nev for p, u, n in zip(pos, neu, neg, strict=True)]
        frame = pd.DataFrame(
            {
                "period": wide["period"].to_numpy(),
                "entity": [self._names[i] for i in wide["eid"]],
                "mentions": mentions,
                "positive": pos,
                "neutral": neu,
                "negative": neg,
                "nev": np.array([np.nan if x is None else x for x in nev], dtype=float),
            }
        )
        frame = _with_share_of_voice(frame)
        columns = list(POSTS_COLUMNS)
        if self.emotions:
            frame = self._with_emotions(frame)
            columns += EMOTION_POSTS_COLUMNS
        frame = frame.sort_values(["period", "mentions", "entity"], ascending=[True, False, True])
        return frame.reset_index(drop=True)[columns]

    def _with_emotions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` (period, entity, ...) with each row's emotion counts and dominant emotion."""
        keys = pd.DataFrame({"period": frame["period"].to_numpy(), "entity": frame["entity"].to_numpy()})
        if self._emotion_parts:
            allc = pd.concat(self._emotion_parts, ignore_index=True)
            wide = allc.pivot_table(
                index=["period", "eid"], columns="code", values="n", aggfunc="sum", fill_value=0
            ).reset_index()
            wide["entity"] = [self._names[i] for i in wide["eid"]]
            named = {i: c for i, c in enumerate(EMOTION_COUNT_COLUMNS) if i in wide.columns}
            wide = wide.rename(columns=named)[["period", "entity", *named.values()]]
            keys = keys.merge(wide, on=["period", "entity"], how="left")
        for col in EMOTION_COUNT_COLUMNS:
            frame[col] = keys[col].fillna(0).to_numpy(dtype=np.int64) if col in keys else 0
        frame["emotion"] = dominant_emotions(frame)
        return frame


def dominant_emotions(frame: pd.DataFrame) -> list[str | None]:
    """Each row's most frequent feeling over its `EMOTION_COUNT_COLUMNS` (as `EmotionMix.dominant`:
    neutral left out, ties in EMOTIONS order), None where no post shows one."""
    feelings = [c for c in EMOTION_COUNT_COLUMNS if c != "emotion_neutral"]
    counts = frame[feelings].to_numpy(dtype=np.int64) if len(frame) else np.zeros((0, len(feelings)))
    best = counts.argmax(axis=1) if len(frame) else np.zeros(0, dtype=np.int64)
    return [EMOTIONS[b] if counts[i, b] > 0 else None for i, b in enumerate(best)]


def emotion_mix_of(row: Any) -> EmotionMix:
    """An entity row's emotion counts (`EMOTION_COUNT_COLUMNS`) as an `EmotionMix`."""
    return EmotionMix({e: int(row[f"emotion_{e}"]) for e in EMOTIONS})


def _values(column: Iterable[Any]) -> np.ndarray:
    """A column as a numpy array (datetimes stay datetime64, no per-row Python objects)."""
    if isinstance(column, pd.Series | pd.Index):
        return column.to_numpy()
    return np.asarray(list(column), dtype=object)


def _empty_posts_frame(extra: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series([], dtype=object if c in ("period", "entity", "emotion") else float)
            for c in (*POSTS_COLUMNS, *extra)
        }
    )


def posts_entities(
    frame: pd.DataFrame,
    *,
    text: str = "text",
    label: str = "label",
    period: str = "period",
    table: EntityTable | None = None,
    rollup: bool = False,
    emotions: bool = False,
    emotion: str = "emotion",
    lang: str = "lang",
) -> pd.DataFrame:
    """Mentions, label counts, NEV and share of voice per period and entity over posts.

    `frame` has one row per post with its text, its label (positive/neutral/negative, None or NA
    when unscored) and its period (e.g. `analysis.corpus.aggregate.period_start`). Returns
    `POSTS_COLUMNS`: period, entity, mentions, positive, neutral, negative, nev, share_of_voice
    (an entity's mentions over all entity mentions in its period: they sum to 1 per period).
    With `emotions`, `EMOTION_POSTS_COLUMNS` too: from the `emotion` column when `frame` has it,
    else read with the fast tier (languages from the `lang` column when there is one).
    For files too large for memory feed chunks to an `EntityAccumulator`."""
    for column in (text, label, period):
        if column not in frame.columns:
            raise EntityTableError(f"posts have no column {column!r}", code="missing_column")
    acc = EntityAccumulator(table, rollup=rollup, emotions=emotions)
    acc.add(
        frame[text],
        frame[label],
        frame[period],
        frame[emotion] if emotions and emotion in frame.columns else None,
        frame[lang] if emotions and lang in frame.columns else None,
    )
    return acc.result()


def share_of_voice(posts: pd.DataFrame, entities: Iterable[str]) -> pd.DataFrame:
    """The posts table restricted to a competitor set, share of voice recomputed within it (it
    sums to 1 per period over the set's entities that were mentioned)."""
    chosen = list(dict.fromkeys(entities))
    return _with_share_of_voice(posts[posts["entity"].isin(chosen)].copy()).reset_index(drop=True)


def _with_share_of_voice(frame: pd.DataFrame) -> pd.DataFrame:
    """`share_of_voice`: each row's mentions over all mentions of its period in `frame`."""
    totals = frame.groupby("period", sort=False)["mentions"].transform("sum")
    frame["share_of_voice"] = frame["mentions"] / totals
    return frame
