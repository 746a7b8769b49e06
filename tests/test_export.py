"""Exports: CSV (UTF-8 with BOM, stamp columns), XLSX (five sheets), JSON (contract + stamp), and
with the article's entities an `entities` column, sheet and key."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pytest

import analysis
from analysis.entities import EntitySentence, EntitySummary, article_entities, entity_dict
from analysis.export import (
    ENTITY_COLUMNS,
    SENTENCE_COLUMNS,
    STAMP_COLUMNS,
    export_filename,
    sentences_frame,
    stamp,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx_bytes,
)
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA, summarize_labels
from analysis.records import Evidence
from tests.dashboard_fixtures import make_analysis


@pytest.fixture(scope="module")
def analysis_():
    return make_analysis()


def test_sentences_frame_rows_and_columns(analysis_) -> None:
    frame = sentences_frame(analysis_)
    assert list(frame.columns) == SENTENCE_COLUMNS
    assert list(frame["position"]) == [0, 1, 2, 3, 4, 5]
    assert frame["group"].isna().tolist() == [True, False, False, False, False, False]
    assert frame.loc[0, "group_title"] == "Core Viewpoint"
    assert frame.loc[4, "group_title"] == "Manufacturing Approach"
    assert frame.loc[4, "themes"] == "manufacturing;safety"
    assert frame.loc[4, "evidence"] == "bad(-0.50); unsafe(-0.30)"
    assert frame.loc[0, "citations"] == "1,3"
    assert frame.loc[2, "text"] == "小米的口碑很好。"
    assert pd.isna(frame.loc[5, "score"]) and pd.isna(frame.loc[5, "label"])
    assert list(frame["label"][:5]) == ["negative", "negative", "positive", "neutral", "negative"]


def test_stamp_fields(analysis_) -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    s = stamp(analysis_, generated_at=when)
    assert s["app_version"] == analysis.__version__
    assert s["model"] == "default" and s["model_version"] == "1.0+1.0"
    assert s["thresholds"]["en.negative_below"] == -0.2
    assert s["formula"] == {"nev": NEV_FORMULA, "nev_polar": NEV_POLAR_FORMULA}
    assert s["input_sha256"] == "ab" * 32
    assert s["generated_at"] == "2026-01-02T03:04:05+00:00"


def test_csv_has_bom_chinese_and_stamp_on_every_row(analysis_) -> None:
    data = to_csv_bytes(analysis_)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns) == SENTENCE_COLUMNS + STAMP_COLUMNS
    assert len(frame) == 6
    assert "小米的口碑很好。" in frame["text"].tolist()
    assert set(frame["input_sha256"]) == {"ab" * 32}
    assert set(frame["formula"]) == {f"{NEV_FORMULA}; {NEV_POLAR_FORMULA}"}
    assert json.loads(frame.loc[0, "thresholds"])["zh.positive_above"] == 0.2
    # The script tag in a sentence is data, kept verbatim (CSV is not HTML).
    assert any("<script>" in t for t in frame["text"])
    # Same input, same bytes: the CSV carries no timestamp.
    assert to_csv_bytes(analysis_) == data


def test_xlsx_sheets(analysis_) -> None:
    data = to_xlsx_bytes(analysis_)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["sentences", "groups", "themes", "figures", "stamp"]
    assert len(sheets["sentences"]) == 6
    assert set(STAMP_COLUMNS) <= set(sheets["sentences"].columns)
    groups = sheets["groups"]
    assert list(groups["name"]) == [
        "Article",
        "Core Viewpoint",
        "Trust and Public Sentiment",
        "Manufacturing Approach",
    ]
    assert list(groups["negative"]) == [3, 1, 1, 1]
    assert groups.loc[0, "nev"] == pytest.approx(-0.4)
    assert list(sheets["themes"]["id"]) == ["trust", "brand", "manufacturing", "safety"]
    assert list(sheets["figures"]["text"]) == ["96%", "-96%", "200,000 vehicles"]
    stamp_sheet = dict(zip(sheets["stamp"]["key"], sheets["stamp"]["value"], strict=True))
    assert stamp_sheet["input_sha256"] == "ab" * 32
    assert stamp_sheet["formula.nev"] == NEV_FORMULA
    assert stamp_sheet["threshold.zh.negative_below"] == "-0.2"
    assert stamp_sheet["title"] == "小米汽车陷入困境,问题出在哪?"


def test_json_is_the_contract_plus_stamp(analysis_) -> None:
    payload = json.loads(to_json_bytes(analysis_).decode("utf-8"))
    extra = ("stamp", "sentiment_model", "sentiment_reviewed", "audit")
    assert {k: v for k, v in payload.items() if k not in extra} == analysis_.to_dict()
    assert payload["stamp"]["input_sha256"] == "ab" * 32
    assert payload["sentiment_model"] == payload["sentiment_reviewed"] and payload["audit"] == []
    assert payload["stamp"]["labels_overridden"] == 0
    assert "小米" in to_json_bytes(analysis_).decode("utf-8")  # not \\u-escaped


def test_export_filename(analysis_) -> None:
    assert export_filename(analysis_, "csv") == "opinion-lens_abababababab.csv"


# -- entities (issue 13) -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def entities(analysis_):
    """The fixture's entities (sentence-level labels: no scorer needed) plus a hand-made one whose
    clause-level label differs from its sentence's, as a contrast sentence gives."""
    found = article_entities(analysis_, clause_level=False, detect=False)
    assert [e.name for e in found] == ["小米"]
    tesla = EntitySummary(
        name="特斯拉",
        name_en="Tesla",
        type="company",
        kind="known",
        mentions=1,
        occurrences=1,
        sentiment=summarize_labels(["negative"]),
        evidence=(Evidence("bad", -0.5),),
        sentences=(EntitySentence(2, "negative", "positive", "特斯拉下滑", True, ("特斯拉",)),),
    )
    return (*found, tesla)


