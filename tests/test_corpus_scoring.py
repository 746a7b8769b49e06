"""Batch scoring: the vectorised language rule agrees with analysis.text.lang; labels use the model's band."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.clean import EMOTICON_MODEL
from analysis.corpus.scoring import detect_langs, model_components, score_frame, score_meta
from analysis.sentiment import Scorer, SentimentError, Thresholds
from analysis.text.lang import detect_lang

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"  # beside the checkout, as in CI
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


# Emoticon-only posts: labelled by the table whatever the tier and band (issue 17).
EMOTICON_TEXTS = ["[话筒]", "[哈哈]", "[怒]", "[泪][泪]", "[哈哈][泪]", "[不存在的表情]", "服务很好，非常满意"]  # fmt: skip


@pytest.mark.parametrize("model", ["fast", "accurate", "default", MODEL])
def test_emoticon_only_texts_are_labeled_by_the_table_in_every_tier(model: str) -> None:
    df = pd.DataFrame({"text": EMOTICON_TEXTS})
    for band in (None, Thresholds(-0.95, 0.95)):  # the model's band, or one that makes almost all neutral
        out = score_frame(df, model=model, band=band)
        assert out["lang"].tolist() == ["emoticon"] * 6 + ["zh"]
        assert out["label"].tolist()[:6] == ["neutral", "positive", "negative", "negative", "neutral", None]
        assert out["score"].tolist()[:5] == [0.0, 1.0, -1.0, -1.0, 0.0]
        assert np.isnan(out["score"].iloc[5])  # no known code: unscored
        assert out["label"].iloc[6] is not None  # text still goes to the model


def test_emoticon_only_with_forced_language_and_the_stamp() -> None:
    out = score_frame(pd.DataFrame({"text": ["[赞]", "great"]}), model=MODEL, lang="zh")
    assert out["lang"].tolist() == ["emoticon", "zh"] and out["label"].iloc[0] == "positive"
    components = model_components(MODEL)
    assert components["emoticon"] == EMOTICON_MODEL and components["zh"].startswith("snownlp@")
