"""The shared emotion-labelled sets, their label masks and one fixed train / validation / test split.

Each set uses some of the seven labels only (SMP2020-EWECT has no disgust, NLPCC 2020 and
CLUEmotion2020 no neutral). Training must not read "this set never says disgust" as "this text shows
no disgust", so every set carries a *mask*: the labels it can give. The trainer normalises the
model's probabilities over the masked labels of the row's set (scripts/train_emotion.py).

Splits: a set's own train / dev / test where it has them (dev serves as validation); CLUEmotion2020
has no train file, so its dev file trains (a tenth, by text hash, validates) and its test file
tests; NLPCC 2020 has no split, so the text hash splits it as the sentiment sets are split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from analysis.emotion.labels import EMOTIONS
from analysis.errors import OpinionLensError
from analysis.sentiment.datasets import split_of

DATA_ENV = "OPINION_LENS_EMOTION_DATA"
_DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "emotion"


class EmotionDatasetError(OpinionLensError, FileNotFoundError):
    """A shared emotion set is missing (the data directory is not where it is expected)."""

    default_code = "dataset_missing"


@dataclass(frozen=True)
class EmotionSet:
    name: str
    lang: str
    domain: str
    labels: tuple[str, ...]  # the labels this set can give: its mask
    source: str
    license: str


_ALL = EMOTIONS
_NO_DISGUST = tuple(e for e in EMOTIONS if e != "disgust")
_NO_NEUTRAL = tuple(e for e in EMOTIONS if e != "neutral")

EMOTION_SETS: dict[str, EmotionSet] = {
    s.name: s
    for s in (
        EmotionSet(
            "zh_smp2020_ewect_usual",
            "zh",
            "Weibo, general",
            _NO_DISGUST,
            "SMP2020-EWECT usual (BrownSweater/BERT_SMP2020-EWECT; Tom-HG/smp2020 for train)",
            "none stated",
        ),
        EmotionSet(
            "zh_smp2020_ewect_virus",
            "zh",
            "Weibo, epidemic",
            _NO_DISGUST,
            "SMP2020-EWECT virus (BrownSweater/BERT_SMP2020-EWECT)",
            "none stated",
        ),
        EmotionSet(
            "zh_nlpcc2020_covid_weibo",
            "zh",
            "Weibo sentences, COVID-19",
            _NO_NEUTRAL,
            "NLPCC 2020 COVID-19 Weibo (COVID-19-Weibo-data/COVID-19-sentiment-analysis-dataset-Weibo)",
            "none stated (please cite)",
        ),
        EmotionSet(
            "zh_cluemotion2020",
            "zh",
            "Weibo",
            _NO_NEUTRAL,
            "CLUEmotion2020 (CLUEbenchmark/CLUEmotionAnalysis2020: valid, test)",
            "none stated",
        ),
        EmotionSet(
            "en_goemotions_ekman",
            "en",
            "Reddit comments",
            _ALL,
            "GoEmotions, Ekman mapping (google-research/google-research: goemotions)",
            "Apache-2.0",
        ),
    )
}


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV, _DEFAULT_DATA))


def model_split(set_name: str, own_split: str, text: str) -> str:
    """'train', 'val' or 'test' for one row (see the module docstring)."""
    if own_split == "dev":
        if set_name == "zh_cluemotion2020":
            return "val" if split_of(text) == "val" else "train"
        return "val"
    if own_split == "all":
        return split_of(text)
    return own_split


def load_emotion_set(name: str):  # -> pandas.DataFrame: text, label, split (train / val / test)
    """One emotion set with the model split; rows without text or a known label are dropped."""
    import pandas as pd

    if name not in EMOTION_SETS:
        raise EmotionDatasetError(f"unknown emotion set {name!r}; known: {', '.join(EMOTION_SETS)}")
    path = data_dir() / f"{name}.csv"
    if not path.exists():
        raise EmotionDatasetError(f"emotion set not found: {path} (set {DATA_ENV} to the data directory)")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df[(df["text"].str.strip() != "") & df["label"].isin(EMOTION_SETS[name].labels)]
    df = df.reset_index(drop=True)
    df["split"] = [model_split(name, s, t) for s, t in zip(df["split"], df["text"], strict=True)]
    return df[["text", "label", "split"]]