def test_csv_names_the_entities_of_each_sentence(analysis_, entities) -> None:
    frame = pd.read_csv(io.BytesIO(to_csv_bytes(analysis_, None, entities)), encoding="utf-8-sig")
    assert list(frame.columns) == [*SENTENCE_COLUMNS, "entities", *STAMP_COLUMNS]
    assert len(frame) == 6  # still one row per sentence
    by_position = dict(zip(frame["position"], frame["entities"].fillna(""), strict=True))
    assert by_position[2] == "小米; 特斯拉"
    assert all(by_position[p] == "" for p in (0, 1, 3, 4, 5))


def test_xlsx_has_an_entities_sheet(analysis_, entities) -> None:
    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(analysis_, None, entities)), sheet_name=None)
    assert list(sheets) == ["sentences", "groups", "themes", "entities", "figures", "stamp"]
    assert "entities" in sheets["sentences"].columns
    sheet = sheets["entities"]
    assert list(sheet.columns) == ENTITY_COLUMNS
    rows = sheet.set_index("entity")
    assert rows.loc["小米", "name_en"] == "Xiaomi" and rows.loc["小米", "kind"] == "known"
    assert (rows.loc["小米", "mentions"], rows.loc["小米", "positive"]) == (1, 1)
    assert rows.loc["小米", "nev"] == pytest.approx(1.0)
    assert str(rows.loc["小米", "sentence_positions"]) == "2"
    # The clause-level label is what the entity's numbers count, and the row says so per sentence.
    assert rows.loc["特斯拉", "nev"] == pytest.approx(-1.0)
    assert rows.loc["特斯拉", "sentence_labels"] == "2:negative"
    assert rows.loc["特斯拉", "evidence"] == "bad(-0.50)"


def test_json_carries_the_entities(analysis_, entities) -> None:
    payload = json.loads(to_json_bytes(analysis_, None, entities).decode("utf-8"))
    assert payload["entities"] == [entity_dict(e) for e in entities]
    assert payload["entities"][0]["name"] == "小米"
    assert payload["entities"][0]["sentence_positions"] == [2]
    assert payload["entities"][1]["sentences"][0]["sentence_label"] == "positive"
    # Without entities the payload is the contract as before (no empty key).
    assert "entities" not in json.loads(to_json_bytes(analysis_).decode("utf-8"))


def test_no_entities_found_still_gives_the_column_and_sheet(analysis_) -> None:
    frame = pd.read_csv(io.BytesIO(to_csv_bytes(analysis_, None, ())), encoding="utf-8-sig")
    assert frame["entities"].isna().all()
    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(analysis_, None, ())), sheet_name=None)
    assert list(sheets["entities"].columns) == ENTITY_COLUMNS and sheets["entities"].empty
    assert json.loads(to_json_bytes(analysis_, None, ()).decode("utf-8"))["entities"] == []
