"""Method page through AppTest."""

from __future__ import annotations

from analysis.i18n import t
from tests.dashboard_fixtures import ROOT, app_env, open_app

__all__ = ["app_env"]

PAGE = "pages/method.py"
CARD_JSON = ROOT / "analysis" / "sentiment" / "data" / "model_card.json"


def test_formulas_models_and_card_in_both_languages(app_env: str) -> None:
    for lang in ("en", "zh"):
        at = open_app(PAGE, lang=lang)
        assert at.title[0].value == t("me.title", lang)
        assert "nev = (P - N) / (P + U + N)" in at.code[0].value
        assert "nev_polar = (P - N) / (P + N)" in at.code[0].value
        suites = at.main.dataframe[0].value
        assert {"default", "snownlp"} <= set(suites.iloc[:, 0])
        # The model card is part of the product: its absence is a defect, not a skipped check.
        assert CARD_JSON.exists(), "analysis/sentiment/data/model_card.json is missing"
        assert not any(i.value == t("me.no_card", lang) for i in at.info)
        tables = [d.value for d in at.main.dataframe]
        # Targets first (both tiers), then the sample article against a reader, then accuracy per set.
        targets = tables[1]
        assert t("mc.col.met", lang) in targets.columns and t("mc.col.tier", lang) in targets.columns
        assert {"accurate", "fast"} <= set(targets[t("mc.col.tier", lang)])
        sample = tables[2]
        assert len(sample) == 11 and t("mc.col.reader", lang) in sample.columns
        assert t("mc.col.accurate_label", lang) in sample.columns
        accuracy = tables[3]
        assert t("mc.col.accurate_macro_f1", lang) in accuracy.columns
        assert t("mc.col.default_macro_f1", lang) in accuracy.columns
        assert "zh_bdci2019_news" in set(accuracy[t("mc.col.set", lang)])
