"""Emotions in the posts corpus (issue 18): every post gets the fast tier's emotion or counts as
unread; per-period counts beside sentiment; the spike's emotion shift; the emotion share chart."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.corpus.aggregate import (
    EMOTION_COLUMNS,
    TIMELINE_COLUMNS,
    TimelineAccumulator,
    add_nev,
    emotion_shares,
    period_start,
    timeline_csv_frame,
)
from analysis.corpus.captions import emotion_shift_text, emotions_caption
from analysis.corpus.charts import emotion_figure
from analysis.corpus.ingest import ColumnMapping
from analysis.corpus.pipeline import CorpusOptions, frame_chunks, process_chunks
from analysis.corpus.scoring import score_frame, score_meta
from analysis.corpus.spikes import EmotionShift, emotion_shift
from analysis.corpus.view import CorpusAnalysis
from analysis.emotion import EmotionReader
from analysis.i18n import t
from analysis.records import EMOTIONS

ROOT = Path(__file__).resolve().parents[1]
SH = "Asia/Shanghai"
EMOTION_CHOICES = [*EMOTIONS, None]
MODEL = "snownlp"  # sentiment baseline, always present; emotions come from the fast tier


def test_emotion_columns_are_named_and_ordered() -> None:
    assert EMOTION_COLUMNS == (
        "emotion_joy", "emotion_anger", "emotion_sadness", "emotion_fear", "emotion_surprise",
        "emotion_disgust", "emotion_neutral", "emotion_unread",
    )  # fmt: skip
    assert not set(EMOTION_COLUMNS) & set(TIMELINE_COLUMNS)  # never mixed with the sentiment counts


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 60 * 24 * 20),
            st.sampled_from(["positive", "neutral", "negative", None]),
            st.sampled_from(EMOTION_CHOICES),
        ),
        max_size=200,
    ),
    st.sampled_from(["H", "D", "W"]),
    st.integers(1, 40),
)
def test_emotion_counts_conserve_every_post_unread_included(
    rows: list[tuple[int, str | None, str | None]], freq: str, chunk: int
) -> None:
    base = pd.Timestamp("2020-01-01", tz=SH)
    times = pd.Series([base + pd.Timedelta(minutes=m) for m, _, _ in rows], dtype=f"datetime64[ns, {SH}]")
    labels = pd.Series([lab for _, lab, _ in rows], dtype=object)
    emotions = pd.Series([e for _, _, e in rows], dtype=object)
    acc = TimelineAccumulator(freq, emotions=True)
    plain = TimelineAccumulator(freq)
    for start in range(0, len(rows), chunk):  # streamed in chunks: the result must not depend on it
        sl = slice(start, start + chunk)
        acc.add(period_start(times.iloc[sl], freq), labels.iloc[sl], emotions=emotions.iloc[sl])
        plain.add(period_start(times.iloc[sl], freq), labels.iloc[sl])
    out = acc.result()
    assert (out[list(EMOTION_COLUMNS)].sum(axis=1) == out["posts"]).all()  # every post counted once
    assert int(out["emotion_unread"].sum()) == sum(e is None for _, _, e in rows)
    for e in EMOTIONS:
        assert int(out[f"emotion_{e}"].sum()) == sum(x == e for _, _, x in rows)
    # Sentiment is untouched by the emotion counts: same columns and values as without them.
    pd.testing.assert_frame_equal(out[plain.result().columns], plain.result())
    shares = emotion_shares(out)
    read = shares["read"] > 0
    assert np.allclose(shares.loc[read, list(EMOTIONS)].sum(axis=1), 1.0)
    assert shares.loc[~read, list(EMOTIONS)].isna().all().all()


def test_timeline_csv_with_emotions_and_without() -> None:
    times = pd.Series(pd.to_datetime(["2020-01-01 10:00", "2020-01-01 11:00", "2020-01-03 10:00"]))
    acc = TimelineAccumulator("D", emotions=True)
    acc.add(
        period_start(times.dt.tz_localize(SH), "D"),
        pd.Series(["positive", None, "negative"]),
        emotions=pd.Series(["anger", None, "joy"]),
    )
    result = acc.result()
    assert list(timeline_csv_frame(result, "D").columns) == list(TIMELINE_COLUMNS)
    frame = timeline_csv_frame(result, "D", emotions=True)
    assert list(frame.columns) == [*TIMELINE_COLUMNS, *EMOTION_COLUMNS]
    assert frame["emotion_anger"].tolist() == [1, 0, 0]
    assert frame["emotion_joy"].tolist() == [0, 0, 1]
    assert frame["emotion_unread"].tolist() == [1, 0, 0]  # the unscored post is an unread post too
    assert frame["posts"].tolist() == [2, 0, 1]
    with pytest.raises(ValueError, match="pass emotions"):
        acc.add(period_start(times.dt.tz_localize(SH), "D"), pd.Series([None] * 3))
    empty = TimelineAccumulator("D", emotions=True).result()
    assert set(EMOTION_COLUMNS) <= set(empty.columns) and empty.empty


def _emotion_timeline(days: int, spike_day: int, anger_spike: int) -> pd.DataFrame:
    """Forty posts a day with a reading (8 anger, 12 joy, 20 neutral) and 5 unread; on
    `spike_day` `anger_spike` angry posts more."""
    rows = []
    for d in range(days):
        anger = 8 + (anger_spike if d == spike_day else 0)
        rows.append({"emotion_joy": 12, "emotion_anger": anger, "emotion_neutral": 20, "emotion_unread": 5})
    frame = pd.DataFrame(rows).reindex(columns=list(EMOTION_COLUMNS), fill_value=0)
    frame.insert(0, "period", pd.date_range("2020-01-01", periods=days, freq="D"))
    for col in ("positive", "neutral", "negative", "unscored"):
        frame[col] = 0
    frame["neutral"] = frame[list(EMOTION_COLUMNS)].sum(axis=1)
    return add_nev(frame)


def test_emotion_shift_names_the_emotion_that_rose() -> None:
    timeline = _emotion_timeline(10, spike_day=6, anger_spike=60)
    spike = timeline["period"].iloc[6]
    shift = emotion_shift(timeline, spike)
    assert shift is not None and shift.emotion == "anger"
    assert math.isclose(shift.before, 8 / 40) and math.isclose(shift.after, 68 / 100)
    assert (shift.read_before, shift.read_after) == (9 * 40, 100)  # unread posts are not in the shares
    assert shift.rise > 0.4
    assert emotion_shift_text(shift, "en") == (
        "Emotion: anger rose from 20% to 68% (of 360 posts with a reading in the other periods → 100 in this one)"
    )
    zh = emotion_shift_text(shift, "zh")
    assert "「怒」" in zh and "20%" in zh and "68%" in zh


def test_emotion_shift_is_none_when_nothing_to_say() -> None:
    quiet = _emotion_timeline(10, spike_day=6, anger_spike=0)
    assert emotion_shift(quiet, quiet["period"].iloc[6]) is None  # no feeling rose
    no_emotions = quiet.drop(columns=list(EMOTION_COLUMNS))
    assert emotion_shift(no_emotions, quiet["period"].iloc[6]) is None
    few = _emotion_timeline(3, spike_day=1, anger_spike=2)
    few.loc[1, list(EMOTION_COLUMNS)] = [0, 3, 0, 0, 0, 0, 0, 50]  # three posts with a reading
    assert emotion_shift(few, few["period"].iloc[1]) is None
    assert emotion_shift(quiet, pd.Timestamp("1999-01-01")) is None
    # Neutral rising is not an emotion to name.
    calm = _emotion_timeline(10, spike_day=6, anger_spike=0)
    calm.loc[6, "emotion_neutral"] = 200
    assert emotion_shift(calm, calm["period"].iloc[6]) is None


@pytest.mark.parametrize(("lang", "names"), [("zh", "喜怒哀惧惊恶无"), ("en", None)])
def test_emotion_figure_shares_per_period_in_the_ui_language(lang: str, names: str | None) -> None:
    timeline = _emotion_timeline(4, spike_day=2, anger_spike=40)
    timeline.loc[3, list(EMOTION_COLUMNS)] = [0, 0, 0, 0, 0, 0, 0, 7]  # no reading at all
    fig = emotion_figure(timeline, "D", lang)  # type: ignore[arg-type]
    assert [tr.name for tr in fig.data] == (list(names) if names else list(EMOTIONS))
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == t("posts.emotions.title", lang)
    per_period = np.array([[v if v is not None else np.nan for v in tr.y] for tr in fig.data])
    assert np.allclose(per_period[:, :3].sum(axis=0), 1.0, atol=1e-3)
    assert np.isnan(per_period[:, 3]).all()  # a period without a reading draws no bar
    anger = fig.data[EMOTIONS.index("anger")]
    assert anger.y[2] == round(48 / 80, 4) and list(anger.customdata[2]) == [48, 80, 5]
    assert fig.data[0].x == ("2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04")
    assert emotions_caption(timeline, lang) == t("posts.emotions.caption", lang, unread="22")  # type: ignore[arg-type]


# -- with the fast emotion model ------------------------------------------------------------------------
TEXTS = [
    "太气人了，这种事情怎么能发生，愤怒！",  # zh
    "今天收到礼物，开心极了",  # zh
    "",  # empty: unread
    "I am so happy with this great news",  # en
    "Привет мир",  # neither language: unread
    "[哈哈]",  # emoticon codes only: scored by the table, no emotion reading
    "   ",  # blank: unread
]


def test_score_frame_reads_each_posts_emotion_with_the_fast_tier() -> None:
    df = pd.DataFrame({"text": TEXTS, "emotion": ["gold"] * len(TEXTS)}, index=range(10, 17))
    out = score_frame(df, model=MODEL, emotions=True)
    assert list(out.columns) == ["text", "emotion_input", "lang", "score", "label", "emotion"]
    assert list(out.index) == list(df.index)
    read = out["emotion"].tolist()
    assert [r is None for r in read] == [False, False, True, False, True, True, True]
    assert {r for r in read if r is not None} <= set(EMOTIONS)
    # The same labels as the reader's own, in the language detected for sentiment.
    rows = [0, 1, 3]
    expected = EmotionReader("fast").labels([TEXTS[i] for i in rows], [out["lang"].iloc[i] for i in rows])
    assert [read[i] for i in rows] == expected
    # Without emotions nothing changes.
    assert "emotion" not in score_frame(df[["text"]], model=MODEL).columns
    assert list(score_meta(df, emotions=True).columns) == list(out.columns)


def test_every_post_counts_with_or_without_an_emotion() -> None:
    frame = pd.DataFrame({"text": TEXTS * 3, "time": [f"2020-01-0{1 + i % 3} 10:00" for i in range(21)]})
    options = CorpusOptions(ColumnMapping("text", "time"), model=MODEL)
    assert options.emotions and CorpusOptions.from_dict(options.to_dict()) == options
    posts, report = process_chunks(frame_chunks(frame, 4), options)
    assert len(posts) == report.posts == 21
    assert report.emotion_read == int(posts["emotion"].notna().sum()) == 9
    corpus = CorpusAnalysis(posts, report, options)
    assert corpus.has_emotions()
    timeline = corpus.timeline("D")
    assert int(timeline["emotion_unread"].sum()) == 12 and int(timeline["posts"].sum()) == 21
    assert list(corpus.timeline_csv("D").columns) == [*TIMELINE_COLUMNS, *EMOTION_COLUMNS]
    fig = corpus.figure("emotions", "zh", "D")
    assert [tr.name for tr in fig.data] == list("喜怒哀惧惊恶无")
    off = CorpusOptions(ColumnMapping("text", "time"), model=MODEL, emotions=False)
    plain, _ = process_chunks(frame_chunks(frame, 4), off)
    assert "emotion" not in plain.columns
    assert not CorpusAnalysis(plain, report, off).has_emotions()
    assert off.cache_key("x") != options.cache_key("x")


def test_the_view_explains_a_spike_by_its_emotion() -> None:
    shift = EmotionShift(pd.Timestamp("2020-01-07"), "anger", 0.2, 0.68, 360, 100)
    assert emotion_shift_text(shift, "en").startswith("Emotion: anger rose from 20% to 68%")
    posts = pd.DataFrame(
        {
            "time": pd.to_datetime(["2020-01-01 10:00"] * 20 + ["2020-01-02 10:00"] * 20).tz_localize(SH),
            "label": ["neutral"] * 40,
            "weight": 1.0,
            "emotion": ["joy"] * 20 + ["fear"] * 15 + [None] * 5,
        }
    )
    corpus = CorpusAnalysis(posts, None, CorpusOptions(ColumnMapping("text", "time")))  # type: ignore[arg-type]
    got = corpus.emotion_shift("D", pd.Timestamp("2020-01-02"))
    assert got is not None and got.emotion == "fear" and (got.before, got.after) == (0.0, 1.0)


def _bincount_linear(texts: list[str], weights: np.ndarray) -> np.ndarray:
    """zh_linear as it was before the shared pass: one bincount per column."""
    from analysis.sentiment.features import _zh_blocks

    out = np.zeros((len(texts), weights.shape[1]))
    for row, bucket, value, _, _ in _zh_blocks(texts, weights.shape[0], spans=False):
        w = weights[bucket]
        for j in range(weights.shape[1]):
            out[:, j] += np.bincount(row, weights=value * w[:, j], minlength=len(texts))
    return out


def test_one_feature_pass_gives_the_same_sums_to_the_bit() -> None:
    from analysis.sentiment.features import zh_linear, zh_linear_many

    rng = np.random.default_rng(3)
    texts = [*TEXTS, "虽然价格贵，但是不难吃，难道这不好吗？", "非常不满意！！", "ＡＢＣ１２３很好"] * 20
    small = rng.normal(size=(1 << 12, 7)).astype(np.float16).astype(np.float32)
    big = rng.normal(size=(1 << 14, 2)).astype(np.float32)
    shared = zh_linear_many(texts, (big, small))
    assert np.array_equal(shared[0], _bincount_linear(texts, big))
    assert np.array_equal(shared[1], _bincount_linear(texts, small))
    assert np.array_equal(zh_linear(texts, small), shared[1])
    assert zh_linear_many([], (big,))[0].shape == (0, 2)


def test_fused_scoring_equals_scoring_apart() -> None:
    """The corpus path reads sentiment and emotion of Chinese posts in one feature pass: the
    scores are those of scoring alone, the labels those of the EmotionReader."""
    frame = pd.read_csv(ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv", dtype=str).head(400)
    frame = pd.concat([frame, pd.DataFrame({"text": TEXTS})], ignore_index=True)
    fused = score_frame(frame, "text", "default", emotions=True)
    apart = score_frame(frame, "text", "default")
    pd.testing.assert_series_equal(fused["score"], apart["score"])
    assert fused["label"].tolist() == apart["label"].tolist()
    rows = fused["lang"].isin(["zh", "en"]).to_numpy()
    texts = frame["text"].fillna("").astype(str)[rows].tolist()
    expected = EmotionReader("fast").labels(texts, fused["lang"][rows].tolist())
    assert fused["emotion"][rows].tolist() == expected
    assert fused["emotion"][~rows].isna().all()
