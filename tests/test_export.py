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
    EMOTION_MIX_COLUMNS,
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
from analysis.records import EMOTIONS, Evidence
from tests.dashboard_fixtures import make_analysis, make_emotion_analysis


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


# -- emotions (issue 18) -----------------------------------------------------------------------------

EMOTION_SENTENCE_COLUMNS = ["emotion", "emotion_score", "emotion_second", "emotion_reviewed"]


@pytest.fixture(scope="module")
def emotional():
    return make_emotion_analysis()


def test_sentence_rows_carry_each_emotion_and_empty_cells_without_one(emotional) -> None:
    frame = sentences_frame(emotional)
    assert list(frame.columns) == SENTENCE_COLUMNS and set(EMOTION_SENTENCE_COLUMNS) <= set(SENTENCE_COLUMNS)
    assert list(frame["emotion"][:5]) == ["sadness", "anger", "joy", "neutral", "fear"]
    assert frame.loc[1, "emotion_second"] == "disgust" and frame.loc[4, "emotion_reviewed"]
    assert frame.loc[2, "emotion_score"] == pytest.approx(0.88)
    assert all(pd.isna(frame.loc[5, c]) for c in EMOTION_SENTENCE_COLUMNS)  # no reading: no cells


def test_csv_emotion_columns_are_empty_not_none(emotional) -> None:
    data = to_csv_bytes(emotional)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == SENTENCE_COLUMNS + STAMP_COLUMNS
    assert frame.loc[0, "emotion"] == "sadness" and frame.loc[0, "emotion_score"] == "0.62"
    assert frame.loc[4, "emotion_reviewed"] == "True" and frame.loc[0, "emotion_reviewed"] == "False"
    assert [frame.loc[5, c] for c in EMOTION_SENTENCE_COLUMNS] == ["", "", "", ""]
    assert "None" not in data.decode("utf-8-sig") and "<NA>" not in data.decode("utf-8-sig")
    # An analysis whose emotions were not read: the columns are there, every cell empty.
    plain = pd.read_csv(io.BytesIO(to_csv_bytes(make_analysis())), encoding="utf-8-sig", dtype=str)
    assert plain[EMOTION_SENTENCE_COLUMNS].isna().all().all()


def test_xlsx_sentences_and_groups_carry_the_emotions(emotional) -> None:
    sheets = pd.read_excel(io.BytesIO(to_xlsx_bytes(emotional)), sheet_name=None, engine="openpyxl")
    sentences = sheets["sentences"]
    assert list(sentences["emotion"][:5]) == ["sadness", "anger", "joy", "neutral", "fear"]
    assert pd.isna(sentences.loc[5, "emotion"]) and pd.isna(sentences.loc[5, "emotion_score"])
    groups = sheets["groups"].set_index("name")
    assert set(EMOTION_MIX_COLUMNS) <= set(groups.columns)
    article = groups.loc["Article"]
    counts = {e: int(article[f"emotion_{e}"]) for e in EMOTIONS}
    assert counts == emotional.emotions.counts
    assert sum(counts.values()) + int(article["emotion_unread"]) == 6  # every sentence once
    assert article["emotion_dominant"] == emotional.emotions.dominant()
    assert int(groups.loc["Core Viewpoint", "emotion_sadness"]) == 1
    assert int(groups.loc["Manufacturing Approach", "emotion_fear"]) == 1
    assert int(groups.loc["Manufacturing Approach", "emotion_unread"]) == 1
    # Every group's mix adds up to the article's (the core viewpoint is its own row).
    group_rows = groups.loc[["Core Viewpoint", "Trust and Public Sentiment", "Manufacturing Approach"]]
    for e in EMOTIONS:
        assert int(group_rows[f"emotion_{e}"].sum()) == counts[e]
    stamp_sheet = dict(zip(sheets["stamp"]["key"], sheets["stamp"]["value"], strict=True))
    assert "model" in stamp_sheet  # emotion components are listed when the pipeline recorded them


def test_groups_without_emotions_have_empty_mix_cells() -> None:
    groups = pd.read_excel(io.BytesIO(to_xlsx_bytes(make_analysis())), sheet_name="groups")
    assert groups[EMOTION_MIX_COLUMNS].isna().all().all()


def test_json_sentences_and_summary_carry_the_emotions(emotional) -> None:
    payload = json.loads(to_json_bytes(emotional).decode("utf-8"))
    first = payload["core_viewpoint"]["sentences"][0]
    assert (first["emotion"], first["emotion_score"]) == ("sadness", 0.62)
    last = payload["groups"][1]["bullets"][1]["sentences"][0]
    assert last["emotion"] is None and last["emotion_score"] is None
    assert payload["emotions"]["counts"] == emotional.emotions.counts
    assert payload["emotions"]["n"] == 5 and payload["emotions"]["unread"] == 1
    assert [g["counts"]["fear"] for g in payload["group_emotions"]] == [0, 1]
    assert "emotion_components" in payload["stamp"]


def test_entity_rows_carry_the_emotion_mix_of_their_sentences(emotional) -> None:
    found = article_entities(emotional, clause_level=False, detect=False)
    xiaomi = found[0]
    assert xiaomi.name == "小米" and xiaomi.emotions is not None
    assert xiaomi.emotions.counts["joy"] == 1 and xiaomi.emotions.n == xiaomi.mentions
    sheet = pd.read_excel(io.BytesIO(to_xlsx_bytes(emotional, None, found)), sheet_name="entities")
    assert list(sheet.columns) == ENTITY_COLUMNS
    assert int(sheet.loc[0, "emotion_joy"]) == 1 and sheet.loc[0, "emotion_dominant"] == "joy"
    payload = json.loads(to_json_bytes(emotional, None, found).decode("utf-8"))
    assert payload["entities"][0]["emotions"]["counts"]["joy"] == 1
    assert payload["entities"][0]["sentences"][0]["emotion"] == "joy"
