"""Exports: CSV (UTF-8 with BOM, stamp columns), XLSX (five sheets), JSON (contract + stamp)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pandas as pd
import pytest

import analysis
from analysis.export import (
    SENTENCE_COLUMNS,
    STAMP_COLUMNS,
    export_filename,
    sentences_frame,
    stamp,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx_bytes,
)
from analysis.metrics import NEV_FORMULA, NEV_POLAR_FORMULA
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
