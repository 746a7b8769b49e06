"""The default sentiment models: interface, linguistic cases, evidence, band, train/run agreement,
and an accuracy floor on a committed slice of the fixed test split."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.records import Evidence
from analysis.sentiment import Scorer, Thresholds, get_model
from analysis.sentiment.datasets import split_of
from analysis.sentiment.default_models import DATA_DIR, probabilities_to_score
from analysis.sentiment.features import en_features, to_csr, zh_features
from tests.scripts_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
N_BUCKETS_CHECK = 1 << 12
SLICE = ROOT / "tests" / "data" / "sentiment_regression_slice.csv"


@pytest.fixture(scope="module")
def zh():
    return get_model("zh-default")


@pytest.fixture(scope="module")
def en():
    return get_model("en-default")


# ---------------------------------------------------------------- interface


def test_registered_models_are_the_default_models(zh, en) -> None:
    assert (zh.name, zh.lang) == ("zh-default", "zh")
    assert (en.name, en.lang) == ("en-default", "en")
    assert zh.version and en.version
    assert type(zh).__name__ == "HashedLinearModel"


def test_thresholds_come_from_the_artefact_metadata(zh, en) -> None:
    for model, lang in ((zh, "zh"), (en, "en")):
        meta = json.loads((DATA_DIR / f"{lang}_default.json").read_text(encoding="utf-8"))
        assert model.thresholds.as_dict() == meta["thresholds"]
        assert Scorer("fast").thresholds_for(lang) == model.thresholds
        assert model.thresholds.negative_below < 0 < model.thresholds.positive_above


def test_score_is_vectorised_bounded_and_blank_is_zero(zh, en) -> None:
    texts = ["服务很好，非常满意", "", "   ", "质量太差了，再也不买了", "今天发布了季度报告", "，。！"]
    batch = zh.score(texts)
    one_by_one = np.array([zh.score([t])[0] for t in texts])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-9)
    assert batch.shape == (6,)
    assert np.all((batch >= -1) & (batch <= 1))
    assert batch[1] == 0.0 and batch[2] == 0.0 and batch[5] == 0.0
    assert batch[0] > 0 > batch[3]
    assert zh.score([]).shape == (0,)
    assert en.score(["", "Profit rose sharply."])[0] == 0.0


def test_artefacts_are_small() -> None:
    total = sum(p.stat().st_size for p in DATA_DIR.glob("*_default.*"))
    assert total < 25e6


def test_probabilities_to_score_matches_softmax() -> None:
    logits = np.array([[2.0, -1.0], [0.0, 0.0], [-3.0, 1.5]])
    z = np.concatenate([logits, np.zeros((3, 1))], axis=1)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probabilities_to_score(logits), p[:, 0] - p[:, 1])


# ---------------------------------------------------------------- linguistic cases


def _s(model, text: str) -> float:
    return float(model.score([text])[0])


@pytest.mark.parametrize(
    ("negated", "plain"),
    [("不高兴", "高兴"), ("并不满意", "满意"), ("我一点也不喜欢这个产品", "我很喜欢这个产品")],
)
def test_negation_turns_praise_negative(zh, negated: str, plain: str) -> None:
    assert _s(zh, plain) > 0
    assert _s(zh, negated) < 0
    assert zh.thresholds.label(_s(zh, negated)) == "negative"


def test_negated_problem_is_not_negative(zh) -> None:
    assert _s(zh, "没有问题") > _s(zh, "有问题")
    assert zh.thresholds.label(_s(zh, "没有问题")) != "negative"


def test_degree_adverb_strengthens(zh) -> None:
    assert _s(zh, "非常满意") > _s(zh, "满意") > 0
    assert _s(zh, "非常失望") < _s(zh, "失望") < 0


def test_contrast_later_clause_decides(zh) -> None:
    good_after = _s(zh, "虽然价格有点贵，但是质量非常好")
    bad_after = _s(zh, "虽然质量非常好，但是价格太贵了")
    assert good_after > 0
    assert good_after > bad_after


def test_rhetorical_question_reverses(zh) -> None:
    assert _s(zh, "难道这不好吗？") > _s(zh, "这不好")
    assert _s(zh, "这样的服务难道值得推荐吗？") < _s(zh, "这样的服务值得推荐")


def test_english_negation_and_direction(en) -> None:
    assert _s(en, "The results were good.") > _s(en, "The results were not good.")
    assert _s(en, "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn.") > 0
    assert _s(en, "Net sales fell 20% and the company issued a profit warning.") < 0


# ---------------------------------------------------------------- evidence


def test_zh_evidence_marks_the_words_that_decide(zh) -> None:
    ev = zh.explain("酒店位置很好，但是房间太脏了，服务也很差")
    assert ev and all(isinstance(e, Evidence) for e in ev)
    assert len(ev) <= 5
    text = "酒店位置很好，但是房间太脏了，服务也很差"
    assert all(e.term in text for e in ev)
    negatives = [e.term for e in ev if e.weight < 0]
    assert any("脏" in t or "差" in t for t in negatives)
    assert sorted((abs(e.weight) for e in ev), reverse=True) == [abs(e.weight) for e in ev]


def test_zh_evidence_merges_negation_into_one_term(zh) -> None:
    ev = zh.explain("我对这次的服务并不满意")
    top = ev[0]
    assert top.weight < 0
    assert "不满" in top.term


def test_en_evidence_has_signed_words(en) -> None:
    ev = en.explain("Shares plunged after the company reported a huge loss")
    assert ev
    assert any(e.weight < 0 and ("plunge" in e.term.lower() or "loss" in e.term.lower()) for e in ev)
    assert en.explain("") == () and en.explain("x", top=0) == ()


# ---------------------------------------------------------------- band


def test_user_band_overrides_the_calibrated_one(zh) -> None:
    text = "还行吧"
    s = _s(zh, text)
    wide = Thresholds(-0.99, 0.99)
    assert Scorer("fast", band=wide).score([text], evidence=False)[0].label == "neutral"
    narrow = Thresholds(s - 1e-6, s - 1e-6) if s > -0.99 else Thresholds(-1.0, -1.0)
    assert Scorer("fast", band=narrow).score([text], evidence=False)[0].label == "positive"
    default = Scorer("fast").score([text], evidence=False)[0]
    assert default.label == zh.thresholds.label(s)


def test_scorer_reports_model_and_band() -> None:
    info = Scorer("fast").info(["zh", "en"])
    assert info.components["zh"].startswith("zh-default@")
    assert info.components["en"].startswith("en-default@")
    zh_band = get_model("zh-default").thresholds
    assert info.thresholds["zh.negative_below"] == zh_band.negative_below


# ---------------------------------------------------------------- training and run time agree


def test_training_features_equal_runtime_scores(zh, en) -> None:
    train = load_script("train_sentiment")
    texts = ["不高兴", "虽然贵，但是好吃！", "难道这不好吗？", "", "股价大涨，利好消息"]
    x = train.featurise("zh", texts, None)
    w = zh.weights.astype(np.float64)
    np.testing.assert_allclose(x @ w + zh.bias, zh.logits(texts), atol=1e-6)
    en_texts = ["Profit didn't rise.", "Sales rose 5%", ""]
    x = train.featurise("en", en_texts, en._lexicon)
    w = np.vstack([en.weights.astype(np.float64), en.dense_weights])
    np.testing.assert_allclose(x @ w + en.bias, en.logits(en_texts), atol=1e-6)


def test_feature_spans_point_into_the_text() -> None:
    occ = zh_features(["不满意"], N_BUCKETS_CHECK)
    assert occ.start.min() >= -1 and occ.end.max() <= 4
    occ, dense = en_features(["not good at all"], N_BUCKETS_CHECK, {"good": 1.9})
    assert dense[0, 1] < 0  # "not good" counts as negative lexicon mass
    assert to_csr(occ, 1, N_BUCKETS_CHECK).shape == (1, N_BUCKETS_CHECK)


# ---------------------------------------------------------------- regression slice


def test_regression_slice_is_from_the_test_split() -> None:
    with SLICE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 200
    assert all(split_of(r["text"]) == "test" for r in rows)


def test_regression_slice_accuracy_floor(zh, en) -> None:
    with SLICE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # Measured with v1.0.0: zh 0.855 (SnowNLP 0.62 on the same 200), en 0.864; floors leave room
    # for retraining noise but not for a model that lost its grip.
    for lang, model, floor in (("zh", zh, 0.80), ("en", en, 0.80)):
        sub = [r for r in rows if r["lang"] == lang]
        scores = model.score([r["text"] for r in sub])
        gold = np.array([r["label"] for r in sub])
        # Polar items: sign accuracy; the committed slice holds pos/neg items only.
        acc = float(np.mean((scores > 0) == (gold == "pos")))
        assert acc >= floor, f"{lang}: polarity accuracy {acc:.3f} < {floor}"


# ---------------------------------------------------------------- benchmark targets


def test_card_targets_name_their_metric_and_match_the_set_table() -> None:
    """Sets without neutral items are compared on polar accuracy (the 3-label figure counts every
    in-band score as an error); the rest on macro-F1; each row repeats the per-set figures."""
    card = json.loads((DATA_DIR / "model_card.json").read_text(encoding="utf-8"))
    tier_key = {"fast": "default", "accurate": "accurate"}  # the card's JSON names the fast tier "default"
    by_set = {(tier, r["set"]): r[key] for r in card["sets"] for tier, key in tier_key.items()}
    set_targets = [t for t in card["targets"] if (t["tier"], t["set"]) in by_set]
    metrics = {(t["tier"], t["set"]): t["metric"] for t in set_targets}
    assert (
        metrics[("accurate", "zh_cluemotion_weibo")]
        == metrics[("fast", "zh_cluemotion_weibo")]
        == "polar_accuracy"
    )
    assert metrics[("accurate", "zh_bdci2019_news")] == "macro_f1"
    for t in set_targets:
        measured = by_set[(t["tier"], t["set"])]
        assert t["measured"] == measured[t["metric"]]
        assert (t["accuracy"], t["polar_accuracy"]) == (measured["accuracy"], measured["polar_accuracy"])
        assert t["met"] == (t["measured"] >= t["target"])
    # The other targets (sample article, LODO, speed) compare in the direction they state.
    for t in card["targets"]:
        if (t["tier"], t["set"]) not in by_set:
            assert t["met"] == (
                t["measured"] <= t["target"] if t.get("at_most") else t["measured"] >= t["target"]
            )
    sample = next(t for t in card["targets"] if t["set"] == "sample article")
    assert sample["measured"] == card["sample"]["models"]["accurate"]["agree"]


def test_english_evidence_is_whole_words_without_function_word_edges() -> None:
    model = get_model("en-default")
    text = (
        "The company's reliance on OTA updates instead of physical recalls has angered consumers, "
        "who prioritize safety over technological convenience."
    )
    terms = [e.term for e in model.explain(text, top=8)]
    assert "angered" in terms
    first_last = {w.lower() for term in terms for w in (term.split()[0], term.split()[-1])}
    assert not first_last & {"the", "a", "s", "which", "with", "of", "has"}
    for term in terms:  # every term is a run of whole words of the sentence
        start = text.find(term)
        assert start >= 0
        assert start == 0 or not text[start - 1].isalnum()
        end = start + len(term)
        assert end == len(text) or not text[end].isalnum()
    assert any(e.term.startswith("not ") for e in model.explain("This is not good at all."))


# --- the feature pass's marker detection (kept exact while made faster) ------------------------------

_MARKER_ALPHABET = (
    "不错过仅无论未来别人的得难道何尝怎么能会凭什虽然尽说但却可是然而只非常特别十分相当很太吗岂,.!?。好"
)


def _pair_mask_by_definition(text: str, pairs: tuple[str, ...]) -> list[bool]:
    return [any(text.startswith(p, i) for p in pairs) for i in range(len(text))]


@given(st.text(alphabet=_MARKER_ALPHABET, max_size=40))
@settings(max_examples=300, deadline=None)
def test_pair_mask_marks_exactly_where_a_pair_starts(text: str) -> None:
    from analysis.sentiment import features as f

    codes = np.array([ord(ch) for ch in text], dtype=np.int64)
    for pairs in (
        f._NOT_NEGATION,
        f._CONCESSIVE,
        f._CONTRAST_2,
        f._DEGREE_2,
        f._RHETORICAL_2,
        f._RHETORICAL_3,
    ):
        assert f._pair_mask(codes, pairs).tolist() == _pair_mask_by_definition(text, pairs)


def test_marker_flags_are_the_marker_sets() -> None:
    from analysis.sentiment import features as f

    for flag, codes in (
        (f._CLAUSE_FLAG, f._CLAUSE_CODES),
        (f._NEG_FLAG, f._NEG_CODES),
        (f._CONTRAST_FLAG, f._CONTRAST_CODES),
        (f._DEGREE_FLAG, f._DEGREE_CODES),
        (f._RQ_FLAG, f._RQ_CODES),
        (f._QEND_FLAG, f._QEND_CODES),
    ):
        flagged = set(np.flatnonzero(f._MARKER_FLAGS & flag).tolist())
        assert flagged == set(codes.tolist())


def test_blank_mask_is_what_neither_model_reads() -> None:
    from analysis.sentiment.default_models import blank_mask

    texts = ["", "，", "...", "  ", None, float("nan"), "好", "a", "1", "不好。"]
    assert blank_mask(texts).tolist() == [True] * 6 + [False] * 4
