import numpy as np
import pytest

from analysis.sentiment import SUITES, Scorer, SentimentError, Thresholds, get_model


def test_band_labels_one_place() -> None:
    band = Thresholds(-0.3, 0.3)
    assert band.label(-0.3) == "negative"
    assert band.label(0.0) == "neutral"
    assert band.label(0.31) == "positive"
    labels = band.labels(np.array([-1.0, 0.0, 1.0, np.nan]))
    assert list(labels) == ["negative", "neutral", "positive", ""]


def test_invalid_band_rejected() -> None:
    with pytest.raises(SentimentError):
        Thresholds(0.5, -0.5)


def test_unknown_names_rejected() -> None:
    with pytest.raises(SentimentError):
        Scorer("no-such-model")
    with pytest.raises(SentimentError):
        get_model("no-such-model")


@pytest.mark.parametrize("suite", list(SUITES))
def test_every_suite_scores_both_languages_and_leaves_others_unscored(suite: str) -> None:
    scorer = Scorer(suite)
    out = scorer.score(
        ["这个产品质量太差了，非常失望", "This is a wonderful, great result.", "", "こんにちは"]
    )
    assert out[0].lang == "zh" and out[0].label == "negative"
    assert out[1].lang == "en" and out[1].label == "positive"
    assert out[2].score is None and out[2].label is None  # empty never crashes, never counted
    assert out[3].lang == "other" and out[3].score is None
    info = scorer.info(["zh", "en"])
    # `default` names the tier that actually ran (the accurate one for articles).
    assert info.name == ("accurate" if suite == "default" else suite) and info.requested == suite
    assert set(info.components) == {"zh", "en"} and info.note is None
    assert all(-1 <= v <= 1 for v in info.thresholds.values())


def test_user_band_overrides_model_band() -> None:
    scorer = Scorer("snownlp", Thresholds(-0.99, 0.99))
    out = scorer.score(["This is a wonderful, great result."])
    assert out[0].label == "neutral"
    assert scorer.info(["en"]).thresholds == {"en.negative_below": -0.99, "en.positive_above": 0.99}


def test_snownlp_empty_input_does_not_crash() -> None:
    model = get_model("snownlp")
    assert model.score(["", "   "]).tolist() == [0.0, 0.0]
    assert model.explain("") == ()
