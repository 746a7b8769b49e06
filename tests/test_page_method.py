"""Method page through AppTest: the formulas, the model suites, and the model card's own figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis import model_card
from analysis.i18n import t
from tests.dashboard_fixtures import open_app

PAGE = "pages/method.py"


@pytest.fixture(scope="module")
def card() -> dict[str, Any]:
    # The model card is part of the product: without it these tests fail, they do not skip.
    assert model_card.CARD_PATH.exists(), f"{model_card.CARD_PATH} is missing"
    return json.loads(model_card.CARD_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_formulas_models_and_card_figures(app_env: str, card: dict[str, Any], lang: str) -> None:
    at = open_app(PAGE, lang=lang)
    assert at.title[0].value == t("me.title", lang)
    assert "nev = (P - N) / (P + U + N)" in at.code[0].value
    assert "nev_polar = (P - N) / (P + N)" in at.code[0].value
    assert not at.main.error, [e.value for e in at.main.error]
    tables = [d.value for d in at.main.dataframe]
    suites = tables[0]
    assert {"default", "snownlp"} <= set(suites.iloc[:, 0])
    captions = [c.value for c in at.main.caption]
    assert t("mc.generated", lang, by=card["generated_by"], at=card["generated_at"], split=card["split"]) in (
        captions
    )

    def col(name: str) -> str:
        return t(f"mc.col.{name}", lang)

    # Targets first (both tiers), with the card's measured figures in the card's order.
    targets = tables[1]
    assert {"accurate", "fast"} <= set(targets[col("tier")])
    assert list(targets[col("measured")]) == [x["measured"] for x in card["targets"]]
    assert list(targets[col("met")]) == [x["met"] for x in card["targets"]]
    # The sample article: a reader's label per sentence beside each tier's, and their agreement.
    sample = tables[2]
    gold = card["sample"]["gold"]
    assert len(sample) == len(gold) == 11
    assert list(sample[col("reader")]) == gold
    assert list(sample[col("accurate_label")]) == card["sample"]["models"]["accurate"]["labels"]
    agree = {k: m["agree"] for k, m in card["sample"]["models"].items()}
    assert t("mc.sample_note", lang, n=len(gold), **agree) in captions
    # Accuracy per labelled set: the card's macro-F1 of both tiers, set by set.
    accuracy = tables[3].set_index(col("set"))
    assert "zh_bdci2019_news" in accuracy.index
    for s in card["sets"]:
        assert accuracy.loc[s["set"], col("accurate_macro_f1")] == s["accurate"]["macro_f1"], s["set"]
        assert accuracy.loc[s["set"], col("default_macro_f1")] == s["default"]["macro_f1"], s["set"]
    assert "card_band_sweep" in {c.key for c in at.get("plotly_chart")}


@pytest.mark.parametrize("content", [None, "{not json"], ids=["missing", "unreadable"])
def test_missing_card_is_a_clear_error(
    app_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "model_card.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(model_card, "CARD_PATH", path)
    for lang in ("en", "zh"):
        at = open_app(PAGE, lang=lang)
        errors = [e.value for e in at.main.error]
        assert any(t("me.no_card", lang) in e and str(path) in e for e in errors), errors
        # The rest of the page still draws; only the card's tables and chart are absent.
        assert at.title[0].value == t("me.title", lang)
        assert len(at.main.dataframe) == 1
        assert "card_band_sweep" not in {c.key for c in at.get("plotly_chart")}
