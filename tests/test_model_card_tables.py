"""The model card's JSON flattened into the Method page's tables."""

from analysis.model_card import (
    CARD_PATH,
    accuracy_table,
    band_sweep_figure,
    cases_table,
    load_card,
    lodo_table,
    speed_table,
    targets_table,
)

CARD = {
    "sets": [
        {
            "set": "zh_news",
            "domain": "news",
            "labels": ["pos", "neu", "neg"],
            "n_test": 10,
            "always_guess_accuracy": 0.5,
            "default": {"accuracy": 0.7, "macro_f1": 0.6, "polar_accuracy": 0.9},
            "baseline_name": "snownlp",
            "baseline": {"accuracy": 0.3, "macro_f1": 0.2, "polar_accuracy": 0.5},
        }
    ],
    "targets": [{"set": "zh_news", "metric": "macro_f1", "target": 0.65, "measured": 0.6, "met": False}],
    "lodo": [{"set": "zh_news", "n": 10, "accuracy": 0.4, "macro_f1": 0.3, "polar_accuracy": 0.7}],
    "cases": [{"text": "不高兴", "case": "negation", "expected": "negative", "default_label": "negative"}],
    "band_sweep": {"zh_news": [{"band": 0.0, "macro_f1": 0.3}, {"band": 0.2, "macro_f1": 0.6}]},
    "speed": {
        "throughput": {
            "zh_news": {"n": 10, "default_texts_per_s": 5000, "snownlp_texts_per_s": 100, "ratio": 50}
        }
    },
}


def test_flat_tables_carry_every_figure() -> None:
    acc = accuracy_table(CARD).iloc[0]
    assert (acc["default_macro_f1"], acc["baseline_macro_f1"], acc["labels"]) == (0.6, 0.2, "pos/neu/neg")
    assert not targets_table(CARD).iloc[0]["met"]
    assert lodo_table(CARD).iloc[0]["macro_f1"] == 0.3
    assert cases_table(CARD).iloc[0]["snownlp_label"] is None  # missing fields stay empty, not invented
    assert speed_table(CARD).iloc[0]["ratio"] == 50


def test_band_sweep_figure_has_one_line_per_set() -> None:
    fig = band_sweep_figure(CARD)
    assert [tr.name for tr in fig.data] == ["zh_news"]
    assert list(fig.data[0].y) == [0.3, 0.6]


OTHER_METRICS = {
    "sentences agreeing",
    "mean polar accuracy",
    "seconds (fresh process)",
    "ratio (same texts, same run)",
    "seconds to first text",
}


def test_committed_card_loads_and_names_every_target_set() -> None:
    card = load_card(CARD_PATH)
    assert card is not None
    sets = set(accuracy_table(card)["set"])
    targets = targets_table(card)
    per_set = targets[~targets["metric"].isin(OTHER_METRICS)]
    assert set(per_set["set"]) <= sets and len(per_set) >= 7
    assert set(targets["tier"]) == {"accurate", "fast"}
    assert set(targets[targets["metric"].isin(OTHER_METRICS)]["set"]) >= {
        "sample article",
        "speed vs SnowNLP",
    }
    assert load_card(CARD_PATH.with_name("missing.json")) is None
