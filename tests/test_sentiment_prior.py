"""The Chinese model's semantic prior: the e5 word-vector table, its mapping onto the hashed
buckets, the exact fold into per-bucket weights, and what it buys on words no training text has."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis.sentiment import get_model
from analysis.sentiment.datasets import SETS, DatasetError, load_set
from analysis.sentiment.features import ZH_NGRAMS, to_csr, zh_features, zh_ngram_buckets
from tests.scripts_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "scripts" / "data" / "zh_e5_vocab.npz"
N_BUCKETS = 1 << 20


@pytest.fixture(scope="module")
def prior():
    return load_script("train_sentiment").EmbeddingPrior(TABLE, N_BUCKETS)


@pytest.mark.parametrize("word", ["好", "高兴", "不满意", "小米汽车", "ＳＵ７", "Ab1", "很好吗"])
def test_word_bucket_is_the_bucket_of_its_plain_ngram_feature(word: str) -> None:
    occ = zh_features([word], N_BUCKETS, spans=True)
    whole = set(occ.bucket[(occ.start == 0) & (occ.end == len(word))].tolist())
    assert zh_ngram_buckets([word], N_BUCKETS)[0] in whole


def test_words_longer_than_the_ngrams_have_no_bucket() -> None:
    too_long = "一" * (max(ZH_NGRAMS) + 1)
    assert zh_ngram_buckets([too_long, ""], N_BUCKETS).tolist() == [-1, -1]


def test_table_is_the_documented_vocabulary(prior) -> None:
    assert len(prior.words) == 51_663
    assert prior.vectors.shape == (51_663, 64)
    assert np.isfinite(prior.vectors).all()
    assert "multilingual-e5-small" in prior.source
    # Every word maps to exactly one bucket.
    assert np.array_equal(np.asarray(prior.mapping.sum(axis=0)).ravel(), np.ones(len(prior.words)))


def test_text_features_sum_the_vectors_of_the_words_it_contains(prior) -> None:
    index = {w: i for i, w in enumerate(prior.words)}
    word_buckets = zh_ngram_buckets(prior.words, N_BUCKETS)
    text = "满意"
    occ = zh_features([text], N_BUCKETS, spans=True)
    xe = prior.features(to_csr(occ, 1, N_BUCKETS))[0]
    # Each feature occurrence adds value x the vectors of the words hashed to its bucket (the
    # words 满, 意, 满意 themselves, and any word that collides with a marker n-gram).
    expected = np.zeros(prior.vectors.shape[1])
    for bucket, value in zip(occ.bucket, occ.value, strict=True):
        expected += value * prior.vectors[word_buckets == bucket].sum(axis=0)
    assert np.allclose(xe, expected)
    own = {w for w in ("满", "意", "满意") if w in index}
    assert own and {prior.words[i] for i in np.nonzero(np.isin(word_buckets, occ.bucket))[0]} >= own


def test_prior_folds_into_bucket_weights_exactly(prior) -> None:
    texts = ["服务很周到，下次还来", "并不满意，退货了", "小米汽车口碑崩塌", "难道这不好吗？"]
    x = to_csr(zh_features(texts, N_BUCKETS, spans=False), len(texts), N_BUCKETS)
    v = np.random.default_rng(0).normal(size=(prior.vectors.shape[1], 2))
    assert np.allclose(x @ prior.bucket_weights(v), prior.features(x) @ v)


def test_words_absent_from_every_training_text_get_a_weight_of_the_right_sign() -> None:
    """Set phrases (chosen as obviously negative / positive before looking at the model) that are
    in the vocabulary but in no training text: only the prior can weigh their whole-word bucket."""
    try:
        corpus = "\n".join(
            t for name, info in SETS.items() if info.lang == "zh" for t in load_set(name)["text"]
        )
    except DatasetError:
        pytest.skip("shared sentiment sets not available")
    negative = [
        "身败名裂",
        "家破人亡",
        "民不聊生",
        "哀鸿遍野",
        "生灵涂炭",
        "狼狈不堪",
        "声名狼藉",
        "臭名昭著",
        "怨声载道",
        "一败涂地",
        "穷途末路",
        "苦不堪言",
        "忧心忡忡",
        "垂头丧气",
        "心灰意冷",
    ]
    positive = [
        "欣欣向荣",
        "繁荣昌盛",
        "心旷神怡",
        "喜出望外",
        "兴高采烈",
        "赏心悦目",
        "美不胜收",
        "春风得意",
        "国泰民安",
        "安居乐业",
        "精益求精",
        "称心如意",
        "皆大欢喜",
        "喜笑颜开",
        "神采奕奕",
    ]
    vocab = {str(w) for w in np.load(TABLE)["words"]}
    model = get_model("zh-default")
    diff = model.weights[:, 0].astype(np.float64) - model.weights[:, 1]
    agree = total = 0
    for words, sign in ((negative, -1), (positive, 1)):
        unseen = [w for w in words if w in vocab and w not in corpus]
        total += len(unseen)
        agree += int(np.sum(np.sign(diff[zh_ngram_buckets(unseen, N_BUCKETS)]) == sign))
    assert total >= 5
    assert agree >= total - 1
