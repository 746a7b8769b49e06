"""Batch scoring: the vectorised language rule agrees with analysis.text.lang; labels use the model's band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.scoring import detect_langs, score_frame, score_meta
from analysis.sentiment import Scorer, SentimentError, Thresholds
from analysis.text.lang import detect_lang

SHARED = Path("/work/shared/data")
ROOT = Path(__file__).resolve().parents[1]
# SnowNLP/VADER are real, always present and fine on a handful of short texts.
MODEL = "snownlp"

EDGE_CASES = [
    "", "   ", "Привет мир", "こんにちは世界", "café crème brûlée à la française très bon",
    "iPhone 很好", "OK", "中文 English words here mixed", "小米 SU7 is a car", "12345", "!!!",
    "Великий 中国", "한국어 텍스트", "A", "ab", "回复@user: 好", "Spring is here 春天",
]  # fmt: skip


def _sample_texts() -> list[str]:
    texts = list(EDGE_CASES)
    sample = ROOT / "sample_data" / "weibo_cctvnews_2020_sample.csv"
    texts += pd.read_csv(sample, dtype=str)["text"].head(400).tolist()
    for name in ("zh_cluemotion_weibo.csv", "en_fiqa_posts.csv"):
        path = SHARED / "sentiment" / name
        if path.exists():
            texts += pd.read_csv(path, dtype=str)["text"].dropna().head(400).tolist()
    return texts


def test_detect_langs_agrees_with_detect_lang() -> None:
    texts = _sample_texts()
    vectorised = detect_langs(pd.Series(texts)).tolist()
    one_by_one = [detect_lang(t) for t in texts]
    mismatches = [(t, a, b) for t, a, b in zip(texts, vectorised, one_by_one, strict=True) if a != b]
    assert not mismatches, mismatches[:5]
    assert {"zh", "en", "other"} <= set(vectorised)


def test_score_frame_adds_columns_and_keeps_rows() -> None:
    df = pd.DataFrame(
        {
            "text": ["服务很好，非常满意", "太差了，再也不来了", "", "a great result", "Привет мир"],
            "id": [5, 6, 7, 8, 9],
        },
        index=[10, 11, 12, 13, 14],
    )
    out = score_frame(df, model=MODEL)
    assert list(out.columns) == ["text", "id", "lang", "score", "label"]
    assert list(out.index) == list(df.index)
    assert out["lang"].tolist() == ["zh", "zh", "other", "en", "other"]
    assert out["label"].tolist()[:2] == ["positive", "negative"]
    assert out["label"].iloc[2] is None and np.isnan(out["score"].iloc[2])
    assert out["score"].dropna().between(-1, 1).all()
    assert df.columns.tolist() == ["text", "id"]  # the input is not modified


def test_labels_follow_the_models_band_and_a_user_band() -> None:
    df = pd.DataFrame({"text": ["服务很好，非常满意", "太差了，再也不来了", "还行吧", "great", "terrible"]})
    out = score_frame(df, model=MODEL)
    scorer = Scorer(MODEL)
    for _, row in out.iterrows():
        assert row["label"] == scorer.thresholds_for(row["lang"]).label(row["score"])
    wide = score_frame(df, model=MODEL, band=Thresholds(-1.0, 1.0))
    assert set(wide["label"]) <= {"neutral", "positive", "negative"}
    assert (wide["label"] == "neutral").sum() >= len(df) - 2  # only exact ±1 escapes a full band


def test_forced_language() -> None:
    out = score_frame(pd.DataFrame({"text": ["great product", ""]}), model=MODEL, lang="zh")
    assert out["lang"].tolist() == ["zh", "other"]


def test_meta_matches_output() -> None:
    df = pd.DataFrame({"text": ["好"], "n": [1]})
    assert list(score_meta(df).columns) == list(score_frame(df, model=MODEL).columns)


def test_input_columns_named_like_the_output_are_kept() -> None:
    df = pd.DataFrame({"text": ["好", "差"], "label": ["pos", "neg"]})
    out = score_frame(df, model=MODEL)
    assert out["label_input"].tolist() == ["pos", "neg"]
    assert list(score_meta(df).columns) == list(out.columns)
    assert df.columns.tolist() == ["text", "label"]  # the caller's frame is untouched


def test_missing_column_and_bad_lang() -> None:
    with pytest.raises(KeyError):
        score_frame(pd.DataFrame({"x": ["a"]}), model=MODEL)
    with pytest.raises(SentimentError, match="unknown language"):
        score_frame(pd.DataFrame({"text": ["a"]}), model=MODEL, lang="fr")
